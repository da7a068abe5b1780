"""Use-case results ↔ protobuf messages (no logic beyond translation)."""

from __future__ import annotations

from datetime import date
from typing import Any

from shixin.errors import InvalidArgument
from shixin.matching import Query
from shixin.service.feed import ChangeView
from shixin.service.queries import HitView, IdCheckView, MatchOutcome
from shixin.service.views import RecordView
from shixin.v1 import feed_service_pb2 as feed_pb
from shixin.v1 import match_service_pb2 as match_pb
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
        debtor_kind=KIND_TO_PB.get(h.debtor_kind, 0), id_number=h.id_number,
        role=ROLES.index(h.role) if h.role in ROLES else 0, matched_name=h.matched_name,
        matched_id_number=h.matched_id_number, level=LEVEL_TO_PB[h.level], score=h.score,
        reasons=list(h.reasons), active=h.status.active,
        state=STATES.index(h.status.state.value), court=h.court, published_on=h.published_on,
        expires_on=h.expires_on,
    )
    if h.measure is not None:
        msg.measure.CopyFrom(match_pb.MeasureApplication(
            measure_code=h.measure.code, title=h.measure.title, applies=h.measure.applies,
            actions=[ACTIONS.index(a) for a in h.measure.actions],
            explanation=h.measure.explanation))
    return msg


def id_check_to_pb(c: IdCheckView) -> match_pb.IdCheck:
    """An IdCheck message."""
    return match_pb.IdCheck(present=c.present,
                            id_type=ID_TYPES.index(c.kind) if c.kind in ID_TYPES else 0,
                            valid=c.valid, problem=c.problem, normalized=c.normalized)


def outcome_to_pb(o: MatchOutcome) -> match_pb.MatchResponse:
    """A MatchResponse."""
    return match_pb.MatchResponse(status=STATUS_TO_PB[o.status],
                                  hits=[hit_to_pb(h) for h in o.hits],
                                  id_check=id_check_to_pb(o.id_check))


def record_to_pb(v: RecordView) -> types_pb.ListRecord:
    """A ListRecord message."""
    r = v.record
    d = r["debtor"]
    return types_pb.ListRecord(
        record_id=v.record_id, case_number=r["case_number"],
        debtor=types_pb.Debtor(kind=KIND_TO_PB.get(d["kind"], 0), name=d["name"],
                               id_type=ID_TYPES.index(d["id_type"]) if d.get("id_type") in
                               ID_TYPES else 0,
                               id_number=d.get("id_number", ""), gender=d.get("gender", "")),
        related_persons=[types_pb.RelatedPerson(role=ROLES.index(p["role"]), name=p["name"],
                                                id_number=p.get("id_number", ""))
                         for p in r.get("related_persons", [])],
        court=r.get("court", ""), province=r.get("province", ""),
        basis_document_number=r.get("basis_document_number", ""),
        basis_issuer=r.get("basis_issuer", ""), filed_on=r.get("filed_on", ""),
        published_on=r.get("published_on", ""),
        expires_on=v.status.expires_on.isoformat() if v.status.expires_on else "",
        obligation=r.get("obligation", ""), performance=r.get("performance", ""),
        circumstances=r.get("circumstances", ""), public=bool(r.get("public", True)),
        state=STATES.index(v.status.state.value), active=v.status.active,
        state_since=v.status.since.isoformat(), id_problems=list(v.id_problems),
    )


def record_from_pb(m: types_pb.ListRecord) -> dict[str, Any]:
    """The interchange-format object of a pushed ListRecord message."""
    obj: dict[str, Any] = {
        "case_number": m.case_number,
        "debtor": {"kind": KIND_FROM_PB.get(m.debtor.kind, ""), "name": m.debtor.name,
                   "id_type": ID_TYPES[m.debtor.id_type], "id_number": m.debtor.id_number,
                   "gender": m.debtor.gender},
        "related_persons": [{"role": ROLES[p.role], "name": p.name, "id_number": p.id_number}
                            for p in m.related_persons],
        "public": m.public,
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
        event_type=EVENTS.index(kind) if kind in EVENTS else 0,
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
