"""Use-case results ↔ protobuf messages (no logic beyond translation)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from shixin.errors import InvalidArgument
from shixin.matching import Query
from shixin.measures import Catalogue, DepartmentScope, Measure, Reach, RoleLink, Unit
from shixin.service.feed import ChangeView
from shixin.service.queries import HitView, IdCheckView, MatchOutcome, MeasureVerdict
from shixin.service.views import RecordView
from shixin.v1 import feed_service_pb2 as feed_pb
from shixin.v1 import match_service_pb2 as match_pb
from shixin.v1 import measure_service_pb2 as measure_pb
from shixin.v1 import types_pb2 as types_pb

KIND_TO_PB = {"person": types_pb.SUBJECT_KIND_PERSON,
              "organization": types_pb.SUBJECT_KIND_ORGANIZATION}
KIND_FROM_PB = {v: k for k, v in KIND_TO_PB.items()}
ID_TYPES = ["", "resident_id", "uscc", "org_code", "passport", "hk_macao_permit",
            "taiwan_permit", "other"]
ROLES = ["", "debtor", "legal_representative", "principal", "actual_controller", "director",
         "supervisor", "senior_manager", "directly_responsible"]
STATES = ["", "pending", "active", "correction_pending", "shielded", "revoked", "expired",
          "restored"]
EVENTS = ["", "risk_notice", "include", "correction_requested", "correction_granted",
          "correction_rejected", "review_requested", "review_granted", "review_rejected",
          "shield", "revoke", "extend", "restore", "performed"]
ACTIONS = ["", "prohibit", "strict_review", "prudential_reference", "assist_enforcement",
           "enhanced_supervision", "notify"]
STATUS_TO_PB = {"hit": match_pb.MATCH_STATUS_HIT, "possible": match_pb.MATCH_STATUS_POSSIBLE,
                "none": match_pb.MATCH_STATUS_NONE, "error": match_pb.MATCH_STATUS_ERROR}
LEVEL_TO_PB = {"definitive": match_pb.MATCH_LEVEL_DEFINITIVE,
               "candidate": match_pb.MATCH_LEVEL_CANDIDATE}
REACH_TO_PB = {
    Reach.DEBTOR.value: match_pb.MEASURE_REACH_DEBTOR,
    Reach.OFFICER_OF_DEBTOR.value: match_pb.MEASURE_REACH_OFFICER_OF_DEBTOR,
    Reach.ROLE_NOT_NAMED.value: match_pb.MEASURE_REACH_ROLE_NOT_NAMED,
    Reach.DEBTOR_KIND_EXCLUDED.value: match_pb.MEASURE_REACH_DEBTOR_KIND_EXCLUDED,
    Reach.OFFICER_NOT_LISTED.value: match_pb.MEASURE_REACH_OFFICER_NOT_LISTED,
    Reach.RECORD_INACTIVE.value: match_pb.MEASURE_REACH_RECORD_INACTIVE,
}
ROLE_LINK_TO_PB = {
    "": measure_pb.MEASURE_ROLE_LINK_UNSPECIFIED,
    RoleLink.OFFICER_OF_DEBTOR.value: measure_pb.MEASURE_ROLE_LINK_OFFICER_OF_DEBTOR,
    RoleLink.DEBTOR_IS_OFFICER.value: measure_pb.MEASURE_ROLE_LINK_DEBTOR_IS_OFFICER,
}
SCOPE_TO_PB = {
    DepartmentScope.LISTED.value: measure_pb.DEPARTMENT_SCOPE_LISTED,
    DepartmentScope.LISTED_OPEN.value: measure_pb.DEPARTMENT_SCOPE_LISTED_OPEN,
    DepartmentScope.ANY_UNIT.value: measure_pb.DEPARTMENT_SCOPE_ANY_UNIT,
    DepartmentScope.EXTERNAL.value: measure_pb.DEPARTMENT_SCOPE_EXTERNAL,
}


# Enum values by name, built once: the conversions run for every hit.
_ROLE_PB = {r: types_pb.PartyRole.Value(f"PARTY_ROLE_{r.upper()}") for r in ROLES[1:]}
_ACTION_PB = {a: match_pb.MeasureAction.Value(f"MEASURE_ACTION_{a.upper()}")
              for a in ACTIONS[1:]}
_ID_TYPE_PB = {t: types_pb.IdType.Value(f"ID_TYPE_{t.upper()}") for t in ID_TYPES[1:]}
_STATE_PB = {s: types_pb.RecordState.Value(f"RECORD_STATE_{s.upper()}") for s in STATES[1:]}


def role_to_pb(role: str) -> types_pb.PartyRole.ValueType:
    """PartyRole of a role string ("debtor", "legal_representative" …); unspecified if unknown."""
    return _ROLE_PB.get(role, types_pb.PARTY_ROLE_UNSPECIFIED)


def action_to_pb(action: str) -> match_pb.MeasureAction.ValueType:
    """MeasureAction of an action string ("prohibit" …)."""
    return _ACTION_PB.get(action, match_pb.MEASURE_ACTION_UNSPECIFIED)


def id_type_to_pb(id_type: str) -> types_pb.IdType.ValueType:
    """IdType of an ID-kind string ("resident_id", "uscc" …)."""
    return _ID_TYPE_PB.get(id_type, types_pb.ID_TYPE_UNSPECIFIED)


def state_to_pb(state: str) -> types_pb.RecordState.ValueType:
    """RecordState of a state string ("active", "shielded" …)."""
    return _STATE_PB.get(state, types_pb.RECORD_STATE_UNSPECIFIED)


def kind_to_pb(kind: str) -> types_pb.SubjectKind.ValueType:
    """SubjectKind of "person" or "organization"."""
    return KIND_TO_PB.get(kind, types_pb.SUBJECT_KIND_UNSPECIFIED)


def parse_day(text: str, field: str) -> date | None:
    """An optional ISO date field, or an InvalidArgument naming it."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidArgument(f"{text!r} is not an ISO date (YYYY-MM-DD)", field=field,
                              reason="BAD_DATE") from None


def query_from_subject(subject: match_pb.Subject, field: str = "subject") -> Query:
    """A matching query from a Subject message."""
    return Query(
        name=subject.name, id_number=subject.id_number,
        kind=KIND_FROM_PB.get(subject.kind, ""),
        id_type=ID_TYPES[subject.id_type] if 0 <= subject.id_type < len(ID_TYPES) else "",
        birth_date=parse_day(subject.birth_date, f"{field}.birth_date"),
        gender=subject.gender,
    )


def hit_to_pb(h: HitView) -> match_pb.Hit:
    """A Hit message."""
    msg = match_pb.Hit(
        record_id=h.record_id, case_number=h.case_number, debtor_name=h.debtor_name,
        debtor_kind=kind_to_pb(h.debtor_kind), id_number=h.id_number,
        role=role_to_pb(h.role), matched_name=h.matched_name,
        matched_id_number=h.matched_id_number, level=LEVEL_TO_PB[h.level], score=h.score,
        reasons=list(h.reasons), active=h.status.active,
        state=state_to_pb(h.status.state.value), court=h.court, published_on=h.published_on,
        expires_on=h.expires_on,
    )
    if h.measure is not None:
        msg.measure.CopyFrom(measure_application_to_pb(h.measure))
    return msg


@lru_cache(maxsize=4096)
def measure_application_to_pb(v: MeasureVerdict) -> match_pb.MeasureApplication:
    """A MeasureApplication message (memoised, like the verdicts: copy, don't modify)."""
    msg = match_pb.MeasureApplication(
        measure_code=v.code, title=v.title, applies=v.applies,
        actions=[action_to_pb(a) for a in v.actions], explanation=v.explanation,
        role=role_to_pb(v.role), clause=v.clause,
        reach=REACH_TO_PB.get(v.reach, match_pb.MEASURE_REACH_UNSPECIFIED))
    if v.officer_effect is not None:
        e = v.officer_effect
        msg.officer_effect.CopyFrom(match_pb.OfficerEffect(
            officer_roles=[role_to_pb(r) for r in e.roles],
            actions=[action_to_pb(a) for a in e.actions], explanation=e.explanation))
    return msg


def measure_to_pb(m: Measure, catalogue: Catalogue) -> measure_pb.Measure:
    """A Measure message (``applied_by`` derived from the catalogue)."""
    return measure_pb.Measure(
        name=f"measures/{m.code}", code=m.code, clause=m.clause, title_zh=m.title_zh,
        title_en=m.title_en, category_zh=m.category_zh, category_en=m.category_en,
        departments=[f"units/{u}" for u in m.departments],
        applies_to=[role_to_pb(r.value) for r in m.applies_to],
        debtor_kinds=[kind_to_pb(k.value) for k in m.debtor_kinds],
        actions=[action_to_pb(a.value) for a in m.actions], text_zh=m.text_zh, note=m.note,
        category=m.category.code,
        role_link=ROLE_LINK_TO_PB[m.role_link.value if m.role_link else ""],
        officer_actions=[action_to_pb(a.value) for a in m.officer_actions or ()],
        department_scope=SCOPE_TO_PB[m.department_scope.value],
        applied_by=[f"units/{u.code}" for u in catalogue.units_for_measure(m.code)])


def unit_to_pb(u: Unit, catalogue: Catalogue) -> measure_pb.Unit:
    """A Unit message (``measures`` derived from the catalogue)."""
    return measure_pb.Unit(
        name=f"units/{u.code}", code=u.code, name_zh=u.name_zh, name_en=u.name_en,
        kind=u.kind.value,
        measures=[f"measures/{m.code}" for m in catalogue.measures_for_unit(u.code)],
        note=u.note, includes_kinds=[k.value for k in u.includes_kinds])


def id_check_to_pb(c: IdCheckView) -> match_pb.IdCheck:
    """An IdCheck message."""
    return match_pb.IdCheck(present=c.present,
                            id_type=id_type_to_pb(c.kind),
                            valid=c.valid, problem=c.problem, normalized=c.normalized)


def outcome_to_pb(o: MatchOutcome) -> match_pb.MatchResponse:
    """A MatchResponse."""
    return match_pb.MatchResponse(status=STATUS_TO_PB[o.status],
                                  hits=[hit_to_pb(h) for h in o.hits],
                                  id_check=id_check_to_pb(o.id_check),
                                  officer_check=o.officer_check)


def batch_result_to_pb(ref: str, o: MatchOutcome) -> match_pb.BatchResult:
    """A BatchResult for one matched row."""
    return match_pb.BatchResult(ref=ref, status=STATUS_TO_PB[o.status],
                                hits=[hit_to_pb(h) for h in o.hits],
                                id_check=id_check_to_pb(o.id_check),
                                officer_check=o.officer_check)


def record_to_pb(v: RecordView) -> types_pb.ListRecord:
    """A ListRecord message."""
    r = v.record
    d = r["debtor"]
    return types_pb.ListRecord(
        record_id=v.record_id, case_number=r["case_number"],
        debtor=types_pb.Debtor(kind=kind_to_pb(d["kind"]), name=d["name"],
                               id_type=id_type_to_pb(d.get("id_type", "")),
                               id_number=d.get("id_number", ""), gender=d.get("gender", "")),
        related_persons=[types_pb.RelatedPerson(role=role_to_pb(p["role"]), name=p["name"],
                                                id_number=p.get("id_number", ""))
                         for p in r.get("related_persons", [])],
        court=r.get("court", ""), province=r.get("province", ""),
        basis_document_number=r.get("basis_document_number", ""),
        basis_issuer=r.get("basis_issuer", ""), filed_on=r.get("filed_on", ""),
        published_on=r.get("published_on", ""),
        expires_on=v.status.expires_on.isoformat() if v.status.expires_on else "",
        obligation=r.get("obligation", ""), performance=r.get("performance", ""),
        circumstances=r.get("circumstances", ""), public=bool(r.get("public", True)),
        state=state_to_pb(v.status.state.value), active=v.status.active,
        state_since=v.status.since.isoformat(), id_problems=list(v.id_problems),
    )


def _enum_name(names: Sequence[str], value: int, field: str) -> str:
    """A pushed enum value as its interchange name; unknown values are a precise error."""
    if 0 <= value < len(names):
        return names[value]
    raise InvalidArgument(f"unknown value {value}", field=field, reason="BAD_ENUM")


def record_from_pb(m: types_pb.ListRecord) -> dict[str, Any]:
    """The interchange-format object of a pushed ListRecord message."""
    obj: dict[str, Any] = {
        "case_number": m.case_number,
        "debtor": {"kind": KIND_FROM_PB.get(m.debtor.kind, ""), "name": m.debtor.name,
                   "id_type": _enum_name(ID_TYPES, m.debtor.id_type, "record.debtor.id_type"),
                   "id_number": m.debtor.id_number, "gender": m.debtor.gender},
        "related_persons": [
            {"role": _enum_name(ROLES, p.role, f"record.related_persons[{i}].role"),
             "name": p.name, "id_number": p.id_number}
            for i, p in enumerate(m.related_persons)],
        # proto3 presence: an unset flag means the interchange default, public.
        "public": m.public if m.HasField("public") else True,
    }
    for name in ("court", "province", "basis_document_number", "basis_issuer", "filed_on",
                 "published_on", "expires_on", "obligation", "performance", "circumstances"):
        obj[name] = getattr(m, name)
    return obj


def event_from_pb(m: Any) -> dict[str, Any]:
    """The interchange-format object of a pushed LifecycleEvent message."""
    return {"event": EVENTS[m.event_type] if 0 <= m.event_type < len(EVENTS) else "",
            "case_number": m.case_number, "id_number": m.id_number, "name": m.name,
            "effective_on": m.effective_on, "reason": m.reason, "expires_on": m.expires_on}


def event_to_pb(e: dict[str, Any]) -> types_pb.LifecycleEvent:
    """A LifecycleEvent message from a stored history entry."""
    kind = e.get("event", "")
    return types_pb.LifecycleEvent(
        event_type=(types_pb.EventType.Value(f"EVENT_TYPE_{kind.upper()}") if kind in EVENTS[1:]
                    else types_pb.EVENT_TYPE_UNSPECIFIED),
        effective_on=e.get("effective_on", ""), reason=e.get("reason", ""),
        expires_on=e.get("expires_on", ""), sequence=int(e.get("seq", 0)),
        received_at=e.get("received_at", ""), pushed_by=e.get("pushed_by", ""))


def change_to_pb(c: ChangeView) -> feed_pb.Change:
    """A Change message."""
    msg = feed_pb.Change(
        sequence=c.sequence,
        kind=feed_pb.CHANGE_KIND_ACTIVATED if c.kind == "activated"
        else feed_pb.CHANGE_KIND_DEACTIVATED,
        effective_on=c.effective_on, reason=c.reason, recorded_at=c.recorded_at,
        unit_was_told=c.unit_was_told)
    if c.record is not None:
        msg.record.CopyFrom(record_to_pb(c.record))
    return msg
