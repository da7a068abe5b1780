"""Tests for shixin.names.keys: index keys and the query keys that reach them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.names.keys import (
    MAX_KEY_BYTES,
    by_strength,
    org_index_keys,
    person_index_keys,
    query_keys,
)
from shixin.names.pinyin import syllables
from tests.names.names_strategies import (
    GIVEN,
    SEPARATORS,
    SURNAMES,
    org_cores,
    person_names,
    to_fullwidth,
    to_traditional,
)

PERSON_VARIANTS = {
    "张伟": ["張偉", "张 伟", "张　伟", "Zhang Wei", "ZHANG WEI", "Wei Zhang", "zhangwei",
             "Zhang-Wei", "ZHANG Wei", "章伟"],
    "张晓明": ["Zhang Xiaoming", "Xiaoming Zhang", "xiao ming zhang", "張曉明", "张小明",
               "张晓明明", "张华明"],
    "阿不都·热合曼": ["阿不都•热合曼", "阿不都热合曼", "阿不都・熱合曼", "Abudou Reheman"],
    "吕伟": ["Lü Wei", "Lu: Wei", "Lv Wei", "LYU Wei", "Lu Wei"],
    "单田芳": ["Shan Tianfang", "Dan Tianfang"],
}  # fmt: skip

ORG_VARIANTS = {
    "广西柳州鑫达贸易有限责任公司": [
        "柳州市鑫达贸易有限公司",
        "鑫达贸易（柳州）有限公司",
        "柳州鑫達貿易有限公司",
        "鑫达贸易",
        "Xinda Maoyi",
        "Guangxi Liuzhou Xinda Maoyi Youxian Gongsi",
        "鑫达贸易有限公司柳州分公司",
        "新达贸易有限公司",
        "鑫大贸易有限公司",
        "鑫达商贸有限公司",
        "鹿寨鑫达贸易有限公司",
    ],
}


@pytest.mark.parametrize(
    ("listed", "query"), [(k, v) for k, vs in PERSON_VARIANTS.items() for v in vs]
)
def test_person_variants_reach_listed_name(listed: str, query: str) -> None:
    """Script, width, separator, Latin, homophone and one-typo variants meet the index keys."""
    assert person_index_keys(listed) & query_keys(query, "person")
    assert person_index_keys(listed) & query_keys(query, None)


@pytest.mark.parametrize(
    ("listed", "query"), [(k, v) for k, vs in ORG_VARIANTS.items() for v in vs]
)
def test_org_variants_reach_listed_name(listed: str, query: str) -> None:
    """Region, legal-form, bracket, script, pinyin, homophone and typo variants meet the keys."""
    assert org_index_keys(listed) & query_keys(query, "organization")
    assert org_index_keys(listed) & query_keys(query, None)


def test_two_character_queries_get_no_typo_keys() -> None:
    """A two-character query does not fan out to every three-character name containing it."""
    assert not person_index_keys("张晓明") & query_keys("张晓", "person")


def test_latin_listed_person_is_keyed_in_listed_order() -> None:
    """A person listed in Latin script gets one p: key, reachable in any order."""
    assert person_index_keys("ZHANG Wei") == {"p:zhangwei"}
    assert "p:zhangwei" in query_keys("Wei Zhang", "person")


def test_key_prefixes_and_counts() -> None:
    """Keys carry the documented prefixes and stay at twelve or fewer per name."""
    assert person_index_keys("张伟") == {"n:张伟", "p:zhangwei"}
    long_person = "阿不都热合曼阿不都热西提"
    assert {k[:2] for k in person_index_keys(long_person)} == {"n:", "p:", "b:", "e:"}
    org = org_index_keys("广西柳州鑫达贸易有限责任公司")
    assert {k[:2] for k in org} == {"o:", "c:", "q:", "d:"}
    assert "c:鑫达贸易" in org and "q:xindamaoyi" in org


def test_short_names_get_no_deletion_keys() -> None:
    """Two-character person names and three-character cores are too short for typo keys."""
    assert not any(k.startswith("d:") for k in person_index_keys("张伟"))
    assert not any(
        k.startswith("d:") for k in org_index_keys("柳州鑫达五金有限公司"[:0] + "鑫达商行")
    )


def test_keys_are_bounded_in_bytes() -> None:
    """Even absurdly long names give keys within the LMDB key limit."""
    name = "鑫" * 400 + "有限公司"
    for key in org_index_keys(name) | query_keys(name, None):
        assert len(key.encode("utf-8")) <= MAX_KEY_BYTES + 2


def test_query_keys_rejects_unknown_kind() -> None:
    """An unknown kind is a programming error, not an empty result."""
    with pytest.raises(ValueError, match="unknown name kind"):
        query_keys("张伟", "company")


def test_empty_names_have_no_keys() -> None:
    """Blank names produce no keys at all."""
    assert person_index_keys("  ") == frozenset()
    assert org_index_keys("") == frozenset()
    assert query_keys(" ·", None) == frozenset()


def test_by_strength_orders_exact_keys_first() -> None:
    """Exact keys come before pinyin keys, which come before typo keys."""
    ordered = by_strength(query_keys("張曉明", "person"))
    assert ordered[0] == "n:张晓明"
    assert ordered.index("p:zhangxiaoming") < min(
        i for i, k in enumerate(ordered) if k.startswith("d:")
    )


@given(person_names, st.lists(st.sampled_from(SEPARATORS), min_size=4, max_size=4))
def test_written_variants_of_a_person_reach_it(name: str, seps: list[str]) -> None:
    """Traditional, full-width and separated spellings share a key with the listed name."""
    spaced = "".join(c + s for c, s in zip(to_traditional(name), seps, strict=False))
    assert person_index_keys(name) & query_keys(to_fullwidth(spaced), "person")


@given(person_names, st.booleans())
def test_pinyin_spelling_of_a_person_reaches_it(name: str, western: bool) -> None:
    """The name's own pinyin, surname first or last, reaches the listed name."""
    parts = syllables(name)
    surname, given_name = parts[0], "".join(parts[1:])
    text = f"{given_name} {surname}" if western else f"{surname.upper()} {given_name}"
    assert person_index_keys(name) & query_keys(text, "person")


@given(
    st.text(alphabet=SURNAMES + GIVEN, min_size=3, max_size=12),
    st.integers(min_value=0, max_value=20),
    st.sampled_from(["substitute", "delete", "insert"]),
    st.sampled_from("甲乙丙丁戊"),
)
def test_one_typo_in_a_person_name_still_meets(name: str, pos: int, edit: str, char: str) -> None:
    """One substituted, missing or extra character in a name of ≥ 3 still meets its record."""
    i = pos % len(name)
    typo = {
        "substitute": name[:i] + char + name[i + 1 :],
        "delete": name[:i] + name[i + 1 :],
        "insert": name[:i] + char + name[i:],
    }[edit]
    if len(typo) >= 3:
        assert person_index_keys(name) & query_keys(typo, "person")


@given(
    org_cores(min_size=4, max_size=14),
    st.integers(min_value=0, max_value=20),
    st.sampled_from(["substitute", "delete", "insert"]),
    st.sampled_from(["有限公司", "有限责任公司", ""]),
)
def test_one_typo_in_an_org_core_still_meets(core: str, pos: int, edit: str, suffix: str) -> None:
    """One wrong, missing or extra character in a core of ≥ 4 still meets its record."""
    i = pos % len(core)
    typo = {
        "substitute": core[:i] + "甲" + core[i + 1 :],
        "delete": core[:i] + core[i + 1 :],
        "insert": core[:i] + "甲" + core[i:],
    }[edit]
    if len(typo) >= 4:
        listed = "广西柳州" + core + "有限公司"
        assert org_index_keys(listed) & query_keys(typo + suffix, "organization")


@given(
    org_cores(),
    st.sampled_from(["", "广西", "柳州市", "广西柳州市", "广西壮族自治区柳州市鱼峰区"]),
    st.sampled_from(["", "(柳州)", "（柳州）"]),
    st.sampled_from(["有限公司", "有限责任公司", "股份有限公司", ""]),
    st.booleans(),
)
def test_org_variants_reach_the_canonical_name(
    core: str, prefix: str, bracket: str, suffix: str, traditional: bool
) -> None:
    """Every region/bracket/legal/script variant of a listed company meets its keys."""
    listed = "广西柳州" + core + "有限责任公司"
    variant = prefix + core + bracket + suffix
    if traditional:
        variant = to_traditional(variant)
    assert org_index_keys(listed) & query_keys(variant, "organization")


@given(person_names)
def test_person_index_keys_are_few(name: str) -> None:
    """No person name is stored under more than twelve keys."""
    assert len(person_index_keys(name)) <= 12


@given(org_cores(max_size=20), st.sampled_from(["", "鹿寨", "柳州市"]))
def test_org_index_keys_are_few(core: str, prefix: str) -> None:
    """No organisation is stored under more than thirteen keys."""
    assert len(org_index_keys(prefix + core + "有限公司")) <= 13
