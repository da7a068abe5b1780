"""``shixin import``: records and events from JSONL or CSV files, in one transaction.

Each bad row is reported with its file, line number and reason while the good
rows go in. The whole import is one LMDB write transaction: a crash or an
interrupt leaves the index exactly as it was. Re-importing the same file
changes nothing (identical records and events are recognised). Events are
applied after all records of the import, so a file may list them in any order.
"""

from __future__ import annotations

import csv
import io
import json
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


def read_objects(path: Path) -> Iterator[tuple[int, dict[str, Any] | ShixinError]]:
    """(line number, object or the error that row raised) for every data row of a file."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        with path.open("rb") as fh:
            for no, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8-sig" if no == 1 else "utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    yield no, ShixinError(f"not a JSON object: {exc}")
                    continue
                if not isinstance(obj, dict):
                    yield no, ShixinError("a line must be a JSON object")
                    continue
                yield no, obj
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


def import_files(store: Store, paths: Iterable[Path], *, clock: Clock,
                 principal: str = "import",
                 progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import every file in one transaction; see the module docstring."""
    report = ImportReport()
    today = clock()
    with store.write_txn() as txn:
        writer = Writer(store, txn, today=today, principal=principal)
        writer.catch_up_expiries()
        events: list[tuple[str, int, dict[str, Any]]] = []
        for path in paths:
            for no, obj in read_objects(Path(path)):
                report.rows += 1
                if progress is not None:
                    progress(1)
                if isinstance(obj, ShixinError):
                    report.problems.append(RowProblem(str(path), no, str(obj)))
                    continue
                if is_event(obj):
                    events.append((str(path), no, obj))
                    continue
                try:
                    record = parse_record(obj)
                    existed = txn.get(record.record_id.encode(), db=store.dbs["records"])
                    result = writer.put_record(record)
                except ShixinError as exc:
                    report.problems.append(RowProblem(str(path), no, str(exc)))
                    continue
                if result.unchanged:
                    report.records_unchanged += 1
                elif existed is not None:
                    report.records_updated += 1
                else:
                    report.records_added += 1
        for file, no, obj in events:
            try:
                result = writer.put_event(obj)
            except ShixinError as exc:
                report.problems.append(RowProblem(file, no, str(exc)))
                continue
            if result.unchanged:
                report.events_unchanged += 1
            else:
                report.events_applied += 1
        report.feed_changes = writer.feed_added
    log.info("import_done", rows=report.rows, added=report.records_added,
             updated=report.records_updated, unchanged=report.records_unchanged,
             events=report.events_applied, problems=len(report.problems))
    return report
