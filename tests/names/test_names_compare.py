"""Tests for shixin.names.compare: name-comparison features and their reasons."""

from __future__ import annotations

import timeit
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.names.compare import NameScore, compare_org, compare_person
from tests.names.names_strategies import org_cores, person_names


def test_person_exact() -> None:
    """Identical spellings score 1.0 as an exact match."""
    assert compare_person("张伟", "张伟") == NameScore(1.0, "name exact")


@pytest.mark.parametrize(
    ("query", "listed", "step"),
    [
        ("張偉", "张伟", "traditional→simplified"),
        ("张　伟", "张伟", "full-width→half-width"),
        ("阿不都•热合曼", "阿不都·热合曼", "spaces/separators"),
        ("阿不都热合曼", "阿不都·热合曼", "spaces/separators"),
        ("ZHANG WEI", "Zhang Wei", "case"),
    ],
)
def test_person_equal_after_normalisation_names_the_step(
    query: str, listed: str, step: str
) -> None:
    """Equality after folding scores 1.0 and says which normalisation was needed."""
    result = compare_person(query, listed)
    assert result.score == 1.0
    assert result.reason.startswith("name equal after normalisation (")
    assert step in result.reason


@pytest.mark.parametrize("query", ["Zhang Wei", "ZHANG WEI", "Wei Zhang", "zhangwei", "Zhang-Wei"])
def test_latin_spelling_matches_pinyin(query: str) -> None:
    """A Latin spelling equal to the pinyin (any order) scores 0.95 and quotes both names."""
    result = compare_person(query, "张伟")
    assert result.score == 0.95
    assert result.reason == f"Latin spelling '{query}' matches pinyin of 张伟"


def test_listed_latin_spelling_matches_pinyin_of_query() -> None:
    """A Chinese query against a Latin-script listing is compared through pinyin too."""
    assert compare_person("张伟", "ZHANG Wei").score == 0.95


@pytest.mark.parametrize(("query", "listed"), [("章伟", "张伟"), ("张晓明", "张小明")])
def test_homophones(query: str, listed: str) -> None:
    """Different characters with the same pinyin score 0.85 as a homophone."""
    assert compare_person(query, listed) == NameScore(
        0.85, f"homophone: {query} sounds like {listed}"
    )


def test_one_character_differs() -> None:
    """One non-homophone character in three scores about 0.67 and names the characters."""
    result = compare_person("张华明", "张小明")
    assert result.score == pytest.approx(2 / 3)
    assert "one character differs: 华 vs 小" in result.reason


def test_unrelated_person_names_score_low() -> None:
    """Unrelated names score low and say the names differ."""
    result = compare_person("李四", "张伟")
    assert result.score < 0.5 and result.reason.startswith("names differ")


def test_misspelt_latin_scores_below_match() -> None:
    """A Latin spelling that is not the pinyin scores below a real match."""
    assert compare_person("Zhang Wie", "张伟").score < 0.9


def test_latin_token_order() -> None:
    """Two Latin spellings in different token order are recognised as the same name."""
    assert compare_person("Wei Zhang", "ZHANG WEI").score == 0.9


def test_org_exact_and_normalised() -> None:
    """Exact and traditional/bracket-width variants score 1.0 with the right reason."""
    assert compare_org("柳州鑫达贸易有限公司", "柳州鑫达贸易有限公司").reason == "name exact"
    result = compare_org("柳州鑫達貿易有限公司", "柳州鑫达贸易有限公司")
    assert result == NameScore(1.0, "name equal after normalisation (traditional→simplified)")


@pytest.mark.parametrize(
    "query",
    ["鑫达贸易（柳州）有限公司", "柳州市鑫达贸易有限公司", "鑫达贸易", "广西鑫达贸易股份有限公司"],
)
def test_org_same_core(query: str) -> None:
    """Region and legal-form variants score 0.92 and quote the shared core."""
    assert compare_org(query, "广西柳州鑫达贸易有限责任公司") == NameScore(
        0.92, "same name without region/legal form: 鑫达贸易"
    )


def test_org_same_core_in_other_city() -> None:
    """The same core in a different city scores far lower and names both regions."""
    result = compare_org("南宁鑫达贸易有限公司", "柳州鑫达贸易有限公司")
    assert result.score == 0.55 and "南宁 vs 柳州" in result.reason


@pytest.mark.parametrize(
    ("query", "listed", "expected"),
    [
        (
            "柳州市隆安科技有限公司",
            "柳州市隆安科技有限责任公司",
            NameScore(0.92, "same name without region/legal form: 隆安科技"),
        ),
        (
            "广西壮族自治区江南汽车配件有限公司",
            "柳州江南汽车配件有限公司",
            NameScore(0.92, "same name without region/legal form: 江南汽车配件"),
        ),
        (
            "隆安科技有限公司",
            "柳州市隆安科技有限公司",
            NameScore(0.92, "same name without region/legal form: 隆安科技"),
        ),
        (
            "广西江南汽车配件有限公司",
            "南宁市江南区汽车配件有限公司",
            NameScore(0.85, "same name without region/legal form if 江南 is the place: 汽车配件"),
        ),
    ],
)
def test_org_brand_named_like_a_county(query: str, listed: str, expected: NameScore) -> None:
    """A brand that is a county name elsewhere (隆安, 江南) is part of the core, not a region."""
    assert compare_org(query, listed) == expected


def test_org_county_of_another_city_is_not_the_same_company() -> None:
    """南宁市隆安科技 (隆安 lies in 南宁) is not taken for 柳州市隆安科技."""
    assert compare_org("南宁市隆安科技有限公司", "柳州市隆安科技有限公司").score < 0.55


@given(
    st.sampled_from(["", "广西", "广西壮族自治区", "柳州", "柳州市", "南宁市", "广西柳州市"]),
    st.sampled_from(["", "隆安", "江南", "鱼峰", "城中", "鹿寨", "兴业", "资源"]),
    org_cores(),
)
def test_org_legal_form_swap_never_contradicts_regions(prefix: str, county: str, core: str) -> None:
    """Swapping 有限公司 for 有限责任公司 keeps the regions: 0.92, never a region conflict."""
    result = compare_org(
        prefix + county + core + "有限公司", prefix + county + core + "有限责任公司"
    )
    assert result.score == 0.92 and "different regions" not in result.reason


def test_org_branch() -> None:
    """A branch of the listed company scores a little below the company itself."""
    result = compare_org("鑫达贸易有限公司柳州分公司", "鑫达贸易有限公司")
    assert result.score == 0.88 and "branch (柳州分公司)" in result.reason


def test_org_bare_county_prefix() -> None:
    """A leading bare county name read as the place scores 0.85 (0.7 for a short core)."""
    assert compare_org("鹿寨鑫达贸易有限公司", "鹿寨县鑫达贸易有限公司").score == 0.85
    assert compare_org("兴业银行", "玉林银行").score == 0.7


def test_org_latin_spelling_of_core() -> None:
    """A pinyin spelling of the core (with region and legal form) scores 0.9."""
    result = compare_org("Guangxi Liuzhou Xinda Maoyi Youxian Gongsi", "柳州鑫达贸易有限公司")
    assert result.score == 0.9 and result.reason.endswith("matches pinyin of 鑫达贸易")


def test_org_homophone_core() -> None:
    """A core that sounds the same scores 0.8."""
    assert compare_org("新达贸易有限公司", "鑫达贸易有限公司") == NameScore(
        0.8, "core sounds the same: 新达贸易 / 鑫达贸易"
    )


def test_org_fuzzy_core() -> None:
    """A core one character off scores by similarity and says which characters differ."""
    result = compare_org("鑫达商易有限公司", "鑫达贸易有限公司")
    assert result.score == pytest.approx(0.9 * 0.75)
    assert "core one character differs: 商 vs 贸" in result.reason


def test_org_unrelated() -> None:
    """Unrelated organisations score low."""
    assert compare_org("完全不同科技有限公司", "鑫达贸易有限公司").score < 0.3


@given(person_names, person_names)
def test_compare_person_is_bounded(a: str, b: str) -> None:
    """Scores stay in [0, 1] and reasons are never empty."""
    result = compare_person(a, b)
    assert 0.0 <= result.score <= 1.0 and result.reason


@given(person_names)
def test_compare_person_is_reflexive(name: str) -> None:
    """Every name matches itself exactly."""
    assert compare_person(name, name).score == 1.0


@given(org_cores(), org_cores(), st.sampled_from(["", "柳州", "南宁市"]))
def test_compare_org_is_bounded(a: str, b: str, prefix: str) -> None:
    """Organisation scores stay in [0, 1] with a reason."""
    result = compare_org(prefix + a + "有限公司", b + "有限公司")
    assert 0.0 <= result.score <= 1.0 and result.reason


@pytest.mark.parametrize(
    ("compare", "query", "listed"),
    [
        (compare_person, "章伟", "张伟"),
        (compare_person, "Zhang Wei", "张伟"),
        (compare_org, "鑫达贸易（柳州）有限公司", "广西柳州鑫达贸易有限责任公司"),
    ],
)
def test_comparisons_are_fast_on_warm_caches(
    compare: Callable[[str, str], NameScore], query: str, listed: str
) -> None:
    """Typical comparisons stay far below the 20 µs budget once caches are warm."""
    compare(query, listed)
    runs = timeit.repeat(lambda: compare(query, listed), number=2000, repeat=3)
    assert min(runs) / 2000 < 100e-6  # generous for loaded CI machines; typically 1–5 µs
