"""MatchService: translate Match and BatchMatch to the query use case."""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from typing import Any

import grpc
import structlog

from shixin.auth import Role
from shixin.errors import InvalidArgument, PermissionDenied
from shixin.grpcapi.batch_rows import BatchWorkers, MessageAnswer, answer_message
from shixin.grpcapi.calls import Call, CallDeps, streaming, unary
from shixin.grpcapi.convert import outcome_to_pb, query_from_subject
from shixin.measures import Measure
from shixin.service.queries import QueryService
from shixin.v1 import match_service_pb2 as pb
from shixin.v1 import match_service_pb2_grpc as pb_grpc

log = structlog.get_logger(__name__)

MAX_ROWS_PER_MESSAGE = 1000
WORKER_CHECK_SECONDS = 2.0
"""How long BatchMatch waits on its workers before checking that they are alive."""


class MatchServicer(pb_grpc.MatchServiceServicer):
    """Match one subject, or batches of rows."""

    def __init__(self, deps: CallDeps, queries: QueryService,
                 workers: BatchWorkers | None = None) -> None:
        self.deps = deps
        self.queries = queries
        self.workers = workers

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
        if self.workers is not None:
            self.workers.start()
        inbox: queue.Queue[tuple[str, Any]] = queue.Queue()
        reader = threading.Thread(target=_read_into, args=(request_iterator, inbox),
                                  name="batch-reader", daemon=True)
        reader.start()
        pending: deque[_Slot] = deque()
        measure: Measure | None = None
        first = True
        rows = hits = 0
        ended = False
        while pending or not ended:
            while pending and pending[0].done():
                slot = pending.popleft()
                answer = self._settle(slot, call, measure)
                rows += len(slot.message.rows)
                hits += answer.hits
                yield pb.BatchMatchResponse.FromString(answer.response)
            if ended:
                if pending and not pending[0].wait(WORKER_CHECK_SECONDS):
                    self._rescue(pending, call, measure)
                continue
            try:
                kind, item = inbox.get(timeout=WORKER_CHECK_SECONDS)
            except queue.Empty:
                self._rescue(pending, call, measure)
                continue
            if kind == "end":
                ended = True
            elif kind == "error":
                raise item
            elif kind == "msg":
                message: pb.BatchMatchRequest = item
                if first:
                    call.purpose = message.purpose
                    measure = self.queries.purpose_measure(call.principal, message.purpose)
                    first = False
                if len(message.rows) > MAX_ROWS_PER_MESSAGE:
                    raise InvalidArgument(f"at most {MAX_ROWS_PER_MESSAGE} rows per message, "
                                          f"got {len(message.rows)}", field="rows",
                                          reason="TOO_MANY_ROWS")
                pending.append(self._dispatch(message, call, measure, inbox, pending))
        call.request = {"row_count": rows}
        call.outcome = {"hits": hits}

    def _dispatch(self, message: pb.BatchMatchRequest, call: Call, measure: Measure | None,
                  inbox: queue.Queue[tuple[str, Any]], pending: deque[_Slot]) -> _Slot:
        """A worker takes the message while fewer than two per worker wait; else answer now."""
        today = self.queries.clock()
        if self.workers is not None:
            queued = sum(1 for slot in pending if slot.future is not None and not slot.done())
            if queued < 2 * self.workers.processes:
                future = self.workers.submit(call.principal, measure.code if measure else "",
                                             message.SerializeToString(), today)
                if future is not None:
                    future.add_done_callback(lambda _: inbox.put(("tick", None)))
                    return _Slot(message, today, future=future)
        return _Slot(message, today, answer=answer_message(self.queries, call.principal,
                                                           message, measure, today))

    def _rescue(self, pending: deque[_Slot], call: Call, measure: Measure | None) -> None:
        """Answer in process the messages of a worker that died without the pool noticing
        (``BatchWorkers.lost``), and drop the pool."""
        if self.workers is None or not self.workers.lost():
            return
        stuck = [slot for slot in pending if not slot.done()]
        log.error("batch_worker_lost", error="a worker process died", messages=len(stuck))
        for slot in stuck:  # before the pool is dropped: that cancels their futures
            slot.future = None
            slot.answer = answer_message(self.queries, call.principal, slot.message, measure,
                                         slot.today)
        self.workers.discard()

    def _settle(self, slot: _Slot, call: Call, measure: Measure | None) -> MessageAnswer:
        """The slot's answer (in process if its worker failed), audited and told."""
        try:
            answer = slot.result()
        except BrokenProcessPool as exc:
            log.error("batch_worker_lost", error=str(exc))
            if self.workers is not None:
                self.workers.discard()
            answer = answer_message(self.queries, call.principal, slot.message, measure,
                                    slot.today)
        self.queries.note_told(call.principal, answer.told)
        # One audit entry per message: bounded size, and a stream cut short is still
        # recorded up to the last message answered.
        call.audit(
            "batch_match.rows",
            {"rows": [{"ref": r.ref, "name": r.subject.name,
                       "id_number": r.subject.id_number} for r in slot.message.rows]},
            {"results": answer.summary},
        )
        return answer


@dataclass(slots=True)
class _Slot:
    """One message on its way: answered already, or by a worker."""

    message: pb.BatchMatchRequest
    today: date
    answer: MessageAnswer | None = None
    future: Future[MessageAnswer] | None = None

    def done(self) -> bool:
        return self.future is None or self.future.done()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the answer is there, after waiting at most ``timeout`` seconds."""
        if self.future is not None:
            wait([self.future], timeout=timeout)
        return self.done()

    def result(self) -> MessageAnswer:
        if self.future is not None:
            return self.future.result()
        assert self.answer is not None
        return self.answer


def _read_into(requests: Iterator[pb.BatchMatchRequest],
               inbox: queue.Queue[tuple[str, Any]]) -> None:
    """Move the client's messages into ``inbox`` so that answers never wait on reading."""
    try:
        for message in requests:
            inbox.put(("msg", message))
        inbox.put(("end", None))
    except Exception as exc:  # the stream broke or was cancelled: the handler decides
        inbox.put(("error", exc))
