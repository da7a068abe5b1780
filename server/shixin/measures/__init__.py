"""The joint-punishment catalogue (联合惩戒措施) of 柳办〔2019〕90号 as typed data.

Measures and units live in ``data/*.toml``; ``load_catalogue()`` reads and validates
them once. ``applies`` and ``applicable_action`` decide whether a measure reaches a
match hit; ``judge`` turns that into a ``Verdict`` with its ``Reach`` and a sentence for
the asking unit (and, for clauses reaching organisations through their listed officers,
an ``OfficerEffect``); ``format_table`` renders measures for the ``shixin measures`` command.
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
from shixin.measures.verdict import OfficerEffect, Reach, Verdict, judge, officer_check

__all__ = [
    "Action",
    "Catalogue",
    "CatalogueError",
    "Category",
    "DebtorKind",
    "DepartmentScope",
    "Measure",
    "OfficerEffect",
    "Reach",
    "Role",
    "RoleLink",
    "Unit",
    "UnitKind",
    "UnknownCodeError",
    "Verdict",
    "action_through_officer",
    "applicable_action",
    "applies",
    "applies_through_officer",
    "format_table",
    "judge",
    "load_catalogue",
    "officer_check",
    "parse_catalogue",
]
