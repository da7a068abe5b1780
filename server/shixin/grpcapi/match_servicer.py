"""MatchService: translate Match and BatchMatch to the query use case."""

from __future__ import annotations

from collections.abc import Iterator

import grpc

from shixin.auth import Role
from shixin.errors import InvalidArgument, PermissionDenied, ShixinError
from shixin.grpcapi.calls import Call, CallDeps, streaming, unary
from shixin.grpcapi.convert import (
    STATUS_TO_PB,
    batch_result_to_pb,
    outcome_to_pb,
    query_from_subject,
)
from shixin.service.queries import QueryService
from shixin.store import ReadView
from shixin.v1 import match_service_pb2 as pb
from shixin.v1 import match_service_pb2_grpc as pb_grpc

MAX_ROWS_PER_MESSAGE = 1000
STATUS_NAMES = {v: k for k, v in STATUS_TO_PB.items()}


class MatchServicer(pb_grpc.MatchServiceServicer):
    """Match one subject, or batches of rows."""

    def __init__(self, deps: CallDeps, queries: QueryService) -> None:
        self.deps = deps
        self.queries = queries

    @unary("match", public_ok=True)
    def Match(self, request: pb.MatchRequest, call: Call) -> pb.MatchResponse:  # noqa: N802
        call.purpose = request.purpose
        call.request = {"name": request.subject.name, "id_number": request.subject.id_number,
                        "kind": request.subject.kind}
        query = query_from_subject(request.subject)
        outcome = self.queries.match(call.principal, query, purpose=request.purpose,
                                     max_hits=request.max_hits,
                                     include_inactive=request.include_inactive)
        call.outcome = {"status": outcome.status,
                        "hits": [[h.record_id, h.role, h.level] for h in outcome.hits]}
        return outcome_to_pb(outcome)

    @streaming("batch_match")
    def BatchMatch(self, request_iterator: Iterator[pb.BatchMatchRequest], call: Call,  # noqa: N802
                   context: grpc.ServicerContext) -> Iterator[pb.BatchMatchResponse]:
        if call.principal.role == Role.PUBLIC:
            raise PermissionDenied("public callers query one subject at a time",
                                   reason="PUBLIC_NO_BATCH")
        measure = None
        purpose_set = False
        rows = hits = 0
        for message in request_iterator:
            if not purpose_set:
                call.purpose = message.purpose
                measure = self.queries.purpose_measure(call.principal, message.purpose)
                purpose_set = True
            if len(message.rows) > MAX_ROWS_PER_MESSAGE:
                raise InvalidArgument(f"at most {MAX_ROWS_PER_MESSAGE} rows per message, "
                                      f"got {len(message.rows)}", field="rows",
                                      reason="TOO_MANY_ROWS")
            results = []
            today = self.queries.clock()
            with self.queries.store.read_txn() as txn:
                view = ReadView(self.queries.store, txn)
                for row in message.rows:
                    rows += 1
                    if row.client_error:
                        results.append(pb.BatchResult(ref=row.ref, status=pb.MATCH_STATUS_ERROR,
                                                      error=row.client_error))
                        continue
                    try:
                        query = query_from_subject(row.subject, "rows.subject")
                        out = self.queries.match_in(view, call.principal, query,
                                                    measure=measure,
                                                    max_hits=message.max_hits or 10,
                                                    include_inactive=False, today=today)
                    except ShixinError as exc:
                        results.append(pb.BatchResult(ref=row.ref, status=pb.MATCH_STATUS_ERROR,
                                                      error=str(exc)))
                        continue
                    hits += len(out.hits)
                    results.append(batch_result_to_pb(row.ref, out))
            # One audit entry per message: bounded size, and a stream cut short is still
            # recorded up to the last message answered.
            call.audit(
                "batch_match.rows",
                {"rows": [{"ref": r.ref, "name": r.subject.name,
                           "id_number": r.subject.id_number} for r in message.rows]},
                {"results": [[res.ref, STATUS_NAMES.get(res.status, "error"),
                              [[h.record_id, h.role, h.level] for h in res.hits]]
                             for res in results]},
            )
            yield pb.BatchMatchResponse(results=results)
        call.request = {"row_count": rows}
        call.outcome = {"hits": hits}
