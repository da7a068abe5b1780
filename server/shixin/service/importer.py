"""``shixin import``: records and events from JSON Lines or CSV files, in one transaction.

Each bad row is reported with its file, line number and reason while the good
rows go in. The whole import is one LMDB write transaction: a crash or an
interrupt leaves the index exactly as it was. Re-importing the same file
changes nothing (identical records and events are recognised). Events are
resolved against the index as it will be after all records of the import, so
a file may list them in any order.

Two passes. The first reads every row (for large JSON Lines files in worker
processes) and says what it is: a record (its record id), an event (the record
ids it may name) or a problem. For a record it also computes everything that
depends on the record alone (``store.bulk.prepare_record``: parsing, index
keys, JSON, cards; for half the records also what it is written as if it is new,
pushed once and without events: ``store.bulk.plain_parts``) and spools it to a
temporary file beside the index (about 3–4 KB a record); the postings of each
part of the input go there too, sorted.
Then every event is matched to its record, and the second pass writes record by
record in record-id order: each record's versions in file order, then its
events in file order, exactly as ``Writer`` would apply those rows one by one
(history and feed sequence numbers follow that order; see
``tests/integration/test_import_bulk.py``). Writing in record-id order lets
``store.bulk.BulkWriter`` append at the right edge of the B-trees keyed by
record id, so that each page is written once, instead of inserting at random
places in an index far larger than what LMDB keeps in memory. The worker
processes compute the other new records' entries meanwhile, a few thousand records
ahead (``store.bulk.plain_parts`` for a record pushed once without events,
``store.bulk.GroupComputer`` for the others: everything but the timestamps and
the history and feed sequence numbers, which this process puts in as it writes
them); the postings are merged from the sorted parts at the end.

The spool directory (``import-spool-*``) is removed at the end, on errors too; one
that a killed import left behind is removed by the next import (a running
import holds a lock on its own).
"""

from __future__ import annotations

import collections
import contextlib
import csv
import fcntl
import gc
import io
import itertools
import json
import marshal
import mmap
import multiprocessing
import os
import shutil
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeGuard, cast

import structlog

from shixin.errors import ShixinError
from shixin.records import parse_record
from shixin.service.clock import Clock
from shixin.service.records import is_event
from shixin.store import Store, Writer
from shixin.store.bulk import (
    BulkWriter,
    Computed,
    GroupComputer,
    Plain,
    Prepared,
    plain_parts,
    prepare_record,
    unspooled,
)
from shixin.store.writer import event_target

log = structlog.get_logger(__name__)

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
SCAN_CHUNK_BYTES = 4 << 20
PARALLEL_MIN_BYTES = 32 << 20
"""Smaller inputs are scanned in this process: starting workers costs more."""
MAX_WORKERS = 4
SPOOL_PREFIX = "import-spool-"
SPOOL_BUFFER = 1 << 20
SPOOL_LOCK = "lock"
"""A spool directory's lock file: held (``flock``) by the import that uses it."""
SPOOL_ORPHAN_SECONDS = 600.0
"""A spool directory without a lock file is left alone this long (being created)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that was not imported, and why."""

    file: str
    line: int
    message: str


@dataclass
class ImportReport:
    """What an import did."""

    rows: int = 0
    records_added: int = 0
    records_updated: int = 0
    records_unchanged: int = 0
    events_applied: int = 0
    events_unchanged: int = 0
    feed_changes: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def unflatten(row: Mapping[str, str]) -> dict[str, Any]:
    """A CSV row with ``debtor.name`` columns and a JSON ``related_persons`` as a nested object.

    >>> unflatten({"case_number": "c", "debtor.name": "张三", "public": ""})["debtor"]
    {'name': '张三'}
    """
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key is None or value is None or value == "":
            continue
        key = key.strip().lstrip("\ufeff")
        if "." in key:
            head, tail = key.split(".", 1)
            out.setdefault(head, {})[tail] = value
        elif key == "related_persons":
            try:
                out[key] = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ShixinError(f"related_persons is not valid JSON: {exc.msg}") from None
        else:
            out[key] = value
    return out


def parse_line(raw: bytes, first: bool = False) -> dict[str, Any] | ShixinError:
    """One JSON Lines row (``first``: the file's first line, which may carry a BOM)."""
    try:
        obj = json.loads(raw.decode("utf-8-sig" if first else "utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ShixinError(f"not a JSON object: {exc}")
    if not isinstance(obj, dict):
        return ShixinError("a line must be a JSON object")
    return obj


def read_objects(path: Path) -> Iterator[tuple[int, dict[str, Any] | ShixinError]]:
    """(line number, object or the error that row raised) for every data row of a file."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        with path.open("rb") as fh:
            for no, raw in enumerate(fh, start=1):
                if raw.strip():
                    yield no, parse_line(raw, no == 1)
    elif suffix == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for row in reader:
            try:
                yield reader.line_num, unflatten(row)
            except ShixinError as exc:
                yield reader.line_num, exc
    else:
        raise ShixinError(f"{path}: unknown file type {suffix!r} (use .jsonl or .csv)")


# -- pass 1: what each row is; each good row's parts, spooled ------------------------
Spooled = tuple[int, int]
"""Where pass 1 left a row's parts: (offset, length) in its range's spool file."""
Scanned = tuple[int, int, int, str, int, int, int]
"""A row: (line, offset, length, what, spool offset, spool length, plain length).
``what`` is a record id, ``"@"`` and what an event names (see ``classify``), or
``"!"`` and the problem. A record's ``plain_parts`` are spooled just before its
parts, ``plain length`` bytes."""


def classify(obj: dict[str, Any] | ShixinError) -> tuple[str, Prepared | None]:
    """What a row is (see ``Scanned``), and a record row's parts (``prepare_record``)."""
    if isinstance(obj, ShixinError):
        return "!" + str(obj), None
    try:
        if is_event(obj):
            _, candidates, missing = event_target(obj)
            return "\t".join(["@" + missing, *candidates]), None
        prep = prepare_record(parse_record(obj))
    except ShixinError as exc:
        return "!" + str(exc), None
    return prep.rid, prep


class _Spool:
    """An append-only file of marshalled rows (a record's parts, an event's object)."""

    def __init__(self, path: str) -> None:
        self.path = path
        # A large buffer: a record's parts are ~2 KB, and a write call per few of
        # them is a system call per few records.
        self.fh = open(path, "wb", buffering=SPOOL_BUFFER)  # noqa: SIM115 - see close()
        self.size = 0

    def add(self, value: Any) -> tuple[int, int]:
        data = marshal.dumps(value)
        self.fh.write(data)
        self.size += len(data)
        return self.size - len(data), len(data)

    def close(self) -> None:
        self.fh.close()


def scan_range(path: str, start: int, end: int, spool_path: str, today: date,
               ) -> tuple[int, list[Scanned], Spooled]:
    """Pass 1 over the bytes ``[start, end)`` of a JSON Lines file (whole lines).

    Returns how many lines the range holds and, for each non-blank one, its
    line number within the range, its offset and length, what it is, and where
    its parts are in the spool file ``spool_path`` (with, for a record, what it
    is written as if it is new, pushed once and without events: most records of
    a list, which the writing process then takes as they are); and where in that file the
    postings of its records are, sorted (``BulkWriter.add_run``: sorting them
    here, on every CPU, leaves the writing process only a merge).
    """
    out: list[Scanned] = []
    postings: list[bytes] = []
    lines = 0
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    spool = _Spool(spool_path)
    try:
        pos = 0
        while pos < len(data):
            nl = data.find(b"\n", pos)
            stop = len(data) if nl < 0 else nl + 1
            raw = data[pos:stop]
            lines += 1
            if raw.strip():
                obj = parse_line(raw, start == 0 and lines == 1)
                what, prep = classify(obj)
                at, plain = (0, 0), 0
                if prep is not None:
                    if _plain_in_scan(prep.rid):
                        plain = spool.add(plain_parts(prep, today))[1]
                    at = spool.add(prep.spooled())
                    postings.extend(prep.postings)
                elif what.startswith("@"):
                    at = spool.add(obj)
                out.append((lines, start + pos, stop - pos, what, *at, plain))
            pos = stop
        postings.sort()
        run = spool.add(postings)
    finally:
        spool.close()
    return lines, out, run


def _ranges(path: Path, size: int) -> list[tuple[int, int]]:
    """Byte ranges of about SCAN_CHUNK_BYTES that end at line ends."""
    out: list[tuple[int, int]] = []
    with path.open("rb") as fh:
        start = 0
        while start < size:
            fh.seek(min(size, start + SCAN_CHUNK_BYTES))
            fh.readline()
            end = min(size, fh.tell()) if start + SCAN_CHUNK_BYTES < size else size
            out.append((start, end))
            start = end
    return out


def default_workers() -> int:
    """Processes for large JSON Lines files: every CPU, at most 4."""
    return max(0, min(MAX_WORKERS, os.cpu_count() or 1))


PLAIN_IN_SCAN = 8
"""Of every 16 records, how many pass 1 makes ``plain_parts`` of (by record id).

Pass 1 keeps every CPU busy; while this process writes, the workers have CPU
to spare (it is the slower side). So pass 1 makes what about half the records
are written as, and the workers make the rest as they are needed."""


def _plain_in_scan(rid: str) -> bool:
    return int(rid[-1], 16) < PLAIN_IN_SCAN


def _scan_args(args: tuple[str, int, int, str, date]) -> tuple[int, list[Scanned], Spooled]:
    return scan_range(*args)


Row = tuple[int, int, int, int, int, int, int, int]
"""A row: (file, line, offset, length, spool, spool offset, spool length, plain
length; see ``Scanned``). A negative offset ``-1 - i`` is ``_Plan.objects[i]`` (a CSV
row, held in memory)."""
_ROW = struct.Struct(">QHIqIIQII")
"""A record row to write, after its record id: file order, then ``Row``."""


@dataclass
class _Plan:
    """Pass 1's result: record rows to write (sortable), events, problems, other rows."""

    records: list[bytes] = field(default_factory=list)
    events: list[tuple[Row, str]] = field(default_factory=list)  # row, classify()'s "@…"
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # file, line, message
    objects: list[dict[str, Any]] = field(default_factory=list)  # rows of non-JSONL files
    spools: list[str] = field(default_factory=list)
    runs: list[tuple[int, int, int]] = field(default_factory=list)
    """Sorted postings of every record row: (spool, offset, length)."""
    rows: int = 0

    def add(self, f: int, no: int, offset: int, length: int, what: str, spool: int,
            at: tuple[int, int, int]) -> None:
        self.rows += 1
        row = (f, no, offset, length, spool, *at)
        if what.startswith("!"):
            self.problems.append((f, no, what[1:]))
        elif what.startswith("@"):
            self.events.append((row, what))
        else:
            self.records.append(what.encode() + _ROW.pack(len(self.records), *row))


def _plan(files: list[Path], pool: Any, spool_dir: str, today: date) -> _Plan:
    plan = _Plan()
    for f, path in enumerate(files):
        if path.suffix.lower() in JSONL_SUFFIXES:
            tasks = []
            for a, b in _ranges(path, path.stat().st_size):
                tasks.append((str(path), a, b, os.path.join(spool_dir, f"{len(plan.spools)}"),
                              today))
                plan.spools.append(tasks[-1][3])
            parts: Iterable[tuple[int, list[Scanned], Spooled]] = (
                map(_scan_args, tasks) if pool is None else pool.imap(_scan_args, tasks))
            base = 0
            for spool, (lines, rows, run) in enumerate(parts,
                                                       start=len(plan.spools) - len(tasks)):
                for line, offset, length, what, s_off, s_len, plain in rows:
                    plan.add(f, base + line, offset, length, what, spool, (s_off, s_len, plain))
                plan.runs.append((spool, *run))
                base += lines
            continue
        spool_file = _Spool(os.path.join(spool_dir, f"{len(plan.spools)}"))
        plan.spools.append(spool_file.path)
        postings: list[bytes] = []
        try:
            for no, obj in read_objects(path):  # CSV: every row held in memory
                what, prep = classify(obj)
                at, plain = (0, 0), 0
                if prep is not None:
                    plain = spool_file.add(plain_parts(prep, today))[1]
                    at = spool_file.add(prep.spooled())
                    postings.extend(prep.postings)
                if not what.startswith("!"):
                    plan.objects.append(obj)  # type: ignore[arg-type]
                    if prep is None:
                        at = spool_file.add(obj)
                plan.add(f, no, -len(plan.objects), 0, what, len(plan.spools) - 1,
                         (*at, plain))
            postings.sort()
            plan.runs.append((len(plan.spools) - 1, *spool_file.add(postings)))
        finally:
            spool_file.close()
    return plan


# -- pass 2: record by record, in record-id order ---------------------------------
def _prefetch(paths: Iterable[str]) -> None:
    """Ask the kernel to read the spool files back into memory (in a thread: it may block).

    Pass 2 reads them at random places (record-id order); on a machine that pages
    out what was not touched for a minute (a VM's proactive reclaim), a million
    such reads waited for the disk one by one, in the serial write pass.
    """
    if not hasattr(os, "posix_fadvise"):
        return
    for path in paths:
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
            finally:
                os.close(fd)


@dataclass(slots=True)
class _Group:
    """One record id's rows: its versions (file order), then the events naming it."""

    rid: str
    versions: list[Row]
    events: list[Row]
    known: bool = False
    """Whether the index holds the record already (``Writer`` applies its rows)."""


def _groups(records: list[bytes], rids: set[bytes],
            events: dict[str, list[Row]]) -> Iterator[_Group]:
    """Every record id with rows, ascending (``records`` is sorted, ``rids`` their ids)."""
    extra = sorted(rid for rid in events if rid.encode() not in rids)
    j = 0
    i = 0
    n = len(records)
    while i < n:
        rid_bytes = records[i][:16]
        rid = rid_bytes.decode()
        while j < len(extra) and extra[j] < rid:
            yield _Group(extra[j], [], events.pop(extra[j]))
            j += 1
        versions: list[Row] = []
        while i < n and records[i][:16] == rid_bytes:
            versions.append(_ROW.unpack_from(records[i], 16)[1:])
            i += 1
        yield _Group(rid, versions, events.pop(rid, []))
    for rid in extra[j:]:
        yield _Group(rid, [], events.pop(rid))


class _Rows:
    """Reads rows back: from the spool files (pass 1's parts) or from the input."""

    def __init__(self, files: list[str], plan: _Plan) -> None:
        self.files = files
        self.plan = plan
        self.maps: dict[str, mmap.mmap] = {}
        self.fds: dict[int, int] = {}

    def _map(self, path: str) -> mmap.mmap | None:
        mapped = self.maps.get(path)
        if mapped is None:
            with open(path, "rb") as fh:
                if os.fstat(fh.fileno()).st_size == 0:
                    return None
                mapped = self.maps[path] = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return mapped

    def spooled(self, row: Row) -> Any:
        """What pass 1 spooled for the row (read, not mapped: mapped pages would count
        in this process's resident memory, gigabytes of them)."""
        fd = self.fds.get(row[4])
        if fd is None:
            fd = self.fds[row[4]] = os.open(self.plan.spools[row[4]], os.O_RDONLY)
        return marshal.loads(os.pread(fd, row[6], row[5]))

    def plain(self, row: Row) -> Plain:
        """A record row's ``plain_parts``, spooled just before its parts."""
        return self.spooled((0, 0, 0, 0, row[4], row[5] - row[7], row[7], 0))  # type: ignore[no-any-return]

    def run(self, spool: int, offset: int, length: int) -> list[bytes]:
        """A range's sorted postings (``scan_range``)."""
        return self.spooled((0, 0, 0, 0, spool, offset, length, 0))  # type: ignore[no-any-return]

    def source(self, row: Row) -> dict[str, Any] | ShixinError:
        """The row as the input has it."""
        if row[2] < 0:
            return self.plan.objects[-1 - row[2]]
        mapped = self._map(self.files[row[0]])
        assert mapped is not None
        return parse_line(mapped[row[2]:row[2] + row[3]], row[2] == 0)

    def close(self) -> None:
        for mapped in self.maps.values():
            mapped.close()
        for fd in self.fds.values():
            os.close(fd)


def remove_stale_spools(directory: Path | str) -> list[str]:
    """Remove the spool directories that imports which crashed left in ``directory``.

    A running import holds its spool's lock file (``flock``), so only those
    nobody holds are removed. Returns their names.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(directory))
    except FileNotFoundError:
        return removed
    for entry in entries:
        if not entry.name.startswith(SPOOL_PREFIX) or not entry.is_dir(follow_symlinks=False):
            continue
        lock = os.path.join(entry.path, SPOOL_LOCK)
        try:
            fd = os.open(lock, os.O_RDONLY)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - entry.stat(follow_symlinks=False).st_mtime \
                        < SPOOL_ORPHAN_SECONDS:
                    continue
            fd = -1
        except OSError:
            continue
        try:
            if fd >= 0:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # an import is using it
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.name)
        finally:
            if fd >= 0:
                os.close(fd)
    if removed:
        log.info("import_stale_spools_removed", directories=removed)
    return removed


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while importing (this process and the workers it forks).

    An import holds millions of container objects (rows, caches, results) and
    makes no reference cycles (only rejected rows' exceptions may), yet each full
    collection walks them all: at 1M records that was ~40 CPU-s of ~250, spread over
    the workers and the serial write pass. Collection resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _spool_directory(parent: Path) -> Iterator[str]:
    """A new spool directory in ``parent``, locked while in use and removed afterwards
    (on errors too; one left by a crash goes at the next import)."""
    remove_stale_spools(parent)
    path = tempfile.mkdtemp(prefix=SPOOL_PREFIX, dir=parent)
    try:
        fd = os.open(os.path.join(path, SPOOL_LOCK), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield path
        finally:
            os.close(fd)
    finally:
        shutil.rmtree(path, ignore_errors=True)


GROUPS_PER_TASK = 512
"""New records a worker computes at a time (``_compute_groups``)."""


TASKS_AHEAD = 32
"""Tasks of ``_compute_groups`` given to the workers ahead of the one this process
waits for: enough to keep them busy, few enough not to pile up results in memory
(this process, writing, is the slower side)."""


def _ahead(pool: Any, fn: Callable[[Any], Any], tasks: Iterable[Any], ahead: int) -> Iterator[Any]:
    """``pool.imap(fn, tasks)`` with at most ``ahead`` tasks submitted and not yet taken."""
    pending: collections.deque[Any] = collections.deque()
    it = iter(tasks)
    for task in itertools.islice(it, ahead):
        pending.append(pool.apply_async(fn, (task,)))
    while pending:
        result = pending.popleft().get()
        for task in itertools.islice(it, 1):
            pending.append(pool.apply_async(fn, (task,)))
        yield result


def _compute_groups(args: tuple[list[str], str, date, str, list[tuple[list[Row], list[Row]]]],
                    ) -> tuple[str, int, int]:
    """What each new record's group writes, its rows read from the spools: ``plain_parts``
    of a record pushed once without events, else ``GroupComputer.compute`` (with its
    postings only if it has several versions: else they are in a sorted run).

    The list of them, marshalled, is appended to this process's file in ``out_dir``;
    returns where (``_results`` reads it). Through the pool's pipe, a megabyte
    result took dozens of reads by the writing process's result thread, each
    waiting for the writing thread to let go of the GIL, while the worker waited
    for the pipe to drain.
    """
    spools, out_dir, today, principal, groups = args
    computer = GroupComputer(today, principal)
    fds: dict[int, int] = {}

    def spooled(row: Row) -> Any:
        fd = fds.get(row[4])
        if fd is None:
            fd = fds[row[4]] = os.open(spools[row[4]], os.O_RDONLY)
        return marshal.loads(os.pread(fd, row[6], row[5]))

    out: list[Plain | Computed] = []
    try:
        for versions, events in groups:
            if len(versions) == 1 and not events:
                out.append(plain_parts(Prepared._make(spooled(versions[0])), today))
            elif len(versions) == 1:
                out.append(computer.compute([Prepared._make(spooled(versions[0]))],
                                            [spooled(r) for r in events], False))
            else:
                out.append(computer.compute([unspooled(spooled(r)) for r in versions],
                                            [spooled(r) for r in events]))
    finally:
        for fd in fds.values():
            os.close(fd)
    data = marshal.dumps(out)
    path = os.path.join(out_dir, f"out-{os.getpid()}")
    with open(path, "ab") as fh:
        offset = fh.tell()
        fh.write(data)
    return path, offset, len(data)


def _results(where: Iterable[tuple[str, int, int]]) -> Generator[Plain | Computed, None, None]:
    """The results ``_compute_groups`` left in its files, in order."""
    fds: dict[str, int] = {}
    try:
        for path, offset, length in where:
            fd = fds.get(path)
            if fd is None:
                fd = fds[path] = os.open(path, os.O_RDONLY)
            data = os.pread(fd, length, offset)
            while len(data) < length:  # (a regular file is read whole, but to be sure)
                data += os.pread(fd, length - len(data), offset + len(data))
            yield from marshal.loads(data)
    finally:
        for fd in fds.values():
            os.close(fd)


def _known(bulk: BulkWriter, groups: Iterator[_Group]) -> Iterator[_Group]:
    """``groups``, each marked if the index holds its record (checked before any of the
    import's is written: they all come after it in record-id order)."""
    check = bool(bulk.top["records"])
    for group in groups:
        group.known = check and bulk.exists(group.rid)
        yield group


def _is_plain_group(group: _Group) -> bool:
    """Whether the group is a new record pushed once without events, whose
    ``plain_parts`` pass 1 spooled (this process writes it as it is)."""
    return len(group.versions) == 1 and not group.events and group.versions[0][7] > 0


def _is_plain(computed: Plain | Computed) -> TypeGuard[Plain]:
    """Which of ``_compute_groups``'s results it is (a ``Plain`` starts with the record
    id, a ``Computed`` with the outcome of each version)."""
    return isinstance(computed[0], bytes)


def import_files(store: Store, paths: Iterable[Path], *, clock: Clock,
                 principal: str = "import",
                 progress: Callable[[int], None] | None = None,
                 workers: int | None = None) -> ImportReport:
    """Import every file in one transaction; see the module docstring.

    ``workers``: processes for the first pass over large JSON Lines files
    (default: one per CPU, at most 4; 0 or 1 does everything in this process).
    """
    report = ImportReport()
    today = clock()
    files = [Path(p) for p in paths]
    names = [str(p) for p in files]
    n_workers = default_workers() if workers is None else workers
    jsonl_bytes = sum(p.stat().st_size for p in files if p.suffix.lower() in JSONL_SUFFIXES)
    parallel = (n_workers > 1 and jsonl_bytes >= PARALLEL_MIN_BYTES
                and "fork" in multiprocessing.get_all_start_methods())
    record_problems: list[tuple[int, int, str]] = []
    event_problems: list[tuple[int, int, str]] = []
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    cpu: dict[str, float] = {}
    cpu_started = time.process_time()

    def lap(name: str) -> None:
        seconds[name] = time.perf_counter() - started - sum(seconds.values())
        cpu[name] = time.process_time() - cpu_started - sum(cpu.values())

    with contextlib.ExitStack() as stack:
        stack.enter_context(_cycle_collector_paused())  # before the workers are forked
        # Pass 1's parts of every row (about 4 KB a record): beside the index, on a
        # disk that has room for it, not in a /tmp that may be memory.
        spool_dir = stack.enter_context(_spool_directory(Path(store.path)))
        pool: Any = None
        if parallel:
            # fork, before the write transaction: the workers need nothing but this
            # module and the files, and spawn would re-run the caller's __main__ (a
            # script without a main guard would import again, and wait for this
            # transaction's lock). They never touch LMDB. They serve both passes.
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(n_workers))
        plan = _plan(files, pool, spool_dir, today)
        plan.records.sort()
        report.rows = plan.rows
        record_problems.extend(plan.problems)
        rows = _Rows(names, plan)
        stack.callback(rows.close)
        prefetch = threading.Thread(target=_prefetch, args=(plan.spools,), daemon=True)
        prefetch.start()
        stack.callback(prefetch.join)
        lap("scan")
        txn = stack.enter_context(store.write_txn())
        writer = Writer(store, txn, today=today, principal=principal)
        writer.catch_up()
        bulk = BulkWriter(writer)
        # Every event's record, as the index will be once all records are in.
        named: dict[str, list[Row]] = {}
        in_import = {entry[:16] for entry in plan.records}
        for row, label in plan.events:
            missing, *candidates = label[1:].split("\t")
            rid = next((c for c in candidates if c.encode() in in_import or bulk.exists(c)),
                       None)
            if rid is None:
                if progress is not None:
                    progress(1)
                event_problems.append((row[0], row[1], missing))
            else:
                named.setdefault(rid, []).append(row)
        plan.events = []
        lap("resolve")
        # New records are computed by the workers, in order, while this process writes
        # (``plain_parts``, ``GroupComputer``); it puts in the timestamps and the
        # history and feed sequence numbers. Records in the index go through ``Writer``.
        # The groups are made as they are needed, the workers' ones ahead of this
        # process's (``tee``): the first tasks start at once, not after a million groups.
        mine, ahead = itertools.tee(_known(bulk, _groups(plan.records, in_import, named)))
        work = ((g.versions, g.events) for g in ahead if not g.known and not _is_plain_group(g))
        tasks = ((plan.spools, spool_dir, today, principal, part)
                 for part in iter(lambda: list(itertools.islice(work, GROUPS_PER_TASK)), []))
        done = _results(map(_compute_groups, tasks) if pool is None
                        else _ahead(pool, _compute_groups, tasks, TASKS_AHEAD))
        for group in mine:
            if progress is not None:
                progress(len(group.versions) + len(group.events))
            if len(group.versions) > 1 or (group.versions and group.known):
                bulk.exclude(group.rid)  # what the runs hold of it is not what is written
            if group.known:
                _through_writer(bulk, group, rows, report, record_problems, event_problems)
                continue
            if _is_plain_group(group):
                bulk.write_plain(rows.plain(group.versions[0]))
                report.records_added += 1
                continue
            computed = next(done)
            if _is_plain(computed):
                bulk.write_plain(computed)
                report.records_added += 1
                continue
            group_computed = cast(Computed, computed)
            bulk.apply(group_computed)
            done_versions: list[Any] = group_computed[0]
            done_events: list[Any] = group_computed[1]
            for row, outcome in zip(group.versions, done_versions, strict=True):
                if isinstance(outcome, ShixinError):
                    record_problems.append((row[0], row[1], str(outcome)))
                elif outcome.startswith("!"):
                    record_problems.append((row[0], row[1], outcome[1:]))
                elif outcome == "added":
                    report.records_added += 1
                elif outcome == "updated":
                    report.records_updated += 1
                else:
                    report.records_unchanged += 1
            for row, applied in zip(group.events, done_events, strict=True):
                if isinstance(applied, ShixinError | str):
                    event_problems.append((row[0], row[1], str(applied)))
                elif applied:
                    report.events_applied += 1
                else:
                    report.events_unchanged += 1
        done.close()
        plan.records = []
        for run in plan.runs:
            bulk.add_run(rows.run(*run))
        lap("write")
        bulk.finish()
        lap("index")
        report.feed_changes = writer.feed_added + bulk.feed_added
    lap("commit")
    report.problems = [RowProblem(str(files[f]), no, message)
                       for f, no, message in [*sorted(record_problems),
                                              *sorted(event_problems)]]
    log.info("import_done", rows=report.rows, added=report.records_added,
             updated=report.records_updated, unchanged=report.records_unchanged,
             events=report.events_applied, problems=len(report.problems),
             seconds={k: round(v, 2) for k, v in seconds.items()},
             cpu_seconds={k: round(v, 2) for k, v in cpu.items()})  # this process's
    return report


def _through_writer(bulk: BulkWriter, group: _Group, rows: _Rows, report: ImportReport,
                    record_problems: list[tuple[int, int, str]],
                    event_problems: list[tuple[int, int, str]]) -> None:
    """A record the index holds already: ``Writer`` applies its rows one by one."""
    writer = bulk.through_writer()
    try:
        for row in group.versions:
            obj = rows.source(row)
            try:
                if isinstance(obj, ShixinError):
                    raise obj
                result = writer.put_record(parse_record(obj))
            except ShixinError as exc:
                record_problems.append((row[0], row[1], str(exc)))
                continue
            if result.unchanged:
                report.records_unchanged += 1
            else:
                report.records_updated += 1
        for row in group.events:
            try:
                result = writer.put_event(rows.spooled(row), record_id=group.rid)
            except ShixinError as exc:
                event_problems.append((row[0], row[1], str(exc)))
                continue
            if result.unchanged:
                report.events_unchanged += 1
            else:
                report.events_applied += 1
    finally:
        bulk.back_from_writer()
