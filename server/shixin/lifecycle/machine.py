"""The state of one list record, computed from its events and a date.

Everything is a replay: the events (in canonical order, see
``events.order_key``) are folded through ``diagram.TRANSITIONS`` from
``pending``, with two date-driven steps that need no event and no cron:

* **implicit inclusion** — a record the court never sends an ``include`` for is
  included on ``published_on`` (list-record.md: "active from published_on").
  An ``include`` or ``risk_notice`` dated on ``published_on`` itself goes first,
  so a court that pushes its own include of that day is not refused;
* **expiry** — on the day after the effective ``expires_on`` (the latest
  ``extend`` wins) the record moves along ``diagram.EXPIRY``: it is still active
  *on* ``expires_on``.

Two readings of one fold: ``status`` is total (an illegal event in a stored
history is skipped, never raised), ``check_transition`` is strict. Because both
use the same step, ``status(history)`` equals ``status`` of the events
``check_transition`` would have accepted.

Judgement calls, beyond the table:

* a pending correction or review does not suspend the listing (see
  ``State.CORRECTION_PENDING``);
* the 10-day correction window counts from the inclusion decision (the
  ``include`` date, else ``published_on``): the platform has no service date;
  one correction per inclusion, then one review after a rejection; a restored
  record is not open to correction (restoring is not a new inclusion);
* a shield, revoke or expiry makes a pending request moot;
* events are append-only: one dated before the record's latest event is
  refused (``out_of_order``), as is one dated after ``today``; late-arriving
  events dated between the latest event and today are fine;
* an event identical to one in the history (type, date, reason, expires_on)
  is refused as ``duplicate``, so that a redelivered push is easy to spot;
* ``extend`` must move the end later, and only a dated listing can be extended.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta

from shixin.lifecycle.diagram import EXPIRY, TRANSITIONS
from shixin.lifecycle.events import Event, EventType, canonical, order_key
from shixin.lifecycle.guards import CHECKS, describe, label, refusal
from shixin.lifecycle.memory import Replay, Request, Status, TransitionError
from shixin.lifecycle.states import State, is_active

__all__ = [
    "Replay",
    "Request",
    "State",
    "Status",
    "TransitionError",
    "apply",
    "check_transition",
    "is_active",
    "replay",
    "status",
    "violations",
]

_ONE_DAY = timedelta(days=1)
# Sent on the publication day, these still find the record pending.
_BEFORE_PUBLICATION = frozenset({EventType.INCLUDE, EventType.RISK_NOTICE})


def _signature(event: Event) -> tuple[EventType, date, str, date | None]:
    return (event.type, event.effective_on, event.reason, event.expires_on)


def _step(cur: Replay, event: Event) -> Replay:
    """Apply one event, or raise ``TransitionError``."""
    if _signature(event) in cur.seen:
        raise TransitionError("duplicate", f"{describe(event)} is already in the history")
    target = TRANSITIONS.get((cur.state, event.type))
    if target is None:
        raise refusal(cur, event)
    guard = CHECKS.get(event.type)
    if guard is not None:
        guard(cur, event)
    day, kind = event.effective_on, event.type
    starts = target is not cur.state or cur.since is None
    # The changes are gathered and applied with one ``replace`` (each builds a whole
    # ``Replay``; an import steps hundreds of thousands of events).
    changes: dict[str, object] = {
        "state": target,
        "since": day if starts else cur.since,
        "reason": label(event) if starts else cur.reason,
        "last_event": kind,
        "seen": cur.seen | {_signature(event)},
    }
    if kind is EventType.INCLUDE:
        changes.update(included_on=day, included_implicitly=False)
    elif kind is EventType.CORRECTION_REQUESTED:
        changes.update(pending=Request("correction", day), correction_requested_on=day)
    elif kind is EventType.REVIEW_REQUESTED:
        changes.update(pending=Request("review", day), review_requested_on=day,
                       review_open=False)
    elif kind is EventType.CORRECTION_REJECTED:
        changes.update(pending=None, review_open=True)
    elif kind is EventType.REVIEW_REJECTED:
        changes.update(pending=None)
    elif kind is EventType.EXTEND:
        changes.update(expires_on=event.expires_on)
    elif kind is EventType.PERFORMED and cur.performed_on is None:
        changes.update(performed_on=day)
    elif kind is EventType.SHIELD:
        changes.update(shielded_on=day)
    if not is_active(target):
        changes.update(pending=None, performed_on=None)
    return replace(cur, **changes)  # type: ignore[arg-type]


def _expiry_due(cur: Replay, day: date) -> date | None:
    """The expiry day, if it has come by ``day`` and the state expires."""
    if cur.state not in EXPIRY or cur.expires_on is None:
        return None
    first_day_out = cur.expires_on + _ONE_DAY
    return first_day_out if first_day_out <= day else None


def _publication_due(
    cur: Replay, published_on: date, day: date, next_type: EventType | None
) -> date | None:
    """``published_on``, if the implicit inclusion is due before an event of ``next_type``."""
    if cur.state is not State.PENDING or published_on > day:
        return None
    if published_on == day and next_type in _BEFORE_PUBLICATION:
        return None
    return published_on


def _advance(cur: Replay, published_on: date, day: date, next_type: EventType | None) -> Replay:
    """Take the date-driven steps due by ``day``, in date order (expiry first on a tie)."""
    while True:
        expiry = _expiry_due(cur, day)
        publication = _publication_due(cur, published_on, day, next_type)
        if publication is not None and (expiry is None or publication < expiry):
            cur = replace(
                cur,
                state=TRANSITIONS[(State.PENDING, EventType.INCLUDE)],
                since=publication,
                reason=f"published on {publication.isoformat()}",
                included_on=publication,
                included_implicitly=True,
            )
        elif expiry is not None:
            cur = replace(
                cur,
                state=EXPIRY[cur.state],
                since=expiry,
                reason=f"expired on {expiry.isoformat()}",
                pending=None,
                performed_on=None,
            )
        else:
            return cur


def _fold(
    published_on: date, expires_on: date | None, events: Iterable[Event], day: date
) -> Replay:
    cur = Replay(expires_on=expires_on)
    for event in canonical(e for e in events if e.effective_on <= day):
        cur = _advance(cur, published_on, event.effective_on, event.type)
        with contextlib.suppress(TransitionError):
            cur = _step(cur, event)
    return cur


def replay(
    published_on: date, expires_on: date | None, events: Sequence[Event], today: date
) -> Replay:
    """Fold the events dated up to ``today``, skipping illegal ones; never raises."""
    return _advance(_fold(published_on, expires_on, events, today), published_on, today, None)


def status(
    published_on: date, expires_on: date | None, events: Sequence[Event], today: date
) -> Status:
    """The record's status on ``today`` (events dated later are not applied yet).

    >>> d = date.fromisoformat
    >>> status(d("2019-06-01"), d("2021-06-01"), [], d("2021-06-01")).state
    <State.ACTIVE: 'active'>
    >>> s = status(d("2019-06-01"), d("2021-06-01"), [], d("2021-06-02"))
    >>> s.state, s.active, s.since, s.reason
    (<State.EXPIRED: 'expired'>, False, datetime.date(2021, 6, 2), 'expired on 2021-06-02')
    >>> status(d("2019-06-01"), None, [], d("2019-05-31")).state
    <State.PENDING: 'pending'>
    """
    return replay(published_on, expires_on, events, today).status(today)


def _check_dates(history: Sequence[Event], event: Event, today: date) -> None:
    if event.effective_on > today:
        raise TransitionError(
            "future_event",
            f"{event.type.value} dated {event.effective_on} is in the future (today is {today})",
        )
    if not history:
        return
    last = max(history, key=order_key)
    if order_key(event) < order_key(last):
        same_day = event.effective_on == last.effective_on
        raise TransitionError(
            "out_of_order",
            f"{event.type.value} dated {event.effective_on}"
            + (f" (received_seq {event.received_seq})" if same_day else "")
            + f" is before the record's previous event ({describe(last)}"
            + (f", received_seq {last.received_seq}" if same_day else "")
            + "); events must arrive in date order",
        )


def check_transition(
    published_on: date,
    expires_on: date | None,
    history: Sequence[Event],
    event: Event,
    today: date,
) -> None:
    """Raise ``TransitionError`` unless ``event`` may follow ``history``.

    >>> d = date.fromisoformat
    >>> history = [Event(EventType.INCLUDE, d("2020-01-04"))]
    >>> late = Event(EventType.CORRECTION_REQUESTED, d("2020-01-15"))
    >>> try:
    ...     check_transition(d("2020-01-04"), None, history, late, d("2020-01-20"))
    ... except TransitionError as err:
    ...     print(err.code, "|", err.message)
    correction_too_late | correction requested on 2020-01-15, 11 days after the inclusion \
decision of 2020-01-04; the limit is 10 days
    """
    _check_dates(history, event, today)
    day = event.effective_on
    cur = _advance(_fold(published_on, expires_on, history, day), published_on, day, event.type)
    _step(cur, event)


def apply(
    published_on: date,
    expires_on: date | None,
    history: Sequence[Event],
    event: Event,
    today: date,
) -> tuple[Event, ...]:
    """The new history with ``event`` in it (canonical order), after ``check_transition``."""
    check_transition(published_on, expires_on, history, event, today)
    return canonical((*history, event))


def violations(
    published_on: date, expires_on: date | None, history: Sequence[Event], today: date
) -> list[tuple[Event, TransitionError]]:
    """Audit a stored history: each event ``check_transition`` would refuse, and why.

    Events are checked in canonical order against the ones accepted before
    them, which is exactly what ``status`` skips. Empty means legal.
    """
    accepted: list[Event] = []
    found: list[tuple[Event, TransitionError]] = []
    for event in canonical(history):
        try:
            check_transition(published_on, expires_on, accepted, event, today)
        except TransitionError as err:
            found.append((event, err))
        else:
            accepted.append(event)
    return found
