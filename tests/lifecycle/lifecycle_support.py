"""Shared builders for the lifecycle tests: dates, events, records in a given state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import strategies as st

from shixin.lifecycle import Event, EventType, State, status

T = EventType


def d(text: str) -> date:
    """An ISO date, short."""
    return date.fromisoformat(text)


def ev(
    kind: EventType, day: str, reason: str = "", expires_on: str | None = None, seq: int = 0
) -> Event:
    """An event with ISO days."""
    return Event(kind, d(day), reason, d(expires_on) if expires_on else None, received_seq=seq)


@dataclass(frozen=True)
class Scenario:
    """A record brought into a state, and the day the next event happens."""

    published_on: date
    expires_on: date | None
    history: tuple[Event, ...]
    day: date

    def state(self) -> State:
        """The record's state on ``day``."""
        return status(self.published_on, self.expires_on, self.history, self.day).state

    def event(self, kind: EventType) -> Event:
        """A well-formed event of ``kind`` on ``day`` (extend: one year past the expiry)."""
        if kind is T.EXTEND:
            base = self.expires_on or self.day
            return Event(kind, self.day, "延长", expires_on=base + timedelta(days=365))
        return Event(kind, self.day, "r")


FAR = d("2022-01-04")
_INC = ev(T.INCLUDE, "2020-01-04")


def scenario(state: State, kind: EventType, expires_on: date | None = FAR) -> Scenario:
    """A record in ``state`` on ``day``, ready for an event of ``kind``.

    Review decisions need a pending *review*, a review request needs a
    rejected correction: the history is chosen so that the guards pass.
    """
    p = d("2020-01-04")
    if state is State.PENDING:
        return Scenario(d("2020-02-01"), expires_on, (ev(T.RISK_NOTICE, "2020-01-02"),),
                        d("2020-01-10"))
    if state is State.ACTIVE:
        if kind is T.REVIEW_REQUESTED:
            hist: tuple[Event, ...] = (_INC, ev(T.CORRECTION_REQUESTED, "2020-01-05"),
                                       ev(T.CORRECTION_REJECTED, "2020-01-06"))
            return Scenario(p, expires_on, hist, d("2020-01-07"))
        return Scenario(p, expires_on, (_INC,), d("2020-01-06"))
    if state is State.CORRECTION_PENDING:
        if kind in {T.REVIEW_GRANTED, T.REVIEW_REJECTED}:
            hist = (_INC, ev(T.CORRECTION_REQUESTED, "2020-01-05"),
                    ev(T.CORRECTION_REJECTED, "2020-01-06"), ev(T.REVIEW_REQUESTED, "2020-01-07"))
            return Scenario(p, expires_on, hist, d("2020-01-08"))
        return Scenario(p, expires_on, (_INC, ev(T.CORRECTION_REQUESTED, "2020-01-05")),
                        d("2020-01-06"))
    if state is State.SHIELDED:
        return Scenario(p, expires_on, (_INC, ev(T.SHIELD, "2020-01-05")), d("2020-01-06"))
    if state is State.RESTORED:
        hist = (_INC, ev(T.SHIELD, "2020-01-05"), ev(T.RESTORE, "2020-01-06"))
        return Scenario(p, expires_on, hist, d("2020-01-07"))
    if state is State.REVOKED:
        return Scenario(p, expires_on, (_INC, ev(T.REVOKE, "2020-01-05")), d("2020-01-06"))
    assert state is State.EXPIRED
    return Scenario(p, d("2020-01-05"), (_INC,), d("2020-01-07"))


# --- hypothesis ---------------------------------------------------------------------

BASE = d("2020-01-01")
REASONS = ("", "全部履行完毕", "和解履行完毕", "终结执行", "r")


@st.composite
def events(draw: st.DrawFn, start: date = BASE, span: int = 120) -> Event:
    """Any event (legal or not) within ``span`` days of ``start``."""
    kind = draw(st.sampled_from(list(EventType)))
    day = start + timedelta(days=draw(st.integers(0, span)))
    expires = None
    if kind is T.EXTEND or draw(st.integers(0, 9)) == 0:
        expires = draw(st.none() | st.integers(-5, 400).map(lambda n: day + timedelta(days=n)))
    return Event(kind, day, draw(st.sampled_from(REASONS)), expires,
                 received_seq=draw(st.integers(0, 3)))


@st.composite
def records(draw: st.DrawFn) -> tuple[date, date | None]:
    """``published_on`` and ``expires_on`` around the event window."""
    published = BASE + timedelta(days=draw(st.integers(-10, 60)))
    expires = draw(st.none() | st.integers(-5, 200).map(lambda n: published + timedelta(days=n)))
    return published, expires


@st.composite
def walks(draw: st.DrawFn) -> list[Event]:
    """Events in date order with small steps, biased toward legal moves."""
    day, out = BASE, []
    for seq in range(draw(st.integers(0, 14))):
        day += timedelta(days=draw(st.integers(0, 6)))
        kind = draw(st.sampled_from(list(EventType)))
        expires = day + timedelta(days=draw(st.integers(1, 400))) if kind is T.EXTEND else None
        out.append(Event(kind, day, draw(st.sampled_from(REASONS)), expires, received_seq=seq))
    return out
