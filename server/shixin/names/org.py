"""Organisation-name normalisation and core extraction.

A debtor company appears under many spellings: with or without its province
and city, with 有限公司 or 有限责任公司, as a branch (``…柳州分公司``), with the
city in brackets (``鑫达贸易（柳州）有限公司``), in traditional characters.
:func:`org_core` reduces all of those to the distinctive part (``鑫达贸易``);
:func:`parse_org` also keeps what was removed, so that comparison can tell a
different city (柳州鑫达 vs 南宁鑫达) from a merely omitted one.

Decisions:

* 集团 stays in the core: 柳州钢铁集团 and 柳州钢铁股份 are different legal
  persons (group vs listed subsidiary) and both appear on the list.
  ``（集团）`` is unwrapped to ``集团``.
* Industry words (贸易, 建筑工程 …) stay in the core; only legal forms,
  business-type words (经营部, 商行, 厂, 店 …) and regions are removed.
* 店/厂 are not removed where they end a word (酒店, 饭店, 工厂, 电厂 …).
* A branch (分公司, 分店, 支行 …) keeps the parent's core; the branch label
  is reported separately and its place names do not count as the company's
  regions.
* A bare county name right after its own city is a region (柳州鱼峰鑫达 →
  鑫达); after another city it is part of the core (柳州市隆安科技 → 隆安科技,
  as 隆安 lies in 南宁).  At the start (鹿寨鑫达, but also 兴业银行) or right
  after its own province with the city left out (广西江南汽车配件) it is
  ambiguous: the core keeps it and ``alt_core`` drops it; both are indexed.
* Stripping never leaves fewer than two characters: ``柳州有限公司`` has core
  ``柳州``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from shixin.names.fold import fold
from shixin.names.person import has_han, latin_tokens
from shixin.names.pinyin import latin_key, org_pinyin_key
from shixin.names.regions import (
    parse_region_chain,
    possible_region_prefix,
    region_forms,
    strip_region_prefix,
    strip_region_suffix,
)

__all__ = [
    "OrgName",
    "latin_org_keys",
    "normalize_org",
    "org_core",
    "parse_org",
]

_SMALL_CACHE_SIZE = 16_384
# Parsed names are reused by every comparison against the same listed name.
_PARSE_CACHE_SIZE = 32_768
MIN_CORE = 2

LEGAL_SUFFIXES: tuple[str, ...] = (
    "股份有限公司", "有限责任公司", "股份合作公司", "有限公司", "股份公司", "责任公司",
    "总公司", "公司", "有限合伙企业", "普通合伙企业", "合伙企业", "个人独资企业",
    "独资企业", "个体工商户", "有限合伙", "普通合伙", "农民专业合作社", "专业合作社",
    "合作社", "经营部", "门市部", "经销部", "营业部", "商行", "工作室", "厂", "店",
)  # fmt: skip

# Bracketed legal annotations that are dropped wherever they appear.
LEGAL_BRACKETS: frozenset[str] = frozenset({
    "有限合伙", "普通合伙", "特殊普通合伙", "个人独资", "个体工商户", "个体", "集体",
    "有限公司", "有限责任公司", "股份有限公司", "外商独资", "中外合资", "非法人",
})  # fmt: skip

BRANCH_SUFFIXES: tuple[str, ...] = (
    "分公司", "分店", "分厂", "分行", "支行", "分理处", "办事处", "分部", "营业部",
)  # fmt: skip

# Words ending in 店/厂 that are not a business-type suffix.
_KEEP_BEFORE = {"店": frozenset("饭酒商书药花客旅茶"), "厂": frozenset("工电")}

# English legal-form tokens dropped from Latin-script names.
LATIN_LEGAL_TOKENS: frozenset[str] = frozenset({
    "co", "ltd", "limited", "company", "inc", "incorporated", "corp", "corporation",
    "llc", "plc", "gmbh", "ag", "bv", "pte", "pty", "lp", "llp",
})  # fmt: skip

_OPEN = "([{【〔〖「"
_CLOSE = ")]}】〕〗」"


@dataclass(frozen=True, slots=True)
class OrgName:
    """An organisation name split into its parts.

    Attributes:
        normalized: :func:`normalize_org` of the raw name.
        core: The distinctive part, without regions, legal form and branch.
        regions: Bare names of the regions removed (outermost first).
        legal_forms: Legal-form suffixes and bracket annotations removed.
        branch: The branch label (e.g. ``柳州分公司``), or "".
        alt_core: The core if a bare county name leading it (鹿寨, 兴业 …) is
            read as a place, or "" when there is no such reading.
        alt_regions: The regions removed for ``alt_core`` (``regions`` plus
            that county), or () without ``alt_core``.
    """

    normalized: str
    core: str
    regions: tuple[str, ...]
    legal_forms: tuple[str, ...]
    branch: str
    alt_core: str = ""
    alt_regions: tuple[str, ...] = ()


@cache
def _bracket_table() -> dict[int, str]:
    table = {ord(c): "(" for c in _OPEN}
    table.update({ord(c): ")" for c in _CLOSE})
    return table


def normalize_org(name: str) -> str:
    """Normalise an organisation name for exact comparison and index keys.

    Folds width, script and case (:func:`~shixin.names.fold.fold`), writes
    every kind of bracket as ASCII parentheses and removes all spaces.

    Args:
        name: A raw organisation name.

    Returns:
        The normalised name.

    >>> normalize_org("柳州鑫達貿易（柳州）有限公司")
    '柳州鑫达贸易(柳州)有限公司'
    >>> normalize_org("鑫达贸易【柳州】 有限 公司")
    '鑫达贸易(柳州)有限公司'
    >>> normalize_org("Xinda Trading Co., Ltd.")
    'xindatradingco.,ltd.'
    """
    return "".join(fold(name).translate(_bracket_table()).split())


def _strip_brackets(text: str) -> tuple[str, list[str], list[str]]:
    """Drop bracketed regions and legal annotations; unwrap (集团)."""
    regions: list[str] = []
    legal: list[str] = []
    out: list[str] = []
    start = 0
    while True:
        open_at = text.find("(", start)
        close_at = text.find(")", open_at + 1) if open_at >= 0 else -1
        if close_at < 0:
            out.append(text[start:])
            break
        inner = text[open_at + 1 : close_at]
        out.append(text[start:open_at])
        chain = parse_region_chain(inner)
        if chain is not None:
            regions.extend(r.name for r in chain)
        elif inner in LEGAL_BRACKETS:
            legal.append(inner)
        elif inner == "集团":
            out.append(inner)
        else:
            out.append(text[open_at : close_at + 1])
        start = close_at + 1
    return "".join(out), regions, legal


def _strip_branch(text: str) -> tuple[str, str]:
    if not text.endswith(BRANCH_SUFFIXES):
        return text, ""
    for suffix in BRANCH_SUFFIXES:
        if not text.endswith(suffix) or len(text) - len(suffix) < MIN_CORE:
            continue
        body = text[: -len(suffix)]
        parent_end = body.rfind("公司")
        if parent_end >= 0 and parent_end + 2 < len(body):
            parent = body[: parent_end + 2]
        else:
            parent = strip_region_suffix(body, MIN_CORE)[0]
        return parent, text[len(parent) :]
    return text, ""


@cache
def _legal_lengths() -> dict[str, tuple[int, ...]]:
    """Legal-suffix lengths (longest first) keyed by the suffix's last character."""
    grouped: dict[str, set[int]] = {}
    for suffix in LEGAL_SUFFIXES:
        grouped.setdefault(suffix[-1], set()).add(len(suffix))
    return {char: tuple(sorted(lengths, reverse=True)) for char, lengths in grouped.items()}


@cache
def _legal_suffix_set() -> frozenset[str]:
    return frozenset(LEGAL_SUFFIXES)


def _strip_legal(text: str) -> tuple[str, list[str]]:
    removed: list[str] = []
    suffixes = _legal_suffix_set()
    lengths = _legal_lengths()
    changed = True
    while changed and text:
        changed = False
        for length in lengths.get(text[-1], ()):
            rest, tail = text[:-length], text[-length:]
            if len(rest) < MIN_CORE or tail not in suffixes:
                continue
            keep = _KEEP_BEFORE.get(tail)
            if keep is not None and rest[-1] in keep:
                continue
            removed.append(tail)
            text = rest
            changed = True
            break
    return text, removed


def _parse_latin(normalized: str, name: str) -> OrgName:
    tokens = [t for t in latin_tokens(name) if t not in LATIN_LEGAL_TOKENS]
    core = "".join(tokens)
    return OrgName(normalized, core if len(core) >= MIN_CORE else normalized, (), (), "")


@lru_cache(maxsize=_PARSE_CACHE_SIZE)
def parse_org(name: str) -> OrgName:
    """Split an organisation name into core, regions, legal forms and branch.

    Args:
        name: A raw organisation name.

    Returns:
        The parts; ``core`` is never shorter than two characters unless the
        whole name is.

    >>> parts = parse_org("广西柳州鑫达贸易有限责任公司")
    >>> parts.core, parts.regions, parts.legal_forms
    ('鑫达贸易', ('广西', '柳州'), ('有限责任公司',))
    >>> parse_org("鑫达贸易有限公司柳州分公司").branch
    '柳州分公司'
    >>> parts = parse_org("鹿寨鑫达贸易有限公司")
    >>> parts.core, parts.alt_core, parts.alt_regions
    ('鹿寨鑫达贸易', '鑫达贸易', ('鹿寨',))
    >>> parts = parse_org("柳州市隆安科技有限公司")
    >>> parts.core, parts.regions, parts.alt_core
    ('隆安科技', ('柳州',), '')
    """
    normalized = normalize_org(name)
    if not has_han(normalized):
        return _parse_latin(normalized, name)
    text, regions, legal = _strip_brackets(normalized)
    text, branch = _strip_branch(text)
    text, removed = _strip_legal(text)
    legal.extend(removed)
    core, found = strip_region_prefix(text, MIN_CORE)
    alt_core, alt_found = possible_region_prefix(core, found[-1] if found else None, MIN_CORE)
    stripped = tuple(r.name for r in found)
    return OrgName(
        normalized,
        core if len(core) >= MIN_CORE else normalized,
        stripped + tuple(regions),
        tuple(legal),
        branch,
        alt_core if alt_found else "",
        stripped + tuple(r.name for r in alt_found) + tuple(regions) if alt_found else (),
    )


def org_core(name: str) -> str:
    """The distinctive core of an organisation name.

    Removes region prefixes (several in a row, with or without 省/市/县/区),
    bracketed regions, legal-form suffixes and branch labels, after folding.

    Args:
        name: A raw organisation name.

    Returns:
        The core, at least two characters long when the name is.

    >>> {org_core(n) for n in ("广西柳州鑫达贸易有限责任公司", "柳州市鑫达贸易有限公司",
    ...                        "鑫达贸易（柳州）有限公司", "柳州鑫達貿易有限公司")}
    {'鑫达贸易'}
    >>> org_core("柳州钢铁（集团）有限公司")
    '钢铁集团'
    >>> org_core("柳州有限公司")
    '柳州'
    >>> org_core("中国工商银行股份有限公司柳州分行")
    '中国工商银行'
    """
    return parse_org(name).core


@cache
def _pinyin_tables() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Pinyin of legal suffixes and of region forms, longest first."""
    suffixes = {org_pinyin_key(s) for s in LEGAL_SUFFIXES if len(s) > 1}
    regions = {org_pinyin_key(form) for form in region_forms()}
    return (
        tuple(sorted(suffixes, key=len, reverse=True)),
        tuple(sorted(regions, key=len, reverse=True)),
    )


_MIN_LATIN_CORE = 4


def _strip_pinyin_regions(key: str, out: set[str]) -> None:
    out.add(key)
    for form in _pinyin_tables()[1]:
        if key.startswith(form):
            rest = key[len(form) :]
            if len(rest) >= _MIN_LATIN_CORE and rest not in out:
                _strip_pinyin_regions(rest, out)


@lru_cache(maxsize=_SMALL_CACHE_SIZE)
def latin_org_keys(text: str) -> frozenset[str]:
    """Candidate pinyin keys of the core of a Latin-script organisation name.

    ``Guangxi Liuzhou Xinda Maoyi Youxian Gongsi`` should reach 鑫达贸易, so
    English legal words are dropped, then pinyin legal suffixes and region
    prefixes are stripped from the concatenated spelling.  Every intermediate
    result is kept, because pinyin has no syllable boundaries to make the
    stripping safe (``liuzhoushida`` may be 柳州市+达 or 柳州+石达), and bare
    county names are stripped at the start too (they are only candidates).

    >>> "xindamaoyi" in latin_org_keys("Guangxi Liuzhou Xinda Maoyi Youxian Gongsi")
    True
    >>> sorted(latin_org_keys("Xinda Maoyi Youxian Gongsi"))
    ['xindamaoyi', 'xindamaoyiyouxiangongsi']
    """
    tokens = [t for t in latin_tokens(text) if t not in LATIN_LEGAL_TOKENS]
    raw = key = latin_key(" ".join(tokens))
    suffixes, _ = _pinyin_tables()
    changed = True
    while changed:
        changed = False
        for suffix in suffixes:
            if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_LATIN_CORE:
                key = key[: -len(suffix)]
                changed = True
                break
    out: set[str] = {raw} if raw else set()
    if key:
        _strip_pinyin_regions(key, out)
    return frozenset(out)
