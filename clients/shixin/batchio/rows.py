"""One row of a batch lookup file, as read, or the reason it could not be read.

A bad row must not stop a file of a million rows: readers turn it into a
:class:`RowError` that the batch echoes back as an ``error`` result, in place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "KIND_ALIASES",
    "BatchFileError",
    "BatchRow",
    "Fields",
    "RowError",
    "check_row",
    "make_row",
    "parse_kind",
]

Fields = tuple[int, str, str, str, str]
"""A readable row as a plain tuple: ``(row_number, ref, name, id_number, kind)``.

The readers yield these (building a frozen dataclass per row costs more than
reading it); :func:`~shixin.batchio.readers.read_rows` turns them into
:class:`BatchRow`.
"""


class BatchFileError(Exception):
    """The file as a whole cannot be read (unknown type, no usable header, …)."""


@dataclass(frozen=True, slots=True)
class BatchRow:
    """A readable row: whom to look for."""

    row_number: int
    """1-based data row (the header is not counted)."""
    ref: str
    """The caller's ``ref``, or the row number as a string when absent."""
    name: str
    id_number: str
    """As written; the server normalises it."""
    kind: str
    """``person``, ``organization``, or ``""`` when not given (the server infers it)."""


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that cannot be read; ``message`` tells the caller what to fix."""

    row_number: int
    ref: str
    message: str


KIND_ALIASES: dict[str, str] = {
    "person": "person",
    "个人": "person",
    "自然人": "person",
    "organization": "organization",
    "organisation": "organization",
    "单位": "organization",
    "法人": "organization",
    "组织": "organization",
    "企业": "organization",
    "法人或其他组织": "organization",
}
_KIND_HELP = "person (个人, 自然人) or organization (单位, 法人, 组织, 企业)"


def parse_kind(raw: str) -> str | None:
    """Map a written kind to ``person``/``organization``/``""``; ``None`` if unknown.

    >>> parse_kind(" 个人 "), parse_kind("Organization"), parse_kind(""), parse_kind("公司")
    ('person', 'organization', '', None)
    """
    text = raw.strip()
    if not text:
        return ""
    return KIND_ALIASES.get(text.lower())


_KIND_LOOKUP: dict[str, str] = {"": "", **KIND_ALIASES}


def check_row(row_number: int, ref: str, name: str, id_number: str, kind: str) -> Fields | RowError:
    """Check the extracted cells of a row: its :data:`Fields`, or its error.

    Outer whitespace is dropped (spreadsheet noise); inner spelling is kept as
    written because the server's normalisation is the one that counts.
    """
    ref = ref.strip() or str(row_number)
    name = name.strip()
    id_number = id_number.strip()
    if not name and not id_number:
        return RowError(row_number, ref, "neither name nor id_number is given")
    parsed = _KIND_LOOKUP.get(kind)
    if parsed is None:
        parsed = parse_kind(kind)
    if parsed is None:
        return RowError(
            row_number, ref, f"kind {kind.strip()!r} is not recognised; use {_KIND_HELP}"
        )
    return (row_number, ref, name, id_number, parsed)


def make_row(
    row_number: int, ref: str, name: str, id_number: str, kind: str
) -> BatchRow | RowError:
    """Check the extracted cells of a row and build the row or its error (see :func:`check_row`)."""
    checked = check_row(row_number, ref, name, id_number, kind)
    return checked if isinstance(checked, RowError) else BatchRow(*checked)
