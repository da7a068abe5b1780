"""Read-side access to one snapshot of the index (one read transaction)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from shixin.store.cards import Card, decode_card
from shixin.store.documents import StoredRecord
from shixin.store.env import Store
from shixin.store.layout import (
    POSTING_LEN,
    TAG_LEN,
    ack_key,
    parse_told_key,
    party_key,
    seq_bytes,
    seq_from,
    told_key,
)
from shixin.store.lookup import find_record_id


class ReadView:
    """Postings, records, history and feed as of one snapshot."""

    def __init__(self, store: Store, txn: Any) -> None:
        self.store = store
        self.txn = txn
        self._ix = store.dbs["ix"]
        self._records = store.dbs["records"]
        self._cards = store.dbs["cards"]
        self._cache: dict[str, StoredRecord | None] = {}

    def _scan(self, key: str, low: bytes, high: bytes) -> Iterator[bytes]:
        """Raw postings of ``key``, from tag ``low`` up to ``high`` (on ``len(high)`` bytes).

        LMDB seeks to ``low``, so postings before it cost nothing.
        """
        with self.txn.cursor(db=self._ix) as cur:
            found = cur.set_range_dup(key.encode(), low) if low else cur.set_key(key.encode())
            if not found:
                return
            span = len(high)
            for raw in cur.iternext_dup(keys=False):
                if span and raw[:span] > high:
                    return
                if len(raw) == POSTING_LEN:
                    yield raw

    def iter_postings(self, key: str, limit: int, low: bytes = b"",
                      high: bytes = b"") -> Iterator[tuple[str, int]]:
        """(record_id, party) pairs under an index key, lazily, at most ``limit``."""
        for n, raw in enumerate(self._scan(key, low, high)):
            if n >= limit:
                return
            yield raw[TAG_LEN:TAG_LEN + 16].decode(), int(raw[TAG_LEN + 16:POSTING_LEN], 16)

    def postings(self, key: str, limit: int, low: bytes = b"",
                 high: bytes = b"") -> list[tuple[str, int]]:
        """Up to ``limit`` (record_id, party) pairs stored under an index key."""
        return list(self.iter_postings(key, limit, low, high))

    def tagged_postings(self, key: str, limit: int, low: bytes = b"",
                        high: bytes = b"") -> list[tuple[bytes, tuple[str, int]]]:
        """Like ``postings``, with each posting's tag (see ``cards``)."""
        out: list[tuple[bytes, tuple[str, int]]] = []
        for raw in self._scan(key, low, high):
            out.append((raw[:TAG_LEN], (raw[TAG_LEN:TAG_LEN + 16].decode(),
                                        int(raw[TAG_LEN + 16:POSTING_LEN], 16))))
            if len(out) >= limit:
                break
        return out

    def card(self, record_id: str, party: int) -> Card | None:
        """A party's card (name, ID facts, live interval), without the document."""
        raw = self.txn.get(party_key(record_id, party), db=self._cards)
        return decode_card(record_id, party, raw) if raw is not None else None

    def get(self, record_id: str) -> StoredRecord | None:
        """One record by id (cached for the life of the view)."""
        if record_id in self._cache:
            return self._cache[record_id]
        raw = self.txn.get(record_id.encode(), db=self._records)
        rec = StoredRecord.from_bytes(raw) if raw is not None else None
        self._cache[record_id] = rec
        return rec

    def find(self, case_number: str, id_number: str, name: str) -> StoredRecord | None:
        """A record by its key as a court writes it."""
        rid = find_record_id(lambda r: self.get(r) is not None, case_number, id_number, name)
        return self.get(rid) if rid else None

    def history(self, record_id: str) -> list[dict[str, Any]]:
        """Every version and event of a record, oldest first."""
        prefix = record_id.encode()
        out = []
        with self.txn.cursor(db=self.store.dbs["history"]) as cur:
            if cur.set_range(prefix):
                for key, value in cur.iternext():
                    if not key.startswith(prefix):
                        break
                    out.append(json.loads(value))
        return out

    def feed_after(self, seq: int, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` feed entries with a sequence greater than ``seq``."""
        out: list[dict[str, Any]] = []
        with self.txn.cursor(db=self.store.dbs["feed"]) as cur:
            if not cur.set_range(seq_bytes(seq + 1)):
                return out
            for value in cur.iternext(keys=False):
                out.append(json.loads(value))
                if len(out) >= limit:
                    break
        return out

    def feed_entry(self, seq: int) -> dict[str, Any] | None:
        """One feed entry."""
        raw = self.txn.get(seq_bytes(seq), db=self.store.dbs["feed"])
        return json.loads(raw) if raw is not None else None

    def feed_head(self) -> int:
        """Last feed sequence (0 when empty)."""
        with self.txn.cursor(db=self.store.dbs["feed"]) as cur:
            return seq_from(cur.key()) if cur.last() else 0

    def wake_due(self, day_key: bytes) -> bool:
        """Whether some record's wake day (publication, expiry) is on or before ``day_key``."""
        with self.txn.cursor(db=self.store.dbs["wake"]) as cur:
            return bool(cur.first()) and bytes(cur.key()[:8]) <= day_key

    def told(self, unit: str, record_id: str, period: int) -> dict[str, Any] | None:
        """When and how a unit was told of a record during ``period``, if it was."""
        raw = self.txn.get(told_key(unit, record_id, period), db=self.store.dbs["told"])
        return json.loads(raw) if raw is not None else None

    def told_entries(self, unit: str = "") -> Iterator[tuple[str, str, int, dict[str, Any]]]:
        """Every (unit, record_id, period, info) of the told ledger, or one unit's."""
        prefix = f"{unit}\0".encode() if unit else b""
        with self.txn.cursor(db=self.store.dbs["told"]) as cur:
            if not cur.set_range(prefix):
                return
            for key, value in cur.iternext():
                raw = bytes(key)
                if not raw.startswith(prefix):
                    break
                who, rid, period = parse_told_key(raw)
                yield who, rid, period, json.loads(value)

    def ack(self, unit: str, seq: int) -> dict[str, Any] | None:
        """A unit's acknowledgement of a feed entry."""
        raw = self.txn.get(ack_key(unit, seq), db=self.store.dbs["acks"])
        return json.loads(raw) if raw is not None else None

    def token(self, token_id: str) -> dict[str, Any] | None:
        """A stored token record (hash, role, principal)."""
        raw = self.txn.get(token_id.encode(), db=self.store.dbs["tokens"])
        return json.loads(raw) if raw is not None else None

    def stats(self) -> dict[str, int]:
        """Entry counts per database."""
        return {name: int(self.txn.stat(db)["entries"]) for name, db in self.store.dbs.items()}
