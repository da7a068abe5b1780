"""The states of one list record, and which of them are a live listing.

Kept apart from ``machine`` so that the transition table (``diagram``) and
the machine can both import it without a cycle.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """Where a list record stands on a given day."""

    PENDING = "pending"
    """Not (yet) included: a risk notice was sent, or ``published_on`` is still ahead."""
    ACTIVE = "active"
    """Included and listed."""
    CORRECTION_PENDING = "correction_pending"
    """A correction (or review) was requested and awaits the court's decision.

    Still listed: the seed (四、(二)3) lets the court revoke the inclusion only
    once it finds the request well founded; nothing suspends the listing
    meanwhile.
    """
    SHIELDED = "shielded"
    """Hidden after performance, settlement or termination; may be restored."""
    REVOKED = "revoked"
    """The inclusion is withdrawn (revoked, or a correction/review granted). Final."""
    EXPIRED = "expired"
    """The day after the (possibly extended) ``expires_on`` has come. Final."""
    RESTORED = "restored"
    """Listed again after a shield."""


ACTIVE_STATES: frozenset[State] = frozenset(
    {State.ACTIVE, State.CORRECTION_PENDING, State.RESTORED}
)


def is_active(state: State) -> bool:
    """True when queries must report the record as a live hit.

    >>> is_active(State.CORRECTION_PENDING), is_active(State.SHIELDED)
    (True, False)
    """
    return state in ACTIVE_STATES
