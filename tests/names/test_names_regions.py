"""Tests for shixin.names.regions: region tables, stripping and compatibility."""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.names.regions import (
    GUANGXI,
    possible_region_prefix,
    region_by_name,
    region_forms,
    regions_compatible,
    strip_region_prefix,
    strip_region_suffix,
)

GUANGXI_CITIES = ["南宁", "柳州", "桂林", "梧州", "北海", "防城港", "钦州", "贵港", "玉林", "百色",
                  "贺州", "河池", "来宾", "崇左"]  # fmt: skip
LIUZHOU_UNITS = ["城中区", "鱼峰区", "柳南区", "柳北区", "柳江区", "柳城县", "鹿寨县", "融安县",
                 "融水苗族自治县", "三江侗族自治县"]  # fmt: skip


def test_all_guangxi_cities_are_known() -> None:
    """All fourteen prefecture-level cities of Guangxi are listed, with and without 市."""
    assert sorted(GUANGXI) == sorted(GUANGXI_CITIES)
    forms = region_forms()
    assert all(c in forms and c + "市" in forms for c in GUANGXI_CITIES)


@pytest.mark.parametrize("unit", LIUZHOU_UNITS)
def test_liuzhou_units_strip_with_their_suffix(unit: str) -> None:
    """Each district and county of Liuzhou strips at the start in its official form."""
    rest, found = strip_region_prefix(unit + "鑫达贸易")
    assert rest == "鑫达贸易" and found[0].parent == "柳州"


CHAINS = [
    "广西",
    "广西壮族自治区",
    "广西自治区",
    "新疆维吾尔自治区",
    "新疆",
    "内蒙古自治区",
    "宁夏回族自治区",
    "西藏自治区",
    "北京市",
    "北京",
    "重庆",
    "上海市",
    "广东省",
    "广东",
    "黑龙江省",
    "长沙市",
    "乌鲁木齐",
    "广西柳州市",
    "广西壮族自治区柳州市鱼峰区",
    "柳州鹿寨",
    "柳州市融水县",
]


@pytest.mark.parametrize("prefix", CHAINS)
def test_region_chains_strip(prefix: str) -> None:
    """Provinces, autonomous regions, cities and chains of them are removed from the start."""
    assert strip_region_prefix(prefix + "鑫达贸易")[0] == "鑫达贸易"


def test_bare_county_names_need_a_chain() -> None:
    """A bare county name is only a region after another region (城中 is also a word)."""
    assert strip_region_prefix("城中鑫达")[0] == "城中鑫达"
    assert strip_region_prefix("柳州城中鑫达")[0] == "鑫达"
    assert strip_region_prefix("城中鑫达", in_chain=True)[0] == "鑫达"


def test_region_strip_keeps_two_characters() -> None:
    """Stripping stops before the rest would be shorter than min_rest."""
    assert strip_region_prefix("广西柳州") == ("柳州", (region_by_name("广西"),))


def test_market_is_not_a_city_suffix() -> None:
    """柳州市场 is read as 柳州 + 市场, not 柳州市 + 场."""
    assert strip_region_prefix("柳州市场开发")[0] == "市场开发"


def test_strip_region_suffix() -> None:
    """Branch labels lose trailing place names, bare county names included."""
    assert strip_region_suffix("鑫达贸易柳州鱼峰")[0] == "鑫达贸易"


def test_form_names_are_unambiguous() -> None:
    """Every bare region name resolves to exactly one region with a known parent."""
    for form in region_forms():
        region = region_by_name(form)
        if region is not None and region.parent is not None:
            assert region.parent == "中国" or region_by_name(region.parent) is not None


@pytest.mark.parametrize(
    ("left", "right", "ok"),
    [
        (["广西", "柳州"], ["柳州"], True),
        (["广西"], ["鱼峰"], True),
        (["柳州"], ["南宁"], False),
        (["鱼峰"], ["柳南"], False),
        (["中国"], ["北京"], True),
        ([], ["南宁"], True),
        (["北京"], ["广西"], False),
    ],
)
def test_regions_compatible(left: list[str], right: list[str], ok: bool) -> None:
    """Regions agree when one contains the other, and disagree otherwise."""
    assert regions_compatible(left, right) is ok


@pytest.mark.parametrize(
    ("text", "rest", "regions"),
    [
        ("柳州隆安科技", "隆安科技", ["柳州"]),
        ("柳州市隆安科技", "隆安科技", ["柳州"]),
        ("柳州江南汽车配件", "江南汽车配件", ["柳州"]),
        ("广西壮族自治区江南汽车配件", "江南汽车配件", ["广西"]),
        ("南宁江南汽车配件", "汽车配件", ["南宁", "江南"]),
        ("南宁市隆安科技", "科技", ["南宁", "隆安"]),
        ("柳州市鱼峰区柳南鑫达", "柳南鑫达", ["柳州", "鱼峰"]),
        ("柳州市隆安县科技", "科技", ["柳州", "隆安"]),
    ],
)
def test_bare_county_counts_only_after_its_own_city(
    text: str, rest: str, regions: list[str]
) -> None:
    """A bare county name after another city (or a province, or a county) stays in the name."""
    stripped, found = strip_region_prefix(text)
    assert (stripped, [r.name for r in found]) == (rest, regions)


@pytest.mark.parametrize(
    ("text", "within", "rest", "regions"),
    [
        ("鹿寨鑫达", None, "鑫达", ["鹿寨"]),
        ("江南汽车配件", "广西", "汽车配件", ["江南"]),
        ("江南汽车配件", "柳州", "江南汽车配件", []),
        ("隆安科技", "柳州", "隆安科技", []),
        ("隆安科技", "北京", "隆安科技", []),
        ("鑫达贸易", None, "鑫达贸易", []),
        ("鹿寨", None, "鹿寨", []),
    ],
)
def test_possible_region_prefix(
    text: str, within: str | None, rest: str, regions: list[str]
) -> None:
    """A leading bare county name may be a place at the start or after its own province only."""
    outer = region_by_name(within) if within else None
    stripped, found = possible_region_prefix(text, outer)
    assert (stripped, [r.name for r in found]) == (rest, regions)


def _bare_counties() -> list[tuple[str, str]]:
    """(bare name, city) of every Guangxi county whose bare name is only a region in a chain."""
    out = []
    for city, counties in GUANGXI.items():
        for official in counties:
            region = region_by_name(official[:2])
            if (
                region is not None
                and region.parent == city
                and strip_region_prefix(official[:2] + "贸易")[0] == official[:2] + "贸易"
            ):
                out.append((official[:2], city))
    return out


BARE_COUNTIES = _bare_counties()


@given(
    st.sampled_from(BARE_COUNTIES),
    st.sampled_from(sorted(GUANGXI)),
    st.sampled_from(["", "市"]),
    st.sampled_from(["贸易", "科技", "汽车配件", "物流"]),
)
def test_bare_county_after_a_city(county: tuple[str, str], city: str, shi: str, trade: str) -> None:
    """After its own city a bare county name is a region; after any other city it is the name."""
    bare, home = county
    rest, found = strip_region_prefix(city + shi + bare + trade)
    if city == home:
        assert (rest, [r.name for r in found]) == (trade, [city, bare])
    else:
        assert (rest, [r.name for r in found]) == (bare + trade, [city])


def test_bare_county_table_is_not_empty() -> None:
    """The property above runs over many Guangxi counties, not a handful."""
    assert len(BARE_COUNTIES) > 50


REGION_NAMES = sorted(
    {r.name for r in (region_by_name(f) for f in region_forms()) if r is not None}
)


@given(st.lists(st.sampled_from(REGION_NAMES), max_size=4), st.randoms())
def test_identical_region_lists_are_compatible(regions: list[str], rnd: Random) -> None:
    """The same regions, in any order, never contradict each other (柳州/隆安 vs 柳州/隆安)."""
    shuffled = list(regions)
    rnd.shuffle(shuffled)
    assert regions_compatible(regions, shuffled)
