"""The import writes records in record-id order and stores what a file-order import stores."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from shixin.demo import DEFAULT_TODAY, write_demo
from shixin.errors import ShixinError
from shixin.records import parse_record
from shixin.service import importer
from shixin.service.clock import fixed
from shixin.service.importer import ImportReport, RowProblem, import_files, read_objects
from shixin.service.records import is_event
from shixin.store import Store, Writer
from shixin.store.layout import seq_from

VOLATILE = frozenset({"received_at", "recorded_at", "seq", "ds"})
"""Fields that hold acceptance times or sequence numbers (which follow the writing order)."""


def _stable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _stable(v) for k, v in obj.items() if k not in VOLATILE}
    if isinstance(obj, list):
        return [_stable(v) for v in obj]
    return obj


def _contents(store: Store) -> dict[str, Any]:
    """Every database, with sequence numbers and timestamps taken out."""
    out: dict[str, Any] = {}
    with store.read_txn() as txn:
        for name, db in store.dbs.items():
            with txn.cursor(db=db) as cur:
                rows = [(bytes(k), bytes(v)) for k, v in cur.iternext()]
            if name == "history":  # key: record id + sequence; per record, in order
                per: dict[bytes, list[Any]] = {}
                for k, v in rows:
                    per.setdefault(k[:16], []).append(_stable(json.loads(v)))
                out[name] = per
            elif name == "feed":  # key: sequence; the same changes, in any order
                out[name] = Counter(json.dumps(_stable(json.loads(v)), sort_keys=True)
                                    for _, v in rows)
            elif name == "records":
                out[name] = {k: _stable(json.loads(v)) for k, v in rows}
            else:
                out[name] = rows
    return out


def _file_order_import(store: Store, files: list[Path]) -> ImportReport:
    """The reference: every record in file order, then every event, through one Writer."""
    report = ImportReport()
    events = []
    with store.write_txn() as txn:
        writer = Writer(store, txn, today=DEFAULT_TODAY, principal="import")
        writer.catch_up()
        for path in files:
            for no, obj in read_objects(path):
                report.rows += 1
                try:
                    if isinstance(obj, ShixinError):
                        raise obj
                    if is_event(obj):
                        events.append((path, no, obj))
                        continue
                    result = writer.put_record(parse_record(obj))
                except ShixinError as exc:
                    report.problems.append(RowProblem(str(path), no, str(exc)))
                    continue
                report.records_unchanged += result.unchanged
                report.records_added += not result.unchanged
        for path, no, obj in events:
            try:
                result = writer.put_event(obj)
            except ShixinError as exc:
                report.problems.append(RowProblem(str(path), no, str(exc)))
                continue
            report.events_applied += not result.unchanged
        report.feed_changes = writer.feed_added
    return report


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A demo list with a BOM, blank and broken lines, a repeated record and a CSV file."""
    d = tmp_path_factory.mktemp("order")
    files = write_demo(d, 1200)
    lines = files.records.read_bytes().splitlines(keepends=True)
    changed = json.loads(lines[5])
    changed["obligation"] = "被告支付原告货款9999元"
    lines.insert(7, b"{not json\n")
    lines.insert(9, b"\n")
    lines.insert(11, b"[1, 2]\n")
    lines.append(json.dumps(changed, ensure_ascii=False).encode() + b"\n")  # same key, later
    lines.append(lines[3])  # identical repeat
    files.records.write_bytes(b"\xef\xbb\xbf" + b"".join(lines))
    extra = d / "extra.csv"
    with extra.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["case_number", "debtor.kind", "debtor.name", "debtor.id_number", "court",
                    "basis_document_number", "basis_issuer", "obligation", "performance",
                    "circumstances", "published_on"])
        w.writerow(["(2026)桂0202执9号", "person", "韦小宝", "450202199001011236",
                    "柳州市城中区人民法院", "(2025)桂0202民初9号", "柳州市城中区人民法院",
                    "支付货款", "全部未履行", "违反财产报告制度", "2026-01-05"])
        w.writerow(["(2026)桂0202执10号", "person", "", "", "", "", "", "", "", "", ""])
    return [files.records, extra, files.events]


@pytest.mark.parametrize("workers", [0, 2])
def test_record_id_order_stores_what_file_order_stores(
        demo: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    """Same entries, same report and problems in file order, scanned here or in workers."""
    monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(importer, "SCAN_CHUNK_BYTES", 5000)
    ref_store, new_store = Store(tmp_path / "ref"), Store(tmp_path / "new")
    try:
        ref = _file_order_import(ref_store, demo)
        new = import_files(new_store, demo, clock=fixed(DEFAULT_TODAY), workers=workers)
        assert ref.records_added > 1000 and ref.events_applied > 0 and ref.problems
        assert (new.rows, new.records_added + new.records_updated, new.records_unchanged,
                new.events_applied, new.feed_changes) == (
            ref.rows, ref.records_added, ref.records_unchanged, ref.events_applied,
            ref.feed_changes)
        assert new.problems == ref.problems
        assert _contents(new_store) == _contents(ref_store)
    finally:
        ref_store.close()
        new_store.close()


def test_records_are_written_in_record_id_order(demo: list[Path], tmp_path: Path) -> None:
    """History sequence numbers of the import's versions rise with the record id."""
    store = Store(tmp_path / "index")
    try:
        import_files(store, demo[:1], clock=fixed(DEFAULT_TODAY))
        with store.read_txn() as txn, txn.cursor(db=store.dbs["history"]) as cur:
            firsts: dict[bytes, int] = {}
            for key in cur.iternext(values=False):
                firsts.setdefault(bytes(key[:16]), seq_from(bytes(key[16:])))
        seqs = [firsts[k] for k in sorted(firsts)]
        assert seqs == sorted(seqs)
    finally:
        store.close()


def test_scan_range_reads_whole_lines_and_says_what_each_is(tmp_path: Path) -> None:
    """Pass 1 gives each non-blank line's place and its record id, 'event' or the problem."""
    record = json.loads(next(iter(write_demo(tmp_path / "one", 1).records.open())))
    event = {"event": "shield", "case_number": record["case_number"],
             "effective_on": "2026-01-01"}
    path = tmp_path / "rows.jsonl"
    body = [json.dumps(record).encode(), b"", json.dumps(event).encode(), b"{"]
    path.write_bytes(b"\n".join(body) + b"\n")
    lines, rows = importer.scan_range(str(path), 0, path.stat().st_size)
    assert lines == 4
    assert [(line, what[:18]) for line, _, _, what in rows] == [
        (1, parse_record(record).record_id), (3, "event"), (4, "!not a JSON object")]
    offset, length = rows[1][1], rows[1][2]
    assert json.loads(path.read_bytes()[offset:offset + length]) == event
