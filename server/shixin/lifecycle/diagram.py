"""The transition table of a list record, as data, and its Mermaid rendering.

``machine`` looks every move up in ``TRANSITIONS`` and ``EXPIRY``; the
diagram is drawn from the same tables, so the picture cannot drift from the
code. Conditions the table cannot express (the 10-day window, which request
a decision answers, ...) are checked by guards in ``machine``; ``GUARDS``
holds their one-line labels for the diagram.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from shixin.lifecycle.events import EventType
from shixin.lifecycle.states import State, is_active

INITIAL: Final = State.PENDING
"""Every record starts pending; ``published_on`` acts as an implicit ``include``
when the court sends no include of its own (see ``machine``)."""

TRANSITIONS: Final[Mapping[tuple[State, EventType], State]] = MappingProxyType({
    (State.PENDING, EventType.RISK_NOTICE): State.PENDING,
    (State.PENDING, EventType.INCLUDE): State.ACTIVE,
    (State.PENDING, EventType.REVOKE): State.REVOKED,
    (State.ACTIVE, EventType.CORRECTION_REQUESTED): State.CORRECTION_PENDING,
    (State.ACTIVE, EventType.REVIEW_REQUESTED): State.CORRECTION_PENDING,
    (State.ACTIVE, EventType.SHIELD): State.SHIELDED,
    (State.ACTIVE, EventType.REVOKE): State.REVOKED,
    (State.ACTIVE, EventType.EXTEND): State.ACTIVE,
    (State.ACTIVE, EventType.PERFORMED): State.ACTIVE,
    (State.CORRECTION_PENDING, EventType.CORRECTION_GRANTED): State.REVOKED,
    (State.CORRECTION_PENDING, EventType.CORRECTION_REJECTED): State.ACTIVE,
    (State.CORRECTION_PENDING, EventType.REVIEW_GRANTED): State.REVOKED,
    (State.CORRECTION_PENDING, EventType.REVIEW_REJECTED): State.ACTIVE,
    (State.CORRECTION_PENDING, EventType.SHIELD): State.SHIELDED,
    (State.CORRECTION_PENDING, EventType.REVOKE): State.REVOKED,
    (State.CORRECTION_PENDING, EventType.EXTEND): State.CORRECTION_PENDING,
    (State.CORRECTION_PENDING, EventType.PERFORMED): State.CORRECTION_PENDING,
    (State.SHIELDED, EventType.RESTORE): State.RESTORED,
    (State.SHIELDED, EventType.REVOKE): State.REVOKED,
    (State.SHIELDED, EventType.EXTEND): State.SHIELDED,
    (State.RESTORED, EventType.SHIELD): State.SHIELDED,
    (State.RESTORED, EventType.REVOKE): State.REVOKED,
    (State.RESTORED, EventType.EXTEND): State.RESTORED,
    (State.RESTORED, EventType.PERFORMED): State.RESTORED,
})
"""(state, event) -> next state. A pair that is absent is an illegal move."""

EXPIRY: Final[Mapping[State, State]] = MappingProxyType({
    State.PENDING: State.EXPIRED,
    State.ACTIVE: State.EXPIRED,
    State.CORRECTION_PENDING: State.EXPIRED,
    State.SHIELDED: State.EXPIRED,
    State.RESTORED: State.EXPIRED,
})
"""state -> next state on the day after the effective ``expires_on`` (no event needed)."""

GUARDS: Final[Mapping[EventType, str]] = MappingProxyType({
    EventType.CORRECTION_REQUESTED: "within 10 days of inclusion, once",
    EventType.REVIEW_REQUESTED: "after a rejected correction, once",
    EventType.CORRECTION_GRANTED: "a correction is pending",
    EventType.CORRECTION_REJECTED: "a correction is pending",
    EventType.REVIEW_GRANTED: "a review is pending",
    EventType.REVIEW_REJECTED: "a review is pending",
    EventType.EXTEND: "to a later expires_on",
})
"""Edge labels for the conditions ``machine`` checks beyond the table."""

EXPIRY_LABEL: Final = "day after expires_on"
IMPLICIT_LABEL: Final = "or published_on reached"
"""The pending -> active edge is also taken, with no event, on ``published_on``."""


def _label(state: State, event: EventType) -> str:
    note = GUARDS.get(event)
    if (state, event) == (INITIAL, EventType.INCLUDE):
        note = IMPLICIT_LABEL
    return f"{event.value} [{note}]" if note else event.value


def mermaid() -> str:
    """The state diagram (Mermaid ``stateDiagram-v2``) drawn from the tables.

    Live states (``is_active``) get the ``live`` class.

    >>> print(mermaid().splitlines()[1])
        [*] --> pending
    >>> "    active --> expired : day after expires_on" in mermaid().splitlines()
    True
    """
    lines = ["stateDiagram-v2", f"    [*] --> {INITIAL.value}"]
    for state in State:
        for event in EventType:
            target = TRANSITIONS.get((state, event))
            if target is not None:
                lines.append(f"    {state.value} --> {target.value} : {_label(state, event)}")
        if state in EXPIRY:
            lines.append(f"    {state.value} --> {EXPIRY[state].value} : {EXPIRY_LABEL}")
    sources = {state for state, _ in TRANSITIONS} | set(EXPIRY)
    lines.extend(f"    {state.value} --> [*]" for state in State if state not in sources)
    lines.append("    classDef live font-weight:bold,stroke-width:3px")
    lines.append("    class " + ",".join(s.value for s in State if is_active(s)) + " live")
    return "\n".join(lines) + "\n"
