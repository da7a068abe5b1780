"""Tests for shixin.names.regions: region tables, stripping and compatibility."""

from __future__ import annotations

import pytest
from shixin.names.regions import (
    GUANGXI,
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
