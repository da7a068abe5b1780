"""Which units were told of which records (通报给已推送单位), written off the hot path.

A unit that is shown a record while it is live — an active hit in a Match
answer, or the activation in the change feed — was *told* of it and must be
told, in turn, when the record stops being live: that deactivation is the one
it has to acknowledge (lift its measures, or declare one kept).

Telling is tied to a *period* of the record (see ``shixin.store.layout``): the
stretch between one activation and the deactivation that ends it. A unit told
during period ``p`` owes an acknowledgement for the deactivation that ends
``p`` — not for earlier deactivations (it learnt of the record after them),
and not for later ones (after lifting, it was not told again unless it asked
again). A unit that reads an activation whose period has already ended, in
the same snapshot, learnt nothing it must act on, so that is not recorded.

Recording on every query would put an LMDB write on the query path, so
entries are queued and a background thread commits them in batches;
``flush()`` makes them durable (the server flushes on shutdown).
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import structlog

from shixin.store import Store
from shixin.store.layout import current_period as period_of
from shixin.store.layout import told_key

log = structlog.get_logger(__name__)

BATCH_MAX = 5000
SEEN_MAX = 200_000


def current_period(doc: Mapping[str, Any]) -> int:
    """The period a caller that sees the record live *now* is told of (from its document).

    >>> current_period({"live": True, "nd": 2}), current_period({"live": False, "nd": 2})
    (2, 1)
    >>> current_period({})
    0
    """
    return period_of(bool(doc.get("live")), int(doc.get("nd", 0)))


class ToldLedger:
    """Batching writer of the told ledger.

    ``tell`` only appends to a queue: the writer thread wakes on a timer (or
    on ``flush``), never per entry, so a busy server's request threads do not
    hand the interpreter lock to it on every hit.
    """

    def __init__(self, store: Store, *, interval: float = 0.2,
                 remember: int = SEEN_MAX) -> None:
        self.store = store
        self.interval = interval
        self.remember = remember
        self._queue: queue.SimpleQueue[tuple[str, str, int, str]] = queue.SimpleQueue()
        self._seen: set[tuple[str, str, int]] = set()
        self._queued: set[tuple[str, str, int]] = set()
        self._lock = threading.Lock()
        self._done = threading.Condition()
        self._wake = threading.Event()
        self._stopping = False
        self._pending = 0
        self._thread = threading.Thread(target=self._run, name="told-ledger", daemon=True)
        self._thread.start()

    def tell(self, unit: str, record_id: str, via: str, period: int | None = None) -> None:
        """Note that ``unit`` was shown ``record_id`` live, during ``period``.

        Callers that hold the record's document pass ``current_period(doc)``
        from their own snapshot; without it, the period is read now (one
        small read transaction).
        """
        if period is None:
            found = self._period_now(record_id)
            if found is None:
                return
            period = found
        key = (unit, record_id, period)
        with self._lock:
            if key in self._seen:
                return
            if len(self._seen) >= self.remember:
                # Only a filter against re-queueing: the ledger keeps the first telling
                # of a period however often it is written, so forgetting is safe.
                self._seen.clear()
            self._seen.add(key)
            self._queued.add(key)
            self._pending += 1
        self._queue.put((unit, record_id, period, via))

    def knows(self, unit: str, record_id: str, period: int) -> bool:
        """Whether this process queued the unit's telling: not committed yet, or
        committed recently (see ``remember``)."""
        key = (unit, record_id, period)
        with self._lock:
            return key in self._queued or key in self._seen

    def flush(self, timeout: float = 10.0) -> None:
        """Block until every queued entry is committed."""
        self._wake.set()
        with self._done:
            self._done.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self) -> None:
        """Flush and stop the writer thread."""
        self.flush()
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout=10)

    def _period_now(self, record_id: str) -> int | None:
        with self.store.read_txn() as txn:
            raw = txn.get(record_id.encode(), db=self.store.dbs["records"])
        return current_period(json.loads(raw)) if raw is not None else None

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            while True:
                batch: list[tuple[str, str, int, str]] = []
                try:
                    while len(batch) < BATCH_MAX:
                        batch.append(self._queue.get_nowait())
                except queue.Empty:
                    pass
                if batch:
                    self._commit(batch)
                if len(batch) < BATCH_MAX:
                    break
            if self._stopping:
                return

    def _commit(self, batch: list[tuple[str, str, int, str]]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with self.store.write_txn() as txn:
                db = self.store.dbs["told"]
                for unit, rid, period, via in batch:
                    # The first telling of a period is the one that counts: keep it.
                    txn.put(told_key(unit, rid, period),
                            json.dumps({"at": now, "via": via}).encode(),
                            db=db, overwrite=False)
        except Exception:  # pragma: no cover - logged, entries retried on next tell
            log.exception("told_ledger_commit_failed", entries=len(batch))
            with self._lock:
                for unit, rid, period, _ in batch:
                    self._seen.discard((unit, rid, period))
        with self._lock:
            for unit, rid, period, _ in batch:
                self._queued.discard((unit, rid, period))
        with self._done:
            self._pending -= len(batch)
            self._done.notify_all()
