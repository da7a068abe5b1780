"""``sheet_values`` yields what openpyxl's ``iter_rows(values_only=True)`` yields."""

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from shixin.batchio.xlsx_rows import sheet_values

ROWS: list[list[object]] = [
    ["编号", "姓名", "证件号码", "类型", "日期"],
    [" a ", "  spaced ", 450202198001011232, True, dt.date(2020, 1, 2)],
    [1.5, 4.50202198001012e17, "", None, dt.datetime(2020, 1, 2, 3, 4)],
    [None, None, "45020219800101123X", False, dt.time(3, 4)],
    ["R5", "张伟", "-1", "个人", 0],
]


@pytest.mark.parametrize("write_only", [False, True], ids=["shared-strings", "inline-strings"])
def test_same_values_as_openpyxl(tmp_path: Path, write_only: bool) -> None:
    """Numbers, text, booleans, dates, gaps between rows and cells, a formula without value."""
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    assert sheet is not None
    for row in ROWS:
        sheet.append(row)
    if not write_only:
        sheet["B10"] = "gap"
        sheet["F12"] = "=1+1"
        sheet["A13"] = "x"
    path = tmp_path / "book.xlsx"
    book.save(path)

    expected_book = load_workbook(path, read_only=True, data_only=True)
    expected_sheet = expected_book.worksheets[0]
    expected_sheet.reset_dimensions()
    expected = [tuple(row) for row in expected_sheet.iter_rows(values_only=True)]
    book_again = load_workbook(path, read_only=True, data_only=True)
    assert list(sheet_values(book_again.worksheets[0])) == expected
    assert len(expected) == (5 if write_only else 13)
