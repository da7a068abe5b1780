"""Header recognition: which column holds which field.

Officers build these files by hand in Excel, so header names are matched
case-insensitively, ignoring spaces, ``_``, ``-`` and a trailing required-marker
``*``, and the Chinese names used on court and bank templates are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .rows import BatchFileError, BatchRow, Fields, RowError, check_row

__all__ = ["FIELDS", "Extractor", "Header", "canonical_field"]

Extractor = Callable[[int, Sequence[str]], Fields | RowError | None]
"""``(row_number, cells)`` → the row's fields, its error, or ``None`` for a blank row."""
_ABSENT = 1 << 30  # a column index no row reaches

FIELDS = ("ref", "name", "id_number", "kind")

_ALIASES: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "编号", "序号"),
    "name": (
        "name",
        "姓名",
        "名称",
        "姓名/名称",
        "被执行人",
        "被执行人姓名",
        "被执行人名称",
        "被执行人姓名/名称",
        "单位名称",
        "企业名称",
    ),
    "id_number": (
        "id_number",
        "id",
        "证件号码",
        "证件号",
        "身份证号码",
        "身份证号",
        "组织机构代码",
        "统一社会信用代码",
        "身份证号码/组织机构代码",
    ),
    "kind": ("kind", "类型", "被执行人类型"),
}
_NOISE = re.compile(r"[\s_\-*\ufeff]+")


def _normalise(label: str) -> str:
    return _NOISE.sub("", label).casefold()


_LOOKUP: dict[str, str] = {
    _normalise(alias): field for field, aliases in _ALIASES.items() for alias in aliases
}


def canonical_field(label: str) -> str | None:
    """The field a header label or JSON key stands for, or ``None`` if unknown.

    >>> canonical_field(" ID-Number "), canonical_field("身份证号码*"), canonical_field("备注")
    ('id_number', 'id_number', None)
    """
    return _LOOKUP.get(_normalise(label))


@dataclass(frozen=True, slots=True)
class Header:
    """Column positions of each known field; unknown columns are ignored.

    A field may sit in several columns (a sheet with both 身份证号码 and
    统一社会信用代码): a row's value is then its first non-blank one.
    """

    columns: dict[str, tuple[int, ...]]
    width: int
    """Columns up to the last labelled one; non-blank cells beyond it are an error."""

    @classmethod
    def parse(cls, labels: Sequence[str]) -> Header:
        """Recognise a header row, or raise :class:`BatchFileError` saying what was found."""
        found: dict[str, list[int]] = {}
        for index, label in enumerate(labels):
            field = canonical_field(label)
            if field is not None:
                found.setdefault(field, []).append(index)
        if "name" not in found and "id_number" not in found:
            named = [label.strip() for label in labels if label.strip()]
            listing = ", ".join(named) if named else "(no column names)"
            raise BatchFileError(f"no 'name' or 'id_number' column; found: {listing}")
        width = max(i for i, label in enumerate(labels) if label.strip()) + 1
        return cls({field: tuple(idx) for field, idx in found.items()}, width)

    def value(self, cells: Sequence[str], field: str) -> str:
        """The first non-blank cell of ``field`` in this row, or ``""``."""
        for index in self.columns.get(field, ()):
            if index < len(cells) and cells[index].strip():
                return cells[index]
        return ""

    def ref(self, cells: Sequence[str], row_number: int) -> str:
        """The row's ``ref``, or its number when absent."""
        return self.value(cells, "ref").strip() or str(row_number)

    def overflow(self, cells: Sequence[str]) -> str | None:
        """Why the row has too many cells, or ``None`` when it fits."""
        extra = [(i, cell) for i, cell in enumerate(cells) if i >= self.width and cell.strip()]
        if not extra:
            return None
        shown = ", ".join(repr(cell.strip()) for _, cell in extra[:3])
        return (
            f"row has values in {extra[-1][0] + 1} columns but the header has {self.width} "
            f"(extra: {shown})"
        )

    def row(self, row_number: int, cells: Sequence[str]) -> BatchRow | RowError | None:
        """Build the row from its cells; ``None`` for a blank row, which is skipped."""
        checked = self._extract_general(row_number, cells)
        return BatchRow(*checked) if isinstance(checked, tuple) else checked

    def extractor(self) -> Extractor:
        """A function doing :meth:`row`'s work, returning :data:`~shixin.batchio.rows.Fields`.

        Made once per file: when every field sits in one column (the usual
        file), it reads the cells by index without looking anything up per row.
        """
        if any(len(self.columns.get(field, ())) > 1 for field in FIELDS):
            return self._extract_general

        def at(field: str) -> int:
            return self.columns.get(field, (_ABSENT,))[0]

        ref_at, name_at, id_at, kind_at = at("ref"), at("name"), at("id_number"), at("kind")
        width, overflow = self.width, self.overflow

        def extract(row_number: int, cells: Sequence[str]) -> Fields | RowError | None:
            n = len(cells)
            ref = cells[ref_at] if ref_at < n else ""
            if n > width:
                problem = overflow(cells)
                if problem is not None:
                    return RowError(row_number, ref.strip() or str(row_number), problem)
            checked = check_row(
                row_number,
                ref,
                cells[name_at] if name_at < n else "",
                cells[id_at] if id_at < n else "",
                cells[kind_at] if kind_at < n else "",
            )
            if checked.__class__ is RowError and not any(cell.strip() for cell in cells):
                return None
            return checked

        return extract

    def _extract_general(self, row_number: int, cells: Sequence[str]) -> Fields | RowError | None:
        if not any(cell.strip() for cell in cells):
            return None
        ref = self.ref(cells, row_number)
        problem = self.overflow(cells)
        if problem is not None:
            return RowError(row_number, ref, problem)
        return check_row(
            row_number,
            ref,
            self.value(cells, "name"),
            self.value(cells, "id_number"),
            self.value(cells, "kind"),
        )
