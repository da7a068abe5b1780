"""The measure catalogue: types, the cached loader, the reach rules and the table.

One import point for callers (servicers, the CLI): the pieces live in small modules
(``vocab``, ``model``, ``parse``, ``rules``, ``table``) and are re-exported here.
"""

from __future__ import annotations

import functools
from importlib import resources

from shixin.measures.errors import CatalogueError, UnknownCodeError
from shixin.measures.model import Catalogue, Category, Measure, Unit
from shixin.measures.parse import MEASURES_FILE, UNITS_FILE, parse_catalogue
from shixin.measures.rules import (
    action_through_officer,
    applicable_action,
    applies,
    applies_through_officer,
)
from shixin.measures.table import format_table
from shixin.measures.vocab import (
    Action,
    DebtorKind,
    DepartmentScope,
    Role,
    RoleLink,
    UnitKind,
)

__all__ = [
    "Action",
    "Catalogue",
    "CatalogueError",
    "Category",
    "DebtorKind",
    "DepartmentScope",
    "Measure",
    "Role",
    "RoleLink",
    "Unit",
    "UnitKind",
    "UnknownCodeError",
    "action_through_officer",
    "applicable_action",
    "applies",
    "applies_through_officer",
    "format_table",
    "load_catalogue",
    "parse_catalogue",
]


@functools.cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue, read and validated once per process."""
    data = resources.files("shixin.measures").joinpath("data")
    return parse_catalogue(
        data.joinpath(MEASURES_FILE).read_text(encoding="utf-8"),
        data.joinpath(UNITS_FILE).read_text(encoding="utf-8"),
    )
