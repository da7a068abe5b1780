"""The one interface every unit adapter implements, and the shared decision rule."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field

from shixin.v1 import feed_service_pb2 as feed_pb
from shixin.v1 import match_service_pb2 as match_pb

# Strongest first: what a unit does when several hits apply.
ACTION_ORDER = (
    match_pb.MEASURE_ACTION_PROHIBIT,
    match_pb.MEASURE_ACTION_STRICT_REVIEW,
    match_pb.MEASURE_ACTION_ASSIST_ENFORCEMENT,
    match_pb.MEASURE_ACTION_ENHANCED_SUPERVISION,
    match_pb.MEASURE_ACTION_PRUDENTIAL_REFERENCE,
    match_pb.MEASURE_ACTION_NOTIFY,
)
ACTION_NAMES = {
    match_pb.MEASURE_ACTION_PROHIBIT: "prohibit",
    match_pb.MEASURE_ACTION_STRICT_REVIEW: "strict_review",
    match_pb.MEASURE_ACTION_ASSIST_ENFORCEMENT: "assist_enforcement",
    match_pb.MEASURE_ACTION_ENHANCED_SUPERVISION: "enhanced_supervision",
    match_pb.MEASURE_ACTION_PRUDENTIAL_REFERENCE: "prudential_reference",
    match_pb.MEASURE_ACTION_NOTIFY: "notify",
}


@dataclass(frozen=True)
class Decision:
    """What the unit's system should do with one subject."""

    action: str
    """``proceed``, ``review`` (candidates only: a person decides), or a measure action."""
    record_ids: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Lifted:
    """A measure the unit lifted (or keeps, with basis and end date) after a deactivation."""

    sequence: int
    record_id: str
    retained: tuple[feed_pb.RetainedMeasure, ...] = ()


def decide(response: match_pb.MatchResponse) -> Decision:
    """The unit's decision from a match answer, using the purpose measure on each hit.

    Definitive active hits whose measure applies decide the strongest action;
    candidates alone mean a person must review; otherwise the unit proceeds.

    >>> decide(match_pb.MatchResponse(status=match_pb.MATCH_STATUS_NONE)).action
    'proceed'
    """
    applying = [h for h in response.hits
                if h.active and h.level == match_pb.MATCH_LEVEL_DEFINITIVE and h.measure.applies]
    if applying:
        actions = {a for h in applying for a in h.measure.actions}
        strongest = next((a for a in ACTION_ORDER if a in actions),
                         match_pb.MEASURE_ACTION_NOTIFY)
        return Decision(ACTION_NAMES[strongest], tuple(h.record_id for h in applying),
                        tuple(h.measure.explanation for h in applying))
    if any(h.active for h in response.hits):
        return Decision("review", tuple(h.record_id for h in response.hits if h.active),
                        ("candidates only: a person must review",))
    return Decision("proceed")


class UnitAdapter(abc.ABC):
    """A unit's system as shixin sees it.

    ``apply`` is called with each decision (the unit blocks a clearance,
    flags a credit application …); ``lift`` is called for each deactivation of
    a record the unit was told of, and returns what was lifted or kept.
    """

    unit: str
    purpose: str

    @abc.abstractmethod
    def apply(self, subject: match_pb.Subject, decision: Decision) -> None:
        """Act on a decision in the unit's own system."""

    @abc.abstractmethod
    def lift(self, change: feed_pb.Change) -> Lifted:
        """Lift the unit's measures for a deactivated record (惩戒措施解除)."""
