"""The change feed and acknowledgements (惩戒措施解除).

Expiries are materialised into the feed lazily: whenever the feed is read and
some record's expiry day has come, one short write transaction appends the
deactivations first. Followers wait on a condition that in-process writers
notify, and poll as a fallback so that changes written by another process
(``shixin import``) are seen too.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from shixin.auth import Principal, Role, can_see_nonpublic
from shixin.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from shixin.service.clock import Clock
from shixin.service.ledger import ToldLedger
from shixin.service.views import RecordView, record_view
from shixin.store import ReadView, Store, Writer
from shixin.store.layout import ack_key

POLL_SECONDS = 0.5


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


class FeedService:
    """Reading the feed, acknowledging deactivations, reporting missing ones."""

    def __init__(self, store: Store, clock: Clock, ledger: ToldLedger | None,
                 changed: threading.Condition) -> None:
        self.store = store
        self.clock = clock
        self.ledger = ledger
        self.changed = changed
        self._expiry_lock = threading.Lock()

    def catch_up(self) -> int:
        """Append due expiries to the feed (cheap read check first)."""
        today = self.clock()
        with self.store.read_txn() as txn:
            if not ReadView(self.store, txn).expiry_due(f"{today:%Y%m%d}".encode()):
                return 0
        with self._expiry_lock, self.store.write_txn() as txn:
            writer = Writer(self.store, txn, today=today, principal="expiry")
            writer.catch_up_expiries()
            added = writer.feed_added
        if added:
            with self.changed:
                self.changed.notify_all()
        return added

    def page(self, principal: Principal, after: int, limit: int) -> tuple[list[ChangeView], int]:
        """Changes after ``after`` visible to the caller, and the feed head."""
        self.catch_up()
        today = self.clock()
        whole = principal.role != Role.PUBLIC
        nonpublic = can_see_nonpublic(principal)
        out: list[ChangeView] = []
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
                    if not entry.get("public", True) and not nonpublic:
                        continue
                    out.append(self._view(view, principal, entry, today, whole))
                    if len(out) >= limit:
                        break
        if self.ledger is not None and principal.role == Role.UNIT:
            for c in out:
                if c.kind == "activated" and c.record is not None:
                    self.ledger.tell(principal.id, c.record.record_id, "feed")
        return out, head

    def _view(self, view: ReadView, principal: Principal, entry: dict[str, Any], today: date,
              whole: bool) -> ChangeView:
        rec = view.get(entry["rid"])
        told = principal.role == Role.UNIT and view.told(principal.id, entry["rid"]) is not None
        return ChangeView(
            sequence=int(entry["seq"]), kind=entry["kind"],
            record=record_view(rec, today, whole_ids=whole) if rec else None,
            effective_on=entry["effective_on"], reason=entry["reason"],
            recorded_at=entry["recorded_at"], unit_was_told=told,
        )

    def follow(self, principal: Principal, after: int, limit: int,
               alive: Any) -> Iterator[tuple[list[ChangeView], int]]:
        """Pages of changes forever (until ``alive()`` is false); each page is non-empty."""
        cursor = after
        while alive():
            changes, head = self.page(principal, cursor, limit)
            if changes:
                cursor = changes[-1].sequence
                yield changes, head
                continue
            cursor = max(cursor, head) if not changes else cursor
            with self.changed:
                self.changed.wait(timeout=POLL_SECONDS)

    def acknowledge(self, principal: Principal, sequence: int, retained: list[Retained],
                    note: str) -> tuple[str, str]:
        """Record that a unit lifted (or kept, with basis and end date) its measures."""
        if principal.role != Role.UNIT:
            raise PermissionDenied("only units acknowledge changes", reason="NOT_A_UNIT")
        today = self.clock()
        for i, r in enumerate(retained):
            where = f"retained[{i}]"
            if not r.measure_code:
                raise InvalidArgument("is required", field=f"{where}.measure_code",
                                      reason="FIELD_REQUIRED")
            if not r.legal_basis.strip():
                raise InvalidArgument("a retained measure needs its legal basis",
                                      field=f"{where}.legal_basis", reason="NO_LEGAL_BASIS")
            if r.retain_until < today:
                raise InvalidArgument(f"{r.retain_until} is in the past",
                                      field=f"{where}.retain_until", reason="BAD_RETAIN_UNTIL")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.store.write_txn() as txn:
            view = ReadView(self.store, txn)
            entry = view.feed_entry(sequence)
            if entry is None:
                raise NotFound(f"no change with sequence {sequence}", reason="NO_SUCH_CHANGE")
            if entry["kind"] != "deactivated":
                raise FailedPrecondition(f"change {sequence} is an activation; only "
                                         "deactivations are acknowledged",
                                         reason="NOT_A_DEACTIVATION")
            txn.put(ack_key(principal.id, sequence), json.dumps({
                "at": now, "rid": entry["rid"], "note": note,
                "retained": [{"measure_code": r.measure_code, "legal_basis": r.legal_basis,
                              "retain_until": r.retain_until.isoformat()} for r in retained],
            }, ensure_ascii=False).encode(), db=self.store.dbs["acks"])
        return entry["rid"], now

    def missing(self, principal: Principal, *, unit: str = "", grace_days: int = 3,
                as_of: date | None = None) -> list[Missing]:
        """Deactivations of records a unit was told of, unacknowledged after the grace days."""
        if principal.role == Role.PUBLIC:
            raise PermissionDenied("public callers may not read this report",
                                   reason="PUBLIC_NO_REPORTS")
        if principal.role == Role.UNIT:
            if unit and unit != principal.id:
                raise PermissionDenied("a unit sees only its own acknowledgements",
                                       reason="OTHER_UNIT")
            unit = principal.id
        self.catch_up()
        today = as_of or self.clock()
        told: dict[str, list[str]] = {}
        out: list[Missing] = []
        with self.store.read_txn() as txn:
            view = ReadView(self.store, txn)
            for u, rid, _info in view.told_units():
                if not unit or u == unit:
                    told.setdefault(rid, []).append(u)
            cursor = 0
            while True:
                entries = view.feed_after(cursor, 1000)
                if not entries:
                    break
                for e in entries:
                    cursor = int(e["seq"])
                    if e["kind"] != "deactivated" or e["rid"] not in told:
                        continue
                    due = date.fromisoformat(e["effective_on"]) + timedelta(days=grace_days)
                    if due >= today:
                        continue
                    for u in told[e["rid"]]:
                        if view.ack(u, cursor) is None:
                            out.append(Missing(u, cursor, e["rid"], e["case_number"],
                                               e["effective_on"], (today - due).days))
        out.sort(key=lambda m: (m.unit, m.sequence))
        return out
