"""Tests for the XLSX reader, on workbooks built with openpyxl."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from shixin.batchio import BatchFileError, BatchRow, RowError, read_rows
from shixin.batchio.xlsx_reader import LOST_DIGITS, _id_text


def _workbook(path: Path, rows: list[list[object]], *, extra_sheet_first: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "查询名单"
    for row in rows:
        sheet.append(row)
    other = book.create_sheet("说明")
    other.append(["这是说明"])
    if extra_sheet_first:
        book.active = 1  # the first sheet is still the one read
    book.save(path)
    return path


def test_reads_first_sheet_with_chinese_headers(tmp_path: Path) -> None:
    """Text cells come through as written; the first sheet is read whatever is active."""
    path = _workbook(
        tmp_path / "b.xlsx",
        [
            ["编号", "姓名", "身份证号码", "类型", "备注"],
            [1, "张伟", "45020219800101123X", "个人", None],
            ["A2", "柳州市鑫达贸易有限公司", "91450200MA5K00000X", "单位", "x"],
        ],
        extra_sheet_first=True,
    )
    assert list(read_rows(path)) == [
        BatchRow(1, "1", "张伟", "45020219800101123X", "person"),
        BatchRow(2, "A2", "柳州市鑫达贸易有限公司", "91450200MA5K00000X", "organization"),
    ]


def test_numeric_id_cells(tmp_path: Path) -> None:
    """Short numbers are exact; numbers Excel rounded are errors telling what to do."""
    path = _workbook(
        tmp_path / "n.xlsx",
        [
            ["ref", "name", "id_number"],
            ["ok15", "张伟", 450202800101123],  # legacy 15-digit ID as a number: exact
            ["float", "李娜", 4.50202198001012e17],  # what Excel keeps of an 18-digit ID
            ["rounded", "王芳", 450202198001012000],  # Excel's rounding of an 18-digit ID
            ["float15", "陈伟", 450202800101123.0],
        ],
    )
    rows = list(read_rows(path))
    assert rows[0] == BatchRow(1, "ok15", "张伟", "450202800101123", "")
    assert rows[1] == RowError(2, "float", LOST_DIGITS)
    assert rows[2] == RowError(3, "rounded", LOST_DIGITS)
    assert rows[3] == BatchRow(4, "float15", "陈伟", "450202800101123", "")
    assert "format the column as text" in LOST_DIGITS


def test_long_int_cells_are_exact_unless_zero_padded() -> None:
    """A long int another program stored exactly is kept; Excel's zero tail is refused."""
    assert _id_text(450202198001011232) == "450202198001011232"
    with pytest.raises(ValueError, match="lost digits"):
        _id_text(450202198001012000)
    assert _id_text(" 45020219800101123x ") == " 45020219800101123x "
    assert _id_text(None) == ""


def test_bad_rows_among_good_ones(tmp_path: Path) -> None:
    """Errors keep their row numbers; blank rows are skipped but counted."""
    path = _workbook(
        tmp_path / "m.xlsx",
        [
            ["name", "id_number", "kind"],
            ["张伟", None, "person"],
            [None, None, "person"],
            [None, None, None],
            ["李娜", None, "公司"],
            ["王芳", None, None, "stray"],
            ["刘洋", None, "organization"],
        ],
    )
    rows = list(read_rows(path))
    assert [(type(r).__name__, r.row_number) for r in rows] == [
        ("BatchRow", 1),
        ("RowError", 2),
        ("RowError", 4),
        ("RowError", 5),
        ("BatchRow", 6),
    ]


def test_sheet_without_usable_header(tmp_path: Path) -> None:
    """The error lists the header cells found."""
    path = _workbook(tmp_path / "h.xlsx", [["序列", "备注"], ["1", "x"]])
    with pytest.raises(BatchFileError, match="found: 序列, 备注"):
        read_rows(path)


def test_not_a_workbook(tmp_path: Path) -> None:
    """A file named .xlsx that is not one is refused with its name."""
    path = tmp_path / "fake.xlsx"
    path.write_text("name\n张伟\n", encoding="utf-8")
    with pytest.raises(BatchFileError, match=r"fake\.xlsx"):
        read_rows(path)
