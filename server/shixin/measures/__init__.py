"""The joint-punishment catalogue (联合惩戒措施) of 柳办〔2019〕90号 as typed data.

Measures and units live in ``data/*.toml``; ``load_catalogue()`` reads and validates
them once. ``applies`` and ``applicable_action`` decide whether a measure reaches a
match hit; ``format_table`` renders measures for the ``shixin measures`` command.
"""

from shixin.measures.catalogue import (
    Action,
    Catalogue,
    CatalogueError,
    Category,
    DebtorKind,
    DepartmentScope,
    Measure,
    Role,
    RoleLink,
    Unit,
    UnitKind,
    UnknownCodeError,
    action_through_officer,
    applicable_action,
    applies,
    applies_through_officer,
    format_table,
    load_catalogue,
    parse_catalogue,
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
