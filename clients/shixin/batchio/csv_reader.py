"""Streaming CSV reader that survives bad rows.

Lines are decoded one by one so that a row with bytes foreign to the file's
encoding (a copy-paste from another file, a truncated character) becomes a
:class:`RowError` and the rows after it are still read.
"""

from __future__ import annotations

import csv
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import BinaryIO

from .encoding import SAMPLE_SIZE, Encoding, detect_encoding
from .headers import Header
from .rows import BatchFileError, BatchRow, RowError

__all__ = ["read_csv"]


class _Lines:
    """Decoded physical lines, remembering which ones did not decode."""

    def __init__(self, raw: BinaryIO, encoding: Encoding) -> None:
        self._raw = raw
        self._encoding = encoding
        self.number = 0
        self.bad: dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        codec = self._encoding.codec
        for data in self._raw:
            self.number += 1
            if self.number == 1 and self._encoding.bom:
                data = data[len(self._encoding.bom) :]
            try:
                yield data.decode(codec)
            except UnicodeDecodeError as exc:
                self.bad[self.number] = self._describe(exc)
                yield data.decode(codec, errors="replace")

    def _describe(self, exc: UnicodeDecodeError) -> str:
        label = self._encoding.label
        bad = exc.object[exc.start : exc.end].hex(" ")
        return (
            f"line {self.number} is not valid {label} (bytes {bad} at byte {exc.start + 1}); "
            f"the file was read as {label}, judging from its start"
        )

    def problems_through(self, line: int) -> list[str]:
        """Pop the decoding problems of lines up to ``line``."""
        return [self.bad.pop(n) for n in sorted(self.bad) if n <= line]


def _delimiter(first_line: bytes) -> str:
    """Comma, unless the header is clearly tab- or semicolon-separated."""
    if b"," in first_line:
        return ","
    if b"\t" in first_line:
        return "\t"
    if b";" in first_line:
        return ";"
    return ","


def read_csv(path: Path) -> Generator[BatchRow | RowError | None, None, None]:
    """Yield ``None`` once the header is read, then every non-blank row.

    The leading ``None`` lets :func:`~shixin.batchio.readers.read_rows` raise
    header problems at call time rather than at the first ``next()``.
    """
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_SIZE)
        raw.seek(0)
        encoding = detect_encoding(sample)
        first = sample[len(encoding.bom) :].lstrip(b"\r\n").split(b"\n", 1)[0]
        lines = _Lines(raw, encoding)
        reader = csv.reader(lines, delimiter=_delimiter(first))
        header: Header | None = None
        row_number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if header is None:
                    raise BatchFileError(f"line {reader.line_num}: {exc}") from exc
                row_number += 1
                lines.problems_through(reader.line_num)
                yield RowError(row_number, str(row_number), f"line {reader.line_num}: {exc}")
                continue
            problems = lines.problems_through(reader.line_num)
            if header is None:
                if not any(cell.strip() for cell in cells):
                    continue
                if problems:
                    raise BatchFileError(f"cannot read the header: {problems[0]}")
                header = Header.parse(cells)
                yield None
                continue
            row_number += 1
            if problems:
                ref = header.ref(cells, row_number)
                if "\ufffd" in ref:
                    ref = str(row_number)
                yield RowError(row_number, ref, "; ".join(problems))
                continue
            row = header.row(row_number, cells)
            if row is not None:
                yield row
        if header is None:
            raise BatchFileError("the file is empty: no header row")
