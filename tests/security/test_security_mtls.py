"""Mutual TLS: the certificate names the caller; the handshake refuses bad certificates."""

from __future__ import annotations

import grpc
import pytest

from shixin.grpcapi.server import Running
from tests.security.support import (
    COURT,
    UNIT,
    UNIT_PURPOSE,
    Pki,
    audit_seq,
    entries_after,
    error_reason,
    mtls_client,
    public_client,
    state_digest,
)


def test_unit_certificate_names_the_unit(secure: Running, pki: Pki) -> None:
    """A unit's client certificate makes the caller that unit, authenticated by mTLS."""
    with mtls_client(secure, pki, pki.unit) as client:
        me = client.whoami()
    assert (me.principal, me.role, me.method) == (UNIT, "unit", "mtls")


def test_court_certificate_names_the_court(secure: Running, pki: Pki) -> None:
    """A court's certificate (Chinese name in a percent-encoded SAN URI) makes it that court."""
    with mtls_client(secure, pki, pki.court) as client:
        me = client.whoami()
    assert (me.principal, me.role, me.method) == (COURT, "court", "mtls")


@pytest.mark.parametrize("which", ["none", "expired", "foreign"])
def test_bad_certificates_fail_the_handshake(secure: Running, pki: Pki,
                                             listed: list[dict[str, str]], which: str) -> None:
    """No certificate, an expired one, or one from an unknown CA: the mutual-TLS port refuses
    the connection (UNAVAILABLE) before any RPC runs, so nothing is recorded or changed."""
    pair = {"none": None, "expired": pki.expired_unit, "foreign": pki.foreign_unit}[which]
    before, seq = state_digest(secure), audit_seq(secure)
    person = listed[0]
    with mtls_client(secure, pki, pair) as client, pytest.raises(grpc.RpcError) as err:
        client.match(person["name"], person["id_number"], purpose=UNIT_PURPOSE)
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE
    assert entries_after(secure, seq) == []
    assert state_digest(secure) == before


def test_certificate_and_token_together_are_refused(secure: Running, pki: Pki) -> None:
    """One call, one identity: a certificate plus a bearer token is UNAUTHENTICATED."""
    seq = audit_seq(secure)
    token = "sx_0123456789abcdef_" + "A" * 49
    with mtls_client(secure, pki, pki.unit, token=token) as client, \
            pytest.raises(grpc.RpcError) as err:
        client.whoami()
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error_reason(err.value) == "CONFLICTING_CREDENTIALS"
    [entry] = entries_after(secure, seq)
    assert entry["outcome"]["credential"] == {"method": "mtls+token"}
    assert entry["actor"].startswith("unauthenticated:")


def test_no_credentials_on_a_unit_rpc(secure: Running, pki: Pki,
                                      listed: list[dict[str, str]]) -> None:
    """Without certificate or token, a unit RPC is UNAUTHENTICATED; only the refusal is
    recorded and the index is unchanged."""
    person = listed[0]
    before, seq = state_digest(secure), audit_seq(secure)
    with public_client(secure, pki) as client, pytest.raises(grpc.RpcError) as err:
        client.get_record(case_number="(2019)桂0222执46号", debtor_name=person["name"])
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert error_reason(err.value) == "NO_CREDENTIALS"
    [entry] = entries_after(secure, seq)
    assert entry["action"] == "get_record"
    assert entry["role"] == "" and entry["actor"].startswith("unauthenticated:ipv")
    assert entry["outcome"]["code"] == "UNAUTHENTICATED"
    assert state_digest(secure) == before


def test_no_credentials_on_a_stream_is_refused_before_reading(secure: Running,
                                                              pki: Pki) -> None:
    """A batch stream without credentials is UNAUTHENTICATED and recorded as such."""
    from shixin.v1 import match_service_pb2 as pb

    seq = audit_seq(secure)
    rows = [pb.BatchMatchRequest(rows=[pb.BatchRow(ref="1", subject=pb.Subject(name="张三"))])]
    with public_client(secure, pki) as client, pytest.raises(grpc.RpcError) as err:
        list(client.batch_match(iter(rows), timeout=10))
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    [entry] = entries_after(secure, seq)
    assert (entry["action"], entry["outcome"]["code"]) == ("batch_match", "UNAUTHENTICATED")
