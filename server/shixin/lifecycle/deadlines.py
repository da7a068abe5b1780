"""The court's open duties on a record, and the ones it met late.

Three clocks, all from 柳办〔2019〕90号 四、(二):

* ``correction_decision`` — decide a correction within 3 days of the request (3);
* ``review_decision`` — decide a review; the seed sets no period, we assume
  ``periods.REVIEW_DECISION_DAYS`` (3, as for the correction);
* ``shield`` — shield or revoke within 3 days of a reported performance,
  settlement or termination (``performed``, 4).

A request's date is taken as the day the court received it. A deadline closes
when its action happens; it also closes, without blame, when the record stops
being live (a shield or revoke makes a pending request moot, expiry ends all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from shixin.lifecycle.events import Event, EventType, canonical
from shixin.lifecycle.machine import replay
from shixin.lifecycle.periods import CORRECTION_DECISION_DAYS, REVIEW_DECISION_DAYS, SHIELD_DAYS

CORRECTION_DECISION: Final = "correction_decision"
REVIEW_DECISION: Final = "review_decision"
SHIELD: Final = "shield"


@dataclass(frozen=True)
class Deadline:
    """A duty of the court: ``kind``, due by ``due_on`` (inclusive), running ``since``."""

    kind: str
    due_on: date
    since: date
    description: str


@dataclass(frozen=True)
class LateAction:
    """A duty met after its deadline (for the audit report)."""

    deadline: Deadline
    done_on: date
    done_by: EventType
    days_late: int


def _deadline(kind: str, since: date, detail: str = "") -> Deadline:
    if kind == CORRECTION_DECISION:
        days = CORRECTION_DECISION_DAYS
        text = f"the court decides the correction request of {since}"
    elif kind == REVIEW_DECISION:
        days = REVIEW_DECISION_DAYS
        text = f"the higher court decides the review request of {since} (period assumed)"
    else:
        days = SHIELD_DAYS
        text = f"the court shields or revokes the record after the performance reported on {since}"
        if detail:
            text += f" ({detail})"
    return Deadline(kind, since + timedelta(days=days), since, f"{text} within {days} days")


def open_deadlines(
    published_on: date, expires_on: date | None, history: Sequence[Event], today: date
) -> list[Deadline]:
    """The duties running on ``today``, earliest due first.

    >>> d = date.fromisoformat
    >>> history = [Event(EventType.PERFORMED, d("2020-03-02"), "全部履行完毕")]
    >>> [(x.kind, x.due_on.isoformat()) for x in
    ...  open_deadlines(d("2020-01-04"), None, history, d("2020-03-03"))]
    [('shield', '2020-03-05')]
    """
    cur = replay(published_on, expires_on, history, today)
    found: list[Deadline] = []
    if cur.pending is not None:
        kind = CORRECTION_DECISION if cur.pending.kind == "correction" else REVIEW_DECISION
        found.append(_deadline(kind, cur.pending.requested_on))
    if cur.performed_on is not None:
        reported = [
            e.reason for e in history
            if e.type is EventType.PERFORMED and e.effective_on == cur.performed_on
        ]
        found.append(_deadline(SHIELD, cur.performed_on, reported[0] if reported else ""))
    return sorted(found, key=lambda x: x.due_on)


def overdue(
    published_on: date, expires_on: date | None, history: Sequence[Event], today: date
) -> list[Deadline]:
    """The open duties already past their due day (``due_on < today``)."""
    return [
        x for x in open_deadlines(published_on, expires_on, history, today) if x.due_on < today
    ]


_ANSWERS: Final = {
    EventType.CORRECTION_GRANTED: (CORRECTION_DECISION, SHIELD),
    EventType.CORRECTION_REJECTED: (CORRECTION_DECISION,),
    EventType.REVIEW_GRANTED: (REVIEW_DECISION, SHIELD),
    EventType.REVIEW_REJECTED: (REVIEW_DECISION,),
    EventType.SHIELD: (SHIELD,),
    EventType.REVOKE: (SHIELD,),
}
"""Which duties an event fulfils (a granted correction or review revokes, so it
also answers the shield duty)."""
_MOOTS: Final = {EventType.SHIELD, EventType.REVOKE}
"""Events that end pending requests without answering them."""


def late_actions(history: Sequence[Event]) -> list[LateAction]:
    """Decisions and shields that came after their deadline, in history order.

    Reads the events alone (requests paired with their answers, performances
    with the next shield or revoke); expiry, which closes duties silently, has
    no event and so does not appear here.

    >>> d = date.fromisoformat
    >>> late = late_actions([Event(EventType.CORRECTION_REQUESTED, d("2020-01-10")),
    ...                      Event(EventType.CORRECTION_REJECTED, d("2020-01-15"))])
    >>> [(x.deadline.kind, x.deadline.due_on.isoformat(), x.days_late) for x in late]
    [('correction_decision', '2020-01-13', 2)]
    """
    running: dict[str, Deadline] = {}
    found: list[LateAction] = []
    for event in canonical(history):
        day = event.effective_on
        if event.type is EventType.CORRECTION_REQUESTED:
            running.setdefault(CORRECTION_DECISION, _deadline(CORRECTION_DECISION, day))
        elif event.type is EventType.REVIEW_REQUESTED:
            running.setdefault(REVIEW_DECISION, _deadline(REVIEW_DECISION, day))
        elif event.type is EventType.PERFORMED:
            running.setdefault(SHIELD, _deadline(SHIELD, day, event.reason))
        for kind in _ANSWERS.get(event.type, ()):
            deadline = running.pop(kind, None)
            if deadline is not None and day > deadline.due_on:
                found.append(LateAction(deadline, day, event.type, (day - deadline.due_on).days))
        if event.type in _MOOTS:
            running.pop(CORRECTION_DECISION, None)
            running.pop(REVIEW_DECISION, None)
    return found
