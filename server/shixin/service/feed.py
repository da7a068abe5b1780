"""The change feed and acknowledgements (惩戒措施解除).

Semantics (docs/lifecycle.md has the long form):

* every activation and deactivation of a record is one feed entry with a
  strictly increasing sequence, appended in the same write transaction as the
  push that caused it; a read snapshot always sees a gap-free prefix, so a
  subscriber that resumes after the last sequence it received loses nothing
  and receives nothing twice;
* date-driven changes (publication, expiry) are materialised lazily: whenever
  the feed is read and a wake day has come, one short write transaction
  appends them first — no background job;
* followers wait on a condition that in-process writers notify, and poll as a
  fallback so that changes written by another process (``shixin import``)
  are seen too. Each stream runs in its own worker thread and holds no lock
  or transaction while it waits to send, so a slow reader holds back only
  itself;
* public callers may not read the feed: it would list the whole register,
  which the public query deliberately does not allow (full name *and* ID).
  Callers that may not see non-public records do not get their entries —
  except a unit's own deactivations of records it was told of, which it must
  act on whatever happened to the record's ``public`` flag since;
* a unit that receives an activation while its period is still running was
  told of the record (``shixin.service.ledger``); the deactivation ending
  that period then carries ``unit_was_told`` for it, and ``missing`` lists
  it until the unit acknowledges it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shixin.auth import Principal, Role, can_see_full_ids, can_see_nonpublic
from shixin.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ShixinError,
    Status,
)
from shixin.service.clock import Clock
from shixin.service.ledger import ToldLedger
from shixin.service.views import RecordView, record_view
from shixin.store import ReadView, Store, StoredRecord, Writer
from shixin.store.layout import ack_key, day_prefix

POLL_SECONDS = 0.5
"""How often a follower looks for changes written by another process."""
DEFAULT_GRACE_DAYS = 3
"""Days a told unit has to acknowledge a deactivation ("及时解除"; our assumption)."""


class AlreadyExists(ShixinError):
    """The unit already acknowledged this change differently."""

    status = Status.ALREADY_EXISTS


@dataclass(frozen=True, slots=True)
class ChangeView:
    """One feed entry as a caller sees it."""

    sequence: int
    kind: str
    record: RecordView | None
    effective_on: str
    reason: str
    recorded_at: str
    unit_was_told: bool


@dataclass(frozen=True, slots=True)
class Retained:
    """A measure a unit keeps after a deactivation, with basis and end date."""

    measure_code: str
    legal_basis: str
    retain_until: date


@dataclass(frozen=True, slots=True)
class Missing:
    """A deactivation a unit was told of and has not acknowledged in time."""

    unit: str
    sequence: int
    record_id: str
    case_number: str
    effective_on: str
    days_overdue: int
    told_via: str = ""
    told_at: str = ""


def _day(entry: dict[str, Any], name: str) -> date | None:
    value = entry.get(name)
    return date.fromisoformat(value) if value else None


def acknowledge_from(entry: dict[str, Any]) -> date:
    """The day a unit's grace period starts: the first day the change could be known.

    That is the day a pushed change was recorded (a shield the court dated a
    week back cannot have been acted on before it arrived), and the day itself
    for a publication or an expiry (their dates were in the record all along).
    """
    effective = date.fromisoformat(entry["effective_on"])
    known = _day(entry, "known_on") or _day(entry, "recorded_on")
    return max(effective, known) if known is not None else effective


class FeedService:
    """Reading the feed, acknowledging deactivations, reporting missing ones."""

    def __init__(self, store: Store, clock: Clock, ledger: ToldLedger | None,
                 changed: threading.Condition) -> None:
        self.store = store
        self.clock = clock
        self.ledger = ledger
        self.changed = changed
        self._catch_up_lock = threading.Lock()

    def catch_up(self) -> int:
        """Append the date-driven changes whose day has come (cheap read check first)."""
        today = self.clock()
        with self.store.read_txn() as txn:
            if not ReadView(self.store, txn).wake_due(day_prefix(today)):
                return 0
        with self._catch_up_lock, self.store.write_txn() as txn:
            writer = Writer(self.store, txn, today=today, principal="date")
            writer.catch_up()
            added = writer.feed_added
        if added:
            with self.changed:
                self.changed.notify_all()
        return added

    # -- who sees what -------------------------------------------------------
    def _was_told(self, view: ReadView, unit: str, rid: str, period: int) -> bool:
        if self.ledger is not None and self.ledger.knows(unit, rid, period):
            return True
        return view.told(unit, rid, period) is not None

    def _visible(self, principal: Principal, view: ReadView, entry: dict[str, Any],
                 rec: StoredRecord | None) -> tuple[bool, bool]:
        """(may the caller see the entry, was the calling unit told of what it ends).

        Non-public records: their own court sees them (the feed enumerates, so
        not every court); a unit sees the deactivations it was told of.
        """
        told = False
        if principal.role == Role.UNIT and entry["kind"] == "deactivated":
            told = self._was_told(view, principal.id, entry["rid"], int(entry.get("period", 0)))
        public = bool(entry.get("public", True)) and (rec is None or rec.public)
        court = str(entry.get("court") or (rec.record.get("court", "") if rec else ""))
        return public or can_see_nonpublic(principal, court) or told, told

    @staticmethod
    def _check_reader(principal: Principal) -> None:
        if principal.role == Role.PUBLIC:
            raise PermissionDenied(
                "public callers may not read the change feed: it would list the whole "
                "register; look a person up by full name and ID number instead",
                reason="PUBLIC_NO_FEED")

    # -- reading ---------------------------------------------------------------
    def page(self, principal: Principal, after: int, limit: int) -> tuple[list[ChangeView], int]:
        """Up to ``limit`` changes after ``after`` visible to the caller, and the feed head.

        Fewer than ``limit`` means every entry up to the head was looked at.
        """
        self._check_reader(principal)
        self.catch_up()
        today = self.clock()
        whole = can_see_full_ids(principal)
        unit = principal.id if principal.role == Role.UNIT else ""
        out: list[ChangeView] = []
        tells: list[tuple[str, int]] = []
        with self.store.read_txn() as txn:
            view = ReadView(self.store, txn)
            head = view.feed_head()
            cursor = after
            while len(out) < limit and cursor < head:
                entries = view.feed_after(cursor, limit)
                if not entries:
                    break
                for entry in entries:
                    cursor = int(entry["seq"])
                    rec = view.get(entry["rid"])
                    visible, told = self._visible(principal, view, entry, rec)
                    if not visible:
                        continue
                    period = int(entry.get("period", 0))
                    if (unit and entry["kind"] == "activated" and rec is not None
                            and int(rec.doc.get("nd", 0)) <= period):
                        tells.append((entry["rid"], period))  # the period is still running
                    out.append(ChangeView(
                        sequence=cursor, kind=entry["kind"],
                        record=record_view(rec, today, whole_ids=whole) if rec else None,
                        effective_on=entry["effective_on"], reason=entry["reason"],
                        recorded_at=entry["recorded_at"], unit_was_told=told))
                    if len(out) >= limit:
                        break
        if self.ledger is not None:
            for rid, period in tells:
                self.ledger.tell(unit, rid, "feed", period)
        return out, head

    def follow(self, principal: Principal, after: int, limit: int,
               alive: Callable[[], bool]) -> Iterator[tuple[list[ChangeView], int]]:
        """Non-empty pages of changes, waiting for new ones, until ``alive()`` is false."""
        self._check_reader(principal)
        cursor = after
        while alive():
            changes, head = self.page(principal, cursor, limit)
            if changes:
                cursor = changes[-1].sequence
                yield changes, head
                continue
            cursor = max(cursor, head)
            with self.changed:
                # Writers notify after their commit, holding this lock: a commit
                # before this read is seen here, one after it wakes the wait.
                if self._head() > cursor:
                    continue
                self.changed.wait(timeout=POLL_SECONDS)

    def _head(self) -> int:
        with self.store.read_txn() as txn:
            return ReadView(self.store, txn).feed_head()

    # -- acknowledging -----------------------------------------------------------
    def _check_retained(self, principal: Principal, retained: list[Retained],
                        today: date) -> None:
        codes: set[str] = set()
        for i, r in enumerate(retained):
            where = f"retained[{i}]"
            code = r.measure_code.strip()
            if not code:
                raise InvalidArgument("is required", field=f"{where}.measure_code",
                                      reason="FIELD_REQUIRED")
            if code not in principal.measures:
                raise InvalidArgument(
                    f"{code!r} is not a measure of unit {principal.id!r}; it can keep only "
                    f"its own ({', '.join(sorted(principal.measures))})",
                    field=f"{where}.measure_code", reason="NOT_OWN_MEASURE")
            if code in codes:
                raise InvalidArgument(f"{code!r} is listed twice", field=f"{where}.measure_code",
                                      reason="DUPLICATE_MEASURE")
            codes.add(code)
            if not r.legal_basis.strip():
                raise InvalidArgument(
                    "a retained measure needs the law or regulation that requires keeping it "
                    "(必须严格按照法律法规的有关规定实施)",
                    field=f"{where}.legal_basis", reason="NO_LEGAL_BASIS")
            if r.retain_until < today:
                raise InvalidArgument(
                    f"{r.retain_until} is in the past (today is {today})",
                    field=f"{where}.retain_until", reason="BAD_RETAIN_UNTIL")

    def acknowledge(self, principal: Principal, sequence: int, retained: list[Retained],
                    note: str) -> tuple[str, str]:
        """Record that a unit lifted (or kept, with basis and end date) its measures.

        Acknowledging again with the same content returns the first
        acknowledgement (a retried call); with other content it is refused:
        nothing is ever overwritten.
        """
        if principal.role != Role.UNIT:
            raise PermissionDenied("only units acknowledge changes", reason="NOT_A_UNIT")
        if sequence <= 0:
            raise InvalidArgument("must be a positive feed sequence", field="sequence",
                                  reason="BAD_SEQUENCE")
        today = self.clock()
        self._check_retained(principal, retained, today)
        body = {"note": note.strip(),
                "retained": [{"measure_code": r.measure_code.strip(),
                              "legal_basis": r.legal_basis.strip(),
                              "retain_until": r.retain_until.isoformat()} for r in retained]}
        with self.store.write_txn() as txn:
            view = ReadView(self.store, txn)
            entry = view.feed_entry(sequence)
            visible = False
            if entry is not None:
                visible, _ = self._visible(principal, view, entry, view.get(entry["rid"]))
            if entry is None or not visible:
                raise NotFound(f"no change with sequence {sequence}", reason="NO_SUCH_CHANGE",
                               field="sequence")
            if entry["kind"] != "deactivated":
                raise FailedPrecondition(
                    f"change {sequence} is an activation; only deactivations are acknowledged "
                    "(measures are lifted when a record stops being active)",
                    reason="NOT_A_DEACTIVATION", field="sequence")
            existing = view.ack(principal.id, sequence)
            if existing is not None:
                if {k: existing.get(k) for k in body} == body:
                    return entry["rid"], str(existing["at"])
                raise AlreadyExists(
                    f"change {sequence} was already acknowledged at {existing['at']} with other "
                    "content; acknowledgements are never overwritten",
                    reason="ALREADY_ACKNOWLEDGED", field="sequence")
            now = datetime.now(UTC).isoformat(timespec="seconds")
            txn.put(ack_key(principal.id, sequence),
                    json.dumps({"at": now, "on": today.isoformat(), "rid": entry["rid"], **body},
                               ensure_ascii=False).encode(),
                    db=self.store.dbs["acks"])
        return entry["rid"], now

    def missing(self, principal: Principal, *, unit: str = "",
                grace_days: int = DEFAULT_GRACE_DAYS, as_of: date | None = None) -> list[Missing]:
        """Deactivations that units were told of before they happened and have not
        acknowledged within ``grace_days`` of learning of them.

        Units see their own; courts see their own records'; admins see all.
        """
        court = ""
        if principal.role == Role.PUBLIC:
            raise PermissionDenied("public callers may not read this report",
                                   reason="PUBLIC_NO_REPORTS")
        if principal.role == Role.UNIT:
            if unit and unit != principal.id:
                raise PermissionDenied("a unit sees only its own acknowledgements",
                                       reason="OTHER_UNIT")
            unit = principal.id
        elif principal.role == Role.COURT:
            court = principal.court or ""
        if grace_days < 0:
            raise InvalidArgument("must not be negative", field="grace_days",
                                  reason="BAD_GRACE_DAYS")
        self.catch_up()
        today = as_of or self.clock()
        out: list[Missing] = []
        with self.store.read_txn() as txn:
            view = ReadView(self.store, txn)
            for who, rid, period, info in view.told_entries(unit):
                rec = view.get(rid)
                ended: list[int] = list(rec.doc.get("ds", [])) if rec is not None else []
                if period >= len(ended):
                    continue  # the period the unit was told of is still running
                seq = int(ended[period])
                entry = view.feed_entry(seq)
                if entry is None or (court and entry.get("court") != court):
                    continue
                due = acknowledge_from(entry) + timedelta(days=grace_days)
                if today <= due or view.ack(who, seq) is not None:
                    continue
                out.append(Missing(who, seq, rid, entry["case_number"], entry["effective_on"],
                                   (today - due).days, str(info.get("via", "")),
                                   str(info.get("at", ""))))
        out.sort(key=lambda m: (m.unit, m.sequence))
        return out
