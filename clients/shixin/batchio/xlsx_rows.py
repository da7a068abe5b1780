"""The values of a read-only openpyxl worksheet, row by row, without a dict per cell.

``ReadOnlyWorksheet.iter_rows(values_only=True)`` builds a dict per cell and a
coordinate tuple per cell: ~50 µs per row of four cells, more than everything
else ``shixin batch`` does with the row. :func:`sheet_values` yields the same
tuples from the same XML: the common cells (numbers, shared and formula strings)
are read here, and any other cell (dates, booleans, inline strings, errors) is
handed to openpyxl's own ``WorkSheetParser.parse_cell``, so the values are
openpyxl's. Processed rows are dropped from the parsed tree as it goes (openpyxl
keeps an empty element per row), so memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import iterparse

from openpyxl.utils.cell import column_index_from_string
from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG, VALUE_TAG, WorkSheetParser

__all__ = ["sheet_values"]

_SHEET_DATA_TAG = ROW_TAG.replace("}row", "}sheetData")
_INLINE_TAG = ROW_TAG.replace("}row", "}is")
_TEXT_TAG = ROW_TAG.replace("}row", "}t")
_DIGITS = "0123456789"


def _number(text: str) -> int | float:
    """As openpyxl's ``_cast_number``."""
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _row_index(attribute: str) -> int:
    try:
        return int(attribute)
    except ValueError:
        value = float(attribute)
        if not value.is_integer():
            raise ValueError(f"{attribute} is not a valid row number") from None
        return int(value)


def _plain_inline(cell: Any) -> bool:
    """An inline string of plain ``<t>`` parts only (no rich-text runs, no phonetics)."""
    inline = cell.find(_INLINE_TAG)
    return inline is not None and all(part.tag == _TEXT_TAG for part in inline)


def sheet_values(sheet: Any) -> Iterator[tuple[object, ...]]:
    """What ``sheet.iter_rows(values_only=True)`` yields after ``sheet.reset_dimensions()``.

    Raises ``AttributeError`` at once (not at the first row) when this openpyxl
    lacks the internals read here; the caller then uses ``iter_rows``.
    """
    workbook = sheet.parent
    path, shared = sheet._worksheet_path, sheet._shared_strings
    date_formats, timedelta_formats = workbook._date_formats, workbook._timedelta_formats
    return _values(workbook, path, shared, date_formats, timedelta_formats)


def _values(workbook: Any, path: str, shared: Any, date_formats: Any,
            timedelta_formats: Any) -> Iterator[tuple[object, ...]]:
    columns: dict[str, int] = {}
    with workbook._archive.open(path) as source:
        parser = WorkSheetParser(source, shared, data_only=workbook.data_only,
                                 epoch=workbook.epoch, date_formats=date_formats,
                                 timedelta_formats=timedelta_formats)
        sheet_data = None
        counter = 1  # the next row index to yield, as in ReadOnlyWorksheet._cells_by_row
        row_counter = 0
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == _SHEET_DATA_TAG:
                    sheet_data = element
                continue
            if element.tag != ROW_TAG:
                continue
            attribute = element.get("r")
            row_counter = _row_index(attribute) if attribute is not None else row_counter + 1
            cells: list[tuple[int, object]] = []
            column = 0
            for cell in element:
                if cell.tag != CELL_TAG:
                    continue
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip(_DIGITS)
                    found = columns.get(letters)
                    if found is None:
                        found = columns[letters] = column_index_from_string(letters)
                    column = found
                else:
                    column += 1
                kind = cell.get("t")
                style = cell.get("s")
                value: object
                if kind is None or kind == "n":
                    if style and int(style) in date_formats:
                        parser.row_counter, parser.col_counter = row_counter, column - 1
                        value = parser.parse_cell(cell)["value"]
                    else:
                        text = cell.findtext(VALUE_TAG)
                        value = _number(text) if text else None
                elif kind == "s":
                    text = cell.findtext(VALUE_TAG)
                    value = shared[int(text)] if text else None
                elif kind == "str":
                    value = cell.findtext(VALUE_TAG) or None
                elif kind == "inlineStr" and _plain_inline(cell):
                    value = "".join([part.text or "" for part in cell.find(_INLINE_TAG) or ()])
                else:
                    parser.row_counter, parser.col_counter = row_counter, column - 1
                    value = parser.parse_cell(cell)["value"]
                cells.append((column, value))
            element.clear()
            if sheet_data is not None:
                sheet_data.clear()  # drop the processed rows: flat memory for long sheets
            while counter < row_counter:
                counter += 1
                yield ()
            if counter <= row_counter:
                counter += 1
                if not cells:
                    yield ()
                    continue
                values: list[object] = [None] * cells[-1][0]
                for index, value in cells:
                    if index >= 1:
                        values[index - 1] = value
                yield tuple(values)
