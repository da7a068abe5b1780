"""When a record is live, as one interval of days, so that a query needs no replay.

After a record's last event, only two things change its state without a
push: coming into force on ``published_on`` and expiring the day after its
(possibly extended) ``expires_on``. So from the day of its last event on, the
record is live on exactly one interval of days (perhaps empty, perhaps open
ended). The writer stores that interval beside each party's index entry, and
the matcher tells live from dead candidates without decoding a document or
replaying events. Before ``valid_from`` (a clock set back) the interval says
nothing and the caller replays the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from shixin.lifecycle.events import Event, EventType
from shixin.lifecycle.machine import Replay, Status, _advance, _fold
from shixin.lifecycle.states import State, is_active

FOREVER = date.max.toordinal()
"""``active_until`` of a listing with no end date."""


@dataclass(frozen=True, slots=True)
class ActiveWindow:
    """Live on the days ``active_from`` … ``active_until`` (ordinals), from ``valid_from`` on.

    An empty interval has ``active_from > active_until``.
    """

    valid_from: int
    active_from: int
    active_until: int

    def live_on(self, day: date) -> bool | None:
        """Whether the record is live on ``day``; None before ``valid_from``.

        >>> w = ActiveWindow(date(2020, 1, 1).toordinal(), date(2020, 1, 1).toordinal(),
        ...                  date(2022, 1, 1).toordinal())
        >>> w.live_on(date(2021, 5, 5)), w.live_on(date(2022, 1, 2)), w.live_on(date(2019, 1, 1))
        (True, False, None)
        """
        n = day.toordinal()
        if n < self.valid_from:
            return None
        return self.active_from <= n <= self.active_until


@dataclass(frozen=True, slots=True)
class Timeline:
    """The record's status on every day from ``valid_from`` on, as a few segments.

    ``segments`` are (first day ordinal, status on that day) in day order; the
    status holds until the next segment. A ``since`` of None means "today"
    (a record pending from the start), as in ``Status``.
    """

    valid_from: int
    segments: tuple[tuple[int, Status], ...]

    def status_on(self, day: date) -> Status | None:
        """The status on ``day``; None before ``valid_from``."""
        n = day.toordinal()
        if n < self.valid_from:
            return None
        found = self.segments[0][1]
        for first, st in self.segments:
            if first > n:
                break
            found = st
        return replace(found, since=day) if found.since == _UNKNOWN else found

    def window(self) -> ActiveWindow:
        """The live days as one interval (see ``ActiveWindow``)."""
        runs: list[tuple[int, int]] = []
        for i, (first, st) in enumerate(self.segments):
            if not st.active:
                continue
            until = self.segments[i + 1][0] - 1 if i + 1 < len(self.segments) else FOREVER
            if runs and runs[-1][1] == first - 1:
                runs[-1] = (runs[-1][0], until)
            else:
                runs.append((first, until))
        if len(runs) > 1:  # not a shape the machine produces; never trust the window then
            return ActiveWindow(FOREVER, FOREVER, 0)
        if not runs:
            return ActiveWindow(self.valid_from, FOREVER, 0)
        return ActiveWindow(self.valid_from, *runs[0])

    def to_json(self) -> list[Any]:
        """A compact JSON form (stored in the record's document)."""
        return [self.valid_from, [[first, st.state.value,
                                   None if st.since == _UNKNOWN else st.since.toordinal(),
                                   st.reason,
                                   st.expires_on.toordinal() if st.expires_on else None,
                                   st.last_event.value if st.last_event else None]
                                  for first, st in self.segments]]

    @classmethod
    def from_json(cls, obj: list[Any]) -> Timeline:
        """Inverse of ``to_json``."""
        valid_from, raw = obj
        segments = []
        for first, state, since, reason, expires, last in raw:
            st = State(state)
            segments.append((int(first), Status(
                state=st, active=is_active(st),
                since=date.fromordinal(since) if since is not None else _UNKNOWN,
                expires_on=date.fromordinal(expires) if expires is not None else None,
                last_event=EventType(last) if last else None, reason=reason)))
        return cls(int(valid_from), tuple(segments))


_UNKNOWN = date.min
"""``since`` of a segment that starts "today" (pending from the start)."""


@lru_cache(maxsize=1 << 14)
def _segment_status(state: str, since: int | None, reason: str, expires: int | None,
                    last: str | None) -> Status:
    st = State(state)
    return Status(state=st, active=is_active(st),
                  since=date.fromordinal(since) if since is not None else _UNKNOWN,
                  expires_on=date.fromordinal(expires) if expires is not None else None,
                  last_event=EventType(last) if last else None, reason=reason)


def status_in(stored: list[Any], day: date) -> Status | None:
    """The status on ``day`` read straight from ``Timeline.to_json`` output.

    Queries call this for every hit: it decodes only the segment it needs,
    and equal segments (most records have no events) share one ``Status``.

    >>> line = timeline(date(2020, 3, 1), date(2023, 3, 1), [])
    >>> status_in(line.to_json(), date(2024, 1, 1)).reason
    'expired on 2023-03-02'
    """
    valid_from, raw = stored
    n = day.toordinal()
    if n < valid_from:
        return None
    found = raw[0]
    for seg in raw:
        if seg[0] > n:
            break
        found = seg
    _, state, since, reason, expires, last = found
    st = _segment_status(state, since, reason, expires, last)
    return replace(st, since=day) if since is None else st


def timeline(published_on: date, expires_on: date | None, events: Sequence[Event]) -> Timeline:
    """The status on every day from the last event on.

    The state can change after the last event only on ``published_on`` and
    on the day after the final ``expires_on`` (events may extend it), so the
    status on those days and on the last event's day is the whole story.

    >>> from shixin.lifecycle import parse_event
    >>> t = timeline(date(2020, 3, 1), date(2023, 3, 1), [])
    >>> [(date.fromordinal(first), st.state.value) for first, st in t.segments][1:]
    [(datetime.date(2020, 3, 1), 'active'), (datetime.date(2023, 3, 2), 'expired')]
    >>> shield = parse_event({"event": "shield", "effective_on": "2021-01-05",
    ...                       "reason": "全部履行完毕"})
    >>> timeline(date(2020, 3, 1), None, [shield]).status_on(date(2021, 6, 1)).state.value
    'shielded'
    """
    start = max((e.effective_on for e in events), default=date.min)
    return timeline_of(published_on, expires_on, _fold(published_on, expires_on, events, start),
                       start)


def timeline_of(published_on: date, expires_on: date | None, folded: Replay,
                start: date) -> Timeline:
    """``timeline`` from the fold of every event (``machine._fold``: the events
    alone, before the date-driven steps after the last), the last dated ``start``
    (``date.min`` without events): a writer that applied the events one by one
    has that fold already."""
    # Every event is on or before each day looked at below, so one fold serves all
    # of them: ``replay(…, day)`` is this fold advanced to ``day``.
    final = _advance(folded, published_on, max(start, published_on), None).expires_on
    days = {start, published_on}
    for end in (expires_on, final):
        if end is not None and end < date.max:
            days.add(end + timedelta(days=1))
    segments: list[tuple[int, Status]] = []
    for day in sorted(d for d in days if d >= start):
        cur = _advance(folded, published_on, day, None)
        st = cur.status(day)
        if cur.since is None:
            st = replace(st, since=_UNKNOWN)
        if not segments or segments[-1][1] != st:
            segments.append((day.toordinal(), st))
    return Timeline(start.toordinal(), tuple(segments))
