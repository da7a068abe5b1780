"""The shipped catalogue: loading, lookups both ways, and the plain-text table."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from shixin.errors import NotFound
from shixin.measures import (
    Catalogue,
    DepartmentScope,
    Measure,
    Unit,
    UnitKind,
    UnknownCodeError,
    format_table,
    load_catalogue,
)
from shixin.measures.table import display_width


def codes(items: Iterable[Measure | Unit]) -> list[str]:
    """The codes of measures or units."""
    return [item.code for item in items]


def test_loaded_once() -> None:
    """load_catalogue reads the data once per process."""
    assert load_catalogue() is load_catalogue()


def test_sizes(catalogue: Catalogue) -> None:
    """40 measures under 11 headings, 33 units."""
    assert (len(catalogue.measures), len(catalogue.categories), len(catalogue.units)) == (
        40,
        11,
        33,
    )


def test_lookup(catalogue: Catalogue) -> None:
    """Measures and units are found by code; the heading is reachable flat, as the API has it."""
    credit = catalogue.measure("credit.grant")
    assert credit.clause == "二、（五）3."
    assert (credit.category_zh, credit.category_en) == (
        "荣誉和授信限制",
        "Restrictions on honours and credit",
    )
    assert catalogue.unit("hpf-centre").name_zh == "市住房公积金中心"


@pytest.mark.parametrize(
    ("lookup", "code", "message"),
    [
        (
            "measure",
            "credit.grnt",
            'no measure with code "credit.grnt"; did you mean "credit.grant"?',
        ),
        ("unit", "customs", 'no unit with code "customs"; did you mean "customs-liuzhou"?'),
        ("measures_for_unit", "zzz", 'no unit with code "zzz"'),
        ("units_for_measure", "zzz", 'no measure with code "zzz"'),
    ],
)
def test_unknown_code(catalogue: Catalogue, lookup: str, code: str, message: str) -> None:
    """An unknown code is a KeyError and a NotFound, with a suggestion when one is close."""
    with pytest.raises(UnknownCodeError) as caught:
        getattr(catalogue, lookup)(code)
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, NotFound)
    assert str(caught.value) == message


def test_unit_applies_named_measures_and_the_open_clause(catalogue: Catalogue) -> None:
    """A unit applies the measures naming it, plus 二、（十一） which every unit may apply."""
    assert codes(catalogue.measures_for_unit("hpf-centre")) == [
        "assist.housing-provident-fund",
        "other.encouraged",
    ]
    assert codes(catalogue.measures_for_unit("intermediate-court")) == [
        "criminal.refusal-to-enforce",
        "other.encouraged",
    ]


def test_party_and_government_organs_apply_bidding(catalogue: Catalogue) -> None:
    """各党政机关 brings every Party and administrative organ into 二、（一）8., not the others."""
    bidding = catalogue.measure("procurement.bidding")
    members = set(catalogue.unit("party-government-organs").includes_kinds)
    for unit in catalogue.units:
        expected = unit.code in bidding.departments or unit.kind in members
        assert (bidding in catalogue.measures_for_unit(unit.code)) is expected, unit.code
    assert bidding in catalogue.measures_for_unit("customs-liuzhou")
    assert bidding not in catalogue.measures_for_unit("military-subdistrict")
    assert bidding not in catalogue.measures_for_unit("intermediate-court")


def test_scopes(catalogue: Catalogue) -> None:
    """The SPC-pushed measure has no local unit; the open clause has all; 等 adds none."""
    assert catalogue.units_for_measure("consumption.rail-air") == ()
    assert catalogue.units_for_measure("other.encouraged") == catalogue.units
    routine = catalogue.measure("supervision.routine")
    assert routine.department_scope is DepartmentScope.LISTED_OPEN
    assert set(codes(catalogue.units_for_measure(routine.code))) == set(routine.departments)


def test_lookups_are_inverse(catalogue: Catalogue) -> None:
    """units_for_measure and measures_for_unit describe one relation."""
    for unit in catalogue.units:
        for measure in catalogue.measures:
            assert (measure in catalogue.measures_for_unit(unit.code)) is (
                unit in catalogue.units_for_measure(measure.code)
            )


def test_every_unit_has_its_own_measure(catalogue: Catalogue) -> None:
    """No registered unit is there only for 二、（十一）."""
    for unit in catalogue.units:
        own = [m for m in catalogue.measures_for_unit(unit.code) if m.code != "other.encouraged"]
        assert own, unit.code


def test_kinds(catalogue: Catalogue) -> None:
    """Courts, procuratorate, military and the collective are kinded as such."""
    kinds = {unit.code: unit.kind for unit in catalogue.units}
    assert kinds["intermediate-court"] is UnitKind.COURT
    assert kinds["procuratorate"] is UnitKind.PROCURATORATE
    assert kinds["military-subdistrict"] is UnitKind.MILITARY
    assert kinds["party-government-organs"] is UnitKind.COLLECTIVE
    assert kinds["party-organization"] is UnitKind.PARTY


def _column_starts(line: str) -> list[int]:
    """Display offsets where the cells of a table line begin (cells are split by 2+ spaces)."""
    return [display_width(line[: m.start()]) for m in re.finditer(r"(?:^|(?<=\s\s))\S", line)]


def test_table_aligns_wide_characters(catalogue: Catalogue) -> None:
    """Every row starts its cells at the header's columns, Chinese titles included."""
    lines = format_table(catalogue).splitlines()
    assert len(lines) == 2 + len(catalogue.measures)
    assert lines[0].split() == ["CODE", "CLAUSE", "TITLE", "ACTIONS", "ROLES", "DEPARTMENTS"]
    starts = _column_starts(lines[1])
    assert _column_starts(lines[0]) == starts
    for line in lines[2:]:
        assert _column_starts(line) == starts, line


def test_table_cells(catalogue: Catalogue) -> None:
    """Rows show officer actions, open lists and scopes without a list."""
    table = format_table(catalogue)
    assert "strict_review / officers: prudential_reference" in table
    assert "market-regulation,tax,etc." in table
    assert "(external)" in table and "(any unit)" in table


def test_table_of_some_measures(catalogue: Catalogue) -> None:
    """Given measures, only they are rendered."""
    lines = format_table(catalogue, catalogue.measures_for_unit("hpf-centre")).splitlines()
    assert [line.split()[0] for line in lines[2:]] == [
        "assist.housing-provident-fund",
        "other.encouraged",
    ]


def test_display_width() -> None:
    """Wide and fullwidth characters take two columns, combining marks none."""
    assert display_width("二、（五）3.") == 12
    assert display_width("e\u0301") == 1
