"""Applying pushes to the index inside one write transaction.

Every change of a record's "live hit" status (as of today) appends one entry
to the change feed, so that units lift their measures in time. Records past
their expiry date are found through the expiry index and reported the first
time anything writes or reads the feed on or after the day after
``expires_on`` — no background job is needed for queries, which compute the
state from the date.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import structlog

from shixin.errors import FailedPrecondition, InvalidArgument, NotFound
from shixin.lifecycle import (
    EventError,
    Status,
    TransitionError,
    check_transition,
    open_deadlines,
    parse_event,
)
from shixin.records import ListRecord
from shixin.store.documents import StoredRecord, build_document, dumps
from shixin.store.env import Store
from shixin.store.keys import record_index_keys
from shixin.store.layout import due_key, expiry_key, posting, seq_bytes, seq_from
from shixin.store.lookup import find_record_id

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """What one push did."""

    record_id: str
    unchanged: bool
    state: str
    change: str = ""


def utc_now() -> str:
    """Timestamp of server-side acceptance."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class Writer:
    """Applies records and events within one write transaction."""

    def __init__(self, store: Store, txn: Any, *, today: date, principal: str) -> None:
        self.store = store
        self.txn = txn
        self.today = today
        self.principal = principal
        self.db = store.dbs
        self.feed_added = 0

    # -- counters ---------------------------------------------------------
    def _next(self, name: str) -> int:
        raw = self.txn.get(name.encode(), db=self.db["meta"])
        value = (int(raw) if raw else 0) + 1
        self.txn.put(name.encode(), str(value).encode(), db=self.db["meta"])
        return value

    def _load(self, record_id: str) -> dict[str, Any] | None:
        raw = self.txn.get(record_id.encode(), db=self.db["records"])
        return json.loads(raw) if raw is not None else None

    # -- records ----------------------------------------------------------
    def put_record(self, record: ListRecord) -> ApplyResult:
        """Insert or replace a record (same key); identical content changes nothing."""
        rid = record.record_id
        old = self._load(rid)
        events: list[dict[str, Any]] = old["e"] if old else []
        versions = int(old["v"]) if old else 0
        doc = build_document(record, events, versions)
        if old is not None and old["r"] == doc["r"]:
            return ApplyResult(rid, True, StoredRecord(old).status(self.today).state.value)
        before = StoredRecord(old).status(self.today) if old else None
        keys = record_index_keys(record)
        if old is not None:
            for key, party in old.get("ix", []):
                self.txn.delete(key.encode(), posting(rid, party), db=self.db["ix"])
        ix_db = self.db["ix"]
        for key, party in keys:
            self.txn.put(key.encode(), posting(rid, party), db=ix_db, dupdata=True)
        doc["ix"] = keys
        doc["v"] = versions + 1
        seq = self._next("hist_seq")
        self.txn.put(rid.encode() + seq_bytes(seq), dumps({
            "type": "version", "seq": seq, "received_at": utc_now(),
            "pushed_by": self.principal, "record": doc["r"],
        }), db=self.db["history"])
        return self._finish(rid, doc, old, before, "record pushed")

    # -- events -----------------------------------------------------------
    def put_event(self, obj: Mapping[str, Any]) -> ApplyResult:
        """Apply one lifecycle event; an illegal transition raises and changes nothing."""
        case_number = str(obj.get("case_number") or "").strip()
        if not case_number:
            raise InvalidArgument("is required", field="case_number", reason="FIELD_REQUIRED")
        id_number = str(obj.get("id_number") or "").strip()
        name = str(obj.get("name") or "").strip()
        if not id_number and not name:
            raise InvalidArgument("an event names its record by id_number or name",
                                  field="id_number", reason="FIELD_REQUIRED")
        try:
            event = parse_event(obj)
        except EventError as exc:
            raise InvalidArgument(exc.message, field=exc.field, reason="BAD_EVENT") from None
        rid = find_record_id(lambda r: self._load(r) is not None, case_number, id_number, name)
        if rid is None:
            who = id_number or name
            raise NotFound(f"no record with case number {case_number!r} and debtor {who!r}",
                           reason="UNKNOWN_RECORD")
        old = self._load(rid)
        assert old is not None
        stored = StoredRecord(old)
        entry = {k: v for k, v in _event_json(obj).items()}
        for existing in old["e"]:
            if {k: existing.get(k) for k in entry} == entry:
                return ApplyResult(rid, True, stored.status(self.today).state.value)
        try:
            check_transition(stored.published_on, stored.expires_on, stored.events, event,
                             self.today)
        except TransitionError as exc:
            raise FailedPrecondition(exc.message, reason=exc.code, field="event") from None
        before = stored.status(self.today)
        seq = self._next("hist_seq")
        entry.update(seq=seq, received_at=utc_now(), pushed_by=self.principal)
        doc = dict(old)
        doc["e"] = [*old["e"], entry]
        self.txn.put(rid.encode() + seq_bytes(seq), dumps({"type": "event", **entry}),
                     db=self.db["history"])
        reason = f"{event.type.value}: {event.reason}" if event.reason else event.type.value
        return self._finish(rid, doc, old, before, reason)

    # -- feed and expiry --------------------------------------------------
    def _finish(self, rid: str, doc: dict[str, Any], old: dict[str, Any] | None,
                before: Status | None, reason: str) -> ApplyResult:
        after = StoredRecord(doc).status(self.today)
        old_xk = old.get("xk") if old else None
        new_xk = None
        if after.active and after.expires_on is not None:
            new_xk = expiry_key(after.expires_on + timedelta(days=1), rid).decode()
        if old_xk and old_xk != new_xk:
            self.txn.delete(old_xk.encode(), db=self.db["expiry"])
        if new_xk:
            self.txn.put(new_xk.encode(), b"", db=self.db["expiry"])
        doc["xk"] = new_xk
        self._index_deadlines(rid, doc, old)
        self.txn.put(rid.encode(), dumps(doc), db=self.db["records"])
        change = ""
        was_active = before.active if before else False
        if after.active != was_active:
            change = "activated" if after.active else "deactivated"
            self.append_change(doc, change, after.since, reason)
        return ApplyResult(rid, False, after.state.value, change)

    def _index_deadlines(self, rid: str, doc: dict[str, Any], old: dict[str, Any] | None) -> None:
        """Keep the deadline index in step with the record's open deadlines."""
        stored = StoredRecord(doc)
        keys = sorted({
            due_key(d.due_on, rid).decode()
            for d in open_deadlines(stored.published_on, stored.expires_on, stored.events,
                                    self.today)
        })
        for key in (old or {}).get("dk", []):
            if key not in keys:
                self.txn.delete(key.encode(), db=self.db["due"])
        for key in keys:
            self.txn.put(key.encode(), b"", db=self.db["due"])
        doc["dk"] = keys

    def append_change(self, doc: Mapping[str, Any], kind: str, effective_on: date,
                      reason: str) -> int:
        """Append one change to the feed; returns its sequence."""
        seq = self._next("feed_seq")
        self.txn.put(seq_bytes(seq), dumps({
            "seq": seq, "kind": kind, "rid": doc["id"],
            "case_number": doc["r"]["case_number"], "public": bool(doc["r"].get("public", True)),
            "effective_on": effective_on.isoformat(), "reason": reason,
            "recorded_at": utc_now(),
        }), db=self.db["feed"])
        self.feed_added += 1
        return seq

    def catch_up_expiries(self) -> int:
        """Report records whose expiry day has come; returns how many."""
        limit = f"{self.today:%Y%m%d}".encode()
        due: list[bytes] = []
        with self.txn.cursor(db=self.db["expiry"]) as cur:
            for key in cur.iternext(keys=True, values=False):
                if key[:8] > limit:
                    break
                due.append(bytes(key))
        for key in due:
            rid = key[8:].decode()
            self.txn.delete(key, db=self.db["expiry"])
            old = self._load(rid)
            if old is None:
                continue
            st = StoredRecord(old).status(self.today)
            doc = dict(old)
            doc["xk"] = None
            if st.active and st.expires_on is not None:
                doc["xk"] = expiry_key(st.expires_on + timedelta(days=1), rid).decode()
                self.txn.put(doc["xk"].encode(), b"", db=self.db["expiry"])
            self.txn.put(rid.encode(), dumps(doc), db=self.db["records"])
            if not st.active:
                day = date(int(key[:4]), int(key[4:6]), int(key[6:8]))
                self.append_change(doc, "deactivated", day,
                                   f"expired after {day - timedelta(days=1)}")
        return len(due)


def _event_json(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an event that define it (used for storage and de-duplication)."""
    out = {"event": str(obj.get("event", "")).strip(),
           "effective_on": str(obj.get("effective_on", "")).strip()}
    for name in ("reason", "expires_on"):
        value = str(obj.get(name) or "").strip()
        if value:
            out[name] = value
    return out


def feed_head(txn: Any, store: Store) -> int:
    """Last feed sequence (0 when empty)."""
    with txn.cursor(db=store.dbs["feed"]) as cur:
        return seq_from(cur.key()) if cur.last() else 0
