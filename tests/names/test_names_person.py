"""Tests for shixin.names.person: person-name normalisation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.names.person import has_han, is_latin, latin_tokens, normalize_person
from tests.names.names_strategies import SEPARATORS, person_names, to_fullwidth, to_traditional

MINORITY_VARIANTS = [
    "阿不都·热合曼",
    "阿不都•热合曼",
    "阿不都・热合曼",
    "阿不都･热合曼",
    "阿不都.热合曼",
    "阿不都‧热合曼",
    "阿不都﹒热合曼",
    "阿不都。热合曼",
    "阿不都热合曼",
    "阿不都 热合曼",
    "阿不都　熱合曼",
]


@pytest.mark.parametrize("variant", MINORITY_VARIANTS)
def test_minority_separators_are_dropped(variant: str) -> None:
    """Every middle-dot spelling of a minority name (and none) normalises alike."""
    assert normalize_person(variant) == "阿不都热合曼"


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("张　伟", "张伟"),
        ("張偉", "张伟"),
        ("ZHANG WEI", "zhang wei"),
        ("  Zhang   Wei ", "zhang wei"),
        ("Zhang-Wei", "zhang wei"),
        ("ＺＨＡＮＧ　ＷＥＩ", "zhang wei"),
        ("O'Brien, John", "o brien john"),
        ("", ""),
        ("·", ""),
    ],
)
def test_normalize_person_table(raw: str, normalized: str) -> None:
    """Chinese names lose spaces and separators; Latin names keep single-spaced tokens."""
    assert normalize_person(raw) == normalized


def test_is_latin() -> None:
    """Latin script (with pinyin tone marks) qualifies; Chinese or digits-only do not."""
    assert is_latin("Zhāng Wěi") and is_latin("LYU Xiaoming")
    assert not is_latin("张伟") and not is_latin("张伟 Zhang") and not is_latin("123")


def test_has_han() -> None:
    """Any Chinese character (including extension B) makes a name Chinese."""
    assert has_han("阿不都·热合曼") and has_han("\U00020000") and not has_han("Zhang")


def test_latin_tokens_split_on_punctuation() -> None:
    """Hyphens, apostrophes and commas separate tokens, which are lower-cased."""
    assert latin_tokens("ZHANG-Wei") == ("zhang", "wei")
    assert latin_tokens("O'Brien,  John") == ("o", "brien", "john")


@given(person_names, st.lists(st.sampled_from(SEPARATORS), min_size=6, max_size=6))
def test_normalize_person_ignores_separators(name: str, seps: list[str]) -> None:
    """Inserting any separator between the characters of a Chinese name changes nothing."""
    spaced = "".join(c + sep for c, sep in zip(name, seps, strict=False))
    assert normalize_person(spaced) == normalize_person(name) == name


@given(person_names)
def test_normalize_person_ignores_script_and_width(name: str) -> None:
    """Traditional characters and full-width spacing fold to the simplified name."""
    assert normalize_person(to_fullwidth(" ".join(to_traditional(name)))) == name


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz -'", min_size=1, max_size=30))
def test_normalize_latin_ignores_case_and_width(text: str) -> None:
    """Upper case and full-width letters normalise like the plain Latin name."""
    assert normalize_person(to_fullwidth(text.upper())) == normalize_person(text)


@given(st.text())
def test_normalize_person_is_idempotent(text: str) -> None:
    """Normalising a normalised name changes nothing."""
    once = normalize_person(text)
    assert normalize_person(once) == once
