"""Name-comparison features with reasons a reviewer can read.

Each comparison walks a ladder from the strongest evidence (identical as
written) to the weakest (string similarity) and stops at the first rung that
holds, returning a score in [0, 1] and a short phrase naming the rung.
Scores are features for the matcher, not probabilities.

Person ladder: exact 1.0 · equal after normalisation 1.0 · Latin spelling
equals pinyin 0.95 · homophone 0.85 · one character differs ≈0.67–0.75 ·
similarity.

Organisation ladder: exact 1.0 · equal after normalisation 1.0 · same core
0.92 (0.88 when only one side is a branch, 0.55 when the regions contradict)
· same core once a leading bare county name is read as a place 0.85 (0.7
for a two-character core) · Latin spelling of the core 0.9 · homophone core
0.8 · 0.9 × similarity of the cores (× 0.7 when the regions contradict).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from shixin.names.fold import fold, to_simplified
from shixin.names.org import OrgName, latin_org_keys, parse_org
from shixin.names.person import has_han, is_latin, latin_tokens, normalize_person
from shixin.names.pinyin import (
    latin_key,
    latin_query_keys,
    org_pinyin_key,
    person_pinyin_keys,
    pinyin_key,
)
from shixin.names.regions import regions_compatible

__all__ = ["NameScore", "compare_org", "compare_person", "substitution_ceiling"]

EXACT = 1.0
NORMALISED = 1.0
LATIN_PINYIN = 0.95
HOMOPHONE = 0.85
TOKEN_ORDER = 0.9
SAME_CORE = 0.92
SAME_CORE_BRANCH = 0.88
SAME_CORE_OTHER_REGION = 0.55
SAME_CORE_IF_PLACE = 0.85
SAME_SHORT_CORE_IF_PLACE = 0.7
MIN_STRONG_CORE = 2
LATIN_CORE = 0.9
HOMOPHONE_CORE = 0.8
SIMILAR_CORE_WEIGHT = 0.9
OTHER_REGION_PENALTY = 0.7


@dataclass(frozen=True, slots=True)
class NameScore:
    """A name-similarity feature: ``score`` in [0, 1] and the reason for it."""

    score: float
    reason: str


def _folding_steps(texts: tuple[str, str], brackets: bool = False) -> str:
    """Describe which normalisations made two different spellings equal."""
    steps: list[str] = []
    for text in texts:
        width = unicodedata.normalize("NFKC", text)
        simplified = to_simplified(width)
        if width != text and "full-width→half-width" not in steps:
            steps.append("full-width→half-width")
        if simplified != width and "traditional→simplified" not in steps:
            steps.append("traditional→simplified")
        if simplified.lower() != simplified and "case" not in steps:
            steps.append("case")
    if fold(texts[0]) != fold(texts[1]):
        steps.append("brackets/spaces" if brackets else "spaces/separators")
    elif not steps:
        steps.append("spaces")
    return ", ".join(steps)


def _edit_phrase(query: str, listed: str) -> str | None:
    """Describe a single-character edit between two names, if that is all."""
    if Levenshtein.distance(query, listed, score_cutoff=1) > 1:
        return None
    if len(query) == len(listed):
        for a, b in zip(query, listed, strict=True):
            if a != b:
                return f"one character differs: {a} vs {b}"
    if len(query) < len(listed):
        return "one character missing"
    return "one extra character"


def _compare_cjk_persons(nq: str, nl: str) -> NameScore:
    if len(nq) == len(nl) and person_pinyin_keys(nq) & person_pinyin_keys(nl):
        return NameScore(HOMOPHONE, f"homophone: {nq} sounds like {nl}")
    similarity = Levenshtein.normalized_similarity(nq, nl)
    phrase = _edit_phrase(nq, nl)
    if phrase is not None:
        return NameScore(similarity, f"{phrase} ({nq} / {nl})")
    return NameScore(similarity, f"names differ ({nq} / {nl})")


def _compare_latin_cjk(latin: str, cjk: str, latin_is_query: bool) -> NameScore:
    written = " ".join(latin.split())
    pinyin_keys = person_pinyin_keys(cjk)
    if latin_query_keys(latin) & pinyin_keys:
        if latin_is_query:
            return NameScore(LATIN_PINYIN, f"Latin spelling '{written}' matches pinyin of {cjk}")
        return NameScore(LATIN_PINYIN, f"pinyin of {cjk} matches listed Latin spelling '{written}'")
    best = max(
        (fuzz.ratio(a, b) for a in latin_query_keys(latin) for b in pinyin_keys),
        default=0.0,
    )
    similarity = 0.8 * best / 100
    return NameScore(
        similarity,
        f"Latin spelling '{written}' differs from pinyin '{pinyin_key(cjk)}' of {cjk}",
    )


def _compare_latin_persons(nq: str, nl: str) -> NameScore:
    tq, tl = latin_tokens(nq), latin_tokens(nl)
    if sorted(tq) == sorted(tl):
        return NameScore(TOKEN_ORDER, f"same name, token order differs ('{nq}' / '{nl}')")
    if latin_key(nq) == latin_key(nl):
        return NameScore(
            LATIN_PINYIN, f"same Latin spelling apart from spacing/diacritics ('{nq}' / '{nl}')"
        )
    if latin_query_keys(nq) & latin_query_keys(nl):
        return NameScore(TOKEN_ORDER, f"same Latin spelling in another order ('{nq}' / '{nl}')")
    similarity = fuzz.token_sort_ratio(nq, nl) / 100
    return NameScore(similarity, f"names differ ('{nq}' / '{nl}')")


def compare_person(query: str, listed: str) -> NameScore:
    """Compare a queried person name with a listed one.

    Args:
        query: The name as queried.
        listed: The name as published on the list.

    Returns:
        The score and a reason phrase.

    >>> compare_person("张伟", "张伟")
    NameScore(score=1.0, reason='name exact')
    >>> compare_person("張偉", "张伟").reason
    'name equal after normalisation (traditional→simplified)'
    >>> compare_person("阿不都•热合曼", "阿不都·热合曼").reason
    'name equal after normalisation (spaces/separators)'
    >>> compare_person("Zhang Wei", "张伟")
    NameScore(score=0.95, reason="Latin spelling 'Zhang Wei' matches pinyin of 张伟")
    >>> compare_person("章伟", "张伟")
    NameScore(score=0.85, reason='homophone: 章伟 sounds like 张伟')
    >>> round(compare_person("张华明", "张小明").score, 2)
    0.67
    """
    if query == listed:
        return NameScore(EXACT, "name exact")
    nq, nl = normalize_person(query), normalize_person(listed)
    if not nq or not nl:
        return NameScore(0.0, "name missing")
    if nq == nl:
        steps = _folding_steps((query, listed))
        return NameScore(NORMALISED, f"name equal after normalisation ({steps})")
    hq, hl = has_han(nq), has_han(nl)
    if hq and hl:
        return _compare_cjk_persons(nq, nl)
    if hl and is_latin(nq):
        return _compare_latin_cjk(query, nl, latin_is_query=True)
    if hq and is_latin(nl):
        return _compare_latin_cjk(listed, nq, latin_is_query=False)
    if not hq and not hl:
        return _compare_latin_persons(nq, nl)
    return NameScore(0.0, "names in different scripts")


def _same_core(pq: OrgName, pl: OrgName) -> NameScore:
    core = pq.core
    if not regions_compatible(pq.regions, pl.regions):
        where = f"{'/'.join(pq.regions)} vs {'/'.join(pl.regions)}"
        return NameScore(SAME_CORE_OTHER_REGION, f"same core {core} but different regions: {where}")
    if pq.branch != pl.branch and not (pq.branch and pl.branch):
        branch = pq.branch or pl.branch
        side = "query" if pq.branch else "listed"
        return NameScore(SAME_CORE_BRANCH, f"same name, {side} is a branch ({branch}): {core}")
    return NameScore(SAME_CORE, f"same name without region/legal form: {core}")


def _alt_place(parts: OrgName) -> str:
    """The county name that the alternative core reads as a place."""
    return next((r for r in parts.alt_regions if r not in parts.regions), parts.alt_regions[0])


def _alt_core_match(pq: OrgName, pl: OrgName) -> NameScore | None:
    """Equal cores once a bare county name leading a core is read as a place."""
    contradiction: NameScore | None = None
    for q_core, q_regions, q_alt in (
        (pq.core, pq.regions, False),
        (pq.alt_core, pq.alt_regions, True),
    ):
        for l_core, l_regions, l_alt in (
            (pl.core, pl.regions, False),
            (pl.alt_core, pl.alt_regions, True),
        ):
            if not q_core or q_core != l_core or not (q_alt or l_alt):
                continue
            if not regions_compatible(q_regions, l_regions):
                where = f"{'/'.join(q_regions)} vs {'/'.join(l_regions)}"
                contradiction = contradiction or NameScore(
                    SAME_CORE_OTHER_REGION, f"same core {q_core} but different regions: {where}"
                )
                continue
            place = _alt_place(pq if q_alt else pl)
            if len(q_core) <= MIN_STRONG_CORE:  # 兴业银行 vs 玉林银行: "银行" proves little
                return NameScore(
                    SAME_SHORT_CORE_IF_PLACE,
                    f"same short core {q_core} if {place} is the place (weak evidence)",
                )
            return NameScore(
                SAME_CORE_IF_PLACE,
                f"same name without region/legal form if {place} is the place: {q_core}",
            )
    return contradiction


def _org_similarity(pq: OrgName, pl: OrgName, cq: str, cl: str) -> NameScore:
    similarity = SIMILAR_CORE_WEIGHT * Levenshtein.normalized_similarity(cq, cl)
    reason = f"names differ (cores {pq.core} / {pl.core})"
    phrase = _edit_phrase(cq, cl) if has_han(cq) else None
    if phrase is not None:
        reason = f"core {phrase} ({pq.core} / {pl.core})"
    if not regions_compatible(pq.regions, pl.regions):
        similarity *= OTHER_REGION_PENALTY
        reason += f"; different regions {'/'.join(pq.regions)} vs {'/'.join(pl.regions)}"
    return NameScore(similarity, reason)


def substitution_ceiling(kind: str, length: int) -> float:
    """The best score of two Chinese names (or organisation cores) of ``length`` characters
    that differ, are no homophones and are not equal after normalisation.

    Such names meet only on the rung of edit similarity, at most 1 - 1/length
    (× ``SIMILAR_CORE_WEIGHT`` for organisation cores): a matcher can tell
    from the length alone whether one-substitution neighbours could ever
    reach its threshold, before reading them.

    >>> round(substitution_ceiling("person", 3), 3), substitution_ceiling("person", 4)
    (0.667, 0.75)
    >>> substitution_ceiling("organization", 4), substitution_ceiling("organization", 5)
    (0.675, 0.72)
    """
    if length <= 0:
        return 0.0
    best = 1 - 1 / length
    return round(SIMILAR_CORE_WEIGHT * best if kind == "organization" else best, 4)


def compare_org(query: str, listed: str) -> NameScore:
    """Compare a queried organisation name with a listed one.

    Args:
        query: The name as queried.
        listed: The name as published on the list.

    Returns:
        The score and a reason phrase.

    >>> compare_org("柳州鑫達貿易有限公司", "柳州鑫达贸易有限公司").reason
    'name equal after normalisation (traditional→simplified)'
    >>> compare_org("鑫达贸易（柳州）有限公司", "广西柳州鑫达贸易有限责任公司")
    NameScore(score=0.92, reason='same name without region/legal form: 鑫达贸易')
    >>> compare_org("南宁鑫达贸易有限公司", "柳州鑫达贸易有限公司").score
    0.55
    >>> compare_org("Xinda Maoyi", "柳州鑫达贸易有限公司").reason
    "Latin spelling 'Xinda Maoyi' matches pinyin of 鑫达贸易"
    """
    if query == listed:
        return NameScore(EXACT, "name exact")
    pq, pl = parse_org(query), parse_org(listed)
    if not pq.normalized or not pl.normalized:
        return NameScore(0.0, "name missing")
    if pq.normalized == pl.normalized:
        steps = _folding_steps((query, listed), brackets=True)
        return NameScore(NORMALISED, f"name equal after normalisation ({steps})")
    if pq.core == pl.core:
        return _same_core(pq, pl)
    alt = _alt_core_match(pq, pl)
    if alt is not None:
        return alt
    hq, hl = has_han(pq.core), has_han(pl.core)
    if hq and hl:
        if org_pinyin_key(pq.core) == org_pinyin_key(pl.core):
            score = HOMOPHONE_CORE
            if not regions_compatible(pq.regions, pl.regions):
                score *= OTHER_REGION_PENALTY
            return NameScore(score, f"core sounds the same: {pq.core} / {pl.core}")
        return _org_similarity(pq, pl, pq.core, pl.core)
    if hq != hl:
        latin, cjk = (query, pl) if hl else (listed, pq)
        if org_pinyin_key(cjk.core) in latin_org_keys(latin):
            written = " ".join(latin.split())
            return NameScore(LATIN_CORE, f"Latin spelling '{written}' matches pinyin of {cjk.core}")
        latin_core = pq.core if hl else pl.core
        return _org_similarity(pq, pl, latin_key(latin_core), org_pinyin_key(cjk.core))
    return _org_similarity(pq, pl, pq.core, pl.core)
