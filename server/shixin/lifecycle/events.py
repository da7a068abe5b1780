"""Lifecycle events of one list record, as the courts push them (list-record.md).

``parse_event`` reads only the lifecycle fields. The record key fields
(``case_number``, ``id_number`` / ``name``) belong to the caller, which finds
the record; they are neither read nor changed here, and unknown fields are
ignored so that the court may add some.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from shixin.errors import InvalidArgument


class EventType(StrEnum):
    """The events of list-record.md, plus ``performed``."""

    RISK_NOTICE = "risk_notice"
    INCLUDE = "include"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_GRANTED = "correction_granted"
    CORRECTION_REJECTED = "correction_rejected"
    REVIEW_REQUESTED = "review_requested"
    REVIEW_GRANTED = "review_granted"
    REVIEW_REJECTED = "review_rejected"
    SHIELD = "shield"
    REVOKE = "revoke"
    EXTEND = "extend"
    RESTORE = "restore"
    PERFORMED = "performed"
    """Extension to the spec: full performance (履行完毕), a settlement performed
    (和解履行完毕) or termination (终结执行) was reported. It does not end the
    listing by itself; it starts the court's 3-day duty to shield or revoke
    (四、(二)4), which ``deadlines`` tracks."""


@dataclass(frozen=True)
class Event:
    """One event about one record.

    ``received_seq`` breaks ties between events of the same day (the ingest
    numbers them in arrival order); ``received_on`` is when the platform got
    it. Both are bookkeeping: the lifecycle runs on ``effective_on``.
    """

    type: EventType
    effective_on: date
    reason: str = ""
    expires_on: date | None = None
    received_seq: int = 0
    received_on: date | None = None


def order_key(event: Event) -> tuple[date, int]:
    """The canonical order of a history: by date, then arrival within the day."""
    return (event.effective_on, event.received_seq)


def canonical(events: Iterable[Event]) -> tuple[Event, ...]:
    """The events in canonical order (stable, so list order breaks full ties)."""
    return tuple(sorted(events, key=order_key))


class EventError(InvalidArgument):
    """An event object is malformed; ``field`` names the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, reason="BAD_EVENT", field=field)

    def __str__(self) -> str:
        # The message already names the field; do not prefix it twice.
        return self.message


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ALLOWED = ", ".join(t.value for t in EventType)


def _date(obj: Mapping[str, Any], name: str, *, required: bool) -> date | None:
    raw = obj.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise EventError(name, f"{name} is required")
        return None
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if not isinstance(raw, str):
        raise EventError(name, f"{name} must be an ISO date string, not {type(raw).__name__}")
    text = raw.strip()
    # date.fromisoformat alone would also take "20200105" or "2020-W01-1".
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise EventError(name, f"{name} {raw!r} is not an ISO date")


def _event_type(obj: Mapping[str, Any]) -> EventType:
    raw = obj.get("event")
    if raw is None or raw == "":
        raise EventError("event", f"event is required; expected one of: {_ALLOWED}")
    if not isinstance(raw, str):
        raise EventError("event", f"event must be a string, not {type(raw).__name__}")
    try:
        return EventType(raw.strip())
    except ValueError:
        raise EventError(
            "event", f"unknown event type {raw!r}; expected one of: {_ALLOWED}"
        ) from None


def _reason(obj: Mapping[str, Any]) -> str:
    raw = obj.get("reason")
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise EventError("reason", f"reason must be a string, not {type(raw).__name__}")
    return raw.strip()


def _seq(obj: Mapping[str, Any]) -> int:
    raw = obj.get("received_seq")
    if raw is None:
        return 0
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise EventError(
            "received_seq", f"received_seq must be a non-negative integer, not {raw!r}"
        )
    return raw


def parse_event(obj: Mapping[str, Any]) -> Event:
    """Read one event object; raise ``EventError`` naming the first field at fault.

    >>> e = parse_event({"event": "shield", "case_number": "(2019)桂0202执1234号",
    ...                  "effective_on": "2020-01-05", "reason": "全部履行完毕"})
    >>> e.type, e.effective_on, e.reason
    (<EventType.SHIELD: 'shield'>, datetime.date(2020, 1, 5), '全部履行完毕')
    >>> try:
    ...     parse_event({"event": "shield", "effective_on": "2020-13-01"})
    ... except EventError as err:
    ...     print(err.field, "|", err)
    effective_on | effective_on '2020-13-01' is not an ISO date
    """
    kind = _event_type(obj)
    effective_on = _date(obj, "effective_on", required=True)
    assert effective_on is not None  # required=True never returns None
    expires_on = _date(obj, "expires_on", required=False)
    if kind is EventType.EXTEND:
        if expires_on is None:
            raise EventError("expires_on", "an extend event needs expires_on (the new end date)")
        if expires_on < effective_on:
            raise EventError(
                "expires_on",
                f"expires_on {expires_on.isoformat()} is before effective_on "
                f"{effective_on.isoformat()}",
            )
    elif expires_on is not None:
        raise EventError("expires_on", f"only an extend event carries expires_on, not {kind}")
    return Event(
        type=kind,
        effective_on=effective_on,
        reason=_reason(obj),
        expires_on=expires_on,
        received_seq=_seq(obj),
        received_on=_date(obj, "received_on", required=False),
    )
