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
from shixin.matching.levels import NAME_AGREES, ORG_NAME_AGREES, Verdict, combine
from shixin.names import by_strength, compare_org, compare_person
from shixin.names import query_keys as name_query_keys
from shixin.store import Party, ReadView, StoredRecord

MAX_POSTINGS_PER_KEY = 2000
MAX_CANDIDATES = 5000
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
    """A record that matched, through which party, how strongly, and why."""

    record: StoredRecord
    party: Party
    status: Status
    level: str
    score: float
    reasons: tuple[str, ...]


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

    Name keys are looked up strongest first (exact forms, then spellings and
    sounds, then typo keys) until ``max_candidates`` candidates are gathered,
    reading at most ``max_postings`` postings per key.
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
    candidates: dict[tuple[str, int], None] = dict.fromkeys(id_hits)
    if query.name.strip():
        # Strongest keys first: the budget never drops an exact-name candidate for a typo key.
        for key in by_strength(name_query_keys(query.name, kind or None)):
            for cand in view.postings(key, max_postings):
                candidates.setdefault(cand)
            if len(candidates) >= max_candidates:
                break

    q_gender = normalize_gender(query.gender) or (parsed.gender if parsed else None)
    q_birth = query.birth_date or (parsed.birth_date if parsed else None)
    q_region = parsed.region if parsed else None
    hits: list[Hit] = []
    for (rid, idx) in candidates:
        rec = view.get(rid)
        if rec is None or idx >= len(rec.parties):
            continue
        if public_only and not rec.public:
            continue
        party = rec.parties[idx]
        if kind and party.kind != kind:
            continue
        st = rec.status(today)
        if not st.active and not include_inactive:
            continue
        verdict = _judge(query, parsed, party, rec, id_hits.get((rid, idx)),
                         q_gender, q_birth, q_region)
        if verdict is not None:
            hits.append(Hit(rec, party, st, verdict.level, verdict.score, verdict.reasons))
    hits.sort(key=lambda h: (h.level != "definitive", not h.status.active, -h.score,
                             h.record.record.get("published_on", "")))
    hits = hits[:max_hits]
    if any(h.level == "definitive" and h.status.active for h in hits):
        status = "hit"
    elif any(h.status.active for h in hits):
        status = "possible"
    else:
        status = "none"
    return MatchResult(status, hits, parsed, len(candidates))


def _judge(query: Query, parsed: ParsedId | None, party: Party, rec: StoredRecord,
           id_hit: tuple[str, str] | None, q_gender: str | None, q_birth: date | None,
           q_region: str | None) -> Verdict | None:
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
        listed = parse(party.id_compact, party.id_kind or None) if party.id_compact else None
        l_gender = normalize_gender(str(rec.record["debtor"].get("gender", ""))) \
            if party.index == 0 else None
        if listed is not None and listed.kind == IdKind.RESIDENT_ID:
            l_gender = l_gender or listed.gender
        for ev in (birth_evidence(q_birth, listed.birth_date if listed else None),
                   region_evidence(q_region, listed.region if listed else None),
                   gender_evidence(q_gender, l_gender)):
            if ev is not None:
                extra.append(ev)
    agree_at = NAME_AGREES if party.kind == "person" else ORG_NAME_AGREES
    return combine(id_ev, id_match, name_ev, conflict, extra, agree_at=agree_at)
