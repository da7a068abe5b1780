"""Applying pushes to the index inside one write transaction.

Every change of a record's activeness (is it a live hit today?) appends one
entry to the change feed, so that units lift their measures in time. The
record document remembers what the feed last said about it (``live``), how
many deactivations it reported (``nd``, the current *period*, see
``layout``) and their sequences (``ds``); a change is appended exactly when
the state computed from the events and today disagrees with ``live``.

Two changes need no event: a record coming into force on ``published_on``
and one expiring the day after ``expires_on``. Their day is kept in the
``wake`` index, and ``catch_up`` reports every change whose day has come the
first time anything writes, or reads the feed, on or after it. Queries never
wait for that: they compute the state from the date.
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
    Event,
    EventError,
    State,
    Status,
    TransitionError,
    check_transition,
    open_deadlines,
    parse_event,
)
from shixin.records import ListRecord
from shixin.store.cards import encode_cards, record_tags
from shixin.store.documents import StoredRecord, build_document, dumps
from shixin.store.env import Store
from shixin.store.keys import record_index_keys
from shixin.store.layout import (
    day_key,
    day_of,
    day_prefix,
    party_key,
    posting,
    seq_bytes,
    seq_from,
)
from shixin.store.lookup import find_record_id

log = structlog.get_logger(__name__)

BOOKKEEPING = ("ix", "tg", "live", "nd", "ds", "wk", "dk")
"""Document fields the writer keeps across versions of a record (not part of the record)."""


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """What one push did: the record, its state after, and the feed change it caused."""

    record_id: str
    unchanged: bool
    state: str
    change: str = ""
    feed_sequence: int = 0


def utc_now() -> str:
    """Timestamp of server-side acceptance."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def wake_day(rec: StoredRecord, st: Status, today: date) -> date | None:
    """The next day on which the record's activeness changes with no event, if any.

    A record pending until a future ``published_on`` comes into force on it; a
    live record with an end date stops being live the day after it.
    """
    return wake_day_for(rec.published_on, st, today)


def wake_day_for(published_on: date, st: Status, today: date) -> date | None:
    """``wake_day`` of a record published on ``published_on``."""
    if st.state is State.PENDING and published_on > today:
        return published_on
    if st.active and st.expires_on is not None:
        return st.expires_on + timedelta(days=1)
    return None


def event_target(obj: Mapping[str, Any]) -> tuple[Event, list[str], str]:
    """Check an event row; its event, the record ids it may name (in the order
    ``find_record_id`` tries them) and what to say when none exists.

    Raises ``InvalidArgument`` for a row that names no record or is not an event.
    """
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
    candidates: list[str] = []

    def collect(rid: str) -> bool:
        candidates.append(rid)
        return False

    find_record_id(collect, case_number, id_number, name)
    who = id_number or name
    return event, candidates, f"no record with case number {case_number!r} and debtor {who!r}"


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
        for name in BOOKKEEPING:
            if old is not None and name in old:
                doc[name] = old[name]
        keys = record_index_keys(record)
        tags = record_tags(doc)
        ix_db = self.db["ix"]
        if old is not None:
            old_tags = [bytes.fromhex(t) for t in old.get("tg", [])]
            for key, party in old.get("ix", []):
                self.txn.delete(key.encode(), posting(rid, party, old_tags[party]), db=ix_db)
            for party in range(len(tags), len(old_tags)):
                self.txn.delete(party_key(rid, party), db=self.db["cards"])
        for key, party in keys:
            self.txn.put(key.encode(), posting(rid, party, bytes.fromhex(tags[party])),
                         db=ix_db, dupdata=True)
        doc["ix"] = keys
        doc["tg"] = tags
        doc["v"] = versions + 1
        seq = self._next("hist_seq")
        self.txn.put(rid.encode() + seq_bytes(seq), dumps({
            "type": "version", "seq": seq, "received_at": utc_now(),
            "pushed_by": self.principal, "record": doc["r"],
        }), db=self.db["history"])
        return self._settle(doc)

    # -- events -----------------------------------------------------------
    def put_event(self, obj: Mapping[str, Any], record_id: str | None = None) -> ApplyResult:
        """Apply one lifecycle event; an illegal transition raises and changes nothing.

        ``record_id``: the record it applies to, when the caller found it already
        (the importer resolves every event of an import before writing any).
        """
        event, candidates, missing = event_target(obj)
        rid = record_id
        if rid is None:
            rid = next((r for r in candidates
                        if self.txn.get(r.encode(), db=self.db["records"]) is not None), None)
        if rid is None:
            raise NotFound(missing, reason="UNKNOWN_RECORD")
        old = self._load(rid)
        assert old is not None
        stored = StoredRecord(old)
        entry = _event_json(obj)
        if any(_defining(existing) == entry for existing in old["e"]):
            return ApplyResult(rid, True, stored.status(self.today).state.value)
        try:
            check_transition(stored.published_on, stored.expires_on, stored.events, event,
                             self.today)
        except TransitionError as exc:
            raise FailedPrecondition(exc.message, reason=exc.reason, field="event") from None
        seq = self._next("hist_seq")
        entry.update(seq=seq, received_at=utc_now(), pushed_by=self.principal)
        doc = dict(old)
        doc["e"] = [*old["e"], entry]
        self.txn.put(rid.encode() + seq_bytes(seq), dumps({"type": "event", **entry}),
                     db=self.db["history"])
        return self._settle(doc)

    # -- state, feed, wake-up and deadline indexes -----------------------
    def _settle(self, doc: dict[str, Any], on: date | None = None) -> ApplyResult:
        """Report the record's change of activeness on ``on`` (default today), if any,
        re-index it and store it."""
        day = on or self.today
        doc.pop("tl", None)  # a copy of the previous version's: recompute from these events
        rec = StoredRecord(doc)
        doc["tl"] = rec.timeline().to_json()
        after = rec.status(day)
        kind, seq = self._report(doc, after, day)
        self._index_wake(doc, rec, after, day)
        self._index_deadlines(doc, rec, day)
        self.txn.put(rec.record_id.encode(), dumps(doc), db=self.db["records"])
        for party, card in enumerate(encode_cards(doc)):
            self.txn.put(party_key(rec.record_id, party), card, db=self.db["cards"])
        return ApplyResult(rec.record_id, False, after.state.value, kind, seq)

    def _report(self, doc: dict[str, Any], after: Status, known_on: date) -> tuple[str, int]:
        """Append the change the feed has not reported yet; ("", 0) when there is none.

        ``known_on`` is the first day anyone could know of the change: the day it
        was pushed, or for a date-driven change its own day (the dates were
        in the record all along), which is when the units' grace days start.
        """
        if after.active == bool(doc.get("live", False)):
            return "", 0
        kind = "activated" if after.active else "deactivated"
        period = int(doc.get("nd", 0))
        seq = self._next("feed_seq")
        record = doc["r"]
        self.txn.put(seq_bytes(seq), dumps({
            "seq": seq, "kind": kind, "rid": doc["id"], "period": period,
            "case_number": record["case_number"], "court": record.get("court", ""),
            "public": bool(record.get("public", True)),
            "effective_on": after.since.isoformat(), "reason": after.reason or after.state.value,
            "recorded_at": utc_now(), "recorded_on": self.today.isoformat(),
            "known_on": known_on.isoformat(),
        }), db=self.db["feed"])
        self.feed_added += 1
        doc["live"] = after.active
        if not after.active:
            doc["nd"] = period + 1
            doc["ds"] = [*doc.get("ds", []), seq]
        return kind, seq

    def _index_wake(self, doc: dict[str, Any], rec: StoredRecord, after: Status,
                    day: date) -> None:
        wake = wake_day(rec, after, day)
        new = day_key(wake, rec.record_id).decode() if wake is not None else None
        old = doc.get("wk")
        if old and old != new:
            self.txn.delete(old.encode(), db=self.db["wake"])
        if new:
            self.txn.put(new.encode(), b"", db=self.db["wake"])
        doc["wk"] = new

    def _index_deadlines(self, doc: dict[str, Any], rec: StoredRecord, day: date) -> None:
        """Keep the deadline index in step with the record's open deadlines."""
        keys = sorted({
            day_key(d.due_on, rec.record_id).decode()
            for d in open_deadlines(rec.published_on, rec.expires_on, rec.events, day)
        })
        for key in doc.get("dk", []):
            if key not in keys:
                self.txn.delete(key.encode(), db=self.db["due"])
        for key in keys:
            self.txn.put(key.encode(), b"", db=self.db["due"])
        doc["dk"] = keys

    def catch_up(self) -> int:
        """Report the date-driven changes (publication, expiry) whose day has come.

        Each is settled as of its own day, earliest first, so that a record that
        came into force and expired since the last catch-up is reported as both,
        in order: a unit that saw it live in between must hear of the end.
        Returns how many wake-ups were handled.
        """
        limit = day_prefix(self.today)
        handled = 0
        wake_db = self.db["wake"]
        while True:
            with self.txn.cursor(db=wake_db) as cur:
                if not cur.first() or bytes(cur.key()[:8]) > limit:
                    return handled
                key = bytes(cur.key())
            self.txn.delete(key, db=wake_db)
            handled += 1
            doc = self._load(key[8:].decode())
            if doc is None or doc.get("wk") != key.decode():
                continue
            doc["wk"] = None
            self._settle(doc, day_of(key))

    def catch_up_expiries(self) -> int:
        """``catch_up``, under the name ``shixin.service.importer`` calls."""
        return self.catch_up()


_DEFINING = ("event", "effective_on", "reason", "expires_on")


def _defining(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A stored event entry without its bookkeeping (seq, received_at, pushed_by)."""
    return {k: entry[k] for k in _DEFINING if entry.get(k)}


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
