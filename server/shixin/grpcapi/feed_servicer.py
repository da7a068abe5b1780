"""FeedService: the change feed and acknowledgements."""

from __future__ import annotations

from collections.abc import Iterator

import grpc

from shixin.errors import InvalidArgument
from shixin.grpcapi.calls import Call, CallDeps, streaming, unary
from shixin.grpcapi.convert import change_to_pb, parse_day
from shixin.service.feed import DEFAULT_GRACE_DAYS, ChangeView, FeedService, Retained
from shixin.v1 import feed_service_pb2 as pb
from shixin.v1 import feed_service_pb2_grpc as pb_grpc


def _audit_page(call: Call, after: int, changes: list[ChangeView]) -> None:
    """One audit entry per page sent: who was told of which records, before sending it."""
    call.audit("watch_changes.page", {"after_sequence": after},
               {"sequences": [c.sequence for c in changes],
                "record_ids": [c.record.record_id for c in changes if c.record is not None]})


class FeedServicer(pb_grpc.FeedServiceServicer):
    """Change feed."""

    def __init__(self, deps: CallDeps, feed: FeedService) -> None:
        self.deps = deps
        self.feed = feed

    @streaming("watch_changes")
    def WatchChanges(self, request: pb.WatchChangesRequest, call: Call,  # noqa: N802
                     context: grpc.ServicerContext) -> Iterator[pb.WatchChangesResponse]:
        if request.after_sequence < 0:
            raise InvalidArgument("must not be negative", field="after_sequence",
                                  reason="BAD_SEQUENCE")
        size = max(1, min(1000, request.page_size or 100))
        call.request = {"after_sequence": request.after_sequence, "follow": request.follow}
        delivered = 0
        if request.follow:
            cursor = request.after_sequence
            for changes, head in self.feed.follow(call.principal, request.after_sequence, size,
                                                  context.is_active):
                delivered += len(changes)
                _audit_page(call, cursor, changes)
                cursor = changes[-1].sequence
                yield pb.WatchChangesResponse(changes=[change_to_pb(c) for c in changes],
                                              head_sequence=head)
        else:
            # Up to the head as it was when the call began; a short page means the
            # head was reached.
            cursor, end = request.after_sequence, None
            while end is None or cursor < end:
                changes, head = self.feed.page(call.principal, cursor, size)
                end = head if end is None else end
                if not changes:
                    break
                delivered += len(changes)
                _audit_page(call, cursor, changes)
                cursor = changes[-1].sequence
                yield pb.WatchChangesResponse(changes=[change_to_pb(c) for c in changes],
                                              head_sequence=head)
                if len(changes) < size:
                    break
        call.outcome = {"delivered": delivered}

    @unary("acknowledge")
    def AcknowledgeChange(self, request: pb.AcknowledgeChangeRequest,  # noqa: N802
                          call: Call) -> pb.AcknowledgeChangeResponse:
        call.request = {"sequence": request.sequence, "retained": len(request.retained)}
        retained = []
        for i, r in enumerate(request.retained):
            until = parse_day(r.retain_until, f"retained[{i}].retain_until")
            if until is None:
                raise InvalidArgument("a retained measure needs an end date (明确继续保留的期限)",
                                      field=f"retained[{i}].retain_until", reason="NO_END_DATE")
            retained.append(Retained(r.measure_code, r.legal_basis, until))
        rid, at = self.feed.acknowledge(call.principal, request.sequence, retained, request.note)
        call.outcome = {"record_id": rid}
        return pb.AcknowledgeChangeResponse(sequence=request.sequence, record_id=rid,
                                            acknowledged_at=at)

    @unary("list_unacknowledged")
    def ListUnacknowledged(self, request: pb.ListUnacknowledgedRequest,  # noqa: N802
                           call: Call) -> pb.ListUnacknowledgedResponse:
        call.request = {"unit": request.unit, "grace_days": request.grace_days}
        missing = self.feed.missing(call.principal, unit=request.unit,
                                    grace_days=request.grace_days or DEFAULT_GRACE_DAYS,
                                    as_of=parse_day(request.as_of, "as_of"))
        call.outcome = {"missing": len(missing)}
        return pb.ListUnacknowledgedResponse(missing=[
            pb.MissingAcknowledgement(unit=m.unit, sequence=m.sequence, record_id=m.record_id,
                                      case_number=m.case_number, effective_on=m.effective_on,
                                      days_overdue=m.days_overdue, told_via=m.told_via,
                                      told_at=m.told_at) for m in missing])
