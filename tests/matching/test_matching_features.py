"""Matching features: each a pure function returning a score and its reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.ids import parse
from shixin.matching.features import (
    ID_MATCH_STRENGTH,
    Evidence,
    birth_evidence,
    describe_conflict,
    gender_evidence,
    id_agreement,
    normalize_gender,
    region_evidence,
)

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31))
regions = st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)


@pytest.mark.parametrize(("match", "valid", "score"), [
    ("exact", True, 1.0),
    ("legacy", True, 0.99),
    ("org_code", True, 0.98),
    ("masked", True, 0.8),
    ("typo", True, 0.6),
    ("exact", False, 0.6),
    ("legacy", False, 0.6),
    ("org_code", False, 0.6),
    ("masked", False, 0.8),
    ("unheard-of", True, 0.5),
])
def test_id_agreement_strength(match: str, valid: bool, score: float) -> None:
    """Each way two numbers meet has its strength; equal but invalid numbers count as a typo."""
    assert id_agreement(match, "why", valid) == Evidence(score, "why")


@given(st.sampled_from(sorted(ID_MATCH_STRENGTH)), st.booleans())
def test_id_agreement_never_beats_an_exact_valid_match(match: str, valid: bool) -> None:
    """No ID meeting is stronger than the same valid number, and none is below zero."""
    score = id_agreement(match, "r", valid).score
    assert 0.0 < score <= id_agreement("exact", "r", True).score


@pytest.mark.parametrize(("query", "listed", "score", "reason"), [
    (date(1980, 1, 1), date(1980, 1, 1), 0.15, "same birth date 1980-01-01"),
    (date(1980, 1, 1), date(1980, 7, 9), 0.0, "same birth year 1980, different day"),
    (date(1980, 1, 1), date(1981, 1, 1), -0.15, "birth date differs (1980-01-01 / 1981-01-01)"),
])
def test_birth_evidence_table(query: date, listed: date, score: float, reason: str) -> None:
    """Same date supports a homonym, same year is neutral, another year speaks against it."""
    assert birth_evidence(query, listed) == Evidence(score, reason)


@given(st.one_of(st.none(), dates), st.one_of(st.none(), dates))
def test_birth_evidence_is_symmetric_and_needs_both_sides(a: date | None,
                                                          b: date | None) -> None:
    """Without both dates there is no evidence; with both, the score does not depend on order."""
    ab, ba = birth_evidence(a, b), birth_evidence(b, a)
    if a is None or b is None:
        assert ab is None and ba is None
    else:
        assert ab is not None and ba is not None
        assert ab.score == ba.score
        assert (ab.score > 0) == (a == b)


@given(dates, st.integers(min_value=1, max_value=3650))
def test_birth_evidence_other_year_counts_against(born: date, days: int) -> None:
    """A birth date in another year is negative evidence."""
    other = born + timedelta(days=days)
    ev = birth_evidence(born, other)
    assert ev is not None
    assert (ev.score < 0) == (other.year != born.year)


@pytest.mark.parametrize(("query", "listed", "expected"), [
    ("450202", "450202", Evidence(0.05, "same region code 450202")),
    ("450202", "450203", Evidence(0.02, "same prefecture 4502")),
    ("450202", "110105", Evidence(0.0, "region differs (450202 / 110105)")),
    ("", "450202", None),
    ("450202", None, None),
])
def test_region_evidence_table(query: str, listed: str | None,
                               expected: Evidence | None) -> None:
    """Region codes count a little: same county more than same prefecture, never negative."""
    assert region_evidence(query, listed) == expected


@given(regions, regions)
def test_region_evidence_is_weak_and_symmetric(a: str, b: str) -> None:
    """Region evidence is small, never negative, and symmetric."""
    ev = region_evidence(a, b)
    assert ev is not None
    assert 0.0 <= ev.score <= 0.05
    assert ev.score == region_evidence(b, a).score  # type: ignore[union-attr]


@pytest.mark.parametrize(("query", "listed", "expected"), [
    ("M", "M", Evidence(0.02, "same gender")),
    ("F", "F", Evidence(0.02, "same gender")),
    ("M", "F", Evidence(-0.2, "gender differs")),
    ("F", "M", Evidence(-0.2, "gender differs")),
    (None, "M", None),
    ("F", None, None),
])
def test_gender_evidence_table(query: str | None, listed: str | None,
                               expected: Evidence | None) -> None:
    """Agreeing genders help a little; disagreeing ones speak strongly against."""
    assert gender_evidence(query, listed) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("男", "M"), (" M ", "M"), ("male", "M"), ("MALE", "M"), ("1", "M"),
    ("女", "F"), ("f", "F"), ("Female", "F"), ("2", "F"),
    ("", None), ("未知", None), ("x", None), ("0", None),
])
def test_normalize_gender_table(text: str, expected: str | None) -> None:
    """The ways a gender is written map to M or F; anything else is unknown."""
    assert normalize_gender(text) == expected


@given(st.text(max_size=8))
def test_normalize_gender_is_total(text: str) -> None:
    """Any text gives M, F or None, and never raises."""
    assert normalize_gender(text) in ("M", "F", None)


def test_describe_conflict_names_both_numbers_and_scores_zero() -> None:
    """Two different numbers: zero score, and the reason shows both for the reviewer."""
    query = parse("450202198001011232")
    ev = describe_conflict(query, "45020219800101123X")
    assert ev.score == 0.0
    assert "450202198001011232" in ev.reason and "45020219800101123X" in ev.reason
