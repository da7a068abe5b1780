"""Result writers: one output line per input row, written atomically.

Output goes to a hidden temporary file beside the target and is renamed over
it only when the writer is closed without error, so an interrupted run never
leaves a half-written result file that looks complete.

JSON Lines (the default) keeps the shape of ``spec/batch-lookup.md``. CSV is
for people opening results in Excel: UTF-8 with a BOM (without it Excel reads
the file as GBK), one line per input row with the columns :data:`CSV_COLUMNS`;
when a row has several hits, each per-hit column lists them in hit order joined
with ``"; "``, and a hit's own reasons are joined with ``", "``.
"""

from __future__ import annotations

import abc
import csv
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TextIO

from .rows import RowError

__all__ = [
    "CSV_COLUMNS",
    "HIT_KEYS",
    "STATUSES",
    "CsvWriter",
    "JsonlWriter",
    "ResultWriter",
    "error_result",
    "open_writer",
    "shape_result",
]

STATUSES = ("hit", "possible", "none", "error")
HIT_KEYS = (
    "case_number",
    "debtor_name",
    "id_number",
    "role",
    "level",
    "score",
    "reasons",
    "active",
)
CSV_COLUMNS = (
    "ref",
    "status",
    "hit_count",
    "case_numbers",
    "debtor_names",
    "roles",
    "levels",
    "scores",
    "reasons",
    "error",
)
_HIT_SEP = "; "
_REASON_SEP = ", "


def _hit(hit: Mapping[str, Any]) -> dict[str, Any]:
    """Spec keys in spec order, then any extra keys the caller added (kept, not lost)."""
    shaped = {key: hit[key] for key in HIT_KEYS if key in hit}
    shaped.update((key, value) for key, value in hit.items() if key not in shaped)
    return shaped


def shape_result(result: Mapping[str, Any]) -> dict[str, Any]:
    """Put a result into the spec's shape: ref, status, query, hits, and error on errors.

    >>> shape_result({"status": "none", "ref": 3, "query": {"name": "张三"}})
    {'ref': '3', 'status': 'none', 'query': {'name': '张三', 'id_number': ''}, 'hits': []}
    """
    status = result.get("status")
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    query: Mapping[str, Any] = result.get("query") or {}
    shaped: dict[str, Any] = {
        "ref": str(result.get("ref", "")),
        "status": status,
        "query": {
            "name": str(query.get("name") or ""),
            "id_number": str(query.get("id_number") or ""),
        },
        "hits": [_hit(hit) for hit in result.get("hits") or ()],
    }
    if status == "error":
        shaped["error"] = str(result.get("error") or "")
    return shaped


def error_result(error: RowError) -> dict[str, Any]:
    """The result to write for a row that could not be read."""
    return shape_result({"ref": error.ref, "status": "error", "error": error.message})


class ResultWriter(abc.ABC):
    """Writes results to a temporary file, renamed onto ``path`` by :meth:`close`.

    Use it as a context manager: leaving the block normally publishes the file,
    leaving it by an exception (Ctrl-C included) discards it.
    """

    newline = "\n"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.rows_written = 0
        fd, tmp = tempfile.mkstemp(
            dir=self.path.parent or ".", prefix=f".{self.path.name}.", suffix=".part"
        )
        self._tmp = Path(tmp)
        self._file: TextIO = os.fdopen(fd, "w", encoding="utf-8", newline=self.newline)
        self._done = False

    @abc.abstractmethod
    def _write(self, result: dict[str, Any]) -> None:
        """Write one shaped result."""

    def write(self, result: Mapping[str, Any]) -> None:
        """Write the result of the next input row."""
        if self._done:
            raise ValueError(f"writer for {self.path} is closed")
        self._write(shape_result(result))
        self.rows_written += 1

    def write_formatted(self, text: str, rows: int) -> None:
        """Write ``rows`` results already formatted by the caller, many at once.

        The fast path of ``shixin batch``: ``text`` must be exactly what
        :meth:`write` would have written for those results (JSON Lines: one
        ``json.dumps(shape_result(r), ensure_ascii=False)`` line each; CSV: rows
        of :data:`CSV_COLUMNS`, see :meth:`CsvWriter.write_cells`).
        """
        if self._done:
            raise ValueError(f"writer for {self.path} is closed")
        self._file.write(text)
        self.rows_written += rows

    def write_encoded(self, data: bytes, rows: int) -> None:
        """As :meth:`write_formatted`, with the text already encoded as UTF-8."""
        if self._done:
            raise ValueError(f"writer for {self.path} is closed")
        self._file.flush()  # whatever went through the text layer first stays first
        self._file.buffer.write(data)
        self.rows_written += rows

    def close(self) -> None:
        """Flush to disk and atomically replace ``path`` with the output."""
        if self._done:
            return
        self._done = True
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            mode = self.path.stat().st_mode & 0o777 if self.path.exists() else 0o644
            os.chmod(self._tmp, mode)  # mkstemp makes it 0600
            os.replace(self._tmp, self.path)
        except BaseException:
            self._discard()
            raise

    def abort(self) -> None:
        """Drop the output; ``path`` is left as it was."""
        if self._done:
            return
        self._done = True
        self._discard()

    def _discard(self) -> None:
        self._file.close()
        self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class JsonlWriter(ResultWriter):
    """One JSON object per line, Chinese kept as is (``ensure_ascii=False``)."""

    def _write(self, result: dict[str, Any]) -> None:
        self._file.write(json.dumps(result, ensure_ascii=False) + "\n")


def _cell(text: str) -> str:
    """Quote text Excel would run as a formula (names and reasons come from outside)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _joined(values: Sequence[object]) -> str:
    return _HIT_SEP.join(_cell(str(value)) for value in values)


class CsvWriter(ResultWriter):
    """Flat CSV for Excel: UTF-8 with BOM, columns :data:`CSV_COLUMNS`."""

    newline = ""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(path)
        self._file.write("\ufeff")
        self._csv = csv.writer(self._file, lineterminator="\r\n")
        self._csv.writerow(CSV_COLUMNS)

    def write_cells(self, rows: list[list[object]]) -> None:
        """Write rows of :data:`CSV_COLUMNS` cells already formatted (and formula-quoted)."""
        if self._done:
            raise ValueError(f"writer for {self.path} is closed")
        self._csv.writerows(rows)
        self.rows_written += len(rows)

    def _write(self, result: dict[str, Any]) -> None:
        hits: list[dict[str, Any]] = result["hits"]
        self._csv.writerow(
            [
                _cell(result["ref"]),
                result["status"],
                len(hits),
                _joined([hit.get("case_number", "") for hit in hits]),
                _joined([hit.get("debtor_name", "") for hit in hits]),
                _joined([hit.get("role", "") for hit in hits]),
                _joined([hit.get("level", "") for hit in hits]),
                _HIT_SEP.join(_score(hit.get("score")) for hit in hits),
                _joined([_REASON_SEP.join(map(str, hit.get("reasons") or ())) for hit in hits]),
                _cell(result.get("error", "")),
            ]
        )


def _score(score: object) -> str:
    return f"{score:.2f}" if isinstance(score, int | float) else ""


def open_writer(path: str | os.PathLike[str]) -> ResultWriter:
    """A writer chosen by extension: ``.csv`` for CSV, anything else JSON Lines.

    Workbook output is refused rather than silently written as JSON.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return CsvWriter(path)
    if suffix in (".xlsx", ".xls"):
        raise ValueError(f"cannot write {suffix} results; use .csv (opens in Excel) or .jsonl")
    return JsonlWriter(path)
