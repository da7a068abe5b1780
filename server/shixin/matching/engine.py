"""The matching engine: index keys → candidates → features → ranked hits.

Candidates come only from index keys (ID keys, name keys); scoring runs on
those candidates only, so a query never scans the list. Postings per name key
are capped, so a very common name costs a bounded amount of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shixin.errors import InvalidArgument
from shixin.ids import IdKind, ParsedId, parse, query_keys
from shixin.lifecycle import Status
from shixin.matching.features import (
    Evidence,
    birth_evidence,
    describe_conflict,
    gender_evidence,
    id_agreement,
    normalize_gender,
    region_evidence,
)
from shixin.matching.levels import NAME_AGREES, NAME_CANDIDATE, ORG_NAME_AGREES, Verdict, combine
from shixin.names import (
    by_strength,
    compare_org,
    compare_person,
    has_han,
    normalize_person,
    parse_org,
    substitution_ceiling,
)
from shixin.names import query_keys as name_query_keys
from shixin.names.keys import KEY_STRENGTH
from shixin.store import Party, ReadView
from shixin.store.cards import NO_ID, Card, birth_tag, year_range

MAX_POSTINGS_PER_KEY = 2000
MAX_CANDIDATES = 5000
# The best name score a candidate first met through a key of each strength can
# have (keys.KEY_STRENGTH; see compare.py): equal forms, then cores and
# spellings, then one-edit keys of long names.
_TIER_CEILING = (1.0, 1.0, 0.95, 0.9, 0.9, 0.9)
_TYPO_STRENGTH = 3  # d:, b:, e: keys
_TYPO_SCAN = 20
_SOUND_ALIKE = 0.75 * 0.85  # a name-only hit whose name is a homophone or closer
_MAX_BONUS = 0.22  # birth 0.15 + region 0.05 + gender 0.02 (features.py)
_GENDER_BONUS = 0.02
_HOMONYM_FAMILIES = frozenset("np")  # names scoring >= 0.85: equal, spelling, homophone
_ORG_MARKERS = ("公司", "厂", "店", "中心", "合作社", "事务所", "集团", "银行", "企业", "学校",
                "医院", "协会", "商行", "部", "社", "站", "场", "馆", "院", "所")
_MATCH_RANK = {"exact": 0, "legacy": 1, "org_code": 2, "masked": 3, "typo": 4}
_PERSON_ID = {IdKind.RESIDENT_ID, IdKind.PASSPORT, IdKind.HK_MACAO_PERMIT, IdKind.TAIWAN_PERMIT}
_ORG_ID = {IdKind.USCC, IdKind.ORG_CODE}


@dataclass(frozen=True, slots=True)
class Query:
    """One subject to look for."""

    name: str = ""
    id_number: str = ""
    kind: str = ""
    id_type: str = ""
    birth_date: date | None = None
    gender: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    """A record that matched, through which party, how strongly, and why.

    ``card`` carries what a hit shows of its record (``card.record``): no
    document is read to answer.
    """

    card: Card
    status: Status
    level: str
    score: float
    reasons: tuple[str, ...]

    @property
    def record_id(self) -> str:
        """The record's opaque id."""
        return self.card.record_id

    @property
    def party(self) -> Party:
        """The party that matched (0: the debtor)."""
        return self.card.party


@dataclass(slots=True)
class MatchResult:
    """Hits best first, the overall status, and what was made of the query's ID."""

    status: str
    hits: list[Hit]
    id_check: ParsedId | None
    candidates_seen: int = 0
    notes: list[str] = field(default_factory=list)


def parse_query_id(query: Query) -> ParsedId | None:
    """Parse the query's ID number; a malformed one is an InvalidArgument naming the field.

    A number that only fails its check character is not malformed: its typo
    candidates are searched.
    """
    if not query.id_number.strip():
        return None
    parsed = parse(query.id_number, query.id_type or None)
    if parsed.kind == IdKind.OTHER and parsed.compact.isdigit() and query.kind != "organization":
        # Digits only: a resident ID with the wrong length, not an opaque document number.
        parsed = parse(query.id_number, IdKind.RESIDENT_ID)
    if not parsed.valid and _malformed(parsed):
        raise InvalidArgument(f"{query.id_number!r}: {parsed.problem}",
                              field="subject.id_number", reason="MALFORMED_ID_NUMBER")
    return parsed


def _malformed(parsed: ParsedId) -> bool:
    if parsed.masked or parsed.kind not in (IdKind.RESIDENT_ID, IdKind.USCC, IdKind.ORG_CODE):
        return False
    problem = (parsed.problem or "").lower()
    return "check" not in problem and "birth" not in problem and "date" not in problem


def infer_kind(query: Query, parsed: ParsedId | None) -> str:
    """person, organization, or '' (both) from the kind, the ID number, or the name."""
    if query.kind in ("person", "organization"):
        return query.kind
    if parsed is not None and not _ambiguous_digits(parsed):
        if parsed.kind in _PERSON_ID:
            return "person"
        if parsed.kind in _ORG_ID:
            return "organization"
    name = query.name.strip()
    if name and any(m in name for m in _ORG_MARKERS) and len(name) >= 4:
        return "organization"
    return ""


def _ambiguous_digits(parsed: ParsedId) -> bool:
    """18 digits that are a mistyped resident ID or a USCC, or a USCC only by chance.

    A resident ID with one wrong digit fails its check and often its birth date;
    its MOD 31 check as a USCC then holds one time in 31. Either way the number
    cannot say whose it is, so the name (or nothing) decides the kind, and the
    typo candidates of both readings are judged.
    """
    number = parsed.compact
    if len(number) != 18 or not number[:17].isdigit():
        return False
    return parsed.kind in _ORG_ID or not parsed.valid


def match(view: ReadView, query: Query, *, today: date, max_hits: int = 10,
          include_inactive: bool = False, public_only: bool = False,
          max_candidates: int = MAX_CANDIDATES,
          max_postings: int = MAX_POSTINGS_PER_KEY) -> MatchResult:
    """Match one subject against the snapshot ``view``.

    Candidates are judged on their party cards; documents are read only for
    the hits returned. With an ID number, the number finds the record; when
    it does not settle the match (no live definitive hit), name keys add
    only parties listed without an ID number and homonyms born the same
    day, or the same year in the same region (the only homonyms with
    another ID number that ``levels`` reports). Without one,
    name keys are read strongest first, and reading stops once ``max_hits``
    live hits are found that no weaker key could outrank; within one key,
    whose postings all meet the name the same way, after ``max_hits`` hits.
    Typo keys are read only when no live hit met the name as written, spelt
    or sounding alike: they exist to find a mistyped name, and next to an
    exact hit they would only list other people's names one edit away.
    At most ``max_postings`` postings per key (a small sample of typo keys)
    and ``max_candidates`` in all.
    """
    if not query.name.strip() and not query.id_number.strip():
        raise InvalidArgument("give a name or an ID number (or both)", field="subject",
                              reason="EMPTY_SUBJECT")
    parsed = parse_query_id(query)
    kind = infer_kind(query, parsed)
    id_hits: dict[tuple[str, int], tuple[str, str]] = {}
    if parsed is not None:
        for qk in query_keys(parsed):
            for cand in view.postings(qk.key, max_postings):
                prev = id_hits.get(cand)
                if prev is None or _MATCH_RANK[qk.match] < _MATCH_RANK[prev[0]]:
                    id_hits[cand] = (qk.match, qk.reason)
    facts = _QueryFacts.of(query, parsed)
    pool = _Pool(view, query, parsed, facts, id_hits, kind=kind, today=today,
                 include_inactive=include_inactive, public_only=public_only,
                 budget=max_candidates)
    for cand in id_hits:
        pool.judge(cand)
    if query.name.strip() and (parsed is None or not pool.definitive_live()):
        keys = by_strength(name_query_keys(query.name, kind or None))
        if parsed is not None:
            _homonyms(view, pool, keys, facts, parsed, kind, max_hits, max_postings)
        else:
            bonus = 0.0 if facts.birth is None and facts.gender is None else _MAX_BONUS
            _by_name(view, pool, keys, max_hits, max_postings, bonus=bonus)
    return pool.result(max_hits)


def _homonyms(view: ReadView, pool: _Pool, keys: list[str], facts: _QueryFacts,
              parsed: ParsedId, kind: str, max_hits: int, max_postings: int) -> None:
    """Name candidates of a query with an ID number (see ``match``)."""
    # Parties listed without an ID number meet the query by name alone, as in a
    # name-only query; only the gender (from the query's ID) can tell them apart.
    _by_name(view, pool, keys, max_hits, max_postings, bonus=_GENDER_BONUS,
             low=NO_ID, high=NO_ID)
    year = facts.birth.year if facts.birth else _masked_year(parsed)
    if year is None or kind == "organization":
        return
    low, high = year_range(year)
    region = _region_bytes(facts.region)
    day = facts.birth_tag[:4]
    for key in keys:
        if key[:1] not in _HOMONYM_FAMILIES:
            continue
        for tag, cand in view.tagged_postings(key, max_postings, low, high):
            if tag[:4] == day or tag[4:] == region:  # same birth date, or year and region
                pool.judge(cand)


def _by_name(view: ReadView, pool: _Pool, keys: list[str], max_hits: int, max_postings: int,
             *, bonus: float, low: bytes = b"", high: bytes = b"") -> None:
    """Name candidates among postings tagged ``low``…``high`` (all by default).

    ``bonus`` is the most that birth, region and gender evidence can add to a
    name score: the stopping rules must leave room for it.
    """
    tier = -1
    hopeless = _hopeless_substitutions(pool)
    for key in keys:
        strength = KEY_STRENGTH.get(key[:1], len(_TIER_CEILING) - 1)
        if strength != tier:
            tier = strength
            ceiling = 0.75 * _TIER_CEILING[min(tier, len(_TIER_CEILING) - 1)] + bonus
            if pool.settled(max_hits, ceiling):
                return
            if tier >= _TYPO_STRENGTH and pool.settled(1, _SOUND_ALIKE):
                return  # a name met as written, spelt or sounding alike: typos are others
        if hopeless and key[:1] == "d" and len(key) - 2 < hopeless:
            continue  # see _hopeless_substitutions
        taken = 0
        # Typo keys gather many near-misses: read a bounded sample of each.
        limit = max_postings if strength < _TYPO_STRENGTH else _TYPO_SCAN + 4 * max_hits
        for cand in view.iter_postings(key, limit, low, high):
            if pool.judge(cand):
                taken += 1
                if taken >= max_hits and bonus <= _GENDER_BONUS:
                    break  # the key meets each of its postings the same way
            if not pool.budget_left():
                return


def _hopeless_substitutions(pool: _Pool) -> int:
    """The length of the query's Chinese name (or core) when its substitution keys can't agree.

    A ``d:`` key one character shorter than the query's name (or organisation
    core: SymSpell substitution) meets listed names of the same length that
    differ in one character; when even the best of those scores below
    ``NAME_CANDIDATE`` (``substitution_ceiling``: names of up to three
    characters, cores of up to four) every such candidate would be read,
    judged and dropped. Names equal after normalisation or sounding alike
    meet their ``n:``/``c:``/``p:``/``q:`` keys, read first. 0 when the keys
    must all be read: longer names, Latin names, or a query of unknown kind,
    whose ``d:`` keys meet persons and organisations alike.

    On a 1M list these keys were most of the work of an ID + name query for
    someone not listed, and of a name-only query for an organisation.
    """
    kind = pool.kind
    if kind == "person":
        text = normalize_person(pool.query.name)
    elif kind == "organization":
        text = parse_org(pool.query.name).core
    else:
        return 0
    m = len(text)
    if m == 0 or not has_han(text) or substitution_ceiling(kind, m) >= NAME_CANDIDATE:
        return 0
    return m


def _masked_year(parsed: ParsedId) -> int | None:
    """The birth year still shown by a masked resident ID (``4502021980****1232``)."""
    digits = parsed.compact[6:10]
    if parsed.masked and parsed.kind == IdKind.RESIDENT_ID and digits.isdigit():
        return int(digits)
    return None


def _region_bytes(region: str | None) -> bytes:
    return (int(region) if region and region.isdigit() else 0).to_bytes(3, "big")


@dataclass(frozen=True, slots=True)
class _QueryFacts:
    """What the query says about birth, region and gender (from the ID or given)."""

    birth: date | None
    region: str | None
    gender: str | None
    birth_tag: bytes

    @classmethod
    def of(cls, query: Query, parsed: ParsedId | None) -> _QueryFacts:
        birth = query.birth_date or (parsed.birth_date if parsed else None)
        region = parsed.region if parsed else None
        gender = normalize_gender(query.gender) or (parsed.gender if parsed else None)
        tag = birth_tag(birth, region or "") if birth else b""
        return cls(birth, region, gender, tag)


class _Pool:
    """Candidates judged once each on their cards; hits kept with their verdicts."""

    def __init__(self, view: ReadView, query: Query, parsed: ParsedId | None,
                 facts: _QueryFacts, id_hits: dict[tuple[str, int], tuple[str, str]], *,
                 kind: str, today: date, include_inactive: bool, public_only: bool,
                 budget: int) -> None:
        self.view = view
        self.query = query
        self.parsed = parsed
        self.facts = facts
        self.id_hits = id_hits
        self.kind = kind
        self.today = today
        self.include_inactive = include_inactive
        self.public_only = public_only
        self.budget = budget
        self.seen: set[tuple[str, int]] = set()
        self.hits: list[tuple[Card, bool, Verdict]] = []

    def budget_left(self) -> bool:
        return len(self.seen) < self.budget

    def judge(self, cand: tuple[str, int]) -> bool:
        """Judge a candidate once; True when it became a hit."""
        if cand in self.seen or not self.budget_left():
            return False
        self.seen.add(cand)
        card = self.view.card(*cand)
        if card is None:
            return False
        if (self.public_only and not card.public) or (self.kind and card.party.kind != self.kind):
            return False
        live = card.live_on(self.today)
        if live is None:  # the clock is before the record's last event: replay it
            rec = self.view.get(card.record_id)
            live = rec is not None and rec.status(self.today).active
        if not live and not self.include_inactive:
            return False
        verdict = _judge(self.query, self.parsed, card, self.id_hits.get(cand), self.facts)
        if verdict is None:
            return False
        self.hits.append((card, live, verdict))
        return True

    def definitive_live(self) -> bool:
        """Whether a live hit is already definitive (the ID number and name agree)."""
        return any(live and v.level == "definitive" for _, live, v in self.hits)

    def settled(self, max_hits: int, ceiling: float) -> bool:
        """Whether ``max_hits`` live hits score at least ``ceiling`` (weaker keys can't win)."""
        strong = sum(1 for _, live, v in self.hits if live and v.score >= ceiling)
        return strong >= max_hits

    def result(self, max_hits: int) -> MatchResult:
        ranked = sorted(self.hits, key=lambda h: (h[2].level != "definitive", not h[1],
                                                  -h[2].score, h[0].published_on))
        hits: list[Hit] = []
        for card, _, verdict in ranked[:max_hits]:
            state = card.status(self.today)
            if state is None:  # the clock is before the record's last event: replay it
                rec = self.view.get(card.record_id)
                if rec is None:
                    continue
                state = rec.status(self.today)
            hits.append(Hit(card, state, verdict.level, verdict.score, verdict.reasons))
        if any(h.level == "definitive" and h.status.active for h in hits):
            status = "hit"
        elif any(h.status.active for h in hits):
            status = "possible"
        else:
            status = "none"
        return MatchResult(status, hits, self.parsed, len(self.seen))


def _judge(query: Query, parsed: ParsedId | None, card: Card,
           id_hit: tuple[str, str] | None, facts: _QueryFacts) -> Verdict | None:
    party = card.party
    name_ev: Evidence | None = None
    if query.name.strip():
        compare = compare_person if party.kind == "person" else compare_org
        ns = compare(query.name, party.name)
        name_ev = Evidence(ns.score, ns.reason)
    id_ev = conflict = None
    id_match = ""
    if id_hit is not None and parsed is not None:
        id_match = id_hit[0]
        id_ev = id_agreement(id_match, id_hit[1], parsed.valid)
    elif parsed is not None and party.id_compact:
        conflict = describe_conflict(parsed, party.id_compact)
    extra: list[Evidence] = []
    if id_ev is None and party.kind == "person":
        for ev in (birth_evidence(facts.birth, card.birth_date if facts.birth else None),
                   region_evidence(facts.region, card.region or None),
                   gender_evidence(facts.gender, normalize_gender(card.gender))):
            if ev is not None:
                extra.append(ev)
    agree_at = NAME_AGREES if party.kind == "person" else ORG_NAME_AGREES
    return combine(id_ev, id_match, name_ev, conflict, extra, agree_at=agree_at)
