"""Activations and deactivations, for the change feed to the units that were told.

A unit that was told of a record must be told when its measures end (and, on
a restore, that they apply again). The feed compares two statuses of a record
— before and after an event, or yesterday and today — and reports only a
change of activeness: a correction request, an extension or a shield of an
already expired record tells the units nothing new. Compare consecutive
snapshots: two changes between them (shield then restore) cancel out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from shixin.lifecycle.machine import Status
from shixin.lifecycle.states import State

ChangeKind = Literal["activated", "deactivated"]


@dataclass(frozen=True)
class Change:
    """The record went live or stopped being live on ``effective_on``, and why."""

    kind: ChangeKind
    effective_on: date
    reason: str


def changes_between(before: Status, after: Status) -> Change | None:
    """The change from ``before`` to ``after``, or None when activeness is the same.

    >>> live = Status(State.ACTIVE, True, date(2019, 6, 1), None, None, "published on 2019-06-01")
    >>> gone = Status(State.SHIELDED, False, date(2020, 1, 5), None, None, "shield: 全部履行完毕")
    >>> change = changes_between(live, gone)
    >>> change.kind, change.effective_on, change.reason
    ('deactivated', datetime.date(2020, 1, 5), 'shield: 全部履行完毕')
    >>> changes_between(gone, gone) is None
    True
    """
    if before.active == after.active:
        return None
    kind: ChangeKind = "activated" if after.active else "deactivated"
    return Change(kind, after.since, after.reason or after.state.value)


def expiry_change(status_yesterday: Status, status_today: Status) -> Change | None:
    """The deactivation due to expiry today, for the daily run that needs no event.

    Only a live record that expired between the two days yields a change;
    everything else (including a future ``published_on`` coming into force,
    which ``changes_between`` reports) is None here.
    """
    if status_today.state is not State.EXPIRED or status_yesterday.state is State.EXPIRED:
        return None
    return changes_between(status_yesterday, status_today)
