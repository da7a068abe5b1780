"""parse_catalogue: the shipped data parses; bad data fails naming file, entry and field."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import pytest

from shixin.errors import Status
from shixin.measures import CatalogueError, DepartmentScope, RoleLink, parse_catalogue

Value = str | Sequence[str] | None

CATEGORY = {
    "code": "industry",
    "clause": "二、（一）",
    "name_zh": "从事特定行业或项目限制",
    "name_en": "Specific industries",
}
MEASURE: dict[str, Value] = {
    "code": "finance.establish",
    "clause": "二、（一）1.",
    "category": "industry",
    "title_zh": "设立金融类公司限制",
    "title_en": "Restriction on establishing financial companies",
    "departments": ["finance"],
    "applies_to": ["debtor"],
    "debtor_kinds": ["person", "organization"],
    "actions": ["prohibit"],
    "text_zh": "设立金融类公司限制。限制失信被执行人设立融资性担保公司、保险公司。",
}
UNIT: dict[str, Value] = {
    "code": "finance",
    "name_zh": "市财政局",
    "name_en": "Finance Bureau",
    "kind": "government",
}
WHERE = 'measures.toml: [[measure]] #1 "finance.establish"'
UNIT_WHERE = 'units.toml: [[unit]] #1 "finance"'


def _table(name: str, fields: Mapping[str, Value]) -> str:
    """One TOML table; JSON string syntax is valid TOML basic-string syntax."""
    lines = [f"[[{name}]]"]
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def _with(base: Mapping[str, Value], changes: Mapping[str, Value]) -> dict[str, Value]:
    """``base`` with fields changed, added, or removed (value None)."""
    merged = {**base, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def measures_toml(*measures: Mapping[str, Value], **changes: Value) -> str:
    """A measures.toml with one category and the given measures (default: MEASURE + changes)."""
    entries = measures or (_with(MEASURE, changes),)
    return (
        "schema_version = 1\n"
        + _table("category", CATEGORY)
        + "".join(_table("measure", entry) for entry in entries)
    )


def units_toml(*units: Mapping[str, Value], **changes: Value) -> str:
    """A units.toml with the given units (default: UNIT + changes)."""
    entries = units or (_with(UNIT, changes),)
    return "schema_version = 1\n" + "".join(_table("unit", entry) for entry in entries)


def error(text_measures: str, text_units: str) -> str:
    """The message parse_catalogue fails with."""
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(text_measures, text_units)
    return str(caught.value)


def test_minimal_catalogue_parses() -> None:
    """The minimal fixtures form a valid catalogue, so every failure below has one cause."""
    catalogue = parse_catalogue(measures_toml(), units_toml())
    (measure,) = catalogue.measures
    assert measure.category.name_zh == "从事特定行业或项目限制"
    assert measure.department_scope is DepartmentScope.LISTED
    assert measure.role_link is None and measure.officer_actions is None and measure.note == ""


def test_error_is_internal_with_reason() -> None:
    """A broken catalogue maps to INTERNAL with a stable reason, and is a ValueError."""
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(measures_toml(actions=["forbid"]), units_toml())
    assert isinstance(caught.value, ValueError)
    assert caught.value.status is Status.INTERNAL
    assert caught.value.reason == "CATALOGUE_INVALID"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"applies_to": ["debtor", "debter"]},
            f'{WHERE}: field "applies_to": unknown value "debter"; expected one of: debtor, '
            "legal_representative, principal, actual_controller, director, supervisor, "
            "senior_manager, directly_responsible",
        ),
        (
            {"actions": ["forbid"]},
            f'{WHERE}: field "actions": unknown value "forbid"; expected one of: prohibit, '
            "strict_review, prudential_reference, assist_enforcement, enhanced_supervision, notify",
        ),
        (
            {"debtor_kinds": ["company"]},
            f'{WHERE}: field "debtor_kinds": unknown value "company"; '
            "expected one of: person, organization",
        ),
        (
            {"role_link": "sideways", "applies_to": ["debtor", "director"]},
            f'{WHERE}: field "role_link": unknown value "sideways"; '
            "expected one of: officer_of_debtor, debtor_is_officer",
        ),
        ({"text_zh": None}, f'{WHERE}: missing field "text_zh"'),
        (
            {"applies_too": ["debtor"]},
            f'{WHERE}: unknown field "applies_too"; expected one of: code, clause, category, '
            "title_zh, title_en, departments, department_scope, applies_to, role_link, "
            "debtor_kinds, actions, officer_actions, note, text_zh",
        ),
        ({"departments": "finance"}, f'{WHERE}: field "departments" must be an array of strings'),
        ({"note": ["a"]}, f'{WHERE}: field "note" must be a string'),
        ({"category": "industy"}, f'{WHERE}: field "category": no [[category]] "industy"'),
        (
            {"code": "Finance.Establish"},
            'measures.toml: [[measure]] #1 "Finance.Establish": field "code": '
            "'Finance.Establish' is not \"<domain>.<subject>\" in lowercase ASCII",
        ),
        (
            {"clause": "二、（二）1."},
            f"{WHERE}: field \"clause\": '二、（二）1.' is not a clause of 二、（一）",
        ),
        ({"applies_to": ["director"]}, f'{WHERE}: field "applies_to": must include "debtor"'),
        (
            {"applies_to": ["debtor", "legal_representative"]},
            f'{WHERE}: field "role_link": required because applies_to names legal_representative',
        ),
        (
            {"role_link": "debtor_is_officer"},
            f'{WHERE}: field "role_link": applies_to names no role but debtor',
        ),
        (
            {"officer_actions": ["prohibit"]},
            f'{WHERE}: field "officer_actions": applies_to names no role but debtor',
        ),
        (
            {
                "applies_to": ["debtor", "principal"],
                "role_link": "debtor_is_officer",
                "officer_actions": [],
            },
            f'{WHERE}: field "officer_actions": must not be empty',
        ),
        (
            {
                "applies_to": ["debtor", "principal"],
                "role_link": "officer_of_debtor",
                "debtor_kinds": ["person"],
            },
            f'{WHERE}: field "debtor_kinds": officer_of_debtor needs "organization"',
        ),
        ({"actions": ["prohibit", "prohibit"]}, f'{WHERE}: field "actions": "prohibit" repeated'),
        ({"actions": []}, f'{WHERE}: field "actions": must not be empty'),
        (
            {"department_scope": "any_unit"},
            f'{WHERE}: field "departments": must be empty for department_scope any_unit',
        ),
        (
            {"departments": []},
            f'{WHERE}: field "departments": must be non-empty for department_scope listed',
        ),
        (
            {"departments": [], "department_scope": "external"},
            f'{WHERE}: field "note": an external measure must say who applies it',
        ),
        (
            {"department_scope": "everyone"},
            f'{WHERE}: field "department_scope": unknown value "everyone"; '
            "expected one of: listed, listed_open, any_unit, external",
        ),
        (
            {"departments": ["fiance"]},
            'measure "finance.establish" (二、（一）1.): department "fiance" is not a unit '
            "in units.toml",
        ),
    ],
)
def test_measure_errors(changes: dict[str, Value], message: str) -> None:
    """Each malformed measure field fails with a message naming file, entry and field."""
    assert error(measures_toml(**changes), units_toml()) == message


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"kind": "ministry"},
            f'{UNIT_WHERE}: field "kind": unknown value "ministry"; expected one of: party, '
            "government, public_institution, central_bank, bank_regulator, customs, tax, "
            "military, court, procuratorate, collective",
        ),
        ({"name_en": None}, f'{UNIT_WHERE}: missing field "name_en"'),
        (
            {"code": "Finance"},
            'units.toml: [[unit]] #1 "Finance": field "code": \'Finance\' is not a lowercase slug',
        ),
        (
            {"kind": "collective"},
            f'{UNIT_WHERE}: field "includes_kinds": required for a collective unit '
            "and only for one",
        ),
        (
            {"includes_kinds": ["party"]},
            f'{UNIT_WHERE}: field "includes_kinds": required for a collective unit '
            "and only for one",
        ),
        (
            {"kind": "collective", "includes_kinds": ["collective"]},
            f'{UNIT_WHERE}: field "includes_kinds": a collective cannot include collectives',
        ),
    ],
)
def test_unit_errors(changes: dict[str, Value], message: str) -> None:
    """Each malformed unit field fails with a message naming file, entry and field."""
    assert error(measures_toml(), units_toml(**changes)) == message


def test_duplicate_measure_code() -> None:
    """Two measures may not share a code."""
    second = _with(MEASURE, {"clause": "二、（一）2."})
    assert error(measures_toml(MEASURE, second), units_toml()) == (
        'measure codes: "finance.establish" repeated'
    )


def test_duplicate_clause() -> None:
    """Two measures may not come from one clause."""
    second = _with(MEASURE, {"code": "finance.other"})
    assert error(measures_toml(MEASURE, second), units_toml()) == (
        'measure clauses: "二、（一）1." repeated'
    )


def test_duplicate_unit_code() -> None:
    """Two units may not share a code."""
    second = _with(UNIT, {"name_zh": "市财政局二"})
    assert error(measures_toml(), units_toml(UNIT, second)) == 'unit codes: "finance" repeated'


def test_category_without_measures() -> None:
    """A heading nobody uses is a mistake in the data."""
    text = measures_toml() + _table(
        "category", {**CATEGORY, "code": "support", "clause": "二、（二）"}
    )
    assert error(text, units_toml()) == 'measures.toml: [[category]] "support" has no measures'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schema_version = 1\n[[measure]\n", "measures.toml: invalid TOML: "),
        ("[[measure]]\n", "measures.toml: schema_version must be 1"),
        ("schema_version = 1\ndocuments = 1\n", 'measures.toml: unknown top-level key "documents"'),
        (
            "schema_version = 1\nmeasure = 1\n",
            'measures.toml: "measure" must be an array of tables',
        ),
    ],
)
def test_document_errors(text: str, message: str) -> None:
    """Syntax and top-level mistakes name the file."""
    assert error(text, units_toml()).startswith(message)


def test_collective_membership() -> None:
    """A measure naming a collective is applied by the units of the kinds it includes."""
    organs = {
        "code": "organs",
        "name_zh": "各党政机关",
        "name_en": "All organs",
        "kind": "collective",
        "includes_kinds": ["government"],
    }
    court = {"code": "court", "name_zh": "市中级人民法院", "name_en": "Court", "kind": "court"}
    catalogue = parse_catalogue(
        measures_toml(departments=["organs"]), units_toml(UNIT, organs, court)
    )
    assert [u.code for u in catalogue.units_for_measure("finance.establish")] == [
        "finance",
        "organs",
    ]
    assert catalogue.measures_for_unit("court") == ()


def test_through_officer_fields_parse() -> None:
    """role_link and officer_actions reach the Measure typed."""
    catalogue = parse_catalogue(
        measures_toml(
            applies_to=["debtor", "director"],
            role_link="debtor_is_officer",
            actions=["strict_review"],
            officer_actions=["prudential_reference"],
        ),
        units_toml(),
    )
    (measure,) = catalogue.measures
    assert measure.role_link is RoleLink.DEBTOR_IS_OFFICER
    assert measure.officer_actions == ("prudential_reference",)
