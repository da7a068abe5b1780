"""The audit head kept in the index's LMDB ``meta``: the anchor that catches a removed tail.

A hash chain proves that the entries it has belong together; it cannot prove
that none were cut off its end. So after each durable batch the log's head
``(seq, hash)`` is also written into the LMDB index (``meta["audit_head"]``),
another file with another write path, and :func:`check_head` compares the two
when the log is opened: a log that ends before the anchor (tail removed, file
replaced by an older copy) or whose entry at the anchor's seq has another hash
(tail rewritten) is refused.

The anchor is written by its own thread, never by the audit writer: LMDB has a
single writer lock that an import may hold for minutes, and a stalled audit
writer would make the server refuse every look-up. The anchor may therefore
lag the log (it is never ahead of it): it is written at most once a second
(:class:`Anchor`), so under load it trails the durable log by up to about a
second of entries; entries after the anchor are protected by the chain alone.

The anchor lives in the same data directory: it catches truncation by
accident, restores of an old log and naive tampering. Someone who can write
both files and, for an unkeyed log, recompute hashes can rewrite both;
against that, keep ``SHIXIN_AUDIT_KEY`` off the host and copy the head
elsewhere (``VerifyAudit`` returns it; the server logs it at shutdown).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import structlog

from shixin.audit.entry import GENESIS_HEAD, Head
from shixin.audit.errors import AuditCorruptError
from shixin.audit.log import AuditLog
from shixin.store import Store

log = structlog.get_logger(__name__)

META_KEY = b"audit_head"
"""Key of the anchor in the ``meta`` database."""


def read_anchor(store: Store) -> Head | None:
    """The anchored head, or None when nothing was anchored yet."""
    with store.read_txn() as txn:
        raw = txn.get(META_KEY, db=store.dbs["meta"])
    if raw is None:
        return None
    doc = json.loads(raw)
    return Head(int(doc["seq"]), str(doc["hash"]))


def read_anchor_at(data: Path) -> Head | None:
    """:func:`read_anchor` of the index in ``data`` opened read-only; None without an index."""
    if not (data / "data.mdb").exists():
        return None
    store = Store(data, readonly=True)
    try:
        return read_anchor(store)
    finally:
        store.close()


def write_anchor(store: Store, head: Head) -> None:
    """Store ``head`` as the anchor (one short write transaction)."""
    doc = json.dumps({"seq": head.seq, "hash": head.hash}).encode()
    with store.write_txn() as txn:
        txn.put(META_KEY, doc, db=store.dbs["meta"])


def check_head(log_head: Head, anchor: Head | None, path: Path) -> None:
    """Refuse a log whose head contradicts the anchor (see the module docstring)."""
    if anchor is None or anchor.seq == 0:
        return
    if log_head.seq < anchor.seq:
        ends = f"ends at seq {log_head.seq}" if log_head.seq else "is empty or missing"
        raise AuditCorruptError(
            f"{path} {ends} but the index recorded the audit head at seq {anchor.seq}: "
            f"entries {log_head.seq + 1}..{anchor.seq} were removed or the log was replaced "
            "by an older copy. Run 'shixin audit verify' and investigate; 'shixin audit "
            "reanchor' accepts the log as it is (and records that it did)"
        )
    if log_head.seq == anchor.seq and log_head.hash != anchor.hash:
        raise AuditCorruptError(
            f"{path}: the entry at seq {anchor.seq} is not the one the index recorded "
            f"({anchor.hash[:16]}…): the tail was rewritten. Run 'shixin audit verify'"
        )


class Anchor:
    """Writes the latest committed head into LMDB on its own thread (coalescing).

    At most one write per ``min_interval`` seconds: the audit writer commits a
    batch every ~10 ms under load, and an LMDB write transaction (with its sync)
    per batch cost the server CPU and context switches for nothing — only the
    latest head matters. :meth:`flush` and :meth:`close` cut the wait short.
    """

    def __init__(self, store: Store, *, min_interval: float = 1.0) -> None:
        self.store = store
        self.min_interval = min_interval
        self._cond = threading.Condition()
        self._latest: Head | None = None
        self._written: Head | None = None
        self._stop = False
        self._idle = False  # the thread waits for a new head (not cooling down)
        self._hurry = 0  # flush() calls waiting: write a newer head without cooling down
        self._thread = threading.Thread(target=self._run, name="shixin-audit-anchor",
                                        daemon=True)
        self._thread.start()

    def update(self, head: Head) -> None:
        """The :class:`AuditLog` ``on_commit`` hook: note ``head``, write it soon."""
        with self._cond:
            self._latest = head
            if self._idle:  # while cooling down the thread picks it up by itself
                self._cond.notify_all()

    def flush(self, timeout: float = 10.0) -> None:
        """Block until the latest head noted is written."""
        with self._cond:
            self._hurry += 1
            self._cond.notify_all()
            try:
                self._cond.wait_for(lambda: self._written == self._latest, timeout=timeout)
            finally:
                self._hurry -= 1

    def close(self) -> None:
        """Write the last head and stop the thread."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._idle = True
                self._cond.wait_for(lambda: self._stop or self._latest != self._written)
                self._idle = False
                head, stop = self._latest, self._stop
            if head is not None and head != self._written:
                try:
                    write_anchor(self.store, head)
                except Exception as exc:  # the log stays usable; the anchor only lags
                    log.error("audit.anchor_failed", error=repr(exc), seq=head.seq)
                else:
                    with self._cond:
                        self._written = head
                        self._cond.notify_all()
            if stop:
                return
            with self._cond:  # cool down: the heads of the next min_interval coalesce
                self._cond.wait_for(
                    lambda: self._stop or (self._hurry > 0 and self._latest != self._written),
                    timeout=self.min_interval)


def open_anchored(path: Path, key: bytes | None, store: Store, **kwargs: object) -> tuple[
        AuditLog, Anchor]:
    """Open the log at ``path`` with its head anchored in ``store``; refuse a cut log.

    ``kwargs`` go to :class:`AuditLog`. Raises :class:`AuditCorruptError` when
    the log contradicts the anchor (:func:`check_head`).
    """
    anchor = Anchor(store)
    try:
        audit = AuditLog(path, key, on_commit=anchor.update, **kwargs)  # type: ignore[arg-type]
    except BaseException:
        anchor.close()
        raise
    try:
        check_head(audit.head(), read_anchor(store), path)
    except BaseException:
        audit.close()
        anchor.close()
        raise
    if audit.head() != GENESIS_HEAD:
        anchor.update(audit.head())
    return audit, anchor
