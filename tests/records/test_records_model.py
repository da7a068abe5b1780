"""parse_record: every field validated, invalid IDs kept and reported, keys normalised."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.records import RecordProblem, normalize_case_number, parse_record


def record(**overrides: Any) -> dict[str, Any]:
    """A valid record, with fields replaced."""
    base: dict[str, Any] = {
        "case_number": "(2019)桂0202执1234号",
        "debtor": {"kind": "person", "name": "张三", "id_number": "11010519491231002X"},
        "court": "柳州市城中区人民法院",
        "published_on": "2019-06-01",
        "expires_on": "2021-06-01",
    }
    base.update(overrides)
    return base


def test_valid_record_parses() -> None:
    """A spec-shaped record parses with its dates and default public flag."""
    r = parse_record(record())
    assert r.debtor.parsed_id is not None and r.debtor.parsed_id.valid
    assert r.public is True and r.published_on.isoformat() == "2019-06-01"


@pytest.mark.parametrize(("change", "field", "reason"), [
    ({"case_number": ""}, "case_number", "FIELD_REQUIRED"),
    ({"debtor": None}, "debtor", "FIELD_REQUIRED"),
    ({"debtor": {"kind": "robot", "name": "x"}}, "debtor.kind", "BAD_KIND"),
    ({"debtor": {"kind": "person", "name": ""}}, "debtor.name", "FIELD_REQUIRED"),
    ({"debtor": {"kind": "person", "name": "x", "id_type": "ssn"}}, "debtor.id_type",
     "BAD_ID_TYPE"),
    ({"court": ""}, "court", "FIELD_REQUIRED"),
    ({"published_on": "2019-13-01"}, "published_on", "BAD_DATE"),
    ({"expires_on": "2018-01-01"}, "expires_on", "BAD_DATE_ORDER"),
    ({"public": "maybe"}, "public", "BAD_BOOL"),
    ({"related_persons": [{"role": "cousin", "name": "李四"}]}, "related_persons[0].role",
     "BAD_ROLE"),
    ({"related_persons": "李四"}, "related_persons", "FIELD_TYPE"),
])
def test_bad_fields_are_named(change: dict[str, Any], field: str, reason: str) -> None:
    """Each malformed field raises RecordProblem naming the field and a stable reason."""
    with pytest.raises(RecordProblem) as info:
        parse_record(record(**change))
    assert info.value.field == field
    assert info.value.reason == reason


def test_invalid_id_is_kept_and_reported() -> None:
    """An ID with a wrong check character stays on the record, with the problem said."""
    r = parse_record(record(debtor={"kind": "person", "name": "张三",
                                    "id_number": "110105194912310021"}))
    assert r.debtor.id_number == "110105194912310021"
    assert r.id_problems and "check" in r.id_problems[0]


def test_chinese_kind_and_public_aliases() -> None:
    """CSV-style values 自然人 and 否 are understood."""
    r = parse_record(record(debtor={"kind": "自然人", "name": "张三"}, public="否"))
    assert r.debtor.kind == "person" and r.public is False


def test_key_is_the_same_for_written_variants() -> None:
    """Full-width brackets, spaces and a lower-case x give the same record id."""
    a = parse_record(record())
    b = parse_record(record(case_number="（2019）桂0202执 1234号",
                            debtor={"kind": "person", "name": "张三",
                                    "id_number": "110105 19491231 002x"}))
    assert a.record_id == b.record_id


def test_name_keyed_record_without_id() -> None:
    """Without an ID number the key uses the normalised name (traditional = simplified)."""
    a = parse_record(record(debtor={"kind": "organization", "name": "柳州市鑫达贸易有限公司"}))
    b = parse_record(record(debtor={"kind": "organization", "name": "柳州市鑫達貿易有限公司"}))
    assert a.record_id == b.record_id


def test_round_trip_through_interchange_form() -> None:
    """to_json gives back a record that parses to the same record."""
    r = parse_record(record(related_persons=[{"role": "director", "name": "李四"}]))
    assert parse_record(r.to_json()) == r


@given(st.text(max_size=40))
def test_case_number_normalisation_is_idempotent(text: str) -> None:
    """Normalising a case number twice changes nothing more."""
    once = normalize_case_number(text)
    assert normalize_case_number(once) == once


@given(st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=6))
def test_junk_objects_raise_record_problem_only(obj: dict[str, str]) -> None:
    """Arbitrary objects either parse or raise RecordProblem, never anything else."""
    with contextlib.suppress(RecordProblem):
        parse_record(obj)
