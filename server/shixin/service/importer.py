"""``shixin import``: records and events from JSONL or CSV files, in one transaction.

Each bad row is reported with its file, line number and reason while the good
rows go in. The whole import is one LMDB write transaction: a crash or an
interrupt leaves the index exactly as it was. Re-importing the same file
changes nothing (identical records and events are recognised). Events are
applied after all records of the import, so a file may list them in any order.

Records are written in the order of their record id, not of the file: the
``records`` and ``history`` databases (most of the index) are keyed by it, so
their B-trees then grow at the right edge and each page is written about once.
In file order every insert lands on a random page, and once a transaction
holds more dirty pages than LMDB keeps in memory (512 MB) it spills and
re-spills them: at a million records that is tens of GB written for a 4 GB
index. A first pass reads every row and computes its record id (in worker
processes for large JSON Lines files: the results are 16 bytes a row); the
second pass, the only one that touches LMDB, reads the rows again in that
order. Records with the same id keep their file order, so the last one wins
as before; bad rows are reported in file order as before. What depends on the
writing order is only the numbering within one import: history and feed
sequence numbers follow record ids.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import mmap
import multiprocessing
import os
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import structlog

from shixin.errors import ShixinError
from shixin.records import parse_record
from shixin.service.clock import Clock
from shixin.service.records import is_event
from shixin.store import Store, Writer

log = structlog.get_logger(__name__)

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
SCAN_CHUNK_BYTES = 4 << 20
PARALLEL_MIN_BYTES = 32 << 20
"""Smaller inputs are scanned in this process: starting workers costs more."""
MAX_WORKERS = 4
# A record row to write: record id, then (file order, file, line, offset, length).
_ROW = struct.Struct(">QHIqI")


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


# -- pass 1: what each row is, and the record id of each record row ----------------
Scanned = tuple[int, int, int, str]
"""A row: (line, offset, length, what): a record id, "event", or "!" + the problem."""


def classify(obj: dict[str, Any] | ShixinError) -> str:
    """A row's record id, ``"event"``, or ``"!"`` followed by why it cannot be imported."""
    if isinstance(obj, ShixinError):
        return "!" + str(obj)
    if is_event(obj):
        return "event"
    try:
        return parse_record(obj).record_id
    except ShixinError as exc:
        return "!" + str(exc)


def scan_range(path: str, start: int, end: int) -> tuple[int, list[Scanned]]:
    """Pass 1 over the bytes ``[start, end)`` of a JSON Lines file (whole lines).

    Returns how many lines the range holds and, for each non-blank one, its
    line number within the range, its offset and length, and what it is.
    """
    out: list[Scanned] = []
    lines = 0
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    pos = 0
    while pos < len(data):
        nl = data.find(b"\n", pos)
        stop = len(data) if nl < 0 else nl + 1
        raw = data[pos:stop]
        lines += 1
        if raw.strip():
            first = start == 0 and lines == 1
            out.append((lines, start + pos, stop - pos, classify(parse_line(raw, first))))
        pos = stop
    return lines, out


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
    """Processes for the first pass over large JSON Lines files: every CPU, at most 4."""
    return max(0, min(MAX_WORKERS, os.cpu_count() or 1))


def _scan_jsonl(path: Path, workers: int) -> Iterator[Scanned]:
    """Pass 1 over a JSON Lines file, in file order (absolute line numbers)."""
    size = path.stat().st_size
    ranges = _ranges(path, size)
    if workers <= 1 or size < PARALLEL_MIN_BYTES or "fork" not in \
            multiprocessing.get_all_start_methods():
        parts: Iterable[tuple[int, list[Scanned]]] = (
            scan_range(str(path), a, b) for a, b in ranges)
        yield from _numbered(parts)
        return
    # fork: the workers need nothing but this module, and spawn would re-run the
    # caller's __main__ (a script without a main guard would import again, and wait
    # for this transaction's lock). No LMDB transaction is open yet.
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        args = [(str(path), a, b) for a, b in ranges]
        yield from _numbered(pool.imap(_scan_args, args))


def _scan_args(args: tuple[str, int, int]) -> tuple[int, list[Scanned]]:
    return scan_range(*args)


def _numbered(parts: Iterable[tuple[int, list[Scanned]]]) -> Iterator[Scanned]:
    base = 0
    for lines, rows in parts:
        for line, offset, length, what in rows:
            yield base + line, offset, length, what
        base += lines


@dataclass
class _Plan:
    """Pass 1's result: record rows to write (sortable), events, problems, other rows."""

    records: list[bytes] = field(default_factory=list)
    events: list[tuple[int, int, int, int]] = field(default_factory=list)  # file, line, off, len
    problems: list[tuple[int, int, str]] = field(default_factory=list)  # file, line, message
    objects: list[dict[str, Any]] = field(default_factory=list)  # rows of non-JSONL files
    rows: int = 0


def _plan(files: list[Path], workers: int) -> _Plan:
    plan = _Plan()
    order = 0
    for f, path in enumerate(files):
        if path.suffix.lower() in JSONL_SUFFIXES:
            rows: Iterable[tuple[int, int, int, str | dict[str, Any] | ShixinError]] = \
                _scan_jsonl(path, workers)
        else:
            rows = ((no, -1, 0, obj) for no, obj in read_objects(path))
        for no, offset, length, what in rows:
            plan.rows += 1
            if offset < 0:  # an object held in memory (CSV)
                assert not isinstance(what, str)
                label = classify(what)
                if not label.startswith("!"):
                    offset, length = -1 - len(plan.objects), 0
                    plan.objects.append(what)  # type: ignore[arg-type]
            else:
                assert isinstance(what, str)
                label = what
            if label.startswith("!"):
                plan.problems.append((f, no, label[1:]))
            elif label == "event":
                plan.events.append((f, no, offset, length))
            else:
                order += 1
                plan.records.append(label.encode() + _ROW.pack(order, f, no, offset, length))
    return plan


def import_files(store: Store, paths: Iterable[Path], *, clock: Clock,
                 principal: str = "import",
                 progress: Callable[[int], None] | None = None,
                 workers: int | None = None) -> ImportReport:
    """Import every file in one transaction; see the module docstring.

    ``workers``: processes for the first pass over large JSON Lines files
    (default: one per CPU, at most 4; 0 or 1 scans in this process).
    """
    report = ImportReport()
    today = clock()
    files = [Path(p) for p in paths]
    plan = _plan(files, default_workers() if workers is None else workers)
    plan.records.sort()
    report.rows = plan.rows
    problems = list(plan.problems)
    with contextlib.ExitStack() as stack:
        maps = [_map(stack, path) for path in files]

        def row(f: int, no: int, offset: int, length: int) -> dict[str, Any] | ShixinError:
            if offset < 0:
                return plan.objects[-1 - offset]
            mapped = maps[f]
            assert mapped is not None
            return parse_line(mapped[offset:offset + length], offset == 0)

        txn = stack.enter_context(store.write_txn())
        writer = Writer(store, txn, today=today, principal=principal)
        writer.catch_up()
        for entry in plan.records:
            _, f, no, offset, length = _ROW.unpack_from(entry, 16)
            if progress is not None:
                progress(1)
            obj = row(f, no, offset, length)
            try:
                if isinstance(obj, ShixinError):
                    raise obj
                record = parse_record(obj)
                existed = txn.get(record.record_id.encode(), db=store.dbs["records"])
                result = writer.put_record(record)
            except ShixinError as exc:
                problems.append((f, no, str(exc)))
                continue
            if result.unchanged:
                report.records_unchanged += 1
            elif existed is not None:
                report.records_updated += 1
            else:
                report.records_added += 1
        record_problems = sorted(problems)
        problems = []
        for f, no, offset, length in plan.events:
            if progress is not None:
                progress(1)
            obj = row(f, no, offset, length)
            try:
                if isinstance(obj, ShixinError):
                    raise obj
                result = writer.put_event(obj)
            except ShixinError as exc:
                problems.append((f, no, str(exc)))
                continue
            if result.unchanged:
                report.events_unchanged += 1
            else:
                report.events_applied += 1
        report.feed_changes = writer.feed_added
    report.problems = [RowProblem(str(files[f]), no, message)
                       for f, no, message in [*record_problems, *problems]]
    log.info("import_done", rows=report.rows, added=report.records_added,
             updated=report.records_updated, unchanged=report.records_unchanged,
             events=report.events_applied, problems=len(report.problems))
    return report


def _map(stack: contextlib.ExitStack, path: Path) -> mmap.mmap | None:
    """The file mapped for reading rows by offset (None for non-JSONL or empty files)."""
    if path.suffix.lower() not in JSONL_SUFFIXES or path.stat().st_size == 0:
        return None
    fh = stack.enter_context(path.open("rb"))
    return stack.enter_context(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
