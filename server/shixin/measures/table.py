"""Plain-text table of measures for the ``shixin measures`` command.

Columns are aligned by terminal width, not by code points, so Chinese titles (two
columns per character) line up with ASCII codes. ROLES ends with the role link in
brackets where the clause names more than the debtor ("[officer_of_debtor]": those
officers of a listed organisation are restricted; "[debtor_is_officer]": an organisation
is reached through such an officer who is listed).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from shixin.measures.model import Catalogue, Measure
from shixin.measures.vocab import DepartmentScope

HEADER = ("CODE", "CLAUSE", "TITLE", "ACTIONS", "ROLES", "DEPARTMENTS")
_WIDE = frozenset({"W", "F"})
_GAP = "  "


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide and fullwidth characters count two.

    >>> display_width("credit.grant")
    12
    >>> display_width("授信限制")
    8
    >>> display_width("二、（五）3.")
    12
    """
    return sum(
        0
        if unicodedata.combining(char)
        else 2
        if unicodedata.east_asian_width(char) in _WIDE
        else 1
        for char in text
    )


def _departments(measure: Measure) -> str:
    scope = measure.department_scope
    if scope is DepartmentScope.ANY_UNIT:
        return "(any unit)"
    if scope is DepartmentScope.EXTERNAL:
        return "(external)"
    listed = ",".join(measure.departments)
    return f"{listed},etc." if scope is DepartmentScope.LISTED_OPEN else listed


def _row(measure: Measure) -> tuple[str, ...]:
    actions = ",".join(measure.actions)
    if measure.officer_actions:
        actions += f" / officers: {','.join(measure.officer_actions)}"
    return (
        measure.code,
        measure.clause,
        measure.title_zh,
        actions,
        ",".join(measure.applies_to) + (f" [{measure.role_link}]" if measure.role_link else ""),
        _departments(measure),
    )


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = (
        cell + " " * (width - display_width(cell))
        for cell, width in zip(cells, widths, strict=True)
    )
    return _GAP.join(padded).rstrip()


def format_table(catalogue: Catalogue, measures: Iterable[Measure] | None = None) -> str:
    """The measures (all of the catalogue's by default) as an aligned table, one per line.

    No trailing newline: the caller writes it.
    """
    rows = [_row(m) for m in (catalogue.measures if measures is None else measures)]
    widths = [max(display_width(cells[i]) for cells in [HEADER, *rows]) for i in range(len(HEADER))]
    rule = tuple("-" * width for width in widths)
    return "\n".join(_line(cells, widths) for cells in [HEADER, rule, *rows])
