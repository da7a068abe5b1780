"""Streaming CSV reader that survives bad rows.

The file is decoded in blocks of whole lines (256 KiB each): a block
that decodes cleanly, the usual case, is split into lines by ``io.StringIO``
without any Python code per line. A block with bytes foreign to the file's
encoding (a copy-paste from another file, a truncated character) is decoded
again line by line, so that only the rows on bad lines become
:class:`RowError` and the rows after them are still read.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .encoding import SAMPLE_SIZE, Encoding, detect_encoding
from .headers import Header
from .rows import BatchFileError, Fields, RowError

__all__ = ["read_csv"]

BLOCK_SIZE = 1 << 18
"""Bytes decoded at once (then completed to the end of the line)."""


class _Lines:
    """Decoded physical lines (``\\n``-terminated, as in the file), remembering bad ones."""

    def __init__(self, raw: BinaryIO, encoding: Encoding) -> None:
        self._raw = raw
        self._encoding = encoding
        self.number = 0
        """Physical lines decoded so far (read ahead of the CSV reader by up to a block)."""
        self.bad: dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self._blocks())

    def _blocks(self) -> Iterator[Iterable[str]]:
        codec = self._encoding.codec
        raw = self._raw
        first = True
        while data := raw.read(BLOCK_SIZE):
            if not data.endswith(b"\n"):
                data += raw.readline()
            if first:
                first = False
                if self._encoding.bom:
                    data = data[len(self._encoding.bom) :]
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                yield self._line_by_line(data)
                continue
            self.number += data.count(b"\n") + (not data.endswith(b"\n"))
            # newline="\n": lines end at "\n" only, kept, like the file's bytes.
            yield io.StringIO(text, newline="\n")

    def _line_by_line(self, data: bytes) -> list[str]:
        codec = self._encoding.codec
        lines: list[str] = []
        for line in io.BytesIO(data):
            self.number += 1
            try:
                lines.append(line.decode(codec))
            except UnicodeDecodeError as exc:
                self.bad[self.number] = self._describe(exc)
                lines.append(line.decode(codec, errors="replace"))
        return lines

    def _describe(self, exc: UnicodeDecodeError) -> str:
        label = self._encoding.label
        bad = exc.object[exc.start : exc.end].hex(" ")
        return (
            f"line {self.number} is not valid {label} (bytes {bad} at byte {exc.start + 1}); "
            f"the file was read as {label}, judging from its start"
        )

    def problems_through(self, line: int) -> list[str]:
        """Pop the decoding problems of lines up to ``line``."""
        if not self.bad:
            return []
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


def read_csv(path: Path) -> Generator[Fields | RowError | None, None, None]:
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
        header = _read_header(reader, lines)
        yield None
        extract = header.extractor()
        bad = lines.bad
        row_number = 0
        while True:
            try:
                for cells in reader:
                    row_number += 1
                    if bad:
                        problems = lines.problems_through(reader.line_num)
                        if problems:
                            ref = header.ref(cells, row_number)
                            if "\ufffd" in ref:
                                ref = str(row_number)
                            yield RowError(row_number, ref, "; ".join(problems))
                            continue
                    row = extract(row_number, cells)
                    if row is not None:
                        yield row
            except csv.Error as exc:
                row_number += 1
                lines.problems_through(reader.line_num)
                yield RowError(row_number, str(row_number), f"line {reader.line_num}: {exc}")
                continue
            break


def _read_header(reader: Iterator[list[str]], lines: _Lines) -> Header:
    """The first non-blank row, recognised as the header."""
    for cells in _header_rows(reader):
        problems = lines.problems_through(getattr(reader, "line_num", 0))
        if not any(cell.strip() for cell in cells):
            continue
        if problems:
            raise BatchFileError(f"cannot read the header: {problems[0]}")
        return Header.parse(cells)
    raise BatchFileError("the file is empty: no header row")


def _header_rows(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise BatchFileError(f"line {getattr(reader, 'line_num', 0)}: {exc}") from exc
