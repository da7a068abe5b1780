"""``shixin batch``: stream a batch file to the server and write one result per row.

Rows go out 100 per message (streaming many rows per message is ~50× cheaper
per row than one per message); results come back in the same order and are
written as they arrive. A row the client cannot read is sent as an error row,
so the output keeps exactly one line per input row, in input order.

Memory stays flat for files of millions of rows: the file is read lazily, each
result is written and dropped, and at most :data:`MAX_IN_FLIGHT` messages are
sent but not yet answered — the reader waits for the server rather than
buffering the file (gRPC's own flow control alone would let several megabytes
of requests, and their echo data here, pile up when the server is the slower).
"""

from __future__ import annotations

import collections
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shixin.batchio import BatchRow, RowError, open_writer, read_rows
from shixin.client.connection import KINDS, ShixinClient
from shixin.v1 import match_service_pb2 as pb
from shixin.v1 import types_pb2

ROWS_PER_MESSAGE = 100
MAX_IN_FLIGHT = 32
"""Messages sent and not yet answered (32 × 100 rows keeps the server busy)."""
STATUS_NAMES = {pb.MATCH_STATUS_HIT: "hit", pb.MATCH_STATUS_POSSIBLE: "possible",
                pb.MATCH_STATUS_NONE: "none", pb.MATCH_STATUS_ERROR: "error"}
ROLE_NAMES = ["", "debtor", "legal_representative", "principal", "actual_controller", "director",
              "supervisor", "senior_manager", "directly_responsible"]
LEVEL_NAMES = {pb.MATCH_LEVEL_DEFINITIVE: "definitive", pb.MATCH_LEVEL_CANDIDATE: "candidate"}


@dataclass
class BatchSummary:
    """Counts by status."""

    rows: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: collections.Counter())


ACTION_NAMES = {v: k.removeprefix("MEASURE_ACTION_").lower()
                for k, v in pb.MeasureAction.items() if v}
REACH_NAMES = {v: k.removeprefix("MEASURE_REACH_").lower()
               for k, v in pb.MeasureReach.items() if v}


def hit_dict(h: pb.Hit) -> dict[str, Any]:
    """A hit in the batch-lookup.md shape (plus the matched party and measure)."""
    out: dict[str, Any] = {
        "case_number": h.case_number, "debtor_name": h.debtor_name, "id_number": h.id_number,
        "role": ROLE_NAMES[h.role], "level": LEVEL_NAMES.get(h.level, ""),
        "score": round(h.score, 4), "reasons": list(h.reasons), "active": h.active,
    }
    if h.role != 1:
        out["matched_name"] = h.matched_name
    out["court"] = h.court
    if h.HasField("measure"):
        m = h.measure
        measure: dict[str, Any] = {
            "code": m.measure_code, "applies": m.applies,
            "actions": [ACTION_NAMES.get(a, "") for a in m.actions],
            "role": ROLE_NAMES[m.role] if 0 <= m.role < len(ROLE_NAMES) else "",
            "reach": REACH_NAMES.get(m.reach, ""), "explanation": m.explanation,
        }
        if m.HasField("officer_effect"):
            measure["officer_effect"] = {
                "officer_roles": [ROLE_NAMES[r] for r in m.officer_effect.officer_roles
                                  if 0 <= r < len(ROLE_NAMES)],
                "actions": [ACTION_NAMES.get(a, "") for a in m.officer_effect.actions],
                "explanation": m.officer_effect.explanation,
            }
        out["measure"] = measure
    return out


class _Window:
    """Slots for messages in flight: the sender takes one, each answer gives one back."""

    def __init__(self, size: int) -> None:
        self._slots = threading.Semaphore(size)
        self._closed = threading.Event()

    def take(self) -> bool:
        """Wait for a slot; False once the call is over (stop sending)."""
        while not self._closed.is_set():
            if self._slots.acquire(timeout=0.2):
                return True
        return False

    def give(self) -> None:
        """An answer arrived."""
        self._slots.release()

    def close(self) -> None:
        """The call ended (normally or not): wake and stop the sender."""
        self._closed.set()


def _messages(rows: Iterator[BatchRow | RowError], pending: queue.Queue[Any], window: _Window,
              purpose: str, unit: str, max_hits: int) -> Iterator[pb.BatchMatchRequest]:
    chunk: list[pb.BatchRow] = []
    queries: list[tuple[str, str, str]] = []
    first = True

    def flush() -> pb.BatchMatchRequest:
        pending.put(queries)
        return pb.BatchMatchRequest(rows=chunk, purpose=purpose if first else "", unit=unit,
                                    max_hits=max_hits)

    for row in rows:
        if isinstance(row, RowError):
            chunk.append(pb.BatchRow(ref=row.ref, client_error=row.message))
            queries.append((row.ref, "", ""))
        else:
            kind = KINDS.get(row.kind, types_pb2.SUBJECT_KIND_UNSPECIFIED)
            chunk.append(pb.BatchRow(ref=row.ref, subject=pb.Subject(
                name=row.name, id_number=row.id_number, kind=kind)))
            queries.append((row.ref, row.name, row.id_number))
        if len(chunk) >= ROWS_PER_MESSAGE:
            if not window.take():
                return
            yield flush()
            first = False
            chunk, queries = [], []
    if chunk and window.take():
        yield flush()


def run_batch(client: ShixinClient, input_path: Path, output_path: Path, *,
              purpose: str = "", max_hits: int = 10,
              progress: Callable[[int], None] | None = None) -> BatchSummary:
    """Match every row of ``input_path``; write ``output_path`` (JSONL or CSV by extension).

    The output appears only when every row has its result (it is written aside
    and renamed); on an error the previous output file, if any, is left as it was.
    """
    summary = BatchSummary()
    rows = read_rows(input_path)
    pending: queue.Queue[list[tuple[str, str, str]]] = queue.Queue()
    window = _Window(MAX_IN_FLIGHT)
    requests = _messages(rows, pending, window, purpose or client.config.purpose,
                         client.config.unit, max_hits)
    call = client.batch_match(requests)
    try:
        with open_writer(output_path) as writer:
            for response in call:
                queries = pending.get()
                window.give()
                for (ref, name, id_number), res in zip(queries, response.results,
                                                       strict=True):
                    status = STATUS_NAMES.get(res.status, "error")
                    result: dict[str, Any] = {
                        "ref": ref or res.ref, "status": status,
                        "query": {"name": name, "id_number": id_number},
                        "hits": [hit_dict(h) for h in res.hits],
                    }
                    if status == "error":
                        result["error"] = res.error
                    writer.write(result)
                    summary.rows += 1
                    summary.by_status[status] += 1
                if progress is not None:
                    progress(len(queries))
    finally:
        window.close()
        cancel = getattr(call, "cancel", None)
        if cancel is not None:
            cancel()  # a no-op once the call has finished; stops the stream after an error
    return summary
