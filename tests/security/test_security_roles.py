"""Roles: a unit queries for its own measures, a court pushes its own court, admins administer."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest

from shixin.grpcapi.server import Running
from shixin.v1 import record_service_pb2 as record_pb
from tests.security.support import (
    COURT,
    OTHER_COURT,
    OTHER_UNITS_PURPOSE,
    UNIT,
    UNIT_PURPOSE,
    Pki,
    audit_seq,
    entries_after,
    error_reason,
    mtls_client,
    state_digest,
)


def test_unit_asking_with_another_units_purpose(secure: Running, pki: Pki,
                                                listed: list[dict[str, str]]) -> None:
    """The bank asking for customs' measure is PERMISSION_DENIED PURPOSE_NOT_ALLOWED: the
    refusal is recorded with the purpose and the subject, and the bank is not recorded as
    told; with its own purpose the same look-up answers with whole IDs and tells it."""
    person = listed[2]
    before, seq = state_digest(secure), audit_seq(secure)
    with mtls_client(secure, pki, pki.unit) as client:
        with pytest.raises(grpc.RpcError) as err:
            client.match(person["name"], person["id_number"], purpose=OTHER_UNITS_PURPOSE)
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert error_reason(err.value) == "PURPOSE_NOT_ALLOWED"
        [entry] = entries_after(secure, seq)
        assert (entry["actor"], entry["role"], entry["purpose"]) == (UNIT, "unit",
                                                                    OTHER_UNITS_PURPOSE)
        assert entry["request"]["id_number"] == person["id_number"]
        assert entry["outcome"]["code"] == "PERMISSION_DENIED"
        assert state_digest(secure) == before

        resp = client.match(person["name"], person["id_number"], purpose=UNIT_PURPOSE)
    assert resp.hits[0].matched_id_number == person["id_number"]
    assert state_digest(secure) != before  # the told ledger now names the bank


def test_unit_without_purpose_is_refused(secure: Running, pki: Pki,
                                         listed: list[dict[str, str]]) -> None:
    """A unit look-up must name its purpose."""
    person = listed[2]
    with mtls_client(secure, pki, pki.unit) as client, pytest.raises(grpc.RpcError) as err:
        client.match(person["name"], person["id_number"])
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED


def _record(records: list[dict[str, Any]], court: str) -> dict[str, Any]:
    return next(r for r in records if r["court"] == court and r["debtor"].get("id_number"))


def _push(client: Any, *objs: dict[str, Any]) -> list[record_pb.PushRecordsResponse]:
    items = [record_pb.PushRecordsRequest(sequence=i, json_line=json.dumps(o, ensure_ascii=False))
             for i, o in enumerate(objs, start=1)]
    return list(client.push(iter(items), timeout=10))


def test_court_pushing_another_courts_case(secure: Running, pki: Pki,
                                           court_records: list[dict[str, Any]]) -> None:
    """A court changing another court's record, publishing a record in another court's name,
    or sending an event for another court's record is refused item by item (OTHER_COURT),
    recorded, and leaves the index as it was; a record of its own court goes in."""
    theirs = _record(court_records, OTHER_COURT)
    changed = {**theirs, "obligation": "被告向原告支付1元"}
    in_their_name = {**_record(court_records, COURT), "court": OTHER_COURT,
                     "case_number": "(2026)桂0222执99999号"}
    event = {"event": "revoke", "case_number": theirs["case_number"],
             "id_number": theirs["debtor"]["id_number"], "effective_on": "2026-11-20",
             "reason": "撤销"}
    before, seq = state_digest(secure), audit_seq(secure)
    with mtls_client(secure, pki, pki.court) as client:
        refused = _push(client, changed, in_their_name, event)
        assert [r.accepted for r in refused] == [False, False, False]
        assert {r.error_reason for r in refused} == {"OTHER_COURT"}
        entries = entries_after(secure, seq)
        rejected = [e for e in entries if e["action"] == "push_rejected"]
        assert [e["request"]["sequence"] for e in rejected] == [1, 2, 3]
        assert all(e["actor"] == COURT and e["outcome"]["code"] == "PERMISSION_DENIED"
                   for e in rejected)
        assert entries[-1]["action"] == "push_records"
        assert entries[-1]["outcome"]["rejected"] == 3
        assert state_digest(secure) == before

        own = {**_record(court_records, COURT), "case_number": "(2026)桂0204执88888号"}
        [accepted] = _push(client, own)
    assert accepted.accepted, accepted.error
    assert state_digest(secure) != before


def test_units_may_not_push(secure: Running, pki: Pki,
                            court_records: list[dict[str, Any]]) -> None:
    """Only courts publish to the list: a unit's push stream is PERMISSION_DENIED, recorded,
    and changes nothing."""
    before, seq = state_digest(secure), audit_seq(secure)
    with mtls_client(secure, pki, pki.unit) as client, pytest.raises(grpc.RpcError) as err:
        _push(client, _record(court_records, COURT))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error_reason(err.value) == "NOT_A_COURT"
    assert [(e["action"], e["actor"]) for e in entries_after(secure, seq)] == [
        ("push_records", UNIT)]
    assert state_digest(secure) == before


def test_admins_may_not_look_people_up(secure: Running, pki: Pki,
                                       listed: list[dict[str, str]]) -> None:
    """Administration is not a purpose: an admin's look-up is PERMISSION_DENIED."""
    person = listed[0]
    with mtls_client(secure, pki, pki.admin) as client, pytest.raises(grpc.RpcError) as err:
        client.match(person["name"], person["id_number"], purpose=UNIT_PURPOSE)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_units_may_not_read_the_audit_trail(secure: Running, pki: Pki) -> None:
    """ListAuditEntries and VerifyAudit are for admins only."""
    with mtls_client(secure, pki, pki.unit) as client:
        for call in (lambda: list(client.audit_entries()), client.verify_audit):
            with pytest.raises(grpc.RpcError) as err:
                call()
            assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
