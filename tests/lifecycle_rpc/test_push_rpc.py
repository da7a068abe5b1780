"""RecordService.PushRecords through the real server: acknowledgements, atomicity, rejections."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import grpc
import pytest

from shixin.lifecycle import EventType
from shixin.v1 import record_service_pb2 as record_pb
from shixin.v1 import types_pb2
from tests.lifecycle_rpc.rpc_support import (
    OTHER_COURT,
    Harness,
    Rec,
    kinds_of,
    message,
    new_record,
    rpc_code,
)

DAY = timedelta(days=1)


def _snapshot(h: Harness, rec: Rec) -> tuple[Any, ...]:
    """Everything a push could change about a record, and the feed head."""
    hist = h.court().history(case_number=rec.case_number, debtor_id_number=rec.id_number)
    feed = h.changes(h.court())
    return (len(hist.versions), len(hist.events), hist.record.state,
            hist.record.state_since, hist.record.expires_on, feed[-1].sequence if feed else 0)


def test_each_message_is_acknowledged_with_its_own_sequence(harness: Harness) -> None:
    """Every message gets one response, in order, echoing the sequence it was sent with."""
    h, today = harness, harness.clock.today
    a, b = new_record(published_on=today - DAY), new_record(published_on=today - DAY)
    record_msg = types_pb2.ListRecord(
        case_number=b.case_number, court=b.obj["court"], published_on=b.obj["published_on"],
        public=True, debtor=types_pb2.Debtor(kind=types_pb2.SUBJECT_KIND_PERSON, name=b.name,
                                             id_number=b.id_number))
    sent: list[tuple[int, Any]] = [
        (70, a.obj), (3, record_msg), (42, "{not json"), (9, b.event_pb("shield", today)),
        (11, a.event("restore", today))]
    acks = list(h.court().push(message(seq, item) for seq, item in sent))
    assert [x.sequence for x in acks] == [seq for seq, _ in sent]
    assert [x.accepted for x in acks] == [True, True, False, True, False]
    assert acks[2].error_reason == "BAD_JSON"
    assert acks[3].state == types_pb2.RECORD_STATE_SHIELDED
    assert acks[4].error_reason == "NOT_SHIELDED"


def test_every_event_type_goes_through_as_a_message(harness: Harness) -> None:
    """Each event type of the spec, plus performed, is accepted as a LifecycleEvent message."""
    h, c = harness, harness.clock
    one = new_record(published_on=c.today + 2 * DAY, expires_on=c.today + 400 * DAY)
    two = new_record(published_on=c.today, expires_on=c.today + 400 * DAY)
    three = new_record(published_on=c.today)
    h.accept(one.obj, two.obj, three.obj)
    script: list[tuple[Rec, str, dict[str, str]]] = [
        (one, "risk_notice", {}), (one, "include", {}),
        (two, "correction_requested", {}), (two, "correction_granted", {}),
        (three, "correction_requested", {}), (three, "correction_rejected", {}),
        (three, "review_requested", {}), (three, "review_granted", {}),
        (one, "correction_requested", {}), (one, "correction_rejected", {}),
        (one, "review_requested", {}), (one, "review_rejected", {}),
        (one, "performed", {"reason": "全部履行完毕"}),
        (one, "extend", {"expires_on": (c.today + 800 * DAY).isoformat()}),
        (one, "shield", {"reason": "全部履行完毕"}), (one, "restore", {}), (one, "revoke", {}),
    ]
    assert {kind for _, kind, _ in script} == {t.value for t in EventType}
    for rec, kind, extra in script:
        ack, = h.accept(rec.event_pb(kind, c.today, reason=extra.get("reason", ""),
                                     expires_on=extra.get("expires_on", "")))
        assert not ack.unchanged, kind
        c.advance(1)
    for rec in (one, two, three):
        assert h.record(rec).state == types_pb2.RECORD_STATE_REVOKED


def test_accepted_push_is_one_write_transaction(quiet_harness: Harness) -> None:
    """A push that changes a record commits exactly one LMDB transaction, holding the record,
    its history and its feed entry; a rejected or unchanged push commits none."""
    h = quiet_harness
    rec = new_record(published_on=h.clock.today - DAY)
    before = h.txnid()
    ack, = h.accept(rec.obj)
    assert h.txnid() == before + 1
    assert ack.feed_sequence > 0
    change, = h.changes(h.court(), after=ack.feed_sequence - 1)
    assert change.sequence == ack.feed_sequence and change.record.record_id == ack.record_id
    assert len(h.court().history(record_id=ack.record_id).versions) == 1
    h.clock.advance(1)
    before = h.txnid()
    shield = rec.event("shield", h.clock.today, reason="和解履行完毕")
    ack, = h.accept(shield)
    assert h.txnid() == before + 1
    assert kinds_of(h.changes(h.court()), rec) == ["activated", "deactivated"]
    rejected, = h.push(rec.event("restore", h.clock.today - DAY))
    unchanged, = h.accept(shield)
    assert (rejected.accepted, unchanged.unchanged) == (False, True)
    assert h.txnid() == before + 1


def test_unchanged_repush_reports_unchanged_and_writes_nothing(harness: Harness) -> None:
    """Pushing the same record or event again is accepted as unchanged: no version, no event,
    no feed entry, no transaction."""
    h = harness
    rec = new_record(published_on=h.clock.today - DAY)
    shield = rec.event("shield", h.clock.today, reason="全部履行完毕")
    first = h.accept(rec.obj, shield)
    assert [a.unchanged for a in first] == [False, False]
    before = _snapshot(h, rec)
    again = h.accept(rec.obj, shield)
    assert [a.unchanged for a in again] == [True, True]
    assert [a.record_id for a in again] == [a.record_id for a in first]
    assert all(a.feed_sequence == 0 for a in again)
    assert _snapshot(h, rec) == before


def _too_late(h: Harness, rec: Rec) -> dict[str, Any]:
    h.clock.advance(11)
    return rec.event("correction_requested", h.clock.today)


def _shield_shielded(h: Harness, rec: Rec) -> dict[str, Any]:
    h.accept(rec.event("shield", h.clock.today, reason="全部履行完毕"))
    h.clock.advance(1)
    return rec.event("shield", h.clock.today, reason="和解履行完毕")


def _shield_revoked(h: Harness, rec: Rec) -> dict[str, Any]:
    h.accept(rec.event("revoke", h.clock.today))
    h.clock.advance(1)
    return rec.event("shield", h.clock.today)


def _restore_never_shielded(h: Harness, rec: Rec) -> dict[str, Any]:
    return rec.event("restore", h.clock.today)


def _unknown_record(h: Harness, rec: Rec) -> dict[str, Any]:
    return {**rec.event("shield", h.clock.today), "case_number": rec.case_number + "之一"}


def _other_courts_record(h: Harness, rec: Rec) -> dict[str, Any]:
    return {**rec.obj, "court": OTHER_COURT}


def _future_event(h: Harness, rec: Rec) -> dict[str, Any]:
    return rec.event("shield", h.clock.today + DAY)


def _decision_without_request(h: Harness, rec: Rec) -> dict[str, Any]:
    return rec.event("correction_granted", h.clock.today)


@pytest.mark.parametrize(("build", "reason"), [
    (_too_late, "CORRECTION_TOO_LATE"),
    (_shield_shielded, "NOT_ACTIVE"),
    (_shield_revoked, "TERMINAL"),
    (_restore_never_shielded, "NOT_SHIELDED"),
    (_unknown_record, "UNKNOWN_RECORD"),
    (_other_courts_record, "OTHER_COURT"),
    (_future_event, "FUTURE_EVENT"),
    (_decision_without_request, "NO_PENDING_REQUEST"),
], ids=lambda x: getattr(x, "__name__", x))
def test_illegal_push_is_rejected_precisely_and_changes_nothing(
        harness: Harness, build: Callable[[Harness, Rec], dict[str, Any]], reason: str) -> None:
    """An illegal item is refused with the rule's reason and a message, and nothing changes."""
    h = harness
    rec = new_record(published_on=h.clock.today - DAY)
    h.accept(rec.obj)
    item = build(h, rec)
    before = _snapshot(h, rec)
    ack, = h.push(item)
    assert not ack.accepted
    assert ack.error_reason == reason
    assert ack.error and not ack.record_id
    assert _snapshot(h, rec) == before


def test_correction_on_the_tenth_day_is_still_accepted(harness: Harness) -> None:
    """The 10-day window includes its last day (the rejection above is not off by one)."""
    h = harness
    rec = new_record(published_on=h.clock.today)
    h.accept(rec.obj)
    h.clock.advance(10)
    ack, = h.accept(rec.event("correction_requested", h.clock.today))
    assert ack.state == types_pb2.RECORD_STATE_CORRECTION_PENDING


def test_a_court_may_not_push_events_for_another_courts_case(harness: Harness) -> None:
    """An event from another court about this court's record is refused as OTHER_COURT."""
    h = harness
    rec = new_record(published_on=h.clock.today - DAY)
    h.accept(rec.obj)
    before = _snapshot(h, rec)
    ack, = h.push(rec.event("shield", h.clock.today), client=h.court(OTHER_COURT))
    assert (ack.accepted, ack.error_reason) == (False, "OTHER_COURT")
    taken, = h.push({**rec.obj, "obligation": "改写"}, client=h.court(OTHER_COURT))
    assert (taken.accepted, taken.error_reason) == (False, "OTHER_COURT")
    assert _snapshot(h, rec) == before


@pytest.mark.parametrize("config", [
    {"unit": "pbc-liuzhou"}, {"principal": "admin:ops"}, {},
], ids=["unit", "admin", "public"])
def test_only_courts_may_open_a_push_stream(harness: Harness, config: dict[str, str]) -> None:
    """Units, admins and public callers get a call error, and nothing is written."""
    h = harness
    rec = new_record(published_on=h.clock.today)
    before = h.txnid()
    code = rpc_code(h.client(**config).push(iter([message(1, rec.obj)])))
    assert code in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED)
    assert code == (grpc.StatusCode.UNAUTHENTICATED if not config
                    else grpc.StatusCode.PERMISSION_DENIED)
    assert h.txnid() == before


def test_malformed_items_are_rejected_naming_the_field(harness: Harness) -> None:
    """An empty message, a record without published_on and an event without a date are
    refused per message with the field at fault."""
    h = harness
    rec = new_record(published_on=h.clock.today)
    no_date = {k: v for k, v in rec.obj.items() if k != "published_on"}
    event = {k: v for k, v in rec.event("shield", h.clock.today).items() if k != "effective_on"}
    acks = list(h.court().push(iter([
        record_pb.PushRecordsRequest(sequence=1), message(2, no_date), message(3, rec.obj),
        message(4, event), message(5, json.dumps([rec.obj]))])))
    assert [(a.accepted, a.error_reason) for a in acks] == [
        (False, "EMPTY_ITEM"), (False, "FIELD_REQUIRED"), (True, ""), (False, "BAD_EVENT"),
        (False, "NOT_AN_OBJECT")]
    assert "published_on" in acks[1].error and "effective_on" in acks[3].error
