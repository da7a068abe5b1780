"""Tests for shixin.names.pinyin: syllables, pinyin keys and Latin query keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.names.pinyin import (
    latin_key,
    latin_query_keys,
    org_pinyin_key,
    person_pinyin_keys,
    pinyin_key,
    syllables,
)
from tests.names.names_strategies import person_names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("张伟", ("zhang", "wei")),
        ("单田芳", ("shan", "tian", "fang")),
        ("曾小明", ("zeng", "xiao", "ming")),
        ("区伟", ("ou", "wei")),
        ("解放", ("xie", "fang")),
        ("朴明", ("piao", "ming")),
        ("尉迟恭", ("yu", "chi", "gong")),
        ("万俟卨", ("mo", "qi", "xie")),
        ("长孙无忌", ("zhang", "sun", "wu", "ji")),
        ("吕女", ("lv", "nv")),
    ],
)
def test_syllables_use_surname_readings(name: str, expected: tuple[str, ...]) -> None:
    """The leading surname gets its surname reading; ü is written v."""
    assert syllables(name) == expected


def test_syllables_without_surname_reading() -> None:
    """With surname=False the default reading of the first character is kept."""
    assert syllables("单田芳", surname=False) == ("dan", "tian", "fang")


def test_pinyin_key_of_chinese_traditional_and_latin() -> None:
    """Chinese, traditional and Latin spellings of one name share a pinyin key."""
    assert pinyin_key("张伟") == pinyin_key("張偉") == pinyin_key("ZHANG Wei") == "zhangwei"


def test_person_pinyin_keys_keep_the_plain_reading() -> None:
    """A surname reading adds a key; the per-character key is kept as well."""
    assert person_pinyin_keys("单田芳") == {"shantianfang", "dantianfang"}
    assert person_pinyin_keys("张伟") == {"zhangwei"}


@pytest.mark.parametrize(
    "query", ["Zhang Wei", "ZHANG WEI", "Wei Zhang", "zhangwei", "Zhang-Wei", "ZHANG Wei",
              "Zhāng Wěi", "zhang1 wei3", "ｚｈａｎｇ ｗｅｉ"],
)  # fmt: skip
def test_latin_query_keys_reach_zhang_wei(query: str) -> None:
    """Every usual Latin spelling of 张伟 produces its pinyin key."""
    assert pinyin_key("张伟") in latin_query_keys(query)


@pytest.mark.parametrize(
    "query", ["Zhang Xiaoming", "Xiaoming Zhang", "xiao ming zhang", "ZHANG XIAO MING",
              "zhang xiaoming", "Xiao-Ming Zhang"],
)  # fmt: skip
def test_latin_query_keys_reach_three_character_names(query: str) -> None:
    """Given names written joined or split, before or after the surname, reach 张晓明."""
    assert pinyin_key("张晓明") in latin_query_keys(query)


@pytest.mark.parametrize("query", ["Lü Wei", "Lu: Wei", "Lv Wei", "LYU Wei", "Lu Wei", "Wei Lyu"])
def test_u_umlaut_variants_reach_lv(query: str) -> None:
    """吕 is reached by lü, lu:, lv, the passport spelling lyu and plain lu (ü folded to u)."""
    assert pinyin_key("吕伟") in latin_query_keys(query)


def test_four_tokens_rotate_compound_surnames() -> None:
    """A compound surname written last is moved to the front for four tokens."""
    assert pinyin_key("欧阳晓明") in latin_query_keys("Xiao Ming Ou Yang")


def test_latin_key_keeps_written_order() -> None:
    """latin_key does not reorder; it only folds marks, tones and ü."""
    assert latin_key("Wei Zhang") == "weizhang"
    assert latin_key("NYU Hua") == "nuhua"


def test_org_pinyin_key_uses_phrase_readings() -> None:
    """Polyphonic characters in two-character words get the word's reading."""
    assert org_pinyin_key("工商银行") == "gongshangyinhang"
    assert org_pinyin_key("重庆火锅") == "chongqinghuoguo"


@given(person_names, st.booleans(), st.booleans())
def test_spelled_pinyin_reaches_name(name: str, reverse: bool, upper: bool) -> None:
    """A name spelled as its own pinyin, in either order and any case, reaches its key."""
    parts = list(syllables(name))
    surname, given_name = parts[0], "".join(parts[1:])
    tokens = [given_name, surname] if reverse else [surname, given_name]
    text = " ".join(tokens)
    assert pinyin_key(name) in latin_query_keys(text.upper() if upper else text.title())
