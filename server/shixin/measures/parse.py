"""Reads the catalogue TOML into typed, cross-checked objects.

Pure: text in, ``Catalogue`` out. Every error names the file, the entry (number and
code) and the field, because the data is edited by hand and reviewed against the plan.
Unknown fields are errors too, so a misspelt optional field cannot silently vanish.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from shixin.measures.errors import CatalogueError
from shixin.measures.model import Catalogue, Category, Measure, Unit
from shixin.measures.vocab import (
    Action,
    DebtorKind,
    DepartmentScope,
    Role,
    RoleLink,
    UnitKind,
)

SCHEMA_VERSION = 1
MEASURES_FILE = "measures.toml"
UNITS_FILE = "units.toml"

_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")
_Table = Mapping[str, object]

_CATEGORY_FIELDS = {"code": True, "clause": True, "name_zh": True, "name_en": True}
_MEASURE_FIELDS = {
    "code": True,
    "clause": True,
    "category": True,
    "title_zh": True,
    "title_en": True,
    "departments": True,
    "department_scope": False,
    "applies_to": True,
    "role_link": False,
    "debtor_kinds": True,
    "actions": True,
    "officer_actions": False,
    "note": False,
    "text_zh": True,
}
_UNIT_FIELDS = {
    "code": True,
    "name_zh": True,
    "name_en": True,
    "kind": True,
    "includes_kinds": False,
    "note": False,
}


def _document(text: str, source: str, arrays: tuple[str, ...]) -> dict[str, Any]:
    """The TOML document, after checking its top level holds only these arrays."""
    try:
        doc: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: invalid TOML: {exc}") from None
    unknown = sorted(set(doc) - {"schema_version", *arrays})
    if unknown:
        raise CatalogueError(f'{source}: unknown top-level key "{unknown[0]}"')
    if doc.get("schema_version") != SCHEMA_VERSION:
        raise CatalogueError(f"{source}: schema_version must be {SCHEMA_VERSION}")
    return doc


def _tables(doc: _Table, key: str, source: str) -> list[_Table]:
    value = doc.get(key, [])
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        raise CatalogueError(f'{source}: "{key}" must be an array of tables [[{key}]]')
    return value


def _where(source: str, array: str, index: int, table: _Table) -> str:
    code = table.get("code")
    named = f' "{code}"' if isinstance(code, str) else ""
    return f"{source}: [[{array}]] #{index}{named}"


def _check_fields(table: _Table, fields: Mapping[str, bool], where: str) -> None:
    for key in table:
        if key not in fields:
            raise CatalogueError(
                f'{where}: unknown field "{key}"; expected one of: {", ".join(fields)}'
            )
    for key, required in fields.items():
        if required and key not in table:
            raise CatalogueError(f'{where}: missing field "{key}"')


def _str(table: _Table, key: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise CatalogueError(f'{where}: field "{key}" must be a string')
    return value


def _strs(table: _Table, key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogueError(f'{where}: field "{key}" must be an array of strings')
    return tuple(value)


def _enum(cls: type[_E], value: str, key: str, where: str) -> _E:
    try:
        return cls(value)
    except ValueError:
        expected = ", ".join(cls)
        raise CatalogueError(
            f'{where}: field "{key}": unknown value "{value}"; expected one of: {expected}'
        ) from None


def _enums(cls: type[_E], table: _Table, key: str, where: str) -> tuple[_E, ...]:
    return tuple(_enum(cls, value, key, where) for value in _strs(table, key, where))


def _categories(tables: list[_Table]) -> dict[str, Category]:
    found: dict[str, Category] = {}
    for index, table in enumerate(tables, 1):
        where = _where(MEASURES_FILE, "category", index, table)
        _check_fields(table, _CATEGORY_FIELDS, where)
        category = _build(where, Category, **{key: _str(table, key, where) for key in table})
        if category.code in found:
            raise CatalogueError(f'{where}: category code "{category.code}" repeated')
        found[category.code] = category
    return found


def _measure(table: _Table, categories: Mapping[str, Category], where: str) -> Measure:
    _check_fields(table, _MEASURE_FIELDS, where)
    category_code = _str(table, "category", where)
    if category_code not in categories:
        raise CatalogueError(f'{where}: field "category": no [[category]] "{category_code}"')
    link = _str(table, "role_link", where)
    officer_actions = _enums(Action, table, "officer_actions", where)
    scope = _str(table, "department_scope", where) or DepartmentScope.LISTED
    return _build(
        where,
        Measure,
        code=_str(table, "code", where),
        clause=_str(table, "clause", where),
        category=categories[category_code],
        title_zh=_str(table, "title_zh", where),
        title_en=_str(table, "title_en", where),
        departments=_strs(table, "departments", where),
        department_scope=_enum(DepartmentScope, scope, "department_scope", where),
        applies_to=_enums(Role, table, "applies_to", where),
        role_link=_enum(RoleLink, link, "role_link", where) if link else None,
        debtor_kinds=_enums(DebtorKind, table, "debtor_kinds", where),
        actions=_enums(Action, table, "actions", where),
        officer_actions=officer_actions if "officer_actions" in table else None,
        note=_str(table, "note", where),
        text_zh=_str(table, "text_zh", where),
    )


def _unit(table: _Table, where: str) -> Unit:
    _check_fields(table, _UNIT_FIELDS, where)
    return _build(
        where,
        Unit,
        code=_str(table, "code", where),
        name_zh=_str(table, "name_zh", where),
        name_en=_str(table, "name_en", where),
        kind=_enum(UnitKind, _str(table, "kind", where), "kind", where),
        includes_kinds=_enums(UnitKind, table, "includes_kinds", where),
        note=_str(table, "note", where),
    )


def _build(where: str, make: Callable[..., _T], **fields: object) -> _T:
    """Constructs an entry, prefixing its invariant errors with the entry's location."""
    try:
        return make(**fields)
    except CatalogueError as exc:
        raise CatalogueError(f"{where}: {exc.message}") from None


def parse_units(text: str) -> tuple[Unit, ...]:
    """The units of a ``units.toml`` text."""
    tables = _tables(_document(text, UNITS_FILE, ("unit",)), "unit", UNITS_FILE)
    return tuple(
        _unit(table, _where(UNITS_FILE, "unit", index, table))
        for index, table in enumerate(tables, 1)
    )


def parse_measures(text: str) -> tuple[Measure, ...]:
    """The measures of a ``measures.toml`` text, with their categories resolved."""
    doc = _document(text, MEASURES_FILE, ("category", "measure"))
    categories = _categories(_tables(doc, "category", MEASURES_FILE))
    measures = tuple(
        _measure(table, categories, _where(MEASURES_FILE, "measure", index, table))
        for index, table in enumerate(_tables(doc, "measure", MEASURES_FILE), 1)
    )
    unused = sorted(set(categories) - {m.category.code for m in measures})
    if unused:
        raise CatalogueError(f'{MEASURES_FILE}: [[category]] "{unused[0]}" has no measures')
    return measures


def parse_catalogue(text_measures: str, text_units: str) -> Catalogue:
    """The catalogue from the two TOML texts; ``CatalogueError`` says what is wrong and where."""
    return Catalogue(measures=parse_measures(text_measures), units=parse_units(text_units))
