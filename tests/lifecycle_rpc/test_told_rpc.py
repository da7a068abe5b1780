"""Told units (通报给已推送单位) and acknowledgements (惩戒措施解除) through the real server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import grpc
import pytest

from shixin.client import ShixinClient
from shixin.v1 import feed_service_pb2 as feed_pb
from tests.lifecycle_rpc.rpc_support import (
    OTHER_COURT,
    OTHER_PURPOSE,
    OTHER_UNIT,
    UNIT,
    Clock,
    Harness,
    Rec,
    new_record,
    rpc_code,
    start,
)

DAY = timedelta(days=1)
GRACE = 3


def _ends(h: Harness, client: ShixinClient, rec: Rec) -> list[tuple[int, bool]]:
    """(sequence, unit_was_told) of the record's deactivations the client sees."""
    return [(c.sequence, c.unit_was_told) for c in h.changes(client)
            if c.record.case_number == rec.case_number
            and c.kind == feed_pb.CHANGE_KIND_DEACTIVATED]


def _missing(client: ShixinClient) -> list[tuple[str, int, str]]:
    """(unit, sequence, how told) of the unacknowledged deactivations the client may see."""
    return [(m.unit, m.sequence, m.told_via) for m in client.unacknowledged().missing]


def _live_record(h: Harness) -> Rec:
    rec = new_record(published_on=h.clock.today - DAY)
    h.accept(rec.obj)
    return rec


def test_unit_shown_a_live_hit_must_lift_after_the_deactivation(harness: Harness) -> None:
    """A unit that matched the live record is told of its shield and listed after the grace
    days until it acknowledges; a unit that did not match is neither."""
    h = harness
    rec = _live_record(h)
    told, other = h.unit(), h.unit(OTHER_UNIT, OTHER_PURPOSE)
    assert h.live_hit(told, rec)
    h.running.ledger.flush()
    h.clock.advance(1)
    ack, = h.accept(rec.event("shield", h.clock.today, reason="全部履行完毕"))
    end = ack.feed_sequence
    assert _ends(h, told, rec) == [(end, True)]
    assert _ends(h, other, rec) == [(end, False)]
    h.clock.advance(GRACE)
    assert _missing(told) == []
    h.clock.advance(1)
    assert _missing(told) == [(UNIT, end, "match")]
    assert _missing(other) == []
    assert _missing(h.client(principal="admin:ops")) == [(UNIT, end, "match")]
    assert _missing(h.court()) == [(UNIT, end, "match")]
    assert _missing(h.court(OTHER_COURT)) == []
    late, = told.unacknowledged().missing
    assert (late.days_overdue, late.effective_on) == (1, (h.clock.today - 4 * DAY).isoformat())
    resp = told.acknowledge(end, note="已解除限制")
    assert resp.record_id == ack.record_id
    assert _missing(told) == []
    assert _missing(h.client(principal="admin:ops")) == []


def test_unit_that_received_the_activation_is_told(harness: Harness) -> None:
    """Reading the activation in the feed while the record is live tells the unit too."""
    h = harness
    rec = _live_record(h)
    reader = h.unit(OTHER_UNIT, OTHER_PURPOSE)
    assert [c.kind for c in h.changes(reader)] == [feed_pb.CHANGE_KIND_ACTIVATED]
    h.running.ledger.flush()
    h.clock.advance(1)
    ack, = h.accept(rec.event("revoke", h.clock.today))
    assert _ends(h, reader, rec) == [(ack.feed_sequence, True)]
    h.clock.advance(GRACE + 1)
    assert _missing(reader) == [(OTHER_UNIT, ack.feed_sequence, "feed")]


def test_learning_of_a_record_after_it_ended_tells_nothing(harness: Harness) -> None:
    """A unit that first reads the feed after the shield, or matches after it, owes nothing."""
    h = harness
    rec = _live_record(h)
    h.clock.advance(1)
    h.accept(rec.event("shield", h.clock.today, reason="全部履行完毕"))
    late_reader, late_matcher = h.unit(), h.unit(OTHER_UNIT, OTHER_PURPOSE)
    assert [c.unit_was_told for c in h.changes(late_reader)] == [False, False]
    assert not h.live_hit(late_matcher, rec)
    late_matcher.match(rec.name, rec.id_number, "person", include_inactive=True)
    h.running.ledger.flush()
    h.clock.advance(GRACE + 1)
    assert _missing(h.client(principal="admin:ops")) == []


def test_telling_belongs_to_one_live_period(harness: Harness) -> None:
    """After a restore, a unit told only before the first shield owes nothing for the second;
    one that looked again after the restore owes it."""
    h = harness
    rec = _live_record(h)
    once, again = h.unit(), h.unit(OTHER_UNIT, OTHER_PURPOSE)
    assert h.live_hit(once, rec) and h.live_hit(again, rec)
    h.running.ledger.flush()
    h.clock.advance(1)
    first, = h.accept(rec.event("shield", h.clock.today, reason="全部履行完毕"))
    once.acknowledge(first.feed_sequence)
    again.acknowledge(first.feed_sequence)
    h.clock.advance(1)
    h.accept(rec.event("restore", h.clock.today, reason="和解协议未履行"))
    assert h.live_hit(again, rec)
    h.running.ledger.flush()
    h.clock.advance(1)
    second, = h.accept(rec.event("shield", h.clock.today, reason="和解履行完毕"))
    assert _ends(h, once, rec) == [(first.feed_sequence, True), (second.feed_sequence, False)]
    assert _ends(h, again, rec) == [(first.feed_sequence, True), (second.feed_sequence, True)]
    h.clock.advance(GRACE + 1)
    assert _missing(h.client(principal="admin:ops")) == [
        (OTHER_UNIT, second.feed_sequence, "match")]


def test_expiry_of_a_told_record_must_be_acknowledged(harness: Harness) -> None:
    """The deactivation a told unit owes may be an expiry, found with no job running."""
    h = harness
    rec = new_record(published_on=h.clock.today - DAY, expires_on=h.clock.today + DAY)
    h.accept(rec.obj)
    unit = h.unit()
    assert h.live_hit(unit, rec)
    h.running.ledger.flush()
    h.clock.advance(2 + GRACE + 1)
    (unit_code, seq, via), = _missing(unit)
    assert (unit_code, via) == (UNIT, "match")
    change, = [c for c in h.changes(unit) if c.sequence == seq]
    assert change.reason.startswith("expired") and change.unit_was_told


def test_grace_counts_from_the_day_a_late_shield_is_recorded(harness: Harness) -> None:
    """A shield dated a week back is not overdue at once: the unit could not act earlier."""
    h = harness
    rec = _live_record(h)
    unit = h.unit()
    assert h.live_hit(unit, rec)
    h.running.ledger.flush()
    h.clock.advance(10)
    ack, = h.accept(rec.event("shield", h.clock.today - 7 * DAY, reason="全部履行完毕"))
    assert _missing(unit) == []
    h.clock.advance(GRACE)
    assert _missing(unit) == []
    h.clock.advance(1)
    assert _missing(unit) == [(UNIT, ack.feed_sequence, "match")]


def _shielded_and_told(h: Harness) -> tuple[ShixinClient, int, int]:
    rec = _live_record(h)
    unit = h.unit()
    assert h.live_hit(unit, rec)
    h.running.ledger.flush()
    h.clock.advance(1)
    ack, = h.accept(rec.event("shield", h.clock.today, reason="全部履行完毕"))
    activation = ack.feed_sequence - 1
    return unit, activation, ack.feed_sequence


@pytest.mark.parametrize(("basis", "until", "code", "field"), [
    ("", "+30", "credit.grant", "legal_basis"),
    ("   ", "+30", "credit.grant", "legal_basis"),
    ("《征信业管理条例》第十六条", "", "credit.grant", "retain_until"),
    ("《征信业管理条例》第十六条", "-1", "credit.grant", "retain_until"),
    ("《征信业管理条例》第十六条", "someday", "credit.grant", "retain_until"),
    ("《征信业管理条例》第十六条", "+30", "customs.certification", "measure_code"),
    ("《征信业管理条例》第十六条", "+30", "", "measure_code"),
], ids=["no-basis", "blank-basis", "no-end", "past-end", "bad-end", "not-own", "no-code"])
def test_retained_measure_needs_basis_and_end_date(harness: Harness, basis: str, until: str,
                                                   code: str, field: str) -> None:
    """Keeping a measure without its legal basis or an explicit future end date, or keeping
    another unit's measure, is INVALID_ARGUMENT naming the field; nothing is recorded."""
    h = harness
    unit, _, end = _shielded_and_told(h)
    if until.lstrip("+-").isdigit():
        until = (h.clock.today + int(until) * DAY).isoformat()
    kept = feed_pb.RetainedMeasure(measure_code=code, legal_basis=basis, retain_until=until)
    with pytest.raises(grpc.RpcError) as info:
        unit.acknowledge(end, [kept])
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in (info.value.details() or "")
    h.clock.advance(GRACE + 1)
    assert [m.sequence for m in unit.unacknowledged().missing] == [end]


def test_retained_measure_with_basis_and_end_date_is_an_acknowledgement(
        harness: Harness) -> None:
    """A measure kept with basis and end date acknowledges the change; the same call again
    returns the first acknowledgement, a different one is ALREADY_EXISTS."""
    h = harness
    unit, _, end = _shielded_and_told(h)
    kept = feed_pb.RetainedMeasure(measure_code="credit.grant",
                                   legal_basis="《征信业管理条例》第十六条",
                                   retain_until=(h.clock.today + 365 * DAY).isoformat())
    first = unit.acknowledge(end, [kept], note="不良信息保留至期满")
    again = unit.acknowledge(end, [kept], note="不良信息保留至期满")
    assert again.acknowledged_at == first.acknowledged_at
    with pytest.raises(grpc.RpcError) as info:
        unit.acknowledge(end, note="已全部解除")
    assert info.value.code() == grpc.StatusCode.ALREADY_EXISTS
    h.clock.advance(GRACE + 1)
    assert unit.unacknowledged().missing == []


def test_acknowledge_errors(harness: Harness) -> None:
    """An activation is FAILED_PRECONDITION, an unknown sequence NOT_FOUND, a court or an
    anonymous caller may not acknowledge, and no unit reads another's report."""
    h = harness
    unit, activation, end = _shielded_and_told(h)
    codes = []
    for call in (lambda: unit.acknowledge(activation), lambda: unit.acknowledge(end + 100),
                 lambda: h.court().acknowledge(end), lambda: h.client().acknowledge(end),
                 lambda: unit.unacknowledged(unit=OTHER_UNIT),
                 lambda: h.client().unacknowledged()):
        with pytest.raises(grpc.RpcError) as info:
            call()
        codes.append(info.value.code())
    assert codes == [grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND,
                     grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED,
                     grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED]
    assert rpc_code(h.client().watch(0)) == grpc.StatusCode.UNAUTHENTICATED


def test_told_units_and_acknowledgements_survive_a_restart(tmp_path: Path,
                                                          clock: Clock) -> None:
    """Told entries and acknowledgements live in the index: a new server over the same data
    lists the same missing acknowledgement and clears it."""
    first = start(tmp_path / "index", clock)
    try:
        _, _, end = _shielded_and_told(first)
    finally:
        first.close()
    clock.advance(GRACE + 1)
    second = start(tmp_path / "index", clock)
    try:
        unit = second.unit()
        assert [m.sequence for m in unit.unacknowledged().missing] == [end]
        unit.acknowledge(end)
        assert unit.unacknowledged().missing == []
    finally:
        second.close()
