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

CODES: frozenset[str] = frozenset({
    # about the event's date or identity
    "future_event", "out_of_order", "duplicate",
    # (state, event) not in the table
    "already_included", "already_revoked", "terminal", "not_active", "not_shielded",
    "not_included", "no_pending_request", "request_pending", "illegal_transition",
    # guards
    "correction_too_late", "correction_repeated", "review_without_rejection",
    "review_repeated", "wrong_pending_request", "missing_expiry", "indefinite",
    "not_extending",
})
"""Every ``TransitionError.code``; stable, so clients may branch on them."""


class TransitionError(FailedPrecondition):
    """An event the record's lifecycle does not allow; ``code`` (one of ``CODES``)
    says which rule, ``reason`` is the same in UPPER_SNAKE for the gRPC layer."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, reason=code.upper())
        self.code = code


@dataclass(frozen=True)
class Status:
    """Where a record stands on a day.

    ``since`` is the day the state began (``today`` for a record pending from
    the start); ``reason`` — an addition to the brief's fields — says why, in
    the words the change feed uses ("shield: 全部履行完毕", "restored",
    "published on 2019-06-01", "expired on 2021-06-02").
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
