"""Which units were told of which records (通报给已推送单位), written off the hot path.

A query answer that shows a unit an active record, or a feed message that
delivers an activation, means the unit "was told": it must later be told when
the record ends. Recording that on every query would put an LMDB write on the
query path, so entries are queued and a background thread commits them in
batches; ``flush()`` makes them durable (the server flushes on shutdown).
"""

from __future__ import annotations

import json
import queue
import threading
import time
from datetime import UTC, datetime

import structlog

from shixin.store import Store
from shixin.store.layout import told_key

log = structlog.get_logger(__name__)


class ToldLedger:
    """Batching writer of the told ledger."""

    def __init__(self, store: Store, *, interval: float = 0.2) -> None:
        self.store = store
        self.interval = interval
        self._queue: queue.Queue[tuple[str, str, str] | None] = queue.Queue()
        self._seen: set[tuple[str, str]] = set()
        self._lock = threading.Lock()
        self._done = threading.Condition()
        self._pending = 0
        self._thread = threading.Thread(target=self._run, name="told-ledger", daemon=True)
        self._thread.start()

    def tell(self, unit: str, record_id: str, via: str) -> None:
        """Note that ``unit`` was shown ``record_id`` (cheap: a set lookup and a queue put)."""
        key = (unit, record_id)
        with self._lock:
            if key in self._seen:
                return
            self._seen.add(key)
            self._pending += 1
        self._queue.put((unit, record_id, via))

    def flush(self, timeout: float = 10.0) -> None:
        """Block until every queued entry is committed."""
        with self._done:
            self._done.wait_for(lambda: self._pending == 0, timeout=timeout)

    def close(self) -> None:
        """Flush and stop the writer thread."""
        self.flush()
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            batch = [item]
            deadline = time.monotonic() + self.interval
            stop = False
            while len(batch) < 5000:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    nxt = self._queue.get(timeout=remaining)
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                batch.append(nxt)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list[tuple[str, str, str]]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with self.store.write_txn() as txn:
                db = self.store.dbs["told"]
                for unit, rid, via in batch:
                    txn.put(told_key(unit, rid), json.dumps({"at": now, "via": via}).encode(),
                            db=db, overwrite=False)
        except Exception:  # pragma: no cover - logged, entries retried on next tell
            log.exception("told_ledger_commit_failed", entries=len(batch))
            with self._lock:
                for unit, rid, _ in batch:
                    self._seen.discard((unit, rid))
        with self._done:
            self._pending -= len(batch)
            self._done.notify_all()
