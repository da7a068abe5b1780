"""The importer writes exactly what ``Writer`` writes for the same rows, one by one.

``shixin import`` applies, for each record id in ascending order, the record's
versions in file order and then the events that name it in file order (see
``shixin.service.importer``). Here the same rows go through ``Writer.put_record``
and ``Writer.put_event`` in that order, and every database must hold the same
entries, byte for byte but for the acceptance timestamps.
"""

from __future__ import annotations

import contextlib
import json
import random
from pathlib import Path
from typing import Any

import pytest

from shixin.demo import DEFAULT_TODAY, write_demo
from shixin.errors import ShixinError
from shixin.records import parse_record
from shixin.service.clock import fixed
from shixin.service.importer import import_files
from shixin.service.records import is_event
from shixin.store import Store, Writer
from shixin.store.layout import DB_NAMES
from shixin.store.writer import event_target

STAMPS = ("received_at", "recorded_at")


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "*" if k in STAMPS else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def dump(store: Store) -> dict[str, list[tuple[bytes, Any]]]:
    """Every entry of every database, JSON values without their timestamps."""
    out: dict[str, list[tuple[bytes, Any]]] = {}
    with store.read_txn() as txn:
        for name in DB_NAMES:
            rows: list[tuple[bytes, Any]] = []
            with txn.cursor(db=store.dbs[name]) as cur:
                for key, value in cur.iternext(keys=True, values=True):
                    raw = bytes(value)
                    if name in ("records", "history", "feed"):
                        rows.append((bytes(key), _masked(json.loads(raw))))
                        rows.append((bytes(key), raw.count(b"\n")))
                    else:
                        rows.append((bytes(key), raw))
            out[name] = rows
    return out


def rows_of(paths: list[Path]) -> list[tuple[int, int, dict[str, Any]]]:
    out = []
    for f, path in enumerate(paths):
        for no, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(obj, dict):
                    out.append((f, no, obj))
    return out


def apply_one_by_one(store: Store, paths: list[Path]) -> None:
    """The rows in the importer's order, through ``Writer``, in one transaction."""
    rows = rows_of(paths)
    versions: dict[str, list[dict[str, Any]]] = {}
    for _, _, obj in rows:
        if is_event(obj):
            continue
        try:
            rid = parse_record(obj).record_id
        except ShixinError:
            continue
        versions.setdefault(rid, []).append(obj)
    with store.write_txn() as txn:
        writer = Writer(store, txn, today=DEFAULT_TODAY, principal="import")
        writer.catch_up()
        events: dict[str, list[dict[str, Any]]] = {}
        for _, _, obj in rows:
            if not is_event(obj):
                continue
            try:
                _, candidates, _ = event_target(obj)
            except ShixinError:
                continue
            found = next((c for c in candidates if c in versions
                          or txn.get(c.encode(), db=store.dbs["records"]) is not None), None)
            if found is not None:
                events.setdefault(found, []).append(obj)
        for rid in sorted({*versions, *events}):
            for obj in versions.get(rid, []):
                writer.put_record(parse_record(obj))
            for obj in events.get(rid, []):
                with contextlib.suppress(ShixinError):
                    writer.put_event(obj, record_id=rid)


def _variants(directory: Path, records: Path, events: Path, seed: int) -> list[Path]:
    """A second push: changed and repeated versions, new events, bad and unknown rows."""
    rng = random.Random(seed)
    lines = records.read_text("utf-8").splitlines()
    more = []
    for line in rng.sample(lines, len(lines) // 4):
        obj = json.loads(line)
        choice = rng.random()
        if choice < 0.4:
            obj["obligation"] = obj.get("obligation", "") + "（更正）"
        elif choice < 0.6 and obj.get("related_persons"):
            obj["related_persons"] = obj["related_persons"][:1]
        elif choice < 0.8:
            obj["public"] = not obj.get("public", True)
        more.append(json.dumps(obj, ensure_ascii=False))
        if rng.random() < 0.3:
            more.append(line)  # the old version again, after the new one
    more.append("not json")
    more.append(json.dumps({"case_number": "(2025)桂0202执1号", "court": "x"}))
    evs = []
    for line in rng.sample(events.read_text("utf-8").splitlines(), 40):
        obj = json.loads(line)
        if rng.random() < 0.5:
            obj["event"] = rng.choice(["shield", "restore", "revoke", "performed"])
            obj["effective_on"] = "2026-11-20"
        evs.append(json.dumps(obj, ensure_ascii=False))
    evs.append(json.dumps({"event": "shield", "case_number": "(2020)无此案1号",
                           "name": "无此人", "effective_on": "2026-01-01"}, ensure_ascii=False))
    a, b = directory / "more.jsonl", directory / "more-events.jsonl"
    a.write_text("\n".join(more) + "\n", encoding="utf-8")
    b.write_text("\n".join(evs) + "\n", encoding="utf-8")
    return [a, b]


@pytest.mark.parametrize("workers", [0, 2])
def test_import_equals_writer_one_by_one(tmp_path: Path, workers: int,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh import, then updates on top of it: the same index either way."""
    monkeypatch.setattr("shixin.store.bulk.RUN_POSTINGS", 50)  # sorted runs, merged
    monkeypatch.setattr("shixin.store.bulk.PUT_BATCH", 7)  # appended in many batches
    if workers:
        monkeypatch.setattr("shixin.service.importer.PARALLEL_MIN_BYTES", 0)
        monkeypatch.setattr("shixin.service.importer.SCAN_CHUNK_BYTES", 20_000)
    demo = write_demo(tmp_path / "list", 300)
    # Events first, and a record twice: the order of the files must not matter.
    first = [demo.events, demo.records]
    second = _variants(tmp_path, demo.records, demo.events, seed=3)
    bulk, single = Store(tmp_path / "bulk"), Store(tmp_path / "single")
    try:
        for paths in (first, second, first):
            import_files(bulk, paths, clock=fixed(DEFAULT_TODAY), workers=workers)
            apply_one_by_one(single, paths)
            assert dump(bulk) == dump(single)
    finally:
        bulk.close()
        single.close()


def test_import_equals_writer_with_repeated_versions_in_one_file(tmp_path: Path) -> None:
    """Versions of one record in one import, and its events, in a fresh index."""
    demo = write_demo(tmp_path / "list", 120, seed=5)
    extra = _variants(tmp_path, demo.records, demo.events, seed=4)
    paths = [demo.records, extra[0], demo.events, extra[1]]
    bulk, single = Store(tmp_path / "bulk"), Store(tmp_path / "single")
    try:
        report = import_files(bulk, paths, clock=fixed(DEFAULT_TODAY), workers=0)
        assert report.records_updated > 0 and report.events_applied > 0
        apply_one_by_one(single, paths)
        assert dump(bulk) == dump(single)
    finally:
        bulk.close()
        single.close()
