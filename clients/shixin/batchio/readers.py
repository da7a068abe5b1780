"""Open a batch lookup file of any supported type as a stream of rows.

Files can hold millions of rows, so nothing here loads a whole file: rows are
yielded one at a time, and a bad row is yielded as a :class:`RowError` in its
place so that the output keeps one line per input row.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

from .csv_reader import read_csv
from .jsonl_reader import read_jsonl
from .rows import BatchFileError, BatchRow, Fields, RowError
from .xlsx_reader import read_xlsx

__all__ = ["SUFFIXES", "count_rows", "read_rows", "read_subjects"]

_Primed = Generator[Fields | RowError | None, None, None]

SUFFIXES: dict[str, Callable[[Path], _Primed]] = {
    ".csv": read_csv,
    ".xlsx": read_xlsx,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}
_CHUNK = 1 << 20


def _reader_for(path: Path) -> Callable[[Path], _Primed]:
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    if suffix == ".xls":
        raise BatchFileError("old .xls workbooks are not supported; save the file as .xlsx")
    expected = ", ".join(SUFFIXES)
    raise BatchFileError(f"unsupported file type {suffix or '(none)'!r}; expected {expected}")


def _rows(primed: Iterator[Fields | RowError]) -> Iterator[BatchRow | RowError]:
    try:
        for item in primed:
            yield BatchRow(*item) if isinstance(item, tuple) else item
    finally:
        close = getattr(primed, "close", None)
        if close is not None:
            close()


def read_rows(path: str | os.PathLike[str]) -> Iterator[BatchRow | RowError]:
    """Stream the rows of a ``.csv``, ``.xlsx``, ``.jsonl`` or ``.ndjson`` file.

    Raises :class:`BatchFileError` (or ``OSError``) right away when the file as a
    whole cannot be read: unknown type, no usable header, not a workbook. The
    file is closed when the iterator is exhausted or closed.
    """
    return _rows(read_subjects(path))


def read_subjects(path: str | os.PathLike[str]) -> Iterator[Fields | RowError]:
    """As :func:`read_rows`, with each readable row as a plain :data:`Fields` tuple.

    The fast path of ``shixin batch``, which reads millions of rows. Only
    ``None`` for the header comes first, so once primed the reader's own
    generator is the stream (close it to close the file early).
    """
    source = Path(path)
    primed = _reader_for(source)(source)
    next(primed)  # runs the reader up to its header check
    return primed  # type: ignore[return-value]  # no further None after the first


def count_rows(path: str | os.PathLike[str]) -> int | None:
    """Number of data rows, for a progress bar's total; ``None`` when not cheap to know.

    CSV and JSON Lines count newlines at disk speed (blank lines and quoted
    newlines make it an estimate); XLSX trusts the sheet's stored dimension.
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix in (".csv", ".jsonl", ".ndjson"):
        lines = _count_lines(source)
        return max(lines - 1, 0) if suffix == ".csv" else lines
    if suffix == ".xlsx":
        return _xlsx_rows(source)
    return None


def _count_lines(path: Path) -> int:
    lines = 0
    last = b"\n"
    with path.open("rb") as raw:
        while chunk := raw.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def _xlsx_rows(path: Path) -> int | None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True)
    except Exception:  # a damaged file: read_rows will say why
        return None
    try:
        if not workbook.worksheets:
            return None
        max_row = workbook.worksheets[0].max_row
        return max(max_row - 1, 0) if max_row else None
    finally:
        workbook.close()
