"""Tests for shixin.batchio.writers: output shape and atomic publication."""

import csv
import io
import json
import stat
from pathlib import Path

import pytest

from shixin.batchio import CSV_COLUMNS, RowError, error_result, open_writer
from shixin.batchio.writers import CsvWriter, JsonlWriter

HIT = {
    "case_number": "(2019)桂0202执1234号",
    "debtor_name": "张三",
    "id_number": "4502021980****1232",
    "role": "debtor",
    "level": "definitive",
    "score": 1.0,
    "reasons": ["id_number exact", "name exact"],
    "active": True,
}
RESULT = {
    "status": "hit",
    "hits": [HIT],
    "ref": "17",
    "query": {"name": "张三", "id_number": "450202198001011232"},
}


def test_jsonl_has_the_spec_shape(tmp_path: Path) -> None:
    """Keys come out in the spec's order, Chinese unescaped, error only on errors."""
    path = tmp_path / "out.jsonl"
    with open_writer(path) as writer:
        assert isinstance(writer, JsonlWriter)
        writer.write(RESULT)
        writer.write({"ref": "18", "status": "none", "query": {"name": "李四"}, "error": "x"})
        writer.write(error_result(RowError(19, "19", "neither name nor id_number is given")))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "张三" in lines[0]
    first = json.loads(lines[0])
    assert list(first) == ["ref", "status", "query", "hits"]
    assert first["hits"] == [HIT] and list(first["hits"][0]) == list(HIT)
    assert json.loads(lines[1]) == {
        "ref": "18",
        "status": "none",
        "query": {"name": "李四", "id_number": ""},
        "hits": [],
    }
    assert json.loads(lines[2]) == {
        "ref": "19",
        "status": "error",
        "query": {"name": "", "id_number": ""},
        "hits": [],
        "error": "neither name nor id_number is given",
    }


def test_extra_hit_fields_are_kept_after_the_spec_ones(tmp_path: Path) -> None:
    """A hit's extra fields (matched_name, court, …) are not dropped."""
    path = tmp_path / "out.jsonl"
    with open_writer(path) as writer:
        writer.write({**RESULT, "hits": [{"matched_name": "李四", **HIT}]})
    hit = json.loads(path.read_text(encoding="utf-8"))["hits"][0]
    assert list(hit) == [*HIT, "matched_name"]


def test_invalid_status_is_refused(tmp_path: Path) -> None:
    """A result without a known status is a programming error."""
    with open_writer(tmp_path / "o.jsonl") as writer, pytest.raises(ValueError, match="status"):
        writer.write({"ref": "1", "status": "maybe"})


def test_csv_for_excel(tmp_path: Path) -> None:
    """BOM, fixed columns, hits joined with '; ', reasons with ', ', formulas defused."""
    path = tmp_path / "out.csv"
    second = {**HIT, "case_number": "(2020)桂0203执9号", "level": "candidate", "score": 0.8125,
              "debtor_name": "=HYPERLINK(1)", "reasons": ["name similar"]}  # fmt: skip
    with open_writer(path) as writer:
        assert isinstance(writer, CsvWriter)
        writer.write({**RESULT, "hits": [HIT, second]})
        writer.write({"ref": "18", "status": "error", "error": "bad row"})
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1] == [
        "17",
        "hit",
        "2",
        "(2019)桂0202执1234号; (2020)桂0203执9号",
        "张三; '=HYPERLINK(1)",
        "debtor; debtor",
        "definitive; candidate",
        "1.00; 0.81",
        "id_number exact, name exact; name similar",
        "",
    ]
    assert rows[2] == ["18", "error", "0", "", "", "", "", "", "", "bad row"]


def test_output_appears_only_on_successful_close(tmp_path: Path) -> None:
    """Until close the target is untouched; a temp file sits beside it; close renames it."""
    path = tmp_path / "out.jsonl"
    writer = open_writer(path)
    writer.write(RESULT)
    assert not path.exists()
    temps = list(tmp_path.glob(".out.jsonl.*.part"))
    assert len(temps) == 1
    writer.close()
    assert path.exists() and not temps[0].exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    with pytest.raises(ValueError, match="closed"):
        writer.write(RESULT)


def test_interrupted_run_leaves_previous_output(tmp_path: Path) -> None:
    """An exception inside the block discards the partial output and keeps the old file."""
    path = tmp_path / "out.csv"
    path.write_text("old results\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), open_writer(path) as writer:
        writer.write(RESULT)
        raise KeyboardInterrupt
    assert path.read_text(encoding="utf-8") == "old results\n"
    assert list(tmp_path.iterdir()) == [path]


def test_workbook_output_is_refused(tmp_path: Path) -> None:
    """Asking for .xlsx output is an error, not silent JSON."""
    with pytest.raises(ValueError, match="xlsx"):
        open_writer(tmp_path / "out.xlsx")
    assert list(tmp_path.iterdir()) == []
