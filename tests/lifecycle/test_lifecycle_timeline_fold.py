"""``timeline`` folds the events once: it equals the replay-per-day definition it replaced."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shixin.lifecycle import Event, replay
from shixin.lifecycle.machine import Status
from shixin.lifecycle.window import _UNKNOWN, Timeline, timeline
from tests.lifecycle.lifecycle_support import events, records, walks

SETTINGS = settings(max_examples=600, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def reference(published_on: date, expires_on: date | None, events: Sequence[Event]) -> Timeline:
    """``timeline`` as first written: one full replay per boundary day."""
    start = max((e.effective_on for e in events), default=date.min)
    final = replay(published_on, expires_on, events, max(start, published_on)).expires_on
    days = {start, published_on}
    for end in (expires_on, final):
        if end is not None and end < date.max:
            days.add(end + timedelta(days=1))
    segments: list[tuple[int, Status]] = []
    for day in sorted(d for d in days if d >= start):
        cur = replay(published_on, expires_on, events, day)
        st_ = cur.status(day)
        if cur.since is None:
            st_ = replace(st_, since=_UNKNOWN)
        if not segments or segments[-1][1] != st_:
            segments.append((day.toordinal(), st_))
    return Timeline(start.toordinal(), tuple(segments))


@SETTINGS
@given(records(), walks())
def test_timeline_equals_the_reference_on_walks(record: tuple[date, date | None],
                                                 walk: list[Event]) -> None:
    assert timeline(*record, walk) == reference(*record, walk)


@SETTINGS
@given(records(), st.lists(events(), max_size=10))
def test_timeline_equals_the_reference_for_any_events(record: tuple[date, date | None],
                                                       history: list[Event]) -> None:
    assert timeline(*record, history) == reference(*record, history)


@SETTINGS
@given(records())
def test_timeline_without_events(record: tuple[date, date | None]) -> None:
    assert timeline(*record, ()) == reference(*record, ())
