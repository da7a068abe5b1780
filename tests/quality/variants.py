"""Query variants of the matching-quality evaluation, each with the floor it must reach.

Every variant takes listed debtors (or invents people who are not listed) and
writes the query the way a unit's clerk would: another spelling of the name,
another way of writing the ID number, a typo. The written forms are produced
here from the canonical identity, with pypinyin and OpenCC used directly and
never through ``shixin.names``/``shixin.ids``, so the evaluation does not
share the code it measures.

Floors are quality requirements: ``min_recall`` is the share of queries whose
right record is among the first 10 hits at the variant's level; a variant
marked ``never_definitive`` may not produce a single definitive hit; no
variant may produce a definitive hit on the wrong identity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from random import Random
from typing import Any, Literal

from shixin.demo import tables as t
from shixin.demo.identities import Identities
from shixin.demo.rand import DemoRandom
from tests.quality.world import HEAD_ROLES, Debtor, World, person_key

__all__ = ["VARIANTS", "Case", "Variant", "build_cases"]

Level = Literal["definitive", "found", "negative"]

_FULL_WIDTH = str.maketrans(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz ",
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ\u3000",
)
# How people write the surnames pypinyin reads otherwise out of context.
_SURNAME_READINGS = {"曾": "zeng", "覃": "qin", "单": "shan", "解": "xie", "仇": "qiu",
                     "区": "ou", "朴": "piao", "查": "zha", "盖": "ge", "万": "wan"}
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛")
# Common characters beyond the demo tables, so that most names have a homophone to swap in.
_HOMOPHONE_POOL = (
    "章彰樟掌丈帐仗账杖胀小笑校效孝晓肖萧霄消销宵维为卫位未味微围唯威薇玮炜尾委"
    "纳那拉李理里礼黎梨离厉励历立利莉力栗王往网望旺汪亡刘留柳流榴六陈晨沉辰臣尘"
    "杨阳洋扬羊仰养黄皇凰煌晃谎赵照召兆罩吴伍午舞武务物周州洲舟粥徐许序叙旭绪"
    "孙笋损马码玛吗朱珠株猪诸竹胡湖壶糊狐郭国果过何和河合禾林临琳霖麟淋高糕膏"
    "罗洛落络骆郑正政证整梁良凉粮量亮谢写泄械宋送颂诵唐堂糖塘韩寒含函汉冯逢缝"
    "奉凤邓登灯等蹬曹草槽彭朋棚鹏蓬曾增赠憎肖效宵田甜填恬董东冬懂动袁元园原圆"
    "源缘远潘盘攀判于余鱼予宇雨语玉育蒋江姜将奖讲蔡菜才财材采彩杜度渡肚叶业页"
    "夜野程成城诚承乘苏素速俗诉魏未位味维伟吕旅侣铝丁定顶鼎订任人仁忍认刃沈深"
    "申身神审婶姚瑶遥谣摇药卢路露鹿录陆崔翠脆粹钟中忠终众谭谈弹坛潭探汪王范饭"
    "犯泛凡繁金今斤津锦进晋石时实十识史使始廖料聊辽疗贾假价架佳家嘉夏下吓霞侠"
    "韦维伟卫付富夫福傅府方芳放房防白百柏摆邹走奏孟梦蒙猛熊雄兄秦勤琴亲邱秋丘"
    "球江姜将尹引印隐银薛学雪穴闫严言颜岩盐段断锻缎雷蕾磊类侯厚后候猴龙隆笼聋"
    "陶桃逃涛黎丽莉贺和鹤顾固故谷毛茂帽猫郝好浩豪龚公功宫工邵少绍韶钱前千迁潜"
    "覃秦勤戴代带待袋莫墨默漠孔空恐控向象项想香蓝兰岚篮农浓弄依伊宜怡明鸣铭名"
    "军君均俊峻强墙蔷勇永泳涌杰洁捷节涛韬滔超朝潮平萍评屏辉慧惠会华花化滑飞菲"
    "非斐鹏朋波博伯斌彬宾宇雨羽浩昊豪凯楷健建剑帅率旭叙宁凝林霖海凯芳方敏民"
    "静晶婧娜纳丽莉艳燕彦娟鹃霞夏燕雁玲灵铃丹单萍平红虹鸿英莹颖梅玫美琳林婷亭"
    "雪薛慧惠倩茜欣新心洁杰晶精莉利秀绣兰岚桂贵春纯"
)


@dataclass(frozen=True, slots=True)
class Case:
    """One query and what counts as finding its subject."""

    name: str
    id_number: str
    target: str
    """Identity key sought; ``""`` for someone not on the list."""
    roles: frozenset[str] = frozenset({"debtor"})
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Variant:
    """A way of writing a query, the cases built for it, and its floors."""

    key: str
    title: str
    level: Level
    min_recall: float
    never_definitive: bool
    build: Callable[[World, Random, int], list[Case]]
    max_any_hit: float | None = None
    """Negatives only: the largest share of queries allowed to return any hit at all."""


# -- written forms ---------------------------------------------------------------------
@cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def traditional(name: str) -> str:
    """Traditional-character spelling (OpenCC s2t)."""
    return str(_s2t().convert(name))


@cache
def _syllable(char: str) -> str:
    from pypinyin import lazy_pinyin

    return str(lazy_pinyin(char)[0])


def _split_name(name: str) -> tuple[str, str]:
    surname = name[:2] if name.startswith(_COMPOUND_SURNAMES) else name[0]
    return surname, name[len(surname) :]


def pinyin_parts(name: str) -> tuple[str, str]:
    """(surname, given name) in toneless pinyin, as people write their own names.

    >>> pinyin_parts("曾晓明")
    ('zeng', 'xiaoming')
    """
    surname, given = _split_name(name)
    family = "".join(_SURNAME_READINGS.get(c) or _syllable(c) for c in surname)
    return family, "".join(_syllable(c) for c in given)


def latin_forms(name: str) -> dict[str, str]:
    """The Latin spellings of a Chinese name a form filler produces."""
    family, given = pinyin_parts(name)
    return {
        "title": f"{family.title()} {given.title()}",
        "upper": f"{family.upper()} {given.upper()}",
        "western": f"{given.title()} {family.title()}",
        "joined": f"{family}{given}",
        "fullwidth": f"{family.upper()} {given.upper()}".translate(_FULL_WIDTH),
    }


@cache
def _homophones() -> dict[str, tuple[str, ...]]:
    pool = set(_HOMOPHONE_POOL + t.MALE_CHARS + t.FEMALE_CHARS + t.BRAND_CHARS)
    pool.update(s for s in t.SURNAMES._items if len(s) == 1)
    by_sound: dict[str, set[str]] = {}
    for char in pool:
        by_sound.setdefault(_syllable(char), set()).add(char)
    return {c: tuple(sorted(by_sound[_syllable(c)] - {c})) for c in pool}


def homophone(name: str, rng: Random) -> str | None:
    """The name with one character replaced by another of the same sound (tones ignored)."""
    table = _homophones()
    spots = [i for i, c in enumerate(name) if table.get(c)]
    if not spots:
        return None
    i = rng.choice(spots)
    return name[:i] + rng.choice(table[name[i]]) + name[i + 1 :]


def id_written(canonical: str, style: str) -> str:
    """A resident ID as a clerk writes it.

    >>> id_written("45020219800101123X", "spaces")
    '450202 19800101 123X'
    >>> id_written("450202198001011232", "legacy")
    '450202800101123'
    """
    if style == "legacy":
        return canonical[:6] + canonical[8:17]
    if style == "lower_x":
        return canonical[:-1] + canonical[-1].lower()
    if style == "fullwidth":
        return canonical.translate(_FULL_WIDTH)
    if style == "spaces":
        return f"{canonical[:6]} {canonical[6:14]} {canonical[14:]}"
    if style == "hyphens":
        return f"{canonical[:6]}-{canonical[6:14]}-{canonical[14:]}"
    raise ValueError(style)


def substituted_digit(canonical: str, rng: Random) -> str:
    """One of the first 17 digits replaced by another (the check character then fails)."""
    i = rng.randrange(17)
    digit = rng.choice([d for d in "0123456789" if d != canonical[i]])
    return canonical[:i] + digit + canonical[i + 1 :]


def swapped_digits(canonical: str, rng: Random) -> str | None:
    """Two adjacent, different digits among the first 17 swapped."""
    spots = [i for i in range(16) if canonical[i] != canonical[i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return canonical[:i] + canonical[i + 1] + canonical[i] + canonical[i + 2 :]


@dataclass(frozen=True, slots=True)
class OrgParts:
    """A demo company name taken apart: region prefix, body, legal form, its city."""

    prefix: str
    body: str
    """Brand and industry, without a bracketed city."""
    form: str
    city: str


_FORMS = tuple(sorted((f for f in t.LEGAL_FORMS._items if f != "分公司"), key=len, reverse=True))


def org_parts(name: str, uscc: str) -> OrgParts | None:
    """Split a demo company name (``None`` for branches, whose names are built otherwise)."""
    if name.endswith("分公司"):
        return None
    form = next((f for f in _FORMS if name.endswith(f)), "")
    rest = name[: len(name) - len(form)]
    city = t.CITY_OF_REGION.get(uscc[2:6], "")
    prefixes = ["广西壮族自治区", "广西"]
    if city:
        prefixes += [city + "市" + d for d in t.DISTRICT_OF_REGION.values()]
        prefixes += [city + "市", city]
    prefix = next((p for p in prefixes if rest.startswith(p)), "")
    body = rest[len(prefix) :]
    if city:
        body = body.replace(f"（{city}）", "")
    return OrgParts(prefix, body, form, city)


def _swap_width(text: str) -> str:
    if "（" in text:
        return text.replace("（", "(").replace("）", ")")
    return text.replace("(", "（").replace(")", "）")


# -- pools --------------------------------------------------------------------------------
def _persons(world: World, *, with_id: bool = False) -> list[Debtor]:
    return [d for d in world.debtors if d.kind == "person" and d.live
            and (d.truth["id_listed"] or not with_id)]


def _han(debtors: Iterable[Debtor]) -> list[Debtor]:
    return [d for d in debtors if "·" not in d.truth["name"]]


def _minority(world: World) -> list[Debtor]:
    return [d for d in _persons(world) if "·" in d.truth["name"]]


def _orgs(world: World, listed: str | None = None) -> list[Debtor]:
    return [d for d in world.debtors if d.kind == "organization" and d.live
            and (listed is None or d.truth["id_listed"] == listed)]


def _sample(pool: list[Debtor], rng: Random, n: int) -> list[Debtor]:
    return rng.sample(pool, min(n, len(pool)))


def _person_case(d: Debtor, name: str, id_number: str) -> Case:
    return Case(name, id_number, d.key)


# -- builders -----------------------------------------------------------------------------
def _exact(world: World, rng: Random, n: int) -> list[Case]:
    return [_person_case(d, d.truth["name"], d.truth["id_number"])
            for d in _sample(_persons(world, with_id=True), rng, n)]


def _id_only(world: World, rng: Random, n: int) -> list[Case]:
    return [_person_case(d, "", d.truth["id_number"])
            for d in _sample(_persons(world, with_id=True), rng, n)]


def _name_only(world: World, rng: Random, n: int) -> list[Case]:
    return [_person_case(d, d.truth["name"], "") for d in _sample(_persons(world), rng, n)]


def _id_style(style: str) -> Callable[[World, Random, int], list[Case]]:
    def build(world: World, rng: Random, n: int) -> list[Case]:
        pool = _persons(world, with_id=True)
        if style == "legacy":
            pool = [d for d in pool if d.truth["id_number"][6:8] == "19"]
        if style == "lower_x":
            pool = [d for d in pool if d.truth["id_number"].endswith("X")]
        return [_person_case(d, d.truth["name"], id_written(d.truth["id_number"], style))
                for d in _sample(pool, rng, n)]

    return build


def _typo(kind: str) -> Callable[[World, Random, int], list[Case]]:
    def build(world: World, rng: Random, n: int) -> list[Case]:
        cases = []
        for d in _sample(_persons(world, with_id=True), rng, n):
            canonical = d.truth["id_number"]
            written = (substituted_digit(canonical, rng) if kind == "substituted"
                       else swapped_digits(canonical, rng))
            if written is not None:
                cases.append(_person_case(d, d.truth["name"], written))
        return cases

    return build


def _traditional(with_id: bool) -> Callable[[World, Random, int], list[Case]]:
    def build(world: World, rng: Random, n: int) -> list[Case]:
        pool = [d for d in _persons(world, with_id=with_id)
                if traditional(d.truth["name"]) != d.truth["name"]]
        return [_person_case(d, traditional(d.truth["name"]),
                             d.truth["id_number"] if with_id else "")
                for d in _sample(pool, rng, n)]

    return build


def _spaced(world: World, rng: Random, n: int) -> list[Case]:
    cases = []
    for d in _sample(_han(_persons(world, with_id=True)), rng, n):
        surname, given = _split_name(d.truth["name"])
        space = rng.choice([" ", "\u3000"])
        cases.append(_person_case(d, surname + space + given, d.truth["id_number"]))
    return cases


def _minority_separator(separator: str) -> Callable[[World, Random, int], list[Case]]:
    def build(world: World, rng: Random, n: int) -> list[Case]:
        return [_person_case(d, d.truth["name"].replace("·", separator), "")
                for d in _sample(_minority(world), rng, n)]

    return build


def _minority_with_id(world: World, rng: Random, n: int) -> list[Case]:
    pool = [d for d in _minority(world) if d.truth["id_listed"]]
    return [_person_case(d, d.truth["name"].replace("·", rng.choice(["·", "•", "・", ".", ""])),
                         d.truth["id_number"]) for d in _sample(pool, rng, n)]


def _latin(form: str, with_id: bool = False) -> Callable[[World, Random, int], list[Case]]:
    def build(world: World, rng: Random, n: int) -> list[Case]:
        return [_person_case(d, latin_forms(d.truth["name"])[form],
                             d.truth["id_number"] if with_id else "")
                for d in _sample(_han(_persons(world, with_id=with_id)), rng, n)]

    return build


def _homophone(with_id: bool) -> Callable[[World, Random, int], list[Case]]:
    def build(world: World, rng: Random, n: int) -> list[Case]:
        cases = []
        for d in _sample(_han(_persons(world, with_id=with_id)), rng, n):
            name = homophone(d.truth["name"], rng)
            if name is not None:
                cases.append(_person_case(d, name, d.truth["id_number"] if with_id else ""))
        return cases

    return build


def _org_exact(world: World, rng: Random, n: int) -> list[Case]:
    return [Case(d.truth["name"], d.truth["uscc"], d.key)
            for d in _sample(_orgs(world, "uscc"), rng, n)]


def _org_name_only(world: World, rng: Random, n: int) -> list[Case]:
    return [Case(d.truth["name"], "", d.key) for d in _sample(_orgs(world), rng, n)]


def _org_written(make: Callable[[OrgParts], str | None], with_id: bool = False,
                 ) -> Callable[[World, Random, int], list[Case]]:
    def build(world: World, rng: Random, n: int) -> list[Case]:
        cases = []
        pool = _orgs(world, "uscc" if with_id else None)
        rng.shuffle(pool)
        for d in pool:
            parts = org_parts(d.truth["name"], d.truth["uscc"])
            name = make(parts) if parts is not None else None
            if name is None or name == d.truth["name"]:
                continue
            cases.append(Case(name, d.truth["uscc"] if with_id else "", d.key))
            if len(cases) >= n:
                break
        return cases

    return build


def _region(prefix: str) -> Callable[[OrgParts], str | None]:
    def make(p: OrgParts) -> str | None:
        if "{city}" in prefix and not p.city:
            return None
        return prefix.format(city=p.city) + p.body + p.form

    return make


_OTHER_FORM = {"有限公司": "有限责任公司", "有限责任公司": "有限公司", "股份有限公司": "有限公司"}


def _form_swapped(p: OrgParts) -> str | None:
    other = _OTHER_FORM.get(p.form)
    return p.prefix + p.body + other if other else None


def _form_dropped(p: OrgParts) -> str | None:
    return p.prefix + p.body if p.form else None


def _bracketed(full_width: bool) -> Callable[[OrgParts], str | None]:
    def make(p: OrgParts) -> str | None:
        if not p.city:
            return None
        city = f"（{p.city}）" if full_width else f"({p.city})"
        return p.body + city + p.form

    return make


def _any_written(rng: Random) -> Callable[[OrgParts], str | None]:
    makers = [_region("广西"), _region("广西壮族自治区"), _region("{city}市"), _region("{city}"),
              _region(""), _form_swapped, _form_dropped, _bracketed(True), _bracketed(False)]

    def make(p: OrgParts) -> str | None:
        return rng.choice(makers)(p)

    return make


def _org_any_with_uscc(world: World, rng: Random, n: int) -> list[Case]:
    return _org_written(_any_written(rng), with_id=True)(world, rng, n)


def _org_bracket_width(world: World, rng: Random, n: int) -> list[Case]:
    """The width of the brackets swapped relative to how a live record writes the name."""
    cases = []
    for d in _orgs(world):
        live = set(d.live)
        for rid, written in zip(d.record_ids, d.written_names, strict=True):
            if rid in live and ("（" in written or "(" in written):
                cases.append(Case(_swap_width(written), "", d.key))
                break
    return rng.sample(cases, min(n, len(cases)))


def _org_code(hyphen: bool, with_name: bool) -> Callable[[World, Random, int], list[Case]]:
    def build(world: World, rng: Random, n: int) -> list[Case]:
        cases = []
        for d in _sample(_orgs(world, "uscc"), rng, n):
            code = d.truth["org_code"]
            written = f"{code[:8]}-{code[8]}" if hyphen else code
            cases.append(Case(d.truth["name"] if with_name else "", written, d.key))
        return cases

    return build


def _uscc_for_org_code(world: World, rng: Random, n: int) -> list[Case]:
    return [Case(d.truth["name"], d.truth["uscc"], d.key)
            for d in _sample(_orgs(world, "org_code"), rng, n)]


def _legal_representative(world: World, rng: Random, n: int) -> list[Case]:
    pool = [d for d in _orgs(world) if d.truth["legal_representative"]["id_listed"]]
    cases = []
    for d in _sample(pool, rng, n):
        head = d.truth["legal_representative"]
        cases.append(Case(head["name"], head["id_number"], person_key(head["id_number"]),
                          roles=HEAD_ROLES))
    return cases


def _strangers(world: World, rng: Random, n: int) -> list[tuple[str, str]]:
    """(name, valid resident ID) of people on neither side of any listed record."""
    ids = Identities(DemoRandom(rng.randrange(1 << 30)))
    out: list[tuple[str, str]] = []
    while len(out) < n:
        person = ids.person()
        if person.name not in world.listed_names and \
                person.id_number not in world.listed_person_ids:
            out.append((person.name, person.id_number))
    return out


def _unlisted_name_id(world: World, rng: Random, n: int) -> list[Case]:
    return [Case(name, id_number, "") for name, id_number in _strangers(world, rng, n)]


def _unlisted_name_only(world: World, rng: Random, n: int) -> list[Case]:
    return [Case(name, "", "") for name, _ in _strangers(world, rng, n)]


def _homonym_other_id(world: World, rng: Random, n: int) -> list[Case]:
    """A listed person's name with a stranger's ID number: a homonym, not the debtor."""
    strangers = _strangers(world, rng, n)
    pool = _persons(world, with_id=True)
    return [Case(d.truth["name"], other, "")
            for d, (_, other) in zip(_sample(pool, rng, n), strangers, strict=False)]


def _unlisted_org(world: World, rng: Random, n: int) -> list[Case]:
    ids = Identities(DemoRandom(rng.randrange(1 << 30)))
    cases: list[Case] = []
    while len(cases) < n:
        org = ids.org(ids.person())
        if org.name not in world.listed_names:
            cases.append(Case(org.name, org.uscc, ""))
    return cases


def _v(key: str, title: str, level: Level, min_recall: float,
       build: Callable[[World, Random, int], list[Case]], *, never_definitive: bool = False,
       max_any_hit: float | None = None) -> Variant:
    return Variant(key, title, level, min_recall, never_definitive or level == "negative",
                   build, max_any_hit)


VARIANTS: tuple[Variant, ...] = (
    # persons: ID number as written
    _v("person.exact", "name + ID, both canonical", "definitive", 1.0, _exact),
    _v("person.id_only", "ID only (no name to confirm)", "found", 1.0, _id_only,
       never_definitive=True),
    _v("person.name_only", "name only", "found", 0.95, _name_only),
    _v("person.id_legacy15", "name + legacy 15-digit ID", "definitive", 1.0, _id_style("legacy")),
    _v("person.id_lower_x", "name + ID with lower-case x", "definitive", 1.0,
       _id_style("lower_x")),
    _v("person.id_fullwidth", "name + ID in full-width digits", "definitive", 1.0,
       _id_style("fullwidth")),
    _v("person.id_spaces", "name + ID with spaces", "definitive", 1.0, _id_style("spaces")),
    _v("person.id_hyphens", "name + ID with hyphens", "definitive", 1.0, _id_style("hyphens")),
    _v("person.id_digit_substituted", "name + ID with one digit substituted", "found", 0.95,
       _typo("substituted"), never_definitive=True),
    _v("person.id_digits_swapped", "name + ID with two adjacent digits swapped", "found", 0.95,
       _typo("swapped"), never_definitive=True),
    # persons: name as written
    _v("person.traditional_id", "traditional characters + ID", "definitive", 1.0,
       _traditional(True)),
    _v("person.traditional", "traditional characters, name only", "found", 0.95,
       _traditional(False)),
    _v("person.spaced_id", "name with a half- or full-width space + ID", "definitive", 1.0,
       _spaced),
    _v("person.minority_middle_dot", "minority name with · , name only", "found", 0.95,
       _minority_separator("·")),
    _v("person.minority_bullet", "minority name with • , name only", "found", 0.95,
       _minority_separator("•")),
    _v("person.minority_katakana_dot", "minority name with ・ , name only", "found", 0.95,
       _minority_separator("・")),
    _v("person.minority_period", "minority name with . , name only", "found", 0.95,
       _minority_separator(".")),
    _v("person.minority_no_separator", "minority name without separator, name only", "found",
       0.95, _minority_separator("")),
    _v("person.minority_id", "minority name, any separator + ID", "definitive", 1.0,
       _minority_with_id),
    _v("person.latin_title", "pinyin 'Zhang Wei', name only", "found", 0.95, _latin("title")),
    _v("person.latin_upper", "pinyin 'ZHANG WEI', name only", "found", 0.95, _latin("upper")),
    _v("person.latin_western", "pinyin 'Wei Zhang', name only", "found", 0.95,
       _latin("western")),
    _v("person.latin_joined", "pinyin 'zhangwei', name only", "found", 0.95, _latin("joined")),
    _v("person.latin_fullwidth", "full-width Latin 'ＺＨＡＮＧ　ＷＥＩ', name only", "found", 0.95,
       _latin("fullwidth")),
    _v("person.latin_id", "pinyin 'Zhang Wei' + ID", "found", 1.0, _latin("title", True)),
    _v("person.homophone", "one character replaced by a homophone, name only", "found", 0.9,
       _homophone(False)),
    _v("person.homophone_id", "homophone + ID", "found", 1.0, _homophone(True)),
    # organisations
    _v("org.exact", "name + USCC, both canonical", "definitive", 1.0, _org_exact),
    _v("org.name_only", "name only", "found", 0.95, _org_name_only),
    _v("org.region_guangxi", "prefix 广西, name only", "found", 0.95,
       _org_written(_region("广西"))),
    _v("org.region_guangxi_full", "prefix 广西壮族自治区, name only", "found", 0.95,
       _org_written(_region("广西壮族自治区"))),
    _v("org.region_city_shi", "prefix 柳州市 (own city + 市), name only", "found", 0.95,
       _org_written(_region("{city}市"))),
    _v("org.region_city", "prefix 柳州 (own city), name only", "found", 0.95,
       _org_written(_region("{city}"))),
    _v("org.region_none", "no region prefix, name only", "found", 0.95,
       _org_written(_region(""))),
    _v("org.form_swapped", "有限公司 ↔ 有限责任公司, name only", "found", 0.95,
       _org_written(_form_swapped)),
    _v("org.form_dropped", "legal form left out, name only", "found", 0.95,
       _org_written(_form_dropped)),
    _v("org.bracket_region", "city in brackets （柳州）, name only", "found", 0.95,
       _org_written(_bracketed(True))),
    _v("org.bracket_region_halfwidth", "city in brackets (柳州), name only", "found", 0.95,
       _org_written(_bracketed(False))),
    _v("org.bracket_width", "full ↔ half-width brackets, name only", "found", 0.95,
       _org_bracket_width),
    _v("org.written_uscc", "any of the name forms above + USCC", "definitive", 1.0,
       _org_any_with_uscc),
    _v("org.org_code_name", "org code (no hyphen) + name, listed by USCC", "definitive", 1.0,
       _org_code(hyphen=False, with_name=True)),
    _v("org.org_code_hyphen_name", "org code XXXXXXXX-X + name, listed by USCC", "definitive",
       1.0, _org_code(hyphen=True, with_name=True)),
    _v("org.org_code_only", "org code only, listed by USCC", "found", 1.0,
       _org_code(hyphen=True, with_name=False), never_definitive=True),
    _v("org.uscc_for_org_code", "USCC + name, listed by org code only", "definitive", 1.0,
       _uscc_for_org_code),
    # related persons
    _v("related.legal_representative", "legal representative's name + ID", "definitive", 1.0,
       _legal_representative),
    # negatives
    _v("negative.unlisted_name_id", "person not on the list: name + ID", "negative", 0.0,
       _unlisted_name_id, max_any_hit=0.02),
    _v("negative.unlisted_name_only", "person not on the list: name only", "negative", 0.0,
       _unlisted_name_only),
    _v("negative.homonym_other_id", "listed name, another person's ID", "negative", 0.0,
       _homonym_other_id),
    _v("negative.unlisted_org", "organisation not on the list: name + USCC", "negative", 0.0,
       _unlisted_org, max_any_hit=0.02),
)


def build_cases(world: World, per_variant: int, seed: int = 7) -> dict[str, list[Case]]:
    """The cases of every variant, each variant drawn from its own seeded generator."""
    out: dict[str, list[Case]] = {}
    for number, variant in enumerate(VARIANTS):
        rng = Random(seed * 1000 + number)
        out[variant.key] = variant.build(world, rng, per_variant)
    return out

