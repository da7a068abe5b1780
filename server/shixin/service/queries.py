"""The match use case: permissions, matching, measures, masking, the told ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from shixin.auth import (
    Principal,
    Role,
    can_see_full_ids,
    can_see_nonpublic,
    check_match,
    check_public_query,
)
from shixin.errors import InvalidArgument, PermissionDenied
from shixin.ids import ParsedId
from shixin.lifecycle import Status
from shixin.matching import Hit, Query, match
from shixin.matching.engine import infer_kind
from shixin.measures import Catalogue, DepartmentScope, Measure, Verdict, judge, officer_check
from shixin.service.clock import Clock
from shixin.service.guard import guarded
from shixin.service.ledger import ToldLedger
from shixin.service.views import shown_id
from shixin.store import ReadView, Store

MAX_HITS = 100


@dataclass(frozen=True, slots=True)
class OfficerEffectView:
    """What the measure does to an organisation whose officer is this listed debtor."""

    roles: tuple[str, ...]
    actions: tuple[str, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class MeasureVerdict:
    """How the asking unit's purpose measure applies to one hit."""

    code: str
    title: str
    applies: bool
    actions: tuple[str, ...]
    explanation: str
    role: str = "debtor"
    clause: str = ""
    reach: str = ""
    officer_effect: OfficerEffectView | None = None


@dataclass(frozen=True, slots=True)
class HitView:
    """One hit as the caller may see it."""

    record_id: str
    case_number: str
    debtor_name: str
    debtor_kind: str
    id_number: str
    role: str
    matched_name: str
    matched_id_number: str
    level: str
    score: float
    reasons: tuple[str, ...]
    status: Status
    court: str
    published_on: str
    expires_on: str
    measure: MeasureVerdict | None


@dataclass(frozen=True, slots=True)
class IdCheckView:
    """What the server made of the query's ID number."""

    present: bool
    kind: str
    valid: bool
    problem: str
    normalized: str


@dataclass(frozen=True, slots=True)
class MatchOutcome:
    """The answer for one subject."""

    status: str
    hits: tuple[HitView, ...]
    id_check: IdCheckView
    officer_check: str = ""
    told: tuple[tuple[str, int], ...] = ()
    """(record_id, period) of every live hit a unit was shown: for the told ledger."""


@lru_cache(maxsize=4096)
def measure_verdict(measure: Measure, role: str, debtor_kind: str, *, live: bool = True,
                    state: str = "active", confirmed: bool = True) -> MeasureVerdict:
    """Whether ``measure`` reaches a hit through ``role``, and what the unit must do.

    A pure function of a few discrete values, so answers are memoised: every
    hit of a busy unit asks the same handful of questions.
    """
    return _verdict_view(judge(measure, role, debtor_kind, live=live, state=state,
                               confirmed=confirmed))


def _verdict_view(v: Verdict) -> MeasureVerdict:
    effect = None
    if v.officer_effect is not None:
        e = v.officer_effect
        effect = OfficerEffectView(tuple(r.value for r in e.roles),
                                   tuple(a.value for a in e.actions), e.explanation)
    return MeasureVerdict(code=v.measure.code, title=v.measure.title_zh, applies=v.applies,
                          actions=tuple(a.value for a in v.actions), explanation=v.explanation,
                          role=v.role.value, clause=v.measure.clause, reach=v.reach.value,
                          officer_effect=effect)


class QueryService:
    """Matching for authenticated units, courts, admins and public callers."""

    def __init__(self, store: Store, clock: Clock, ledger: ToldLedger | None,
                 catalogue: Catalogue) -> None:
        self.store = store
        self.clock = clock
        self.ledger = ledger
        self.catalogue = catalogue

    def purpose_measure(self, principal: Principal, purpose: str) -> Measure | None:
        """Check the caller may use ``purpose`` and return its measure (None for none).

        Public callers' purposes are ignored. Otherwise an unknown code is an
        INVALID_ARGUMENT naming ``purpose`` (checked first, so a typo is not reported as
        a permission problem), and a refusal names the units that do apply the measure.
        """
        purpose = (purpose or "").strip()
        if principal.role == Role.PUBLIC:
            guarded(check_match, principal, None)
            return None
        measure = None
        if purpose:
            try:
                measure = self.catalogue.measure(purpose)
            except KeyError as exc:
                raise InvalidArgument(f"{exc} (`shixin measures` lists the codes)",
                                      field="purpose", reason="UNKNOWN_MEASURE") from None
        try:
            guarded(check_match, principal, purpose or None)
        except PermissionDenied as exc:
            if measure is None:
                raise
            raise PermissionDenied(f"{exc.message}; {self._who_applies(measure)}",
                                   reason=exc.reason) from None
        return measure

    def _who_applies(self, measure: Measure) -> str:
        named = f"{measure.code} ({measure.title_zh}, {measure.clause})"
        if measure.department_scope is DepartmentScope.EXTERNAL:
            return f"{named} is not applied by any local unit: {measure.note}"
        units = ", ".join(u.code for u in self.catalogue.units_for_measure(measure.code))
        return f"{named} is applied by {units}"

    def match(self, principal: Principal, query: Query, *, purpose: str = "",
              max_hits: int = 10, include_inactive: bool = False) -> MatchOutcome:
        """Match one subject (opens its own snapshot) and note what the unit was told."""
        measure = self.purpose_measure(principal, purpose)
        with self.store.read_txn() as txn:
            outcome = self.match_in(ReadView(self.store, txn), principal, query,
                                    measure=measure, max_hits=max_hits,
                                    include_inactive=include_inactive, today=self.clock())
        self.note_told(principal, outcome.told)
        return outcome

    def note_told(self, principal: Principal, told: Sequence[tuple[str, int]]) -> None:
        """Record in the told ledger that ``principal`` was shown these live records."""
        if self.ledger is not None:
            for record_id, period in told:
                self.ledger.tell(principal.id, record_id, "match", period)

    def match_in(self, view: ReadView, principal: Principal, query: Query, *,
                 measure: Measure | None, max_hits: int, include_inactive: bool,
                 today: date) -> MatchOutcome:
        """Match one subject inside an existing snapshot (batches reuse one per message).

        Pure of side effects: the caller passes ``outcome.told`` to ``note_told``.
        """
        public = principal.role == Role.PUBLIC
        if public:
            guarded(check_public_query, query.name, _full_valid_id(query))
            include_inactive = False
        max_hits = max(1, min(MAX_HITS, max_hits or 10))
        result = match(view, query, today=today, max_hits=max_hits,
                       include_inactive=include_inactive,
                       public_only=not can_see_nonpublic(principal))
        whole = can_see_full_ids(principal)
        hits = tuple(self._view(h, measure, whole) for h in result.hits)
        told: tuple[tuple[str, int], ...] = ()
        if principal.role == Role.UNIT:
            # The period from this snapshot: no extra read, no race with a restore.
            told = tuple((h.record_id, h.card.record.current_period())
                         for h in result.hits if h.status.active)
        advice = ""
        if measure is not None and infer_kind(query, result.id_check) != "person":
            advice = officer_check(measure) or ""
        return MatchOutcome(result.status, hits, _id_check(result.id_check, whole), advice,
                            told)

    def _view(self, hit: Hit, measure: Measure | None, whole: bool) -> HitView:
        rec = hit.card.record
        party = hit.party
        return HitView(
            record_id=hit.record_id,
            case_number=rec.case_number,
            debtor_name=rec.debtor_name,
            debtor_kind=rec.debtor_kind,
            id_number=shown_id(rec.debtor_id_number, whole=whole),
            role=party.role,
            matched_name=party.name,
            matched_id_number=shown_id(party.id_number, whole=whole),
            level=hit.level,
            score=hit.score,
            reasons=hit.reasons,
            status=hit.status,
            court=rec.court,
            published_on=hit.card.published_on,
            expires_on=hit.status.expires_on.isoformat() if hit.status.expires_on else "",
            measure=measure_verdict(measure, party.role, rec.debtor_kind,
                                    live=hit.status.active, state=hit.status.state.value,
                                    confirmed=hit.level == "definitive") if measure else None,
        )


def _full_valid_id(query: Query) -> bool:
    from shixin.ids import parse

    if not query.id_number.strip():
        return False
    try:
        parsed = parse(query.id_number, query.id_type or None)
    except ValueError:
        return False
    return parsed.valid and not parsed.masked


def _id_check(parsed: ParsedId | None, whole: bool) -> IdCheckView:
    if parsed is None:
        return IdCheckView(False, "", False, "", "")
    # A valid number that also reads as a mistyped number of another kind says so.
    note = parsed.problem or parsed.ambiguous or ""
    return IdCheckView(True, parsed.kind.value, parsed.valid, note,
                       shown_id(parsed.compact, whole=whole))
