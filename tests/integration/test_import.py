"""``shixin import``: bad rows reported in place, idempotent re-import, CSV per spec, atomicity."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from shixin.demo import DEFAULT_TODAY, write_demo
from shixin.service.clock import fixed
from shixin.service.importer import SPOOL_LOCK, ImportReport, import_files, remove_stale_spools
from shixin.store import ReadView, Store
from tests.cli.cli_support import run_shixin

COURT = "柳州市城中区人民法院"
TODAY = DEFAULT_TODAY.isoformat()


@dataclass(frozen=True)
class Snapshot:
    """What an import could change: entry counts per database and the feed head."""

    stats: dict[str, int]
    feed_head: int
    record_ids: frozenset[str]


def snapshot(store: Store) -> Snapshot:
    """The store's counts, feed head and record ids as of now."""
    with store.read_txn() as txn:
        view = ReadView(store, txn)
        with txn.cursor(db=store.dbs["records"]) as cur:
            ids = frozenset(bytes(k).decode() for k in cur.iternext(values=False))
        return Snapshot(view.stats(), view.feed_head(), ids)


def stored(store: Store, case_number: str, id_number: str = "", name: str = "") -> Any:
    """The stored record for a key as a court writes it, or None."""
    with store.read_txn() as txn:
        rec = ReadView(store, txn).find(case_number, id_number, name)
        return None if rec is None else rec.record


@pytest.fixture
def opened(tmp_path: Path) -> Iterator[Store]:
    """An empty index in a temporary directory."""
    store = Store(tmp_path / "index")
    yield store
    store.close()


def _record(case: str, name: str, id_number: str = "", kind: str = "person",
            **extra: Any) -> dict[str, Any]:
    debtor: dict[str, Any] = {"kind": kind, "name": name}
    if id_number:
        debtor["id_number"] = id_number
    return {"case_number": case, "debtor": debtor, "court": COURT,
            "published_on": "2025-01-10", **extra}


BAD_ROWS: list[tuple[str, tuple[str, ...] | None]] = [
    # (line, words its reason must contain; None for a good row)
    (json.dumps(_record("(2025)桂0202执1号", "张三", "450202198001011232"),
                ensure_ascii=False), None),
    ("not json", ("JSON",)),
    ("[1, 2]", ("JSON object",)),
    (json.dumps({k: v for k, v in _record("(2025)桂0202执2号", "李四").items() if k != "court"},
                ensure_ascii=False), ("court",)),
    ("", None),
    (json.dumps(_record("(2025)桂0202执3号", "王五", published_on="2025-13-01"),
                ensure_ascii=False), ("published_on", "2025-13-01")),
    (json.dumps({"event": "shield", "case_number": "(2025)桂0202执99号",
                 "id_number": "450202198001011232", "effective_on": "2025-05-01"},
                ensure_ascii=False), ("(2025)桂0202执99号",)),
    (json.dumps(_record("(2025)桂0202执4号", "柳州市鑫达贸易有限公司", kind="organization"),
                ensure_ascii=False), None),
]


def _bad_file(directory: Path) -> Path:
    path = directory / "mixed.jsonl"
    path.write_text("\n".join(line for line, _ in BAD_ROWS) + "\n", encoding="utf-8")
    return path


def test_cli_reports_bad_rows_with_file_line_and_reason(tmp_path: Path) -> None:
    """Each bad row is reported as file:line: reason, and the good rows go in."""
    src = _bad_file(tmp_path)
    ran = run_shixin("import", "--data", str(tmp_path / "index"), str(src), "--today", TODAY,
                     "--quiet", cwd=tmp_path)
    assert ran.code == 0, ran.err
    reported = [line for line in ran.err.splitlines() if line.startswith(f"{src}:")]
    expected = [(no, words) for no, (_, words) in enumerate(BAD_ROWS, start=1) if words]
    assert len(reported) == len(expected)
    for line, (no, words) in zip(reported, expected, strict=True):
        assert line.startswith(f"{src}:{no}: ")
        assert all(w in line for w in words), line
    assert f"{len(expected)} rows rejected" in ran.out
    assert "2 records added" in ran.out
    store = Store(tmp_path / "index")
    try:
        assert stored(store, "(2025)桂0202执1号", "450202198001011232")["debtor"]["name"] == "张三"
        assert stored(store, "（2025）桂0202执4号", name="柳州市鑫达贸易有限公司") is not None
        assert stored(store, "(2025)桂0202执2号", name="李四") is None
        assert stored(store, "(2025)桂0202执3号", name="王五") is None
        assert len(snapshot(store).record_ids) == 2
    finally:
        store.close()


def test_cli_strict_exits_1_when_rows_are_rejected(tmp_path: Path) -> None:
    """With --strict, rejected rows make the exit status 1 (the good rows still go in)."""
    ran = run_shixin("import", "--data", str(tmp_path / "index"), str(_bad_file(tmp_path)),
                     "--today", TODAY, "--quiet", "--strict", cwd=tmp_path)
    assert ran.code == 1
    assert "2 records added" in ran.out


def test_cli_refuses_a_missing_file_without_touching_the_index(tmp_path: Path) -> None:
    """A file that does not exist: exit status 2, no index created."""
    ran = run_shixin("import", "--data", str(tmp_path / "index"), str(tmp_path / "nope.jsonl"),
                     "--quiet", cwd=tmp_path)
    assert ran.code == 2
    assert "nope.jsonl" in ran.err
    assert not (tmp_path / "index").exists()


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small demo list (records, events)."""
    files = write_demo(tmp_path_factory.mktemp("import-list"), 400)
    return files.records, files.events


def _import(store: Store, paths: list[Path], **kwargs: Any) -> ImportReport:
    return import_files(store, paths, clock=fixed(DEFAULT_TODAY), **kwargs)


def test_reimport_changes_nothing(opened: Store, demo_files: tuple[Path, Path]) -> None:
    """Importing the same files again adds, updates and applies nothing; the feed stays put."""
    first = _import(opened, list(demo_files))
    assert first.records_added == 400 and first.feed_changes > 0
    before = snapshot(opened)
    again = _import(opened, list(demo_files))
    assert (again.records_added, again.records_updated, again.events_applied,
            again.feed_changes) == (0, 0, 0, 0)
    assert again.records_unchanged == first.records_added
    assert again.events_unchanged == first.events_applied
    assert again.problems == first.problems
    assert snapshot(opened) == before


def test_cli_reimport_reports_everything_unchanged(tmp_path: Path,
                                                   demo_files: tuple[Path, Path]) -> None:
    """The CLI says so: the second run adds nothing and changes no feed entry."""
    args = ("import", "--data", str(tmp_path / "index"), *map(str, demo_files), "--today",
            TODAY, "--quiet")
    assert run_shixin(*args, cwd=tmp_path).code == 0
    store = Store(tmp_path / "index")
    before = snapshot(store)
    store.close()
    ran = run_shixin(*args, cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert "0 records added, 0 updated, 400 unchanged; 0 events applied" in ran.out
    assert "0 feed changes" in ran.out
    store = Store(tmp_path / "index")
    try:
        assert snapshot(store) == before
    finally:
        store.close()


def _flatten(record: dict[str, Any]) -> dict[str, str]:
    """A list record as a CSV row per the spec: debtor.* columns, related_persons as JSON."""
    row: dict[str, str] = {}
    for key, value in record.items():
        if key == "debtor":
            row.update({f"debtor.{k}": str(v) for k, v in value.items()})
        elif key == "related_persons":
            row[key] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            row[key] = "true" if value else "false"
        else:
            row[key] = str(value)
    return row


def _write_csv(path: Path, records: list[dict[str, Any]], encoding: str) -> Path:
    rows = [_flatten(r) for r in records]
    columns = list(dict.fromkeys(k for row in rows for k in row))
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_import_stores_what_jsonl_import_stores(tmp_path: Path,
                                                    demo_files: tuple[Path, Path],
                                                    encoding: str) -> None:
    """The same records as spec CSV (flattened debtor, JSON related_persons) give the same index."""
    records_path, _ = demo_files
    records = [json.loads(line) for line in records_path.read_text("utf-8").splitlines()]
    assert any(r.get("related_persons") for r in records)
    assert any(r.get("public") is False for r in records)
    csv_path = _write_csv(tmp_path / "records.csv", records, encoding)
    from_jsonl, from_csv = Store(tmp_path / "a"), Store(tmp_path / "b")
    try:
        by_jsonl = _import(from_jsonl, [records_path])
        by_csv = _import(from_csv, [csv_path])
        assert by_csv.problems == [] and by_csv.records_added == by_jsonl.records_added
        ids = snapshot(from_jsonl).record_ids
        assert snapshot(from_csv).record_ids == ids
        with from_jsonl.read_txn() as ta, from_csv.read_txn() as tb:
            va, vb = ReadView(from_jsonl, ta), ReadView(from_csv, tb)
            for rid in ids:
                a, b = va.get(rid), vb.get(rid)
                assert a is not None and b is not None
                assert b.record == a.record
                assert b.parties == a.parties
    finally:
        from_jsonl.close()
        from_csv.close()


def test_csv_row_with_bad_related_persons_is_reported_by_line(opened: Store,
                                                              tmp_path: Path) -> None:
    """related_persons that is not JSON rejects that row, named by its line; others go in."""
    good = _record("(2025)桂0202执7号", "柳州市恒泰物流有限公司", kind="organization",
                   related_persons=[{"role": "legal_representative", "name": "赵六",
                                     "id_number": "45020219800101123X"}])
    rows = [_flatten(good), dict(_flatten(good), case_number="(2025)桂0202执8号",
                                 related_persons="[{'role': 'director'")]
    path = tmp_path / "r.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = _import(opened, [path])
    assert report.records_added == 1
    assert [(p.line, "related_persons" in p.message) for p in report.problems] == [(3, True)]
    rec = stored(opened, "(2025)桂0202执7号", name="柳州市恒泰物流有限公司")
    assert rec["related_persons"][0]["name"] == "赵六"
    assert rec["related_persons"][0]["role"] == "legal_representative"


class Interrupted(Exception):
    """Raised by the progress callback in the middle of an import."""


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_failed_import_leaves_the_index_exactly_as_before(
        opened: Store, tmp_path: Path, demo_files: tuple[Path, Path], where: str) -> None:
    """An exception mid-import rolls everything back: same records, counts and feed head."""
    _import(opened, list(demo_files))
    before = snapshot(opened)
    more = write_demo(tmp_path / "more", 300, seed=99)
    total = more.n_records + more.n_events
    after_rows = {"first": 1, "middle": total // 2, "last": total}[where]
    seen = 0

    def progress(rows: int) -> None:
        nonlocal seen
        seen += rows
        if seen >= after_rows:
            raise Interrupted(f"stopped after {seen} rows")

    with pytest.raises(Interrupted):
        _import(opened, [more.records, more.events], progress=progress)
    assert snapshot(opened) == before
    finished = _import(opened, [more.records, more.events])
    assert finished.records_added > 0
    assert snapshot(opened).feed_head > before.feed_head


def test_stale_spool_of_a_crashed_import_is_removed_by_the_next(
        opened: Store, demo_files: tuple[Path, Path]) -> None:
    """A spool a crash left behind goes at the next import; one in use stays; none remain."""
    stale = opened.path / "import-spool-crashed"
    (stale / "sub").mkdir(parents=True)
    (stale / "0").write_bytes(b"x" * 100)
    (stale / SPOOL_LOCK).write_bytes(b"")
    orphan = opened.path / "import-spool-nolock"  # crashed before its lock file
    orphan.mkdir()
    os.utime(orphan, (1, 1))
    busy = opened.path / "import-spool-busy"
    busy.mkdir()
    (busy / SPOOL_LOCK).write_bytes(b"")
    fd = os.open(busy / SPOOL_LOCK, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        report = _import(opened, list(demo_files))
        assert report.records_added > 0
        assert not stale.exists() and not orphan.exists()
        assert busy.exists()  # another import's, in use
    finally:
        os.close(fd)
    assert remove_stale_spools(opened.path) == ["import-spool-busy"]
    assert not [p for p in opened.path.iterdir() if p.name.startswith("import-spool-")]


def test_failed_import_removes_its_spool(
        opened: Store, tmp_path: Path, demo_files: tuple[Path, Path]) -> None:
    """An exception mid-import leaves no spool directory behind."""
    def progress(rows: int) -> None:
        raise Interrupted("stop")

    with pytest.raises(Interrupted):
        _import(opened, list(demo_files), progress=progress)
    assert not [p for p in opened.path.iterdir() if p.name.startswith("import-spool-")]
