"""Administrative-region names that companies prefix to (or bracket into) their names.

The same company is registered or reported as ``广西柳州鑫达贸易有限责任公司``,
``柳州市鑫达贸易有限公司`` or ``鑫达贸易（柳州）有限公司``.  Recognising the
region part lets :mod:`shixin.names.org` compare the distinctive core, and
the region hierarchy lets comparison notice that ``柳州鑫达`` and ``南宁鑫达``
are different companies.

Coverage: every province-level division (bare, official and common informal
forms), the municipalities and provincial capitals plus a few large cities,
and every prefecture-level city, district, county and county-level city of
Guangxi (with former names such as 横县, 荔浦县).

Bare county/district names (城中, 鱼峰, 兴业, 隆安, 江南 …) are ordinary words
too (brand names are made of the same characters), so they only count as a
region right after their own city (``柳州鱼峰…``), inside brackets or as a
branch label.  After another city they are part of the name: ``柳州市隆安科技``
is 柳州 + 隆安科技, as 隆安 lies in 南宁.  At the very start of a name, or
right after their own province (``广西江南…``, a city left out), they are only
a *possible* region: :func:`possible_region_prefix` gives that reading and
:mod:`shixin.names.org` keeps it as an alternative core (鹿寨鑫达贸易 → also
鑫达贸易) instead of stripping outright.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

__all__ = [
    "Region",
    "possible_region_prefix",
    "region_by_name",
    "region_forms",
    "regions_compatible",
    "strip_region_prefix",
    "strip_region_suffix",
]

COUNTRY = "中国"

# (bare name, official name); forms bare+省 / bare+自治区 are added for autonomous regions.
PROVINCES: tuple[tuple[str, str], ...] = (
    ("北京", "北京市"), ("天津", "天津市"), ("上海", "上海市"), ("重庆", "重庆市"),
    ("河北", "河北省"), ("山西", "山西省"), ("辽宁", "辽宁省"), ("吉林", "吉林省"),
    ("黑龙江", "黑龙江省"), ("江苏", "江苏省"), ("浙江", "浙江省"), ("安徽", "安徽省"),
    ("福建", "福建省"), ("江西", "江西省"), ("山东", "山东省"), ("河南", "河南省"),
    ("湖北", "湖北省"), ("湖南", "湖南省"), ("广东", "广东省"), ("海南", "海南省"),
    ("四川", "四川省"), ("贵州", "贵州省"), ("云南", "云南省"), ("陕西", "陕西省"),
    ("甘肃", "甘肃省"), ("青海", "青海省"), ("台湾", "台湾省"),
    ("内蒙古", "内蒙古自治区"), ("广西", "广西壮族自治区"), ("西藏", "西藏自治区"),
    ("宁夏", "宁夏回族自治区"), ("新疆", "新疆维吾尔自治区"),
    ("香港", "香港特别行政区"), ("澳门", "澳门特别行政区"),
)  # fmt: skip

# Provincial capitals and other large cities outside Guangxi: city → province.
NATIONAL_CITIES: dict[str, str] = {
    "石家庄": "河北", "太原": "山西", "呼和浩特": "内蒙古", "沈阳": "辽宁",
    "大连": "辽宁", "长春": "吉林", "哈尔滨": "黑龙江", "南京": "江苏",
    "苏州": "江苏", "无锡": "江苏", "杭州": "浙江", "宁波": "浙江", "合肥": "安徽",
    "福州": "福建", "厦门": "福建", "南昌": "江西", "济南": "山东", "青岛": "山东",
    "郑州": "河南", "武汉": "湖北", "长沙": "湖南", "广州": "广东", "深圳": "广东",
    "东莞": "广东", "佛山": "广东", "海口": "海南", "成都": "四川", "贵阳": "贵州",
    "昆明": "云南", "西安": "陕西", "兰州": "甘肃", "西宁": "青海", "银川": "宁夏",
    "乌鲁木齐": "新疆", "拉萨": "西藏",
}  # fmt: skip

# Guangxi: prefecture-level city → its districts, counties and county-level
# cities (official names, former names after the current ones).
GUANGXI: dict[str, tuple[str, ...]] = {
    "南宁": ("兴宁区", "青秀区", "江南区", "西乡塘区", "良庆区", "邕宁区", "武鸣区",
             "隆安县", "马山县", "上林县", "宾阳县", "横州市", "横县", "武鸣县"),
    "柳州": ("城中区", "鱼峰区", "柳南区", "柳北区", "柳江区", "柳城县", "鹿寨县",
             "融安县", "融水苗族自治县", "三江侗族自治县", "柳江县"),
    "桂林": ("秀峰区", "叠彩区", "象山区", "七星区", "雁山区", "临桂区", "阳朔县",
             "灵川县", "全州县", "兴安县", "永福县", "灌阳县", "龙胜各族自治县",
             "资源县", "平乐县", "荔浦市", "恭城瑶族自治县", "荔浦县", "临桂县"),
    "梧州": ("万秀区", "长洲区", "龙圩区", "苍梧县", "藤县", "蒙山县", "岑溪市"),
    "北海": ("海城区", "银海区", "铁山港区", "合浦县"),
    "防城港": ("港口区", "防城区", "上思县", "东兴市"),
    "钦州": ("钦南区", "钦北区", "灵山县", "浦北县"),
    "贵港": ("港北区", "港南区", "覃塘区", "平南县", "桂平市"),
    "玉林": ("玉州区", "福绵区", "容县", "陆川县", "博白县", "兴业县", "北流市"),
    "百色": ("右江区", "田阳区", "田东县", "德保县", "那坡县", "凌云县", "乐业县",
             "田林县", "西林县", "隆林各族自治县", "靖西市", "平果市", "田阳县",
             "平果县"),
    "贺州": ("八步区", "平桂区", "昭平县", "钟山县", "富川瑶族自治县"),
    "河池": ("金城江区", "宜州区", "南丹县", "天峨县", "凤山县", "东兰县",
             "罗城仫佬族自治县", "环江毛南族自治县", "巴马瑶族自治县",
             "都安瑶族自治县", "大化瑶族自治县", "宜州市"),
    "来宾": ("兴宾区", "忻城县", "象州县", "武宣县", "金秀瑶族自治县", "合山市"),
    "崇左": ("江州区", "扶绥县", "宁明县", "龙州县", "大新县", "天等县", "凭祥市"),
}  # fmt: skip

_ETHNIC_MARKERS = ("各族", "苗族", "侗族", "瑶族", "仫佬族", "毛南族", "壮族")


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative division, identified by its bare name."""

    name: str
    parent: str | None
    level: str  # "country" | "province" | "city" | "county"


@dataclass(frozen=True, slots=True)
class _Form:
    region: Region
    chain_only: bool  # bare county/district name: only after another region


def _county_bare(official: str) -> str:
    for marker in _ETHNIC_MARKERS:
        index = official.find(marker)
        if index > 0:
            return official[:index]
    return official[:-1]


@dataclass(frozen=True, slots=True)
class _Tables:
    forms: dict[str, _Form]
    regions: dict[str, Region]
    # Form lengths (longest first) by first / last character, so that a name
    # not starting (ending) with a region costs one dict lookup.
    by_first: dict[str, tuple[int, ...]]
    by_last: dict[str, tuple[int, ...]]


def _lengths_by(forms: dict[str, _Form], index: int) -> dict[str, tuple[int, ...]]:
    grouped: dict[str, set[int]] = {}
    for form in forms:
        grouped.setdefault(form[index], set()).add(len(form))
    return {char: tuple(sorted(lengths, reverse=True)) for char, lengths in grouped.items()}


@cache
def _tables() -> _Tables:
    """Build the form → region lookup and its indexes once, on first use."""
    forms: dict[str, _Form] = {}
    regions: dict[str, Region] = {COUNTRY: Region(COUNTRY, None, "country")}

    def add(form: str, region: Region, chain_only: bool = False) -> None:
        if len(form) >= 2:
            forms.setdefault(form, _Form(region, chain_only))

    for bare, official in PROVINCES:
        region = regions.setdefault(bare, Region(bare, COUNTRY, "province"))
        for form in (official, bare):
            add(form, region)
        if official.endswith("自治区"):
            add(bare + "自治区", region)
            add(bare + "省", region)
    for city, province in NATIONAL_CITIES.items():
        region = regions.setdefault(city, Region(city, province, "city"))
        add(city + "市", region)
        add(city, region)
    for city, counties in GUANGXI.items():
        city_region = regions.setdefault(city, Region(city, "广西", "city"))
        add(city + "市", city_region)
        add(city, city_region)
        for official in counties:
            bare = _county_bare(official)
            region = regions.setdefault(bare, Region(bare, city, "county"))
            add(official, region)
            if "自治县" in official:
                add(bare + "县", region)
            add(bare, region, chain_only=True)
    return _Tables(forms, regions, _lengths_by(forms, 0), _lengths_by(forms, -1))


def region_forms() -> frozenset[str]:
    """Every surface form that is recognised as a region name."""
    return frozenset(_tables().forms)


def region_by_name(name: str) -> Region | None:
    """Look a region up by its bare name (柳州, 广西, 鱼峰 …).

    >>> region_by_name("鱼峰")
    Region(name='鱼峰', parent='柳州', level='county')
    """
    return _tables().regions.get(name)


def _match_prefix(
    text: str, start: int, in_chain: bool, prev: Region | None = None
) -> tuple[Region, int] | None:
    """The longest region form at ``text[start:]`` and where it ends.

    A bare county name counts only when ``in_chain`` or right after its own
    city (``prev``).
    """
    if start >= len(text):
        return None
    tables = _tables()
    forms = tables.forms
    for length in tables.by_first.get(text[start], ()):
        end = start + length
        if end > len(text):
            continue
        form = forms.get(text[start:end])
        if form is None:
            continue
        if form.chain_only and not in_chain and (prev is None or form.region.parent != prev.name):
            continue
        # "柳州市场…" is 柳州 + 市场, not 柳州市 + 场….
        if text.endswith("市", start, end) and text.startswith("场", end):
            continue
        return form.region, end
    return None


def strip_region_prefix(
    text: str, min_rest: int = 2, *, in_chain: bool = False
) -> tuple[str, tuple[Region, ...]]:
    """Remove a chain of region names from the start of a name.

    A bare county name is removed only right after its own city, unless
    ``in_chain`` says the text is known to be a place.

    Args:
        text: A folded organisation name.
        min_rest: Never strip a region if fewer characters would remain.
        in_chain: Accept a bare county name anywhere (inside brackets, or a
            reading the caller already decided is a place).

    Returns:
        The rest of the name and the regions removed, outermost first.

    >>> rest, found = strip_region_prefix("广西壮族自治区柳州市鱼峰区鑫达贸易")
    >>> rest, [r.name for r in found]
    ('鑫达贸易', ['广西', '柳州', '鱼峰'])
    >>> strip_region_prefix("柳州鱼峰鑫达贸易")[0]
    '鑫达贸易'
    >>> strip_region_prefix("柳州隆安科技")[0]  # 隆安 lies in 南宁, not in 柳州
    '隆安科技'
    >>> strip_region_prefix("鱼峰鑫达贸易")[0]
    '鱼峰鑫达贸易'
    >>> strip_region_prefix("鱼峰鑫达贸易", in_chain=True)[0]
    '鑫达贸易'
    >>> strip_region_prefix("柳州银行", min_rest=3)[0]
    '柳州银行'
    """
    return _strip_chain(text, 0, [], min_rest, in_chain)


def _strip_chain(
    text: str, start: int, found: list[Region], min_rest: int, in_chain: bool
) -> tuple[str, tuple[Region, ...]]:
    while True:
        match = _match_prefix(text, start, in_chain, found[-1] if found else None)
        if match is None or len(text) - match[1] < min_rest:
            break
        found.append(match[0])
        start = match[1]
    return text[start:], tuple(found)


def possible_region_prefix(
    text: str, within: Region | None = None, min_rest: int = 2
) -> tuple[str, tuple[Region, ...]]:
    """Read a leading bare county name as a place, where it may be one.

    Meant for the rest of a name after :func:`strip_region_prefix`: with
    nothing stripped before it (``within`` None) any bare county name may be
    the place (鹿寨鑫达 = 鹿寨 + 鑫达, but also 兴业银行), and after a region
    that contains it without being its city (广西江南… with the city left
    out) it may be too.  After any other region it is part of the name.

    Args:
        text: A folded organisation name, its stripped regions removed.
        within: The innermost region stripped before ``text``, if any.
        min_rest: Never strip a region if fewer characters would remain.

    Returns:
        The rest and the regions of that reading, or ``(text, ())`` when
        ``text`` does not start with such a name.

    >>> rest, found = possible_region_prefix("鹿寨鑫达贸易")
    >>> rest, [r.name for r in found]
    ('鑫达贸易', ['鹿寨'])
    >>> possible_region_prefix("江南汽车配件", region_by_name("广西"))[0]
    '汽车配件'
    >>> possible_region_prefix("江南汽车配件", region_by_name("柳州"))
    ('江南汽车配件', ())
    """
    match = _match_prefix(text, 0, in_chain=True)
    if match is None or len(text) - match[1] < min_rest:
        return text, ()
    region = match[0]
    if within is not None and (
        within.name == region.name or within.name not in _lineage(region.name)
    ):
        return text, ()
    return _strip_chain(text, match[1], [region], min_rest, in_chain=False)


def strip_region_suffix(text: str, min_rest: int = 2) -> tuple[str, tuple[Region, ...]]:
    """Remove region names from the end of a name (branch labels: …柳州分公司).

    Bare county names count here, as the branch label is expected to be a place.

    >>> strip_region_suffix("鑫达贸易柳州鱼峰")[0]
    '鑫达贸易'
    """
    tables = _tables()
    found: list[Region] = []
    end = len(text)
    while end > min_rest:
        for length in tables.by_last.get(text[end - 1], ()):
            if end - length < min_rest:
                continue
            form = tables.forms.get(text[end - length : end])
            if form is not None:
                found.append(form.region)
                end -= length
                break
        else:
            break
    return text[:end], tuple(reversed(found))


def parse_region_chain(text: str) -> tuple[Region, ...] | None:
    """Regions making up the whole text (bracketed region), else None.

    >>> [r.name for r in parse_region_chain("柳州") or ()]
    ['柳州']
    >>> parse_region_chain("集团") is None
    True
    """
    if text == COUNTRY:  # foreign-invested companies write "（中国）"
        return (_tables().regions[COUNTRY],)
    rest, found = _strip_all(text)
    return found if found and not rest else None


def _strip_all(text: str) -> tuple[str, tuple[Region, ...]]:
    start = 0
    found: list[Region] = []
    while start < len(text):
        match = _match_prefix(text, start, in_chain=True)
        if match is None:
            break
        found.append(match[0])
        start = match[1]
    return text[start:], tuple(found)


@cache
def _lineage(name: str) -> frozenset[str]:
    regions = _tables().regions
    out = {COUNTRY}
    current: str | None = name
    while current is not None and current not in out:
        out.add(current)
        region = regions.get(current)
        current = region.parent if region is not None else None
    return frozenset(out)


def regions_compatible(left: Iterable[str], right: Iterable[str]) -> bool:
    """Tell whether two sets of region names can describe the same place.

    Regions are compatible when both sides name the same regions, or when,
    pairwise, one contains (or is) the other: 广西 and 柳州 agree, 柳州 and
    南宁 do not.  An empty side agrees with anything.

    >>> regions_compatible(["广西", "柳州"], ["柳州"])
    True
    >>> regions_compatible(["柳州"], ["南宁"])
    False
    >>> regions_compatible([], ["南宁"])
    True
    >>> regions_compatible(["柳州", "隆安"], ["柳州", "隆安"])
    True
    """
    left = tuple(left)
    right_names = tuple(right)
    if set(left) == set(right_names):
        return True
    for a in left:
        for b in right_names:
            if a not in _lineage(b) and b not in _lineage(a):
                return False
    return True
