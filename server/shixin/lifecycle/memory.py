"""What the machine works with: the public ``Status``, its working memory
``Replay``, and ``TransitionError``.

Separate from ``machine`` so that ``guards`` can read a ``Replay`` without an
import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from shixin.errors import FailedPrecondition
from shixin.lifecycle.events import EventType
from shixin.lifecycle.states import State, is_active


class TransitionError(FailedPrecondition):
    """An event the record's lifecycle does not allow; ``code`` says which rule."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, reason=code.upper())
        self.code = code


@dataclass(frozen=True)
class Status:
    """Where a record stands on a day.

    ``since`` is the day the state began; ``reason`` says why, in the words
    the change feed uses ("shield: 全部履行完毕", "expired on 2021-06-02").
    """

    state: State
    active: bool
    since: date
    expires_on: date | None
    last_event: EventType | None
    reason: str = ""


@dataclass(frozen=True)
class Request:
    """A correction or review request awaiting its decision."""

    kind: Literal["correction", "review"]
    requested_on: date


@dataclass(frozen=True)
class Replay:
    """What the machine remembers after a replay: the status plus what guards need."""

    state: State = State.PENDING
    since: date | None = None
    expires_on: date | None = None
    last_event: EventType | None = None
    reason: str = "not yet included"
    included_on: date | None = None
    included_implicitly: bool = False
    pending: Request | None = None
    correction_requested_on: date | None = None
    review_open: bool = False
    review_requested_on: date | None = None
    performed_on: date | None = None
    """First performance reported since the record was last made live (shield clock)."""
    shielded_on: date | None = None
    seen: frozenset[tuple[EventType, date, str, date | None]] = frozenset()

    def status(self, today: date) -> Status:
        """The public view; a record pending from the start is pending "since today"."""
        return Status(
            state=self.state,
            active=is_active(self.state),
            since=self.since if self.since is not None else today,
            expires_on=self.expires_on,
            last_event=self.last_event,
            reason=self.reason,
        )
