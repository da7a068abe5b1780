"""The stored live interval agrees with a full replay on every day after the last event."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shixin.lifecycle import Event, status
from shixin.lifecycle.window import FOREVER, Timeline, status_in, timeline
from tests.lifecycle.lifecycle_support import T, d, ev, events, records, walks

SETTINGS = settings(max_examples=400, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
Record = tuple[date, date | None]


def _check(record: Record, history: list[Event], offsets: list[int]) -> None:
    published, expires = record
    window = timeline(published, expires, history).window()
    if window.valid_from == FOREVER:
        return
    start = date.fromordinal(window.valid_from) if window.valid_from > 1 else published
    for n in offsets:
        day = max(start, published - timedelta(days=30)) + timedelta(days=n)
        if day.toordinal() < window.valid_from:
            assert window.live_on(day) is None
            continue
        assert window.live_on(day) == status(published, expires, history, day).active, day


@SETTINGS
@given(records(), walks(), st.lists(st.integers(0, 800), min_size=1, max_size=25))
def test_window_equals_replay_after_the_last_event(record: Record, walk: list[Event],
                                                   offsets: list[int]) -> None:
    _check(record, walk, offsets)


@SETTINGS
@given(records(), st.lists(events(), max_size=10), st.lists(st.integers(0, 800), max_size=25))
def test_window_equals_replay_for_any_events(record: Record, history: list[Event],
                                              offsets: list[int]) -> None:
    _check(record, history, offsets)


def test_every_boundary_day() -> None:
    published, expires = d("2020-01-04"), d("2020-03-01")
    extend = Event(T.EXTEND, d("2020-02-01"), "延长", d("2020-06-30"))
    cases = [
        [],
        [ev(T.INCLUDE, "2020-01-04")],
        [ev(T.INCLUDE, "2020-01-04"), ev(T.SHIELD, "2020-01-20")],
        [ev(T.INCLUDE, "2020-01-04"), ev(T.SHIELD, "2020-01-20"), ev(T.RESTORE, "2020-01-25")],
        [ev(T.INCLUDE, "2020-01-04"), extend],
        [ev(T.RISK_NOTICE, "2020-01-02")],
    ]
    for history in cases:
        window = timeline(published, expires, history).window()
        start = max((e.effective_on for e in history), default=published - timedelta(days=5))
        for n in range(0, 220):
            day = start + timedelta(days=n)
            assert window.live_on(day) == status(published, expires, history, day).active, (
                history, day)


@SETTINGS
@given(records(), walks(), st.lists(st.integers(0, 800), min_size=1, max_size=25))
def test_timeline_equals_replay_and_survives_json(record: Record, walk: list[Event],
                                                  offsets: list[int]) -> None:
    published, expires = record
    line = timeline(published, expires, walk)
    again = Timeline.from_json(json.loads(json.dumps(line.to_json())))
    start = date.fromordinal(line.valid_from) if line.valid_from > 1 else published
    for n in offsets:
        day = start + timedelta(days=n)
        expected = status(published, expires, walk, day)
        assert line.status_on(day) == expected
        assert again.status_on(day) == expected


@SETTINGS
@given(records(), walks(), st.lists(st.integers(-30, 800), min_size=1, max_size=25))
def test_status_in_equals_the_timeline(record: Record, walk: list[Event],
                                       offsets: list[int]) -> None:
    published, expires = record
    line = timeline(published, expires, walk)
    stored = json.loads(json.dumps(line.to_json()))
    for n in offsets:
        day = published + timedelta(days=n)
        assert status_in(stored, day) == line.status_on(day)
