"""The lifecycle of one list record: events, state machine, deadlines, change feed.

Pure functions of a record's ``published_on``, ``expires_on``, its events and
a date ("today" is always a parameter). The transition table lives in
``diagram``; ``machine`` is driven by it and ``diagram.mermaid()`` draws it.
"""

from __future__ import annotations

from shixin.lifecycle.changes import Change, changes_between, expiry_change
from shixin.lifecycle.deadlines import (
    Deadline,
    LateAction,
    late_actions,
    open_deadlines,
    overdue,
)
from shixin.lifecycle.diagram import EXPIRY, TRANSITIONS, mermaid
from shixin.lifecycle.events import Event, EventError, EventType, canonical, parse_event
from shixin.lifecycle.machine import (
    Replay,
    Status,
    TransitionError,
    apply,
    check_transition,
    replay,
    status,
    violations,
)
from shixin.lifecycle.states import State, is_active

__all__ = [
    "EXPIRY",
    "TRANSITIONS",
    "Change",
    "Deadline",
    "Event",
    "EventError",
    "EventType",
    "LateAction",
    "Replay",
    "State",
    "Status",
    "TransitionError",
    "apply",
    "canonical",
    "changes_between",
    "check_transition",
    "expiry_change",
    "is_active",
    "late_actions",
    "mermaid",
    "open_deadlines",
    "overdue",
    "parse_event",
    "replay",
    "status",
    "violations",
]
