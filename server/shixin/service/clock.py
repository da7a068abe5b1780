"""Today's date in the courts' calendar, injectable so tests can move time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")

Clock = Callable[[], date]


def china_today() -> date:
    """The date in China now: a record expires by the court's calendar, not UTC's."""
    return datetime.now(CHINA).date()


def fixed(day: date) -> Clock:
    """A clock that always says ``day`` (tests, reproducible demos)."""
    return lambda: day
