"""Tests for shixin.batchio.readers: dispatch by extension and row counting."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from shixin.batchio import BatchFileError, count_rows, read_rows


@pytest.mark.parametrize(
    ("name", "match"),
    [("batch.txt", "unsupported file type '.txt'"), ("batch.xls", "save the file as .xlsx")],
)
def test_unsupported_extensions(tmp_path: Path, name: str, match: str) -> None:
    """Unknown types are refused with what is supported."""
    path = tmp_path / name
    path.write_bytes(b"name\n")
    with pytest.raises(BatchFileError, match=match):
        read_rows(path)


def test_extension_is_case_insensitive(tmp_path: Path) -> None:
    """BATCH.CSV is a CSV file."""
    path = tmp_path / "BATCH.CSV"
    path.write_bytes("姓名\n张伟\n".encode())
    assert [row.name for row in read_rows(path)] == ["张伟"]  # type: ignore[union-attr]


def test_rows_are_streamed(tmp_path: Path) -> None:
    """read_rows returns a lazy iterator, not a list."""
    path = tmp_path / "big.csv"
    path.write_bytes(b"name\n" + b"x\n" * 1000)
    rows = read_rows(path)
    assert not isinstance(rows, list)
    assert next(rows).row_number == 1


def test_count_rows_text_files(tmp_path: Path) -> None:
    """CSV counts lines minus the header, with or without a final newline; JSONL counts lines."""
    csv_path = tmp_path / "a.csv"
    csv_path.write_bytes(b"name\na\nb\nc")
    assert count_rows(csv_path) == 3
    jsonl_path = tmp_path / "a.jsonl"
    jsonl_path.write_bytes(b'{"name": "a"}\n{"name": "b"}\n')
    assert count_rows(jsonl_path) == 2
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    assert count_rows(empty) == 0


def test_count_rows_xlsx_and_others(tmp_path: Path) -> None:
    """XLSX uses the stored dimension; other types are not counted."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name"])
    for i in range(5):
        sheet.append([f"n{i}"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    assert count_rows(path) == 5
    assert count_rows(tmp_path / "x.txt") is None
