"""Every edge of the state machine, driven through PushRecords and read back via GetRecord,
Match and WatchChanges, with the clock moving and no background job."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shixin.lifecycle import EXPIRY, TRANSITIONS, EventType, State, is_active
from shixin.v1 import feed_service_pb2 as feed_pb
from shixin.v1 import types_pb2
from tests.lifecycle_rpc.rpc_support import Harness, Rec, kinds_of, new_record

DAY = timedelta(days=1)
T = EventType

REACH: dict[State, list[EventType]] = {
    State.PENDING: [],
    State.ACTIVE: [],
    State.CORRECTION_PENDING: [T.CORRECTION_REQUESTED],
    State.SHIELDED: [T.SHIELD],
    State.RESTORED: [T.SHIELD, T.RESTORE],
}
"""Events that bring a fresh record (pending: published in the future; else published
yesterday) into each state that has outgoing edges."""

NEEDS: dict[EventType, list[EventType]] = {
    T.REVIEW_REQUESTED: [T.CORRECTION_REQUESTED, T.CORRECTION_REJECTED],
    T.REVIEW_GRANTED: [T.CORRECTION_REQUESTED, T.CORRECTION_REJECTED, T.REVIEW_REQUESTED],
    T.REVIEW_REJECTED: [T.CORRECTION_REQUESTED, T.CORRECTION_REJECTED, T.REVIEW_REQUESTED],
}
"""Edges whose guard needs more history than reaching the state (review after rejection)."""

TERMINAL = {s for s in State if not any(k[0] is s for k in TRANSITIONS) and s not in EXPIRY}


def _pb_state(state: State) -> int:
    return int(types_pb2.RecordState.Value(f"RECORD_STATE_{state.value.upper()}"))


def _prefix(state: State, event: EventType) -> list[EventType]:
    return NEEDS.get(event, REACH[state]) if state is not State.PENDING else []


def _push_path(h: Harness, rec: Rec, events: list[EventType],
               expires_on: date) -> list[State]:
    """Push the record and the events a day apart; the states the server answered."""
    ack, = h.accept(rec.obj)
    states = [State(types_pb2.RecordState.Name(ack.state)[len("RECORD_STATE_"):].lower())]
    for i, kind in enumerate(events):
        h.clock.advance(1)
        extra: dict[str, str] = {"reason": f"第{i + 1}步"}
        if kind is T.EXTEND:
            extra = {"expires_on": (expires_on + 100 * DAY).isoformat()}
        ack, = h.accept(rec.event(kind.value, h.clock.today, **extra))
        states.append(State(types_pb2.RecordState.Name(ack.state)[len("RECORD_STATE_"):]
                            .lower()))
    return states


def _flips(states: list[State]) -> list[str]:
    """The feed changes a run of states must produce (the record starts unknown, not live)."""
    out, live = [], False
    for s in states:
        if is_active(s) != live:
            live = is_active(s)
            out.append("activated" if live else "deactivated")
    return out


@pytest.mark.parametrize(("state", "event"), sorted(TRANSITIONS, key=str),
                         ids=lambda x: x.value)
def test_every_transition_through_the_server(harness: Harness, state: State,
                                             event: EventType) -> None:
    """Each (state, event) edge leads where the table says, and GetRecord, Match and the feed
    agree with it."""
    h = harness
    today = h.clock.today
    expires = today + 200 * DAY
    published = today + 30 * DAY if state is State.PENDING else today - DAY
    rec = new_record(published_on=published, expires_on=expires)
    prefix = _prefix(state, event)
    states = _push_path(h, rec, [*prefix, event], expires)
    expected = [State.PENDING if state is State.PENDING else State.ACTIVE]
    for kind in [*prefix, event]:
        expected.append(TRANSITIONS[(expected[-1], kind)])
    assert states == expected
    assert expected[-2] is state
    target = TRANSITIONS[(state, event)]
    court, unit = h.court(), h.unit()
    got = h.record(rec)
    assert got.state == _pb_state(target)
    assert got.active == is_active(target)
    if event is T.EXTEND:
        assert got.expires_on == (expires + 100 * DAY).isoformat()
    assert h.live_hit(unit, rec) == is_active(target)
    assert kinds_of(h.changes(court), rec) == _flips(states)


def test_every_state_with_edges_is_exercised() -> None:
    """The plan above reaches every state the table leaves from, and all others are final."""
    assert {s for s, _ in TRANSITIONS} == set(REACH)
    assert {State.REVOKED, State.EXPIRED} == TERMINAL


@pytest.mark.parametrize("state", sorted(EXPIRY, key=str), ids=lambda x: x.value)
def test_expiry_needs_no_job(harness: Harness, state: State) -> None:
    """Past expires_on the record is expired on the next read: Match has no live hit and the
    feed reports "expired …" for a record that was live — no background job ran."""
    h = harness
    today = h.clock.today
    if state is State.PENDING:
        # A record may not end before it starts (BAD_DATE_ORDER), so a pending record
        # expires only after its publication day has made it live: both are reported.
        rec = new_record(published_on=today + 2 * DAY, expires_on=today + 2 * DAY)
        ends = today + 2 * DAY
    else:
        ends = today + 10 * DAY
        rec = new_record(published_on=today - DAY, expires_on=ends)
    states = _push_path(h, rec, REACH[state], ends)
    assert states[-1] is state
    unit, court = h.unit(), h.court()
    seen_before = h.changes(court)
    h.clock.today = ends
    assert h.record(rec).state != _pb_state(State.EXPIRED)
    h.clock.today = ends + 3 * DAY
    got = h.record(rec)
    assert got.state == _pb_state(State.EXPIRED) and not got.active
    assert got.state_since == (ends + DAY).isoformat()
    assert not h.live_hit(unit, rec)
    everything = unit.match(rec.name, rec.id_number, "person", include_inactive=True)
    assert [x.state for x in everything.hits if x.case_number == rec.case_number] == \
        [_pb_state(State.EXPIRED)]
    new = [c for c in h.changes(court, after=seen_before[-1].sequence if seen_before else 0)
           if c.record.case_number == rec.case_number]
    if is_active(state) or state is State.PENDING:
        assert [c.kind for c in new][-1] == feed_pb.CHANGE_KIND_DEACTIVATED
        assert new[-1].reason.startswith("expired")
        assert new[-1].effective_on == (ends + DAY).isoformat()
    else:
        assert new == []
    lived = [*states, State.ACTIVE] if state is State.PENDING else states
    assert kinds_of(h.changes(court), rec) == _flips([*lived, State.EXPIRED])


def test_record_ending_before_it_starts_is_refused(harness: Harness) -> None:
    """expires_on before published_on is refused, which is why pending never expires directly."""
    h = harness
    rec = new_record(published_on=h.clock.today + 5 * DAY, expires_on=h.clock.today + DAY)
    ack, = h.push(rec.obj)
    assert (ack.accepted, ack.error_reason) == (False, "BAD_DATE_ORDER")


def test_publication_day_activates_without_an_event(harness: Harness) -> None:
    """A record pushed before its published_on is pending, then live on that day: Match and
    the feed say so with no event and no job."""
    h = harness
    start = h.clock.today
    rec = new_record(published_on=start + 3 * DAY)
    h.accept(rec.obj)
    unit, court = h.unit(), h.court()
    assert not h.live_hit(unit, rec)
    assert kinds_of(h.changes(court), rec) == []
    h.clock.advance(3)
    assert h.live_hit(unit, rec)
    change, = [c for c in h.changes(court) if c.record.case_number == rec.case_number]
    assert change.kind == feed_pb.CHANGE_KIND_ACTIVATED
    assert (change.effective_on, change.reason) == (
        (start + 3 * DAY).isoformat(), f"published on {(start + 3 * DAY).isoformat()}")


def test_changes_missed_between_reads_are_all_reported_in_order(harness: Harness) -> None:
    """A record that came into force and expired while nobody read the feed is reported as
    both, each on its own day, in order."""
    h = harness
    start = h.clock.today
    a = new_record(published_on=start + 2 * DAY, expires_on=start + 4 * DAY)
    b = new_record(published_on=start + DAY, expires_on=start + 6 * DAY)
    h.accept(a.obj, b.obj)
    h.clock.advance(30)
    changes: list[Any] = [c for c in h.changes(h.court())]
    got = [(c.record.case_number, c.kind, c.effective_on) for c in changes]
    assert got == [
        (b.case_number, feed_pb.CHANGE_KIND_ACTIVATED, (start + DAY).isoformat()),
        (a.case_number, feed_pb.CHANGE_KIND_ACTIVATED, (start + 2 * DAY).isoformat()),
        (a.case_number, feed_pb.CHANGE_KIND_DEACTIVATED, (start + 5 * DAY).isoformat()),
        (b.case_number, feed_pb.CHANGE_KIND_DEACTIVATED, (start + 7 * DAY).isoformat()),
    ]
