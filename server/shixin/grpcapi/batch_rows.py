"""Answering BatchMatch messages, in the serving process or in worker processes.

A Python process matches on one CPU at a time (the GIL), so a batch of a
million rows would keep one CPU busy and leave the others idle. BatchMatch
therefore hands whole messages (up to 1,000 rows, usually 100) to worker
processes, each with its own read-only view of the LMDB index, and answers
other messages itself meanwhile; answers still go out in order.

Workers are started (``spawn``: gRPC and ``fork`` do not mix) on the first
BatchMatch and used once they are ready, so a small batch never waits for
one. A worker answers with bytes and summaries only: the serving process
writes the audit entry and the told ledger for every message, whoever
matched it. If a worker dies, its messages are answered in the serving
process and the pool is started afresh on the next batch.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import structlog

from shixin.auth import Principal
from shixin.errors import ShixinError
from shixin.grpcapi.convert import batch_result_to_pb, query_from_subject
from shixin.grpcapi.warm import warm_and_freeze
from shixin.measures import Measure, load_catalogue
from shixin.service.queries import QueryService
from shixin.store import ReadView, Store
from shixin.v1 import match_service_pb2 as pb

log = structlog.get_logger(__name__)



@dataclass(frozen=True, slots=True)
class MessageAnswer:
    """The answer to one BatchMatchRequest, and what the serving process must record."""

    response: bytes
    """The serialised BatchMatchResponse."""
    summary: list[list[Any]]
    """Per row: [ref, status, [[record_id, role, level], …]], for the audit entry."""
    told: list[tuple[str, int]]
    """(record_id, period) of the live hits shown, for the told ledger."""
    hits: int


def answer_message(queries: QueryService, principal: Principal,
                   message: pb.BatchMatchRequest, measure: Measure | None,
                   today: date) -> MessageAnswer:
    """Match every row of one message in one snapshot; a bad row is an error row."""
    results = []
    summary: list[list[Any]] = []
    told: list[tuple[str, int]] = []
    hits = 0
    max_hits = message.max_hits or 10
    with queries.store.read_txn() as txn:
        view = ReadView(queries.store, txn)
        for row in message.rows:
            if row.client_error:
                results.append(pb.BatchResult(ref=row.ref, status=pb.MATCH_STATUS_ERROR,
                                              error=row.client_error))
                summary.append([row.ref, "error", []])
                continue
            try:
                query = query_from_subject(row.subject, "rows.subject")
                out = queries.match_in(view, principal, query, measure=measure,
                                       max_hits=max_hits, include_inactive=False, today=today)
            except ShixinError as exc:
                results.append(pb.BatchResult(ref=row.ref, status=pb.MATCH_STATUS_ERROR,
                                              error=str(exc)))
                summary.append([row.ref, "error", []])
                continue
            hits += len(out.hits)
            told.extend(out.told)
            results.append(batch_result_to_pb(row.ref, out))
            summary.append([row.ref, out.status,
                            [[h.record_id, h.role, h.level] for h in out.hits]])
    response = pb.BatchMatchResponse(results=results).SerializeToString()
    return MessageAnswer(response, summary, told, hits)


# -- worker processes -----------------------------------------------------------
_WORKER: QueryService | None = None


def _no_clock() -> date:
    raise RuntimeError("batch workers take today from each task")


def _init_worker(data_dir: str, cpus: frozenset[int]) -> None:
    global _WORKER
    if cpus:  # started by a thread kept on one CPU (shixin.grpcapi.pinning): undo it
        os.sched_setaffinity(0, cpus)
    queries = QueryService(Store(data_dir, readonly=True), _no_clock, None, load_catalogue())
    warm_and_freeze(queries.store)  # before saying ready: see shixin.grpcapi.warm
    _WORKER = queries


def _ready() -> bool:
    return _WORKER is not None


def _answer_in_worker(principal: Principal, measure_code: str, raw: bytes,
                      today: date) -> MessageAnswer:
    queries = _WORKER
    if queries is None:
        raise RuntimeError("batch worker not initialised")
    measure = queries.catalogue.measure(measure_code) if measure_code else None
    return answer_message(queries, principal, pb.BatchMatchRequest.FromString(raw), measure,
                          today)


class BatchWorkers:
    """A lazily started pool of matching processes over one index."""

    def __init__(self, data_dir: Path, processes: int,
                 cpus: Iterable[int] = ()) -> None:
        self.data_dir = data_dir
        self.processes = processes
        self.cpus = frozenset(cpus)
        """The CPUs the workers may use (the server's, before it pinned its threads)."""
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._ready = threading.Event()
        self.submitted = 0
        """Messages handed to workers so far (a figure for tests and logs)."""

    def start(self) -> None:
        """Start the workers in the background, if not running (returns at once)."""
        if self.processes <= 0:
            return
        with self._lock:
            if self._pool is not None:
                return
            self._ready.clear()
            pool = ProcessPoolExecutor(self.processes,
                                       mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_init_worker,
                                       initargs=(str(self.data_dir), self.cpus))
            self._pool = pool
            warm = [pool.submit(_ready) for _ in range(self.processes)]
            pending = [len(warm)]

            def one_ready(f: Future[bool]) -> None:
                if f.exception() is not None:
                    log.error("batch_worker_failed", error=str(f.exception()))
                    return
                with self._lock:
                    pending[0] -= 1
                    if pending[0] == 0 and self._pool is pool:
                        self._ready.set()
                        log.info("batch_workers_ready", processes=self.processes)

            for f in warm:
                f.add_done_callback(one_ready)

    def wait_ready(self, timeout: float) -> bool:
        """Block until the workers can take messages (tests, benchmarks)."""
        return self._ready.wait(timeout)

    def submit(self, principal: Principal, measure_code: str, raw: bytes,
               today: date) -> Future[MessageAnswer] | None:
        """Queue a message for a worker; None when no worker is ready."""
        with self._lock:
            pool = self._pool
            if pool is None or not self._ready.is_set():
                return None
            try:
                future = pool.submit(_answer_in_worker, principal, measure_code, raw, today)
            except RuntimeError:  # broken or shut down: answer in process
                return None
            self.submitted += 1
            return future

    def lost(self) -> bool:
        """Whether a worker of the current pool has died.

        The pool itself notices most deaths (its futures then fail with
        ``BrokenProcessPool``), but a worker killed while sending an answer can
        leave the pool waiting forever for the rest of it; the servicer asks this
        when an answer is long in coming.
        """
        with self._lock:
            pool = self._pool
        processes = getattr(pool, "_processes", None) or {}  # the pool's own bookkeeping
        return any(not p.is_alive() for p in list(processes.values()))

    def discard(self) -> None:
        """Drop a broken pool; the next ``start`` makes a new one."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._ready.clear()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers."""
        self.discard()
