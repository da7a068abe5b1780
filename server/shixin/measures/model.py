"""Frozen types of the catalogue; each guards its own invariants on construction.

Which units apply which measure is derived here from ``Measure.departments`` (plus the
collective and any-unit rules), so the data states it once.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from shixin.measures.errors import CatalogueError, UnknownCodeError
from shixin.measures.vocab import (
    Action,
    DebtorKind,
    DepartmentScope,
    Role,
    RoleLink,
    UnitKind,
)

MEASURE_CODE = re.compile(r"[a-z]+(?:-[a-z]+)*\.[a-z]+(?:-[a-z]+)*")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CLAUSE = re.compile(r"二、（[一二三四五六七八九十]+）(?:[1-9][0-9]*\.)?")


def _require(ok: object, message: str) -> None:
    if not ok:
        raise CatalogueError(message)


def _no_repeats(label: str, values: Iterable[str]) -> None:
    repeated = [value for value, count in Counter(values).items() if count > 1]
    if repeated:
        quoted = ", ".join(f'"{value}"' for value in repeated)
        raise CatalogueError(f"{label}: {quoted} repeated")


@dataclass(frozen=True)
class Category:
    """A heading （一）…（十一） of section 二."""

    code: str
    clause: str
    name_zh: str
    name_en: str

    def __post_init__(self) -> None:
        _require(SLUG.fullmatch(self.code), f'field "code": {self.code!r} is not a lowercase slug')
        _require(
            CLAUSE.fullmatch(self.clause) and self.clause.endswith("）"),
            f'field "clause": {self.clause!r} is not a heading like "二、（一）"',
        )
        _require(self.name_zh and self.name_en, 'fields "name_zh" and "name_en" must not be empty')


@dataclass(frozen=True)
class Measure:
    """One joint-punishment measure; see the header of ``data/measures.toml`` for each field."""

    code: str
    clause: str
    category: Category
    title_zh: str
    title_en: str
    departments: tuple[str, ...]
    applies_to: tuple[Role, ...]
    debtor_kinds: tuple[DebtorKind, ...]
    actions: tuple[Action, ...]
    text_zh: str
    department_scope: DepartmentScope = DepartmentScope.LISTED
    role_link: RoleLink | None = None
    officer_actions: tuple[Action, ...] | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _require(
            MEASURE_CODE.fullmatch(self.code),
            f'field "code": {self.code!r} is not "<domain>.<subject>" in lowercase ASCII',
        )
        _require(
            CLAUSE.fullmatch(self.clause) and self.clause.startswith(self.category.clause),
            f'field "clause": {self.clause!r} is not a clause of {self.category.clause}',
        )
        _require(
            self.title_zh and self.title_en and self.text_zh, "titles and text_zh must not be empty"
        )
        self._check_roles()
        self._check_lists()
        self._check_scope()

    def _check_roles(self) -> None:
        _require(Role.DEBTOR in self.applies_to, 'field "applies_to": must include "debtor"')
        others = self.officer_roles
        if others:
            _require(
                self.role_link is not None,
                f'field "role_link": required because applies_to names {others[0]}',
            )
        else:
            _require(
                self.role_link is None, 'field "role_link": applies_to names no role but debtor'
            )
            _require(
                self.officer_actions is None,
                'field "officer_actions": applies_to names no role but debtor',
            )
        if self.role_link is RoleLink.OFFICER_OF_DEBTOR:
            _require(
                DebtorKind.ORGANIZATION in self.debtor_kinds,
                'field "debtor_kinds": officer_of_debtor needs "organization"',
            )

    def _check_lists(self) -> None:
        for name, values in (
            ("departments", self.departments),
            ("applies_to", self.applies_to),
            ("debtor_kinds", self.debtor_kinds),
            ("actions", self.actions),
            ("officer_actions", self.officer_actions or ()),
        ):
            _no_repeats(f'field "{name}"', values)
        for name, values in (("debtor_kinds", self.debtor_kinds), ("actions", self.actions)):
            _require(values, f'field "{name}": must not be empty')
        _require(self.officer_actions != (), 'field "officer_actions": must not be empty')

    def _check_scope(self) -> None:
        named = self.department_scope in (DepartmentScope.LISTED, DepartmentScope.LISTED_OPEN)
        _require(
            bool(self.departments) == named,
            f'field "departments": must be {"non-empty" if named else "empty"} '
            f"for department_scope {self.department_scope}",
        )
        if self.department_scope is DepartmentScope.EXTERNAL:
            _require(self.note, 'field "note": an external measure must say who applies it')

    @property
    def category_zh(self) -> str:
        """The heading in Chinese, as the API carries it flat."""
        return self.category.name_zh

    @property
    def category_en(self) -> str:
        """The heading in English."""
        return self.category.name_en

    @property
    def officer_roles(self) -> tuple[Role, ...]:
        """The roles other than the debtor itself that the clause names."""
        return tuple(role for role in self.applies_to if role is not Role.DEBTOR)


@dataclass(frozen=True)
class Unit:
    """A responsible unit (责任部门), or a collective standing for a class of units."""

    code: str
    name_zh: str
    name_en: str
    kind: UnitKind
    includes_kinds: tuple[UnitKind, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        _require(SLUG.fullmatch(self.code), f'field "code": {self.code!r} is not a lowercase slug')
        _require(self.name_zh and self.name_en, 'fields "name_zh" and "name_en" must not be empty')
        collective = self.kind is UnitKind.COLLECTIVE
        _require(
            bool(self.includes_kinds) == collective,
            'field "includes_kinds": required for a collective unit and only for one',
        )
        _require(
            UnitKind.COLLECTIVE not in self.includes_kinds,
            'field "includes_kinds": a collective cannot include collectives',
        )
        _no_repeats('field "includes_kinds"', self.includes_kinds)


def _reaches(measure: Measure, unit: Unit, units: Mapping[str, Unit]) -> bool:
    """Whether ``unit`` applies ``measure``: named, member of a named collective, or any unit."""
    if measure.department_scope is DepartmentScope.ANY_UNIT:
        return True
    return any(
        code == unit.code or unit.kind in units[code].includes_kinds for code in measure.departments
    )


def _missing(what: str, code: str, known: Iterable[str]) -> UnknownCodeError:
    close = difflib.get_close_matches(code, list(known), n=1)
    hint = f'; did you mean "{close[0]}"?' if close else ""
    return UnknownCodeError(
        f'no {what} with code "{code}"{hint}', reason=f"{what.upper()}_NOT_FOUND"
    )


@dataclass(frozen=True)
class Catalogue:
    """All measures and units, cross-checked, with lookups both ways."""

    measures: tuple[Measure, ...]
    units: tuple[Unit, ...]
    _measure_index: Mapping[str, Measure] = field(init=False, repr=False, compare=False)
    _unit_index: Mapping[str, Unit] = field(init=False, repr=False, compare=False)
    _by_unit: Mapping[str, tuple[Measure, ...]] = field(init=False, repr=False, compare=False)
    _by_measure: Mapping[str, tuple[Unit, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _no_repeats("measure codes", (m.code for m in self.measures))
        _no_repeats("measure clauses", (m.clause for m in self.measures))
        _no_repeats("unit codes", (u.code for u in self.units))
        _no_repeats("unit names", (u.name_zh for u in self.units))
        categories = {m.category.code: m.category for m in self.measures}
        for m in self.measures:
            _require(
                categories[m.category.code] == m.category,
                f'category "{m.category.code}" is defined twice with different fields',
            )
        units = {u.code: u for u in self.units}
        for m in self.measures:
            for code in m.departments:
                _require(
                    code in units,
                    f'measure "{m.code}" ({m.clause}): department "{code}" is not a unit '
                    "in units.toml",
                )
        pairs = [(m, u) for m in self.measures for u in self.units if _reaches(m, u, units)]
        by_unit = {u.code: tuple(m for m, v in pairs if v is u) for u in self.units}
        by_measure = {m.code: tuple(u for n, u in pairs if n is m) for m in self.measures}
        object.__setattr__(self, "_measure_index", {m.code: m for m in self.measures})
        object.__setattr__(self, "_unit_index", units)
        object.__setattr__(self, "_by_unit", by_unit)
        object.__setattr__(self, "_by_measure", by_measure)

    @property
    def categories(self) -> tuple[Category, ...]:
        """The headings, in catalogue order."""
        return tuple({m.category.code: m.category for m in self.measures}.values())

    def measure(self, code: str) -> Measure:
        """The measure with this code; ``UnknownCodeError`` (a ``KeyError``) if there is none."""
        try:
            return self._measure_index[code]
        except KeyError:
            raise _missing("measure", code, self._measure_index) from None

    def unit(self, code: str) -> Unit:
        """The unit with this code; ``UnknownCodeError`` (a ``KeyError``) if there is none."""
        try:
            return self._unit_index[code]
        except KeyError:
            raise _missing("unit", code, self._unit_index) from None

    def measures_for_unit(self, unit_code: str) -> tuple[Measure, ...]:
        """Measures the unit applies: where named, through a collective, and any-unit ones."""
        self.unit(unit_code)
        return self._by_unit[unit_code]

    def units_for_measure(self, code: str) -> tuple[Unit, ...]:
        """Units that apply the measure; the exact inverse of ``measures_for_unit``."""
        self.measure(code)
        return self._by_measure[code]
