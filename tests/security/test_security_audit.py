"""The audit trail of the running server: fail closed, verifiable live, anchored in the index."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest

from shixin.audit import AuditCorruptError
from shixin.grpcapi.server import Running, create_server
from shixin.v1 import match_service_pb2 as match_pb
from tests.conftest import DemoList
from tests.security.conftest import AUDIT_KEY, index_of, secure_settings
from tests.security.support import (
    UNIT,
    UNIT_PURPOSE,
    Pki,
    audit_seq,
    entries_after,
    error_reason,
    mtls_client,
    read_log,
    shixin,
    state_digest,
)


@pytest.fixture
def own(tmp_path: Path, demo_list: DemoList, pki: Pki) -> Iterator[Running]:
    """A server of this test's own, over a fresh copy of the index."""
    running = create_server(secure_settings(index_of(demo_list, tmp_path / "data"), pki))
    yield running
    running.stop(0)


def test_lookup_that_cannot_be_recorded_is_not_answered(own: Running, pki: Pki,
                                                        listed: list[dict[str, str]]) -> None:
    """With the audit log down a look-up is UNAVAILABLE AUDIT_UNAVAILABLE and has no effect
    (the unit is not recorded as told), while the same look-up with the log up does."""
    with mtls_client(own, pki, pki.unit) as client:
        before = state_digest(own)
        client.match(listed[4]["name"], listed[4]["id_number"], purpose=UNIT_PURPOSE)
        assert state_digest(own) != before
        assert own.audit is not None
        own.audit.close()
        before = state_digest(own)
        with pytest.raises(grpc.RpcError) as err:
            client.match(listed[0]["name"], listed[0]["id_number"], purpose=UNIT_PURPOSE)
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE
    assert error_reason(err.value) == "AUDIT_UNAVAILABLE"
    assert state_digest(own) == before


def test_match_entry_says_what_was_asked_and_answered(own: Running, pki: Pki,
                                                      listed: list[dict[str, str]]) -> None:
    """A unit's look-up is recorded with its purpose, the subject and the records shown."""
    person = listed[0]
    seq = audit_seq(own)
    with mtls_client(own, pki, pki.unit) as client:
        resp = client.match(person["name"], person["id_number"], purpose=UNIT_PURPOSE)
    [entry] = entries_after(own, seq)
    assert (entry["actor"], entry["role"], entry["action"], entry["purpose"]) == (
        UNIT, "unit", "match", UNIT_PURPOSE)
    assert entry["request"]["name"] == person["name"]
    assert entry["request"]["id_number"] == person["id_number"]
    assert [h[0] for h in entry["outcome"]["hits"]] == [h.record_id for h in resp.hits]


def _alter_in_place(path: Path, line: int) -> None:
    """Change one character of a line's actor without changing its length."""
    lines = path.read_bytes().splitlines(keepends=True)
    entry = json.loads(lines[line - 1])
    old = json.dumps(entry["actor"], ensure_ascii=False).encode()
    new = old[:-2] + (b"Z" if old[-2:-1] != b"Z" else b"Y") + old[-1:]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_bytes(b"".join(lines))


def test_verify_audit_rpc_finds_live_tampering(own: Running, pki: Pki,
                                               listed: list[dict[str, str]]) -> None:
    """VerifyAudit (admin) says OK on the live log, then names the line altered on disk."""
    with mtls_client(own, pki, pki.unit) as unit:
        for person in listed[:3]:
            unit.match(person["name"], person["id_number"], purpose=UNIT_PURPOSE)
    with mtls_client(own, pki, pki.admin) as admin:
        first = admin.verify_audit()
        assert first.ok and first.keyed and first.head_sequence >= 3
        assert own.audit is not None
        _alter_in_place(own.audit.path, 2)
        second = admin.verify_audit()
    assert not second.ok
    assert [(f.kind, f.line) for f in second.findings] == [("altered", 2)]


def test_server_refuses_a_log_whose_tail_was_removed(own: Running, pki: Pki) -> None:
    """Removing the last entries while the server is down is caught by the head anchored in
    the index: the server does not start until an operator re-anchors, which is recorded."""
    with mtls_client(own, pki, pki.unit) as client:
        for _ in range(3):
            client.whoami()
    own.stop(0)
    assert own.audit is not None
    path = own.audit.path
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-2]))
    with pytest.raises(AuditCorruptError, match=r"ends at seq \d+ but the index recorded"):
        create_server(secure_settings(path.parent, pki))
    reanchored = shixin("audit", "reanchor", "--data", str(path.parent), audit_key=AUDIT_KEY)
    assert reanchored.returncode == 0, reanchored.stderr
    restarted = create_server(secure_settings(path.parent, pki))
    restarted.stop(0)
    last: dict[str, Any] = list(read_log(path))[-1]
    assert last["action"] == "audit.reanchor"
    assert last["outcome"]["previous_anchor"][0] == len(lines)


def test_batch_rows_are_recorded_per_message(own: Running, pki: Pki,
                                             listed: list[dict[str, str]]) -> None:
    """Each batch message is recorded with its rows' subjects and outcomes."""
    rows = [match_pb.BatchRow(ref=f"r{i}", subject=match_pb.Subject(
        name=p["name"], id_number=p["id_number"])) for i, p in enumerate(listed)]
    seq = audit_seq(own)
    with mtls_client(own, pki, pki.unit) as client:
        list(client.batch_match(iter([match_pb.BatchMatchRequest(rows=rows,
                                                                 purpose=UNIT_PURPOSE)])))
    entries = entries_after(own, seq)
    asked = {row["id_number"] for e in entries for row in e["request"].get("rows", [])}
    assert asked == {p["id_number"] for p in listed}


def test_pushes_are_found_by_subject(own: Running, pki: Pki,
                                     court_records: list[dict[str, Any]]) -> None:
    """A pushed record's debtor can be found in the audit trail by ID number."""
    from shixin.v1 import record_service_pb2 as record_pb
    from tests.security.support import COURT

    record = next(r for r in court_records if r["court"] == COURT
                  and r["debtor"].get("id_number"))
    record = {**record, "obligation": "被告向原告支付2元"}
    with mtls_client(own, pki, pki.court) as client:
        [resp] = list(client.push(iter([record_pb.PushRecordsRequest(
            sequence=1, json_line=json.dumps(record, ensure_ascii=False))])))
    assert resp.accepted
    assert own.audit is not None
    own.audit.flush()
    found = shixin("audit", "list", "--data", str(own.audit.path.parent), "--action",
                   "push_record", "--subject", record["debtor"]["id_number"])
    assert found.stdout.strip()


def test_cancelled_stream_is_recorded(own: Running, pki: Pki) -> None:
    """A unit that hangs up on a following feed leaves an entry saying CANCELLED and how many
    changes it had been sent."""
    seq = audit_seq(own)
    with mtls_client(own, pki, pki.unit) as client:
        stream = client.watch(0, follow=True, page_size=5)
        first = next(stream)
        assert isinstance(stream, grpc.Call)  # the stub's iterator is also the call
        stream.cancel()
    assert own.audit is not None
    deadline = time.monotonic() + 30  # a bound on waiting, not a measured threshold
    while True:
        done = [e for e in entries_after(own, seq) if e["action"] == "watch_changes"]
        if done or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    [entry] = done
    assert entry["outcome"]["code"] == "CANCELLED"
    assert len(first.changes) == 5


def test_feed_pages_are_recorded_per_page(own: Running, pki: Pki) -> None:
    """Each feed page sent is recorded with the records it delivered, before it is sent."""
    seq = audit_seq(own)
    with mtls_client(own, pki, pki.unit) as client:
        pages = list(client.watch(0, page_size=50))
    sent = {c.record.record_id for page in pages for c in page.changes}
    entries = entries_after(own, seq)
    recorded = {rid for e in entries for rid in e["outcome"].get("record_ids", [])}
    assert sent and recorded == sent
