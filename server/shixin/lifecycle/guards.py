"""The conditions beyond the transition table, and why a move is refused.

``diagram.GUARDS`` labels the edges these functions guard; ``refusal``
explains a (state, event) pair that is not in ``diagram.TRANSITIONS`` with
the most specific ``TransitionError`` code it can.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

from shixin.lifecycle.events import Event, EventType
from shixin.lifecycle.memory import Replay, TransitionError
from shixin.lifecycle.periods import CORRECTION_WINDOW_DAYS
from shixin.lifecycle.states import State, is_active

Guard = Callable[[Replay, Event], None]


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _where(cur: Replay) -> str:
    since = f" since {cur.since.isoformat()}" if cur.since is not None else ""
    return f"{cur.state.value}{since}"


def describe(event: Event) -> str:
    """How messages name an event: ``shield on 2020-01-05``."""
    return f"{event.type.value} on {event.effective_on.isoformat()}"


def label(event: Event) -> str:
    """Why a record is in the state an event put it in, as the change feed says it."""
    name = "restored" if event.type is EventType.RESTORE else event.type.value
    return f"{name}: {event.reason}" if event.reason else name


def refusal(cur: Replay, event: Event) -> TransitionError:
    """The most specific reason why (state, event) is not in the table."""
    what, kind, state = describe(event), event.type, cur.state
    if state is State.REVOKED:
        revoked = f"revoked on {cur.since} ({cur.reason})"
        if kind is EventType.REVOKE:
            return TransitionError("already_revoked", f"{what}: the record was already {revoked}")
        return TransitionError(
            "terminal", f"{what}: the record was {revoked} and takes no more events"
        )
    if state is State.EXPIRED:
        return TransitionError(
            "terminal", f"{what}: the listing has ended ({cur.reason}) and takes no more events"
        )
    if kind is EventType.INCLUDE:
        how = " by its publication" if cur.included_implicitly else ""
        return TransitionError(
            "already_included",
            f"{what}: the record was already included{how} on {cur.included_on} ({_where(cur)})",
        )
    if kind in {EventType.CORRECTION_GRANTED, EventType.CORRECTION_REJECTED}:
        return TransitionError(
            "no_pending_request", f"{what}: no correction request is pending ({_where(cur)})"
        )
    if kind in {EventType.REVIEW_GRANTED, EventType.REVIEW_REJECTED}:
        return TransitionError(
            "no_pending_request", f"{what}: no review request is pending ({_where(cur)})"
        )
    if state is State.CORRECTION_PENDING and cur.pending is not None and kind in {
        EventType.CORRECTION_REQUESTED,
        EventType.REVIEW_REQUESTED,
    }:
        return TransitionError(
            "request_pending",
            f"{what}: the {cur.pending.kind} request of {cur.pending.requested_on} "
            "is still undecided",
        )
    if kind is EventType.RESTORE:
        never = cur.shielded_on is None
        return TransitionError(
            "not_shielded",
            f"{what}: the record was never shielded ({_where(cur)})"
            if never
            else f"{what}: the record is not shielded ({_where(cur)})",
        )
    if kind in {EventType.SHIELD, EventType.PERFORMED} and not is_active(state):
        return TransitionError("not_active", f"{what}: the record is not active ({_where(cur)})")
    if kind in {EventType.CORRECTION_REQUESTED, EventType.REVIEW_REQUESTED}:
        return TransitionError(
            "not_included",
            f"{what}: correction and review challenge a standing inclusion; "
            f"the record is {_where(cur)}",
        )
    return TransitionError(
        "illegal_transition", f"{what} is not allowed while the record is {_where(cur)}"
    )


def _guard_correction_requested(cur: Replay, event: Event) -> None:
    when = event.effective_on.isoformat()
    if cur.correction_requested_on is not None:
        raise TransitionError(
            "correction_repeated",
            f"correction requested on {when}: a correction was already requested on "
            f"{cur.correction_requested_on}; a rejection is answered by review_requested",
        )
    decided = cur.included_on if cur.included_on is not None else event.effective_on
    days = (event.effective_on - decided).days
    if days > CORRECTION_WINDOW_DAYS:
        how = " (its publication date: no include event)" if cur.included_implicitly else ""
        raise TransitionError(
            "correction_too_late",
            f"correction requested on {when}, {_days(days)} after the inclusion decision "
            f"of {decided.isoformat()}{how}; the limit is {_days(CORRECTION_WINDOW_DAYS)}",
        )


def _guard_review_requested(cur: Replay, event: Event) -> None:
    when = event.effective_on.isoformat()
    if cur.review_requested_on is not None:
        raise TransitionError(
            "review_repeated",
            f"review requested on {when}: a review was already requested on "
            f"{cur.review_requested_on}",
        )
    if not cur.review_open:
        raise TransitionError(
            "review_without_rejection",
            f"review requested on {when} without a rejected correction: review (复议) "
            "at the higher court lies only against a rejected correction",
        )


def _decision_guard(kind: Literal["correction", "review"]) -> Guard:
    def guard(cur: Replay, event: Event) -> None:
        pending = cur.pending
        if pending is None:  # not reachable through the table; kept for safety
            raise TransitionError("no_pending_request", f"{describe(event)}: nothing is pending")
        if pending.kind != kind:
            answer = f"{pending.kind}_granted or {pending.kind}_rejected"
            raise TransitionError(
                "wrong_pending_request",
                f"{describe(event)}: the pending request is a {pending.kind} "
                f"(requested on {pending.requested_on}), decided by {answer}",
            )

    return guard


def _guard_extend(cur: Replay, event: Event) -> None:
    new, old = event.expires_on, cur.expires_on
    if new is None:
        raise TransitionError("missing_expiry", f"{describe(event)} carries no expires_on")
    if old is None:
        raise TransitionError(
            "indefinite", f"{describe(event)}: the listing has no end date to extend"
        )
    if new <= old:
        raise TransitionError(
            "not_extending",
            f"{describe(event)} to {new}: the listing already runs to {old}; "
            "an extension must end later",
        )


CHECKS: Mapping[EventType, Guard] = {
    EventType.CORRECTION_REQUESTED: _guard_correction_requested,
    EventType.REVIEW_REQUESTED: _guard_review_requested,
    EventType.CORRECTION_GRANTED: _decision_guard("correction"),
    EventType.CORRECTION_REJECTED: _decision_guard("correction"),
    EventType.REVIEW_GRANTED: _decision_guard("review"),
    EventType.REVIEW_REJECTED: _decision_guard("review"),
    EventType.EXTEND: _guard_extend,
}
GUARDED_EVENTS: frozenset[EventType] = frozenset(CHECKS)
"""Events with conditions beyond the table; ``diagram.GUARDS`` labels exactly these."""
