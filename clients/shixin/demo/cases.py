"""Invent enforcement cases: case numbers, courts, dates, and each case's lifecycle.

A case's *state* is drawn first and its dates and events are built to fit, so
the list has known shares: ~75 % active, ~25 % not (expired ~11 %, shielded
~10 %, revoked or corrected ~3 %, pending after a risk notice ~1 %).

Every record's events are a legal sequence for :mod:`shixin.lifecycle` as of
``today``, so the demo imports with no rejected row: a shield or revoke falls
on or before the listing's last day (an expired listing takes no events).
Review decisions come 5-30 days after the request, later than the 3 days the
lifecycle expects: legal, and reported as late, so the overdue report has
something to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from . import tables as t
from .rand import DemoRandom
from .tables import Court, Weighted

__all__ = ["STATES", "Case", "Cases"]

# state → share in percent; the first six are active.
STATES = Weighted(
    [
        ("plain", 60.0),
        ("include", 5.0),
        ("correction_rejected", 3.0),
        ("review_rejected", 1.0),
        ("extend", 4.0),
        ("restore", 2.0),
        ("expired", 11.0),
        ("shield", 10.0),
        ("revoke", 1.5),
        ("correction_granted", 1.0),
        ("review_granted", 0.5),
        ("pending", 1.0),
    ]
)
_FIRST_PUBLISHED = dt.date(2015, 1, 1).toordinal()
_Event = tuple[str, int, dict[str, str]]  # (event, day ordinal, extra fields)
_Life = tuple[int, int | None, list[_Event]]  # (published, expires, events)
_EXPIRES_SHARE = 0.45  # share of records published with a fixed term


@cache
def _iso(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


@cache
def _year(ordinal: int) -> int:
    return dt.date.fromordinal(ordinal).year


@cache
def _new_year(year: int) -> int:
    return dt.date(year, 1, 1).toordinal()


def _add_years(ordinal: int, years: int) -> int:
    day = dt.date.fromordinal(ordinal)
    try:
        return day.replace(year=day.year + years).toordinal()
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28).toordinal()


@dataclass(slots=True)
class Case:
    """Everything of a record but its debtor; co-debtors of one case share it."""

    case_number: str
    court: str
    basis_document_number: str
    basis_issuer: str
    filed_on: str
    published_on: str
    expires_on: str | None
    obligation: str
    performance: str
    circumstances: str
    public: bool
    state: str
    events: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    """(event, effective_on, extra fields) in time order."""

    def record(
        self, debtor: dict[str, str], related: list[dict[str, str]] | None
    ) -> dict[str, Any]:
        """The list record, keys in the order of ``spec/list-record.md``."""
        rec: dict[str, Any] = {"case_number": self.case_number, "debtor": debtor}
        if related:
            rec["related_persons"] = related
        rec["court"] = self.court
        rec["province"] = "广西"
        rec["basis_document_number"] = self.basis_document_number
        rec["basis_issuer"] = self.basis_issuer
        rec["filed_on"] = self.filed_on
        rec["published_on"] = self.published_on
        if self.expires_on is not None:
            rec["expires_on"] = self.expires_on
        rec["obligation"] = self.obligation
        rec["performance"] = self.performance
        rec["circumstances"] = self.circumstances
        rec["public"] = self.public
        return rec

    def event_dicts(self, key: str, value: str) -> list[dict[str, Any]]:
        """The case's events for the debtor keyed by ``key`` (``id_number`` or ``name``)."""
        out: list[dict[str, Any]] = []
        for event, effective_on, extra in self.events:
            item: dict[str, Any] = {
                "event": event,
                "case_number": self.case_number,
                key: value,
                "effective_on": effective_on,
            }
            item.update(extra)
            out.append(item)
        return out


class Cases:
    """Draws cases; numbers run up per court and year so none repeats."""

    def __init__(self, rng: DemoRandom, today: dt.date) -> None:
        self._rng = rng
        self._today = today.toordinal()
        self._last_number: dict[str, int] = {}

    def _between(self, low: int, high: int) -> int:
        return self._rng.between(low, high)

    def _published(self, low: int, high: int) -> int:
        """A publication day in [low, high], following the list's growth by year."""
        rng = self._rng
        year = t.PUBLISHED_YEAR.pick(rng)
        day = _new_year(year) + rng.below(365)
        return day if low <= day <= high else self._between(low, high)

    def _number(self, code: str, year: int, paren: tuple[str, str], kind: str) -> str:
        key = f"{code}{year}{kind}"
        last = self._last_number.get(key) or self._rng.between(1, 300)
        number = last + self._rng.between(1, 4)
        self._last_number[key] = number
        return f"{paren[0]}{year}{paren[1]}{code}{kind}{number}号"

    def new(self, home: tuple[Court, Court | None]) -> Case:
        """A new case at ``home`` (70 %) or at another court."""
        rng = self._rng
        court, before_2017 = home if rng.random() < 0.7 else t.COURTS.pick(rng)
        state = STATES.pick(rng)
        published, expires, events = self._lifecycle(state)
        filed = published - rng.between(20, 200)
        year = _year(filed)
        if before_2017 is not None and year < 2017:
            court = before_2017
        paren = ("(", ")") if rng.random() < 0.7 else ("（", "）")
        case_number = self._number(court.code, year, paren, "执恢" if rng.random() < 0.1 else "执")
        basis, issuer = self._basis(court, year - (rng.random() < 0.4), paren)
        amount = int(10 ** (3 + rng.random() * 3.5)) // 100 * 100  # 1 000 to 3 160 000
        return Case(
            case_number=case_number,
            court=court.name,
            basis_document_number=basis,
            basis_issuer=issuer,
            filed_on=_iso(filed),
            published_on=_iso(published),
            expires_on=None if expires is None else _iso(expires),
            obligation=t.OBLIGATIONS.pick(rng).format(amount=amount),
            performance=t.PERFORMANCE.pick(rng),
            circumstances=t.CIRCUMSTANCES.pick(rng),
            public=rng.random() >= 0.08,
            state=state,
            events=[(name, _iso(day), extra) for name, day, extra in events],
        )

    def _basis(self, court: Court, year: int, paren: tuple[str, str]) -> tuple[str, str]:
        rng = self._rng
        roll = rng.random()
        if roll < 0.03:
            return f"柳仲字〔{year}〕第{rng.between(1, 900)}号", "柳州仲裁委员会"
        if roll < 0.15:
            upper = t.INTERMEDIATE_COURTS.get(court.code[:3], court)
            return self._number(upper.code, year, paren, "民终"), upper.name
        kind = "刑初" if roll < 0.2 else "民初"
        return self._number(court.code, year, paren, kind), court.name

    def _lifecycle(self, state: str) -> _Life:
        """Publication day, expiry day and events that put a record in ``state``."""
        years = 2 if self._rng.random() < 0.6 else 3
        if state == "pending":
            notice = self._today - self._rng.between(0, 9)
            return notice + 10, None, [("risk_notice", notice, {})]
        if state == "expired":
            published = self._published(_FIRST_PUBLISHED, _add_years(self._today, -years) - 1)
            return published, _add_years(published, years), []
        if state == "extend":
            return self._extended(years)
        if state == "restore":
            return self._restored()
        return self._decided(state, years)

    def _extended(self, years: int) -> _Life:
        """Active: the term ran out or nearly, and the court extended it past today."""
        rng, today = self._rng, self._today
        expires = today + rng.between(-400, 200)
        published = _add_years(expires, -years)
        asked = max(min(today, expires - rng.between(1, 60)), published + 1)
        extended = max(_add_years(expires, rng.between(1, 2)), today + rng.between(30, 365))
        return published, expires, [("extend", asked, {"expires_on": _iso(extended)})]

    def _restored(self) -> _Life:
        """Active: shielded once, then restored."""
        rng = self._rng
        published = self._published(_FIRST_PUBLISHED, self._today - 90)
        shielded = self._between(published + 30, self._today - 60)
        return (
            published,
            None,
            [
                ("shield", shielded, {"reason": t.SHIELD_REASONS.pick(rng)}),
                ("restore", shielded + rng.between(5, 59), {}),
            ],
        )

    def _decided(self, state: str, years: int) -> _Life:
        """Plain, included after notice, contested, shielded or revoked records."""
        rng, today = self._rng, self._today
        active = state in ("plain", "include", "correction_rejected", "review_rejected")
        contested = "correction" in state or "review" in state
        latest = today - (60 if "review" in state else 30 if contested else 0 if active else 7)
        fixed_term = rng.random() < _EXPIRES_SHARE
        if active and fixed_term:  # still within its term today
            published = self._between(max(_FIRST_PUBLISHED, _add_years(today, -years) + 1), latest)
        else:
            published = self._published(_FIRST_PUBLISHED, latest)
        expires = _add_years(published, years) if fixed_term else None
        events: list[_Event] = []
        if state == "include":
            events.append(("risk_notice", published - rng.between(7, 15), {}))
            events.append(("include", published, {}))
        elif state in ("shield", "revoke"):
            reasons = t.SHIELD_REASONS if state == "shield" else t.REVOKE_REASONS
            # The lifecycle refuses events on an expired listing: end it by its last day.
            ended = self._between(published + 7, today if expires is None else min(today, expires))
            events.append((state, ended, {"reason": reasons.pick(rng)}))
        elif contested:
            events.extend(self._contest(state, published))
        return published, expires, events

    def _contest(self, state: str, published: int) -> list[_Event]:
        """Correction asked within 10 days, decided within 3; then maybe a review."""
        rng = self._rng
        asked = published + rng.between(1, 10)
        decided = asked + rng.between(1, 3)
        events: list[_Event] = [("correction_requested", asked, {})]
        if state == "correction_granted":
            events.append((state, decided, {"reason": "纳入失信名单错误，予以纠正"}))
            return events
        events.append(("correction_rejected", decided, {}))
        if "review" in state:
            review = decided + rng.between(1, 10)
            outcome = {"reason": "复议成立，撤销纳入决定"} if state == "review_granted" else {}
            events.append(("review_requested", review, {}))
            events.append((state, review + rng.between(5, 30), outcome))
        return events
