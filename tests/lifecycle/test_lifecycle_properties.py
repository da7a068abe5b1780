"""Property tests: any event sequence, status never raises, check only ever refuses cleanly."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shixin.lifecycle import (
    TRANSITIONS,
    Event,
    State,
    TransitionError,
    apply,
    changes_between,
    check_transition,
    is_active,
    late_actions,
    open_deadlines,
    overdue,
    status,
    violations,
)
from shixin.lifecycle.memory import CODES
from tests.lifecycle.lifecycle_support import BASE, events, records, walks

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
Record = tuple[date, date | None]

days: st.SearchStrategy[date] = st.integers(-20, 200).map(lambda n: BASE + timedelta(days=n))


@SETTINGS
@given(records(), st.lists(events(), max_size=12), days)
def test_status_never_raises_and_is_consistent(
    record: Record, history: list[Event], today: date
) -> None:
    """Any history and any day give a Status whose fields agree with each other."""
    published, expires = record
    s = status(published, expires, history, today)
    assert s.active is is_active(s.state)
    assert s.since <= today
    if s.last_event is not None:
        assert any(e.type is s.last_event and e.effective_on <= today for e in history)


@SETTINGS
@given(records(), st.lists(events(), max_size=10), events(), days)
def test_check_transition_accepts_or_raises_transition_error(
    record: Record, history: list[Event], event: Event, today: date
) -> None:
    """check_transition returns None or raises TransitionError, nothing else."""
    published, expires = record
    try:
        check_transition(published, expires, history, event, today)
    except TransitionError as err:
        assert err.code in CODES
        assert err.message
        assert err.reason == err.code.upper()


@SETTINGS
@given(records(), st.lists(events(), max_size=14), days)
def test_applying_only_accepted_events_keeps_the_history_legal(
    record: Record, candidates: list[Event], today: date
) -> None:
    """Feed random events through apply, keeping the accepted: the result has no violation."""
    published, expires = record
    history: tuple[Event, ...] = ()
    for event in candidates:
        try:
            history = apply(published, expires, history, event, today)
        except TransitionError:
            continue
    assert violations(published, expires, history, today) == []


@SETTINGS
@given(records(), walks())
def test_accepted_events_take_a_table_edge(record: Record, walk: list[Event]) -> None:
    """Each accepted event is applied (last_event) and lands on a target of its type.

    The one date-driven step that can follow an event on its own day is the
    implicit inclusion after a risk notice dated on ``published_on``.
    """
    published, expires = record
    history: tuple[Event, ...] = ()
    for event in walk:
        try:
            history = apply(published, expires, history, event, event.effective_on)
        except TransitionError:
            continue
        s = status(published, expires, history, event.effective_on)
        assert s.last_event is event.type
        targets = {t for (_, e), t in TRANSITIONS.items() if e is event.type}
        if event.effective_on == published and State.PENDING in targets:
            targets.add(State.ACTIVE)  # a risk notice of the publication day, then publication
        assert s.state in targets


@SETTINGS
@given(records(), st.lists(events(), max_size=12), days)
def test_status_equals_status_of_the_legal_events(
    record: Record, history: list[Event], today: date
) -> None:
    """status skips exactly what check_transition refuses (violations)."""
    published, expires = record
    refused = violations(published, expires, history, today)
    legal = list(history)
    for event, _ in refused:
        legal.remove(event)
    assert status(published, expires, legal, today) == status(published, expires, history, today)


@settings(max_examples=120, deadline=None)
@given(records(), walks())
def test_daily_changes_alternate(record: Record, walk: list[Event]) -> None:
    """Day by day, the change feed alternates activated/deactivated and never goes back in time."""
    published, expires = record
    history: tuple[Event, ...] = ()
    for event in walk:
        try:
            history = apply(published, expires, history, event, event.effective_on)
        except TransitionError:
            continue
    day = BASE - timedelta(days=12)
    previous = status(published, expires, history, day)
    kinds: list[str] = []
    while day < BASE + timedelta(days=110):
        day += timedelta(days=1)
        current = status(published, expires, history, day)
        change = changes_between(previous, current)
        if change is not None:
            assert change.effective_on <= day
            kinds.append(change.kind)
        previous = current
    assert all(a != b for a, b in itertools.pairwise(kinds))


@SETTINGS
@given(records(), st.lists(events(), max_size=12), days)
def test_deadlines_never_raise_and_are_well_formed(
    record: Record, history: list[Event], today: date
) -> None:
    """Deadlines run forward, overdue is a subset, late actions are really late."""
    published, expires = record
    running = open_deadlines(published, expires, history, today)
    assert all(x.due_on > x.since for x in running)
    late = overdue(published, expires, history, today)
    assert all(x in running and x.due_on < today for x in late)
    assert all(x.days_late > 0 and x.done_on > x.deadline.due_on for x in late_actions(history))
