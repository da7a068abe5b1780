"""The append-only audit log: cheap ``append`` on the caller's thread, one writer thread.

Why this shape (figures from tests/audit/bench_audit_append.py on the 2-vCPU
dev machine):

* ``append`` only checks the shape of the caller's fields, takes the time and
  enqueues: ~3 µs median, ~15 µs p99; it never touches the disk. Serializing
  and hashing happen on the writer thread in batches, where that code stays
  hot in the CPU cache: encoding in ``append`` instead cost 30-70 µs of CPU per
  entry under a threaded query load (10 µs in a tight loop).
* One background thread owns the chain: it assigns ``seq``/``prev``/``hash``
  and appends each batch with one ``write`` on a file opened ``O_DSYNC``, so
  the write returns once the batch is durable (one syscall, not write +
  fdatasync: every syscall releases and re-takes the GIL, and each hand-over
  costs the query threads time). A sync costs 0.15-2.6 ms here; while one is
  in flight new entries queue up and go into the next batch (group commit),
  so syncing every batch costs neither caller latency nor throughput
  (~50 000 entries/s synced vs ~55 000 unsynced). ``fsync=False`` is for tests
  and throw-away data: an audit entry that vanishes on power loss defeats its
  purpose.
* After waking for an entry the writer lingers (``linger``, 10 ms) to collect
  a batch: fewer wake-ups, fewer GIL hand-overs. Together, on a synthetic load
  of 4 threads each holding the GIL ~150 µs per query, auditing every query
  costs ~13 %; at ~650 µs per query ~5 %; on the real server's Match RPC the
  difference was within run-to-run noise (~1 380 q/s either way).
* Durability is asynchronous: a look-up may be answered up to ``linger`` plus
  one sync before its entry is on disk. :meth:`AuditLog.flush` is the barrier
  for callers that need it (admin actions, shutdown); it cuts the linger short.
* Fail closed: once a write fails the log stops accepting entries and
  ``append`` raises :class:`AuditUnavailableError`, so the server can refuse
  look-ups it could not record. A backlog larger than ``max_pending`` blocks
  appenders up to ``append_timeout`` and then raises the same error.
* ``ts`` is the time of ``append``, taken under the enqueue lock, so it never
  goes backwards along ``seq`` (unless the wall clock does).
* An exclusive ``flock`` stops a second writer (another process, or a second
  ``AuditLog`` on the same file) from forking the chain. The file is created
  mode 0600: it holds personal data.
"""

import atexit
import fcntl
import os
import queue
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

import structlog

from shixin.audit.entry import Head, Prepared, check_fields, encode_fields, format_ts, seal
from shixin.audit.errors import (
    AuditClosedError,
    AuditCorruptError,
    AuditError,
    AuditUnavailableError,
)
from shixin.audit.tail import read_head_fd

if TYPE_CHECKING:
    from shixin.audit.verify import VerifyResult

log = structlog.get_logger(__name__)

_STOP: Final = object()


class _FlushMarker:
    """Queued by :meth:`AuditLog.flush`; set once everything before it is on disk."""

    __slots__ = ("done",)

    def __init__(self) -> None:
        self.done = threading.Event()


_Entry = tuple[int, dict[str, object]]
"""(``time.time_ns()`` at append, checked fields)."""
_Item = _Entry | _FlushMarker | object


class AuditLog:
    """Tamper-evident, append-only JSON Lines audit log (see module docstring)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        key: bytes | None = None,
        *,
        fsync: bool = True,
        max_batch: int = 4096,
        max_pending: int = 100_000,
        append_timeout: float = 5.0,
        on_commit: Callable[[Head], object] | None = None,
        verify_on_open: bool = False,
        linger: float = 0.01,
    ) -> None:
        """Open (or create) the log at ``path`` and start the writer thread.

        Raises :class:`AuditCorruptError` if the existing file's tail does not
        verify (or, with ``verify_on_open``, if any of it does not), and
        :class:`AuditError` if another writer holds the file.
        ``on_commit`` is called on the writer thread with the new head after each
        durable batch: the hook to keep an anchor elsewhere (e.g. LMDB meta).
        ``linger`` is how long the writer waits to gather a batch (see above).
        """
        self._path = Path(path)
        self._key = key
        self._fsync = fsync
        self._max_batch = max_batch
        self._max_pending = max_pending
        self._append_timeout = append_timeout
        self._on_commit = on_commit
        self._linger = linger
        self._wake = threading.Event()
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._cond = threading.Condition(threading.Lock())
        self._pending = 0
        self._closed = False
        self._error: BaseException | None = None
        self._fd = self._open()
        try:
            if verify_on_open:
                self._verify_all()
            self._head = read_head_fd(self._fd, self._path, key)
            self._committed = (self._head, os.fstat(self._fd).st_size)
        except BaseException:
            os.close(self._fd)
            raise
        self._thread = threading.Thread(target=self._run, name="shixin-audit-writer", daemon=True)
        self._thread.start()
        atexit.register(self.close)
        log.info("audit.open", path=str(self._path), seq=self._head.seq, keyed=key is not None)

    def _open(self) -> int:
        created = not self._path.exists()
        self._path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC
        if self._fsync:
            flags |= os.O_DSYNC  # each batch's write returns once durable: one syscall, not two
        fd = os.open(self._path, flags, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AuditError(
                f"{self._path} is already open for writing by another AuditLog or process"
            ) from None
        if created and self._fsync:
            dir_fd = os.open(self._path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        return fd

    def _verify_all(self) -> None:
        from shixin.audit.verify import verify  # local: verify is not needed on the hot path

        result = verify(self._path, self._key)
        if not result.ok:
            first = result.problems[0].message if result.problems else "unknown problem"
            raise AuditCorruptError(
                f"{self._path}: {len(result.problems)} problem(s), first: {first}"
            )

    @property
    def path(self) -> Path:
        return self._path

    @property
    def keyed(self) -> bool:
        """Whether entries are HMAC-keyed (see :mod:`shixin.audit.entry`)."""
        return self._key is not None

    @property
    def key(self) -> bytes | None:
        """The HMAC key the chain is written with (what :func:`verify` needs)."""
        return self._key

    def head(self) -> Head:
        """(seq, hash) of the last entry durably written — the anchor to store elsewhere."""
        return self._head

    def verify(self, *, max_problems: int = 1000) -> "VerifyResult":
        """Verify the live log up to what is durably written, against its own head.

        Safe while appends go on: only the bytes of completed batches are read,
        so a batch being written is not mistaken for a torn line.
        """
        from shixin.audit.verify import verify  # local: not needed on the hot path

        self.flush()
        head, size = self._committed
        return verify(
            self._path, self._key, expected_head=head, end=size, max_problems=max_problems
        )

    def append(self, fields: Mapping[str, object]) -> None:
        """Queue one entry; returns without waiting for the disk.

        ``fields`` are ``actor``, ``role``, ``action`` and optionally ``purpose``,
        ``request``, ``outcome`` (see :class:`shixin.audit.entry.AuditFields`).
        Only their shape is checked here; they are serialized on the writer
        thread, so the caller hands over ``request`` and ``outcome`` and must
        not change them afterwards (build them fresh for each call). Raises
        TypeError/ValueError for missing, unknown or mistyped fields and
        :class:`AuditUnavailableError` when the entry cannot be recorded.
        """
        checked = check_fields(fields)  # outside the lock: appenders don't queue on it
        with self._cond:
            self._check_open()
            if self._pending >= self._max_pending:
                self._wait_for_room()
            self._pending += 1
            self._queue.put((time.time_ns(), checked))

    def ensure_available(self) -> None:
        """Raise :class:`AuditUnavailableError` if entries can no longer be recorded.

        Callers check before doing work whose entry could then not be written,
        so that a failed log refuses the call before it has any effect. No lock:
        it reads two attributes that only ever change once (to failed, to
        closed); :meth:`append` checks again under the lock.
        """
        self._check_open()

    def _check_open(self) -> None:
        if self._error is not None:
            raise AuditUnavailableError(
                f"audit log {self._path} failed ({self._error!r}); entries can no longer be "
                "recorded"
            )
        if self._closed:
            raise AuditClosedError(f"audit log {self._path} is closed")

    def _wait_for_room(self) -> None:
        log.warning("audit.backlog_full", pending=self._pending, path=str(self._path))
        if not self._cond.wait_for(
            lambda: self._pending < self._max_pending or self._error is not None or self._closed,
            timeout=self._append_timeout,
        ):
            raise AuditUnavailableError(
                f"audit writer is {self._pending} entries behind (disk stalled?); refusing to "
                "queue more so that no look-up goes unrecorded"
            )
        self._check_open()

    def flush(self, timeout: float | None = None) -> None:
        """Block until every entry appended before this call is on disk.

        Raises TimeoutError after ``timeout`` seconds and
        :class:`AuditUnavailableError` if the writer failed.
        """
        marker = _FlushMarker()
        with self._cond:
            if self._error is None and self._closed:
                return
            self._check_open()
            self._queue.put(marker)
            self._wake.set()
        if not marker.done.wait(timeout):
            raise TimeoutError(f"audit log {self._path} did not flush within {timeout} s")
        with self._cond:
            self._check_open()

    def close(self, timeout: float | None = None) -> None:
        """Write everything queued, stop the writer and release the file. Idempotent."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
            self._wake.set()
            self._cond.notify_all()
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"audit writer for {self._path} did not stop within {timeout} s")
        atexit.unregister(self.close)
        os.close(self._fd)
        log.info("audit.close", path=str(self._path), seq=self._head.seq)

    def __enter__(self) -> "AuditLog":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # writer thread ---------------------------------------------------------

    def _run(self) -> None:
        q = self._queue
        while True:
            batch = [q.get()]
            if self._linger and q.qsize() < self._max_batch:
                self._wake.wait(self._linger)  # flush() and close() cut this short
                self._wake.clear()
            while len(batch) < self._max_batch:
                try:
                    batch.append(q.get_nowait())
                except queue.Empty:
                    break
            if self._write_batch(batch):
                return

    def _write_batch(self, batch: list[_Item]) -> bool:
        """Write one batch; return True when the writer should stop."""
        entries = [item for item in batch if type(item) is tuple]
        markers = [item for item in batch if isinstance(item, _FlushMarker)]
        if entries and self._error is None:
            try:
                head, data = self._seal_all(entries)
                self._write_all(data)
            except Exception as exc:  # any failure must close the log, not kill it silently
                self._fail(exc, lost=len(entries))
            else:
                self._head = head
                self._committed = (head, self._committed[1] + len(data))
                self._commit_hook()
        with self._cond:
            self._pending -= len(entries)
            self._cond.notify_all()
        for marker in markers:
            marker.done.set()
        return any(item is _STOP for item in batch)

    def _seal_all(self, entries: list[_Entry]) -> tuple[Head, bytes]:
        """Chain the entries onto the current head; return the new head and the bytes."""
        seq, prev = self._head
        lines = []
        for ns, fields in entries:
            seq += 1
            head, middle, sanitized = encode_fields(fields)
            if sanitized:
                log.warning("audit.sanitized", seq=seq, action=fields.get("action"))
            prepared = Prepared(head, middle, format_ts(ns).encode("ascii"))
            line, prev = seal(prepared, seq, prev, self._key)
            lines.append(line)
        return Head(seq, prev), b"".join(lines)

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]

    def _fail(self, exc: Exception, lost: int) -> None:
        with self._cond:
            self._error = exc
            self._cond.notify_all()
        log.error(
            "audit.write_failed",
            path=str(self._path),
            error=repr(exc),
            lost_entries=lost,
            last_durable_seq=self._head.seq,
        )

    def _commit_hook(self) -> None:
        if self._on_commit is None:
            return
        try:
            self._on_commit(self._head)
        except Exception as exc:  # the hook must not stop the log
            log.error("audit.on_commit_failed", error=repr(exc))
