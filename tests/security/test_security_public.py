"""Public callers: one subject at a time, name and full valid ID, masked IDs, rate-limited."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from shixin.grpcapi.server import Running, create_server
from shixin.ids import mask
from shixin.measures import load_catalogue
from shixin.service.admin import create_token
from shixin.v1 import match_service_pb2 as match_pb
from tests.conftest import DemoList, connect
from tests.security.conftest import index_of, secure_settings
from tests.security.support import (
    Pki,
    audit_seq,
    entries_after,
    error_reason,
    public_client,
    state_digest,
)

BURST = 3


def test_public_query_shows_masked_ids(secure: Running, pki: Pki,
                                       listed: list[dict[str, str]]) -> None:
    """Full name and full ID: a public caller gets the active record with the ID masked."""
    person = listed[3]
    with public_client(secure, pki) as client:
        me = client.whoami()
        resp = client.match(person["name"], person["id_number"])
    assert me.role == "public" and me.principal.startswith("public:ipv")
    assert resp.status == match_pb.MATCH_STATUS_HIT
    shown = resp.hits[0].matched_id_number
    assert shown != person["id_number"] and "*" in shown
    assert shown[:6] == person["id_number"][:6] and shown[-4:] == person["id_number"][-4:]


@pytest.mark.parametrize(("fishing", "code"), [
    ("name only", "PERMISSION_DENIED"), ("masked ID", "PERMISSION_DENIED"),
    ("ID only", "PERMISSION_DENIED"), ("partial ID", "INVALID_ARGUMENT")])
def test_public_fishing_is_refused(secure: Running, pki: Pki, listed: list[dict[str, str]],
                                   fishing: str, code: str) -> None:
    """A public look-up by name only, by a masked ID, or by ID without a name is
    PERMISSION_DENIED PUBLIC_QUERY_INCOMPLETE; a partial ID is not an ID number at all
    (INVALID_ARGUMENT, for any caller). Only the refusal is recorded, with what was asked."""
    person = listed[3]
    name, id_number = {
        "name only": (person["name"], ""),
        "partial ID": (person["name"], person["id_number"][:14]),
        "masked ID": (person["name"], mask(person["id_number"])),
        "ID only": ("", person["id_number"]),
    }[fishing]
    before, seq = state_digest(secure), audit_seq(secure)
    with public_client(secure, pki) as client, pytest.raises(grpc.RpcError) as err:
        client.match(name, id_number)
    assert err.value.code().name == code
    if code == "PERMISSION_DENIED":
        assert error_reason(err.value) == "PUBLIC_QUERY_INCOMPLETE"
    [entry] = entries_after(secure, seq)
    assert entry["role"] == "public" and entry["action"] == "match"
    assert entry["request"]["name"] == name and entry["request"]["id_number"] == id_number
    assert entry["outcome"]["code"] == code
    assert state_digest(secure) == before


def test_public_may_not_batch(secure: Running, pki: Pki) -> None:
    """Public callers ask one subject at a time: BatchMatch needs credentials."""
    rows = [match_pb.BatchMatchRequest(rows=[match_pb.BatchRow(ref="1")])]
    with public_client(secure, pki) as client, pytest.raises(grpc.RpcError) as err:
        list(client.batch_match(iter(rows), timeout=10))
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory, demo_list: DemoList,
            pki: Pki) -> Iterator[Running]:
    """A server allowing each public client a burst of BURST and (practically) no refill."""
    data = index_of(demo_list, tmp_path_factory.mktemp("limited"))
    running = create_server(secure_settings(data, pki, public_burst=BURST, public_rate=1e-6))
    yield running
    running.stop(0)


def test_public_rate_limit(limited: Running, pki: Pki, demo_list: DemoList) -> None:
    """Past its burst a public client gets RESOURCE_EXHAUSTED with a retry delay, recorded;
    a unit with a token on the same address is not limited."""
    person = next(t for t in demo_list.truths if t["kind"] == "person")
    with public_client(limited, pki) as client:
        for _ in range(BURST):
            client.match(person["name"], person["id_number"])
        seq = audit_seq(limited)
        with pytest.raises(grpc.RpcError) as err:
            client.match(person["name"], person["id_number"])
    assert err.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert error_reason(err.value) == "RATE_LIMITED"
    status = rpc_status.from_call(err.value)
    assert status is not None
    retry = [d for d in status.details if d.Is(error_details_pb2.RetryInfo.DESCRIPTOR)]
    assert len(retry) == 1
    [entry] = entries_after(limited, seq)
    assert (entry["role"], entry["outcome"]["code"]) == ("", "RESOURCE_EXHAUSTED")
    token = create_token(limited.store, load_catalogue(), "unit", "hpf-centre").token
    with public_client(limited, pki, token=token) as unit:
        for _ in range(BURST + 1):
            unit.match(person["name"], person["id_number"],
                       purpose="assist.housing-provident-fund")


def test_dev_public_principal_is_public(served: Running) -> None:
    """On a development server, x-shixin-principal public:<id> makes a public principal."""
    with connect(served, principal="public:kiosk-7") as client:
        me = client.whoami()
    assert (me.principal, me.role, me.method) == ("public:kiosk-7", "public", "dev")


def test_dev_header_is_ignored_by_production_servers(secure: Running, pki: Pki) -> None:
    """Without development auth, x-shixin-principal gives no identity, and the refusal says
    why."""
    with public_client(secure, pki, principal="unit:pbc-liuzhou") as client:
        me = client.whoami()
        with pytest.raises(grpc.RpcError) as err:
            client.overdue()
    assert me.role == "public" and me.method == "dev-header-ignored"
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert "development servers only" in (err.value.details() or "")
