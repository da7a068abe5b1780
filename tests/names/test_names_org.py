"""Tests for shixin.names.org: organisation normalisation and core extraction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.names.org import latin_org_keys, normalize_org, org_core, parse_org
from tests.names.names_strategies import org_cores, to_fullwidth, to_traditional

XINDA_VARIANTS = [
    "广西柳州鑫达贸易有限责任公司",
    "柳州市鑫达贸易有限公司",
    "鑫达贸易（柳州）有限公司",
    "柳州鑫達貿易有限公司",
    "鑫达贸易(柳州)有限公司",
    "鑫达贸易【柳州】有限公司",
    "广西壮族自治区柳州市鱼峰区鑫达贸易有限公司",
    "柳州市鑫达贸易股份有限公司",
    "鑫达贸易有限公司",
    "鑫达贸易有限公司柳州分公司",
    "鑫达贸易柳州分公司",
    "柳州市鑫达贸易商行",
    "鑫达贸易",
    "ＧＸ鑫达贸易".replace("ＧＸ", "广西"),
]

REGION_PREFIXES = ["", "广西", "广西壮族自治区", "柳州", "柳州市", "广西柳州", "广西柳州市",
                   "广西壮族自治区柳州市鱼峰区", "南宁市", "北京市", "新疆维吾尔自治区",
                   "融水苗族自治县", "柳州鹿寨县", "桂林市阳朔县"]  # fmt: skip
LEGAL_SUFFIXES = ["", "有限公司", "有限责任公司", "股份有限公司", "股份公司", "公司",
                  "合伙企业(有限合伙)", "(个体工商户)", "经营部", "商行"]  # fmt: skip
BRACKETED = ["", "(柳州)", "（柳州）", "【柳州市】", "(广西)", "(中国)"]


@pytest.mark.parametrize("variant", XINDA_VARIANTS)
def test_xinda_variants_share_a_core(variant: str) -> None:
    """Region, legal-form, branch, bracket and script variants all reduce to 鑫达贸易."""
    assert org_core(variant) == "鑫达贸易"


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("柳州钢铁集团有限公司", "钢铁集团"),
        ("柳州钢铁（集团）有限公司", "钢铁集团"),
        ("柳州钢铁股份有限公司", "钢铁"),
        ("中国工商银行股份有限公司柳州分行", "中国工商银行"),
        ("鑫达投资合伙企业（有限合伙）", "鑫达投资"),
        ("柳州市城中区张三餐饮店（个体工商户）", "张三餐饮"),
        ("柳州市鑫达水泥厂", "鑫达水泥"),
        ("鑫达大酒店", "鑫达大酒店"),
        ("柳州市场开发有限公司", "市场开发"),
        ("柳州有限公司", "柳州"),
        ("公司", "公司"),
        ("(柳州)鑫", "(柳州)鑫"),
        ("三江侗族自治县鑫达贸易有限公司", "鑫达贸易"),
        ("新疆维吾尔自治区鑫达贸易有限公司", "鑫达贸易"),
    ],
)
def test_org_core_table(name: str, core: str) -> None:
    """集团 stays, words ending in 店/厂 stay, and the core never drops below two characters."""
    assert org_core(name) == core


def test_parse_org_reports_what_was_removed() -> None:
    """Regions, legal forms and the branch label are kept beside the core."""
    parts = parse_org("广西柳州鑫达贸易有限公司鱼峰分公司")
    assert parts.core == "鑫达贸易"
    assert parts.regions == ("广西", "柳州")
    assert parts.legal_forms == ("有限公司",)
    assert parts.branch == "鱼峰分公司"


def test_leading_bare_county_is_an_alternative() -> None:
    """A leading bare county name stays in the core but yields an alternative core."""
    parts = parse_org("鹿寨鑫达贸易有限公司")
    assert (parts.core, parts.alt_core, parts.alt_regions) == (
        "鹿寨鑫达贸易",
        "鑫达贸易",
        ("鹿寨",),
    )
    assert parse_org("柳州鑫达贸易有限公司").alt_core == ""


@pytest.mark.parametrize(
    ("name", "core", "regions", "alt_core", "alt_regions"),
    [
        ("柳州市隆安科技有限公司", "隆安科技", ("柳州",), "", ()),
        ("柳州江南汽车配件有限公司", "江南汽车配件", ("柳州",), "", ()),
        ("南宁市江南区汽车配件有限公司", "汽车配件", ("南宁", "江南"), "", ()),
        (
            "广西壮族自治区江南汽车配件有限公司",
            "江南汽车配件",
            ("广西",),
            "汽车配件",
            ("广西", "江南"),
        ),
        ("隆安科技（柳州）有限公司", "隆安科技", ("柳州",), "科技", ("隆安", "柳州")),
        ("柳州鱼峰鑫达贸易有限公司", "鑫达贸易", ("柳州", "鱼峰"), "", ()),
    ],
)
def test_county_names_as_regions_or_core(
    name: str, core: str, regions: tuple[str, ...], alt_core: str, alt_regions: tuple[str, ...]
) -> None:
    """A county name is a region after its city, a possible one after its province, else core."""
    parts = parse_org(name)
    assert (parts.core, parts.regions, parts.alt_core, parts.alt_regions) == (
        core,
        regions,
        alt_core,
        alt_regions,
    )


@given(
    st.sampled_from(["柳州", "柳州市", "桂林市", "广西柳州市"]),
    st.sampled_from(["隆安", "江南", "兴宁", "青秀", "上林", "宾阳", "马山"]),
    org_cores(),
    st.sampled_from(LEGAL_SUFFIXES),
)
def test_county_of_another_city_stays_in_the_core(
    city: str, county: str, core: str, suffix: str
) -> None:
    """A Nanning county name after another city is part of the company's core."""
    assert org_core(city + county + core + suffix) == county + core


def test_normalize_org_unifies_brackets_and_spaces() -> None:
    """Every bracket style becomes ASCII parentheses and spaces disappear."""
    assert normalize_org("鑫达贸易 【柳州】 有限公司") == "鑫达贸易(柳州)有限公司"
    assert normalize_org("鑫达贸易（柳州）有限公司") == "鑫达贸易(柳州)有限公司"


def test_latin_org_name() -> None:
    """Latin names drop English legal words; pinyin drops pinyin legal forms and regions."""
    assert org_core("Xinda Trading Co., Ltd.") == "xindatrading"
    assert "xindamaoyi" in latin_org_keys("GUANGXI LIUZHOU XINDA MAOYI YOUXIAN ZEREN GONGSI")
    assert "xindamaoyi" in latin_org_keys("Liuzhou Xinda Maoyi Co., Ltd.")


@given(
    org_cores(),
    st.sampled_from(REGION_PREFIXES),
    st.sampled_from(BRACKETED),
    st.sampled_from(LEGAL_SUFFIXES),
)
def test_org_core_ignores_regions_and_legal_forms(
    core: str, prefix: str, bracket: str, suffix: str
) -> None:
    """Adding region prefixes, a bracketed region or a legal form leaves the core unchanged."""
    assert org_core(prefix + core + bracket + suffix) == core


@given(org_cores(), st.sampled_from(REGION_PREFIXES), st.sampled_from(LEGAL_SUFFIXES))
def test_org_core_ignores_script_and_width(core: str, prefix: str, suffix: str) -> None:
    """Traditional characters, full-width brackets and spaces do not change the core."""
    name = prefix + core + suffix
    assert org_core(to_fullwidth(" ".join(to_traditional(name)))) == org_core(name)


@given(st.text(max_size=30))
def test_org_core_is_never_empty_for_a_name(name: str) -> None:
    """Any name with at least two characters left after normalising keeps a core of two or more."""
    normalized = normalize_org(name)
    if len(normalized) >= 2:
        assert len(org_core(name)) >= 2
