"""Streaming XLSX reader (first sheet) that survives bad cells.

Excel silently turns an ID number typed into a General-format cell into a
number and keeps only 15 significant digits, so an 18-digit resident ID comes
back as ``4.50202198001012e+17``. That cannot be undone: such a row is a
:class:`RowError` telling the officer to format the column as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Sequence
from pathlib import Path

from openpyxl import load_workbook

from .headers import Header
from .rows import BatchFileError, Fields, RowError
from .xlsx_rows import sheet_values

__all__ = ["LOST_DIGITS", "read_xlsx"]

LOST_DIGITS = "id_number was stored as a number by Excel and lost digits; format the column as text"
_EXACT_DIGITS = 15  # Excel keeps 15 significant digits of a number


class _CellError(ValueError):
    """A cell whose value cannot be turned back into what was typed."""


def _text(value: object) -> str:
    """A cell value as the officer typed it, as far as can be told."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


def _id_text(value: object) -> str:
    """An ID-number cell as text, refusing numbers Excel has rounded."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _text(value)
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= 10**_EXACT_DIGITS:
            raise _CellError(LOST_DIGITS)
        return str(int(value))
    digits = str(abs(value))
    # A longer int is exact only if something other than Excel wrote it; Excel's
    # own rounding leaves the digits past the 15th as zeros.
    if len(digits) > _EXACT_DIGITS and digits[_EXACT_DIGITS:].strip("0") == "":
        raise _CellError(LOST_DIGITS)
    return str(value)


def _cells(header: Header | None, values: Sequence[object]) -> tuple[list[str], str | None]:
    """Cell texts of a row, and the first conversion problem if any."""
    cells = [value if value.__class__ is str else _text(value) for value in values]
    problem: str | None = None
    for index in header.columns.get("id_number", ()) if header is not None else ():
        if index < len(values) and values[index].__class__ is not str:
            try:
                cells[index] = _id_text(values[index])
            except _CellError as exc:
                cells[index] = ""
                problem = problem or str(exc)
    return cells, problem


def read_xlsx(path: Path) -> Generator[Fields | RowError | None, None, None]:
    """Yield ``None`` once the header is read, then every non-blank row of the first sheet."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise BatchFileError(f"cannot open {path.name} as an XLSX workbook: {exc}") from exc
    try:
        if not workbook.worksheets:
            raise BatchFileError("the workbook has no sheet")
        sheet = workbook.worksheets[0]
        # Some writers store a wrong <dimension>, and openpyxl stops reading at it.
        sheet.reset_dimensions()
        header: Header | None = None
        extract = None
        row_number = 0
        try:
            rows = sheet_values(sheet)
        except AttributeError:  # an openpyxl without the internals sheet_values reads
            rows = sheet.iter_rows(values_only=True)
        for values in rows:
            cells, problem = _cells(header, values)
            if header is None:
                if any(cell.strip() for cell in cells):
                    header = Header.parse(cells)
                    extract = header.extractor()
                    yield None
                continue
            row_number += 1
            if problem is not None:
                yield RowError(row_number, header.ref(cells, row_number), problem)
                continue
            assert extract is not None
            row = extract(row_number, cells)
            if row is not None:
                yield row
        if header is None:
            raise BatchFileError(f"the first sheet {sheet.title!r} is empty: no header row")
    finally:
        workbook.close()
