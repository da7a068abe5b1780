"""query(): who looked up whom, when, for what."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from shixin.audit import AuditLog, query

ID = "11010119900307123X"


@pytest.fixture
def log_path(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    events: list[dict[str, Any]] = [
        {
            "actor": "bank-x",
            "role": "unit",
            "action": "match",
            "purpose": "bank.loan",
            "request": {"name": "张三", "id_number": ID},
            "outcome": {"status": "OK", "hits": [{"id": "r1", "level": "exact"}]},
        },
        {
            "actor": "customs",
            "role": "unit",
            "action": "batch_match",
            "purpose": "customs.cert",
            "request": {"subjects": [{"name": "李四"}, {"name": "张三", "id_number": ID}]},
            "outcome": {"status": "OK"},
        },
        {
            "actor": "public:203.0.113.9",
            "role": "public",
            "action": "match",
            "request": {"name": '王"五', "id_number": "110101199003071234"},
            "outcome": {"status": "NOT_FOUND"},
        },
        {"actor": "ops", "role": "admin", "action": "admin.token_issue", "request": {"unit": "x"}},
        {"actor": "ops", "role": "admin", "action": "admin.unit_add", "request": {"name": "张三"}},
    ]
    with AuditLog(path, fsync=False) as log:
        for e in events:
            log.append(e)
    return path


def seqs(entries: object) -> list[int]:
    return [e["seq"] for e in entries]  # type: ignore[attr-defined]


def test_no_filter_streams_everything(log_path: Path) -> None:
    assert seqs(query(log_path)) == [1, 2, 3, 4, 5]


def test_by_unit(log_path: Path) -> None:
    assert seqs(query(log_path, unit="bank-x")) == [1]
    assert seqs(query(log_path, unit="public:203.0.113.9")) == [3]
    assert seqs(query(log_path, unit="bank")) == []


def test_by_subject_name_or_id(log_path: Path) -> None:
    assert seqs(query(log_path, subject="张三")) == [1, 2, 5]
    assert seqs(query(log_path, subject=ID.lower())) == [1, 2]  # check letter case ignored
    assert seqs(query(log_path, subject=" 李四 ")) == [2]  # nested batch subjects
    assert seqs(query(log_path, subject='王"五')) == [3]  # needs JSON escaping
    assert seqs(query(log_path, subject="x")) == []  # "unit": "x" is not a subject key


def test_by_action(log_path: Path) -> None:
    assert seqs(query(log_path, action="match")) == [1, 3]
    assert seqs(query(log_path, action="admin.*")) == [4, 5]


def test_combined(log_path: Path) -> None:
    assert seqs(query(log_path, subject="张三", action="match", unit="bank-x")) == [1]


def test_by_time(log_path: Path) -> None:
    stamps = [datetime.fromisoformat(json.loads(line)["ts"]) for line in log_path.open("rb")]
    assert seqs(query(log_path, since=stamps[2])) == [3, 4, 5]
    assert seqs(query(log_path, until=stamps[2])) == [1, 2]
    beijing = stamps[1].astimezone(timezone(timedelta(hours=8)))
    assert seqs(query(log_path, since=beijing.isoformat(), until=stamps[3])) == [2, 3]
    later = stamps[-1] + timedelta(seconds=1)
    assert seqs(query(log_path, since=later)) == []


def test_naive_times_are_refused(log_path: Path) -> None:
    with pytest.raises(ValueError, match="must carry a time zone"):
        list(query(log_path, since=datetime(2025, 1, 1)))


def test_malformed_lines_are_skipped(log_path: Path) -> None:
    with log_path.open("ab") as f:
        f.write("garbage 张三\n".encode())
    assert seqs(query(log_path, subject="张三")) == [1, 2, 5]


def test_missing_file_yields_nothing(tmp_path: Path) -> None:
    assert list(query(tmp_path / "none.jsonl")) == []
