"""RecordService: pushes, reads and the overdue report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import grpc

from shixin.errors import InvalidArgument, ShixinError
from shixin.grpcapi.calls import Call, CallDeps, streaming, unary
from shixin.grpcapi.convert import (
    event_from_pb,
    event_to_pb,
    parse_day,
    record_from_pb,
    record_to_pb,
    state_to_pb,
)
from shixin.service.records import RecordService, parse_json_line
from shixin.v1 import record_service_pb2 as pb
from shixin.v1 import record_service_pb2_grpc as pb_grpc


class RecordServicer(pb_grpc.RecordServiceServicer):
    """Records and their lifecycle."""

    def __init__(self, deps: CallDeps, records: RecordService) -> None:
        self.deps = deps
        self.records = records

    @unary("get_record")
    def GetRecord(self, request: pb.GetRecordRequest, call: Call) -> pb.GetRecordResponse:  # noqa: N802
        call.request = {"record_id": request.record_id, "case_number": request.case_number,
                        "id_number": request.debtor_id_number, "name": request.debtor_name}
        view = self.records.get(call.principal, record_id=request.record_id,
                                case_number=request.case_number,
                                id_number=request.debtor_id_number, name=request.debtor_name)
        call.outcome = {"record_id": view.record_id}
        return pb.GetRecordResponse(record=record_to_pb(view))

    @unary("get_record_history")
    def GetRecordHistory(self, request: pb.GetRecordHistoryRequest,  # noqa: N802
                         call: Call) -> pb.GetRecordHistoryResponse:
        call.request = {"record_id": request.record_id, "case_number": request.case_number,
                        "id_number": request.debtor_id_number, "name": request.debtor_name}
        view, history = self.records.history(
            call.principal, record_id=request.record_id, case_number=request.case_number,
            id_number=request.debtor_id_number, name=request.debtor_name)
        call.outcome = {"record_id": view.record_id, "entries": len(history)}
        return pb.GetRecordHistoryResponse(
            record=record_to_pb(view),
            events=[event_to_pb(e) for e in history if e.get("type") == "event"],
            versions=[pb.RecordVersion(sequence=int(e["seq"]), received_at=e["received_at"],
                                       pushed_by=e["pushed_by"],
                                       record_json=json.dumps(e["record"], ensure_ascii=False))
                      for e in history if e.get("type") == "version"])

    @streaming("push_records")
    def PushRecords(self, request_iterator: Iterator[pb.PushRecordsRequest], call: Call,  # noqa: N802
                    context: grpc.ServicerContext) -> Iterator[pb.PushRecordsResponse]:
        self.records.check_pusher(call.principal)
        accepted = rejected = unchanged = 0
        for message in request_iterator:
            obj: dict[str, Any] = {}
            try:
                obj = self._item(message)
                result = self.records.push(call.principal, obj)
            except ShixinError as exc:
                rejected += 1
                self._audit(call, "push_rejected", message.sequence, obj,
                            {"code": exc.status.value, "reason": exc.reason, "error": str(exc)})
                yield pb.PushRecordsResponse(sequence=message.sequence, accepted=False,
                                             error=str(exc), error_reason=exc.reason)
                continue
            accepted += 1
            unchanged += result.unchanged
            self._audit(call, "push_event" if "event" in obj else "push_record",
                        message.sequence, obj,
                        {"code": "OK", "record_id": result.record_id,
                         "unchanged": result.unchanged, "change": result.change,
                         "feed_sequence": result.feed_sequence})
            yield pb.PushRecordsResponse(sequence=message.sequence, accepted=True,
                                         record_id=result.record_id,
                                         state=state_to_pb(result.state),
                                         unchanged=result.unchanged,
                                         feed_sequence=result.feed_sequence)
        call.outcome = {"accepted": accepted, "rejected": rejected, "unchanged": unchanged}

    @staticmethod
    def _item(message: pb.PushRecordsRequest) -> dict[str, Any]:
        which = message.WhichOneof("item")
        if which == "record":
            return record_from_pb(message.record)
        if which == "event":
            return event_from_pb(message.event)
        if which == "json_line":
            return parse_json_line(message.json_line)
        raise InvalidArgument("empty push message: set record, event or json_line",
                              field="item", reason="EMPTY_ITEM")

    def _audit(self, call: Call, action: str, sequence: int, obj: dict[str, Any],
               outcome: dict[str, Any]) -> None:
        # Name the debtor too, so `shixin audit list --subject` finds pushes about a person.
        nested = obj.get("debtor")
        debtor: dict[str, Any] = nested if isinstance(nested, dict) else obj
        call.audit(action, {
            "sequence": sequence, "case_number": str(obj.get("case_number", "")),
            "name": str(debtor.get("name") or ""), "id_number": str(debtor.get("id_number") or ""),
            **({"event": str(obj["event"])} if "event" in obj else {}),
        }, outcome)

    @unary("list_overdue")
    def ListOverdue(self, request: pb.ListOverdueRequest,  # noqa: N802
                    call: Call) -> pb.ListOverdueResponse:
        call.request = {"court": request.court, "as_of": request.as_of}
        items = self.records.overdue(call.principal, court=request.court,
                                     as_of=parse_day(request.as_of, "as_of"))
        call.outcome = {"overdue": len(items)}
        return pb.ListOverdueResponse(actions=[
            pb.OverdueAction(record_id=o.record_id, case_number=o.case_number, court=o.court,
                             kind=o.kind, since=o.since.isoformat(), due_on=o.due_on.isoformat(),
                             days_overdue=o.days_overdue, description=o.description)
            for o in items])
