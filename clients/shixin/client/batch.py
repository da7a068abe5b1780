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

The client's own work per row must stay small next to the server's (a million
rows on the machine that also runs the server), so the hot path has no object
per row or per hit: the readers yield plain tuples, requests are filled in
place (``rows.add``), and each response message becomes one block of output
text. A JSON Lines line is assembled from pre-quoted pieces and
``json.encoder``'s C string escaping, identical to ``json.dumps`` of
:func:`hit_dict`-shaped results; the measure object, the same for most hits,
is encoded once per distinct value (keyed by its wire bytes).

Responses are decoded with a *view* of ``BatchMatchResponse`` (:func:`view_class`):
the same field numbers, only the fields the output needs, and ``Hit.measure``
kept as its bytes; decoding a skipped field or a sub-message object per hit
cost more than all the rest. ``python -m tests.cli.batch_client_cost`` measures the
client's CPU per row against recorded answers.
"""

from __future__ import annotations

import collections
import functools
import itertools
import json
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import Message

from shixin.batchio import CsvWriter, Fields, ResultWriter, RowError, open_writer, read_subjects
from shixin.client.connection import KINDS, ShixinClient
from shixin.v1 import match_service_pb2 as pb
from shixin.v1 import types_pb2

ROWS_PER_MESSAGE = 100
MAX_IN_FLIGHT = 32
"""Messages sent and not yet answered (32 × 100 rows keeps the server busy)."""
STATUS_NAMES: dict[int, str] = {pb.MATCH_STATUS_HIT: "hit", pb.MATCH_STATUS_POSSIBLE: "possible",
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


def _measure_dict(m: pb.MeasureApplication) -> dict[str, Any]:
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
    return measure


def hit_dict(h: pb.Hit) -> dict[str, Any]:
    """A hit in the batch-lookup.md shape (plus the matched party and measure).

    The batch itself writes the same thing without building it (:class:`_JsonLines`).
    """
    out: dict[str, Any] = {
        "case_number": h.case_number, "debtor_name": h.debtor_name, "id_number": h.id_number,
        "role": _role_name(h.role), "level": LEVEL_NAMES.get(h.level, ""),
        "score": round(h.score, 4), "reasons": list(h.reasons), "active": h.active,
    }
    if h.role != 1:
        out["matched_name"] = h.matched_name
    out["court"] = h.court
    if h.HasField("measure"):
        out["measure"] = _measure_dict(h.measure)
    return out


def _role_name(role: int) -> str:
    return ROLE_NAMES[role] if 0 <= role < len(ROLE_NAMES) else ""


# -- decoding: a view of the response with only the fields the output needs -----------

_JSONL_HIT_FIELDS = ("case_number", "debtor_name", "id_number", "role", "matched_name", "level",
                     "score", "reasons", "active", "court", "measure")
_CSV_HIT_FIELDS = ("case_number", "debtor_name", "role", "level", "score", "reasons")
_RESULT_FIELDS = ("ref", "status", "hits", "error")
_Field = descriptor_pb2.FieldDescriptorProto


@functools.cache
def view_class(hit_fields: tuple[str, ...]) -> type[Message]:
    """A message class reading ``BatchMatchResponse`` wire bytes, keeping only what is needed.

    Built from the real descriptors, so field numbers follow ``match_service.proto``:
    ``results`` (ref, status, hits, error) with each hit's ``hit_fields``. Enums
    read as ``int32`` (the same varints), and ``measure`` as ``bytes`` (its
    encoded ``MeasureApplication``). Proto2 syntax, so that ``measure`` still has
    presence; every other field is dropped unread.
    """
    package = "shixin_batch_view_" + "_".join(hit_fields)
    file = descriptor_pb2.FileDescriptorProto(name=f"{package}.proto", package=package,
                                              syntax="proto2")

    def copy(name: str, source: Any, keep: Iterable[str], submessage: str = "") -> None:
        message = file.message_type.add(name=name)
        for name_ in keep:
            real = source.fields_by_name[name_]
            kind = real.type
            if kind == real.TYPE_ENUM:
                kind = _Field.TYPE_INT32
            elif kind == real.TYPE_MESSAGE and not submessage:
                kind = _Field.TYPE_BYTES
            view = message.field.add(
                name=name_, number=real.number, type=kind,
                label=_Field.LABEL_REPEATED if real.is_repeated else _Field.LABEL_OPTIONAL)
            if kind == _Field.TYPE_MESSAGE:
                view.type_name = f".{package}.{submessage}"

    copy("Hit", pb.Hit.DESCRIPTOR, hit_fields)
    copy("Result", pb.BatchResult.DESCRIPTOR, _RESULT_FIELDS, "Hit")
    copy("Response", pb.BatchMatchResponse.DESCRIPTOR, ("results",), "Result")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{package}.Response"))


_BATCH_MATCH = "/{}/BatchMatch".format(pb.DESCRIPTOR.services_by_name["MatchService"].full_name)


def _call(client: ShixinClient, requests: Iterator[pb.BatchMatchRequest],
          view: type[Message]) -> Any:
    """The BatchMatch stream, its responses decoded with ``view``."""
    channel = getattr(client, "channel", None)
    if channel is None:  # a stand-in client: decode its messages again
        return (view.FromString(r.SerializeToString()) for r in client.batch_match(requests))
    method = channel.stream_stream(_BATCH_MATCH,
                                   request_serializer=pb.BatchMatchRequest.SerializeToString,
                                   response_deserializer=view.FromString)
    return method(requests, metadata=client.metadata)


# -- output: one block of text per response message ------------------------------------

_quote: Callable[[str], str] = json.encoder.encode_basestring
"""JSON string literal, non-ASCII kept (the C function behind ``ensure_ascii=False``)."""
_ENCODER = json.JSONEncoder(ensure_ascii=False)
_MEASURE_CACHE_SIZE = 4096
"""Distinct measure objects kept encoded (a few dozen in practice; bounded all the same)."""
_ROLE_NAME_OF = dict(enumerate(ROLE_NAMES))
_ROLE_JSON = {role: _quote(name) for role, name in enumerate(ROLE_NAMES)}
_LEVEL_JSON = {level: _quote(name) for level, name in LEVEL_NAMES.items()}
EMPTY = '""'
_FORMULA_START = frozenset(("=", "+", "-", "@", "\t", "\r"))
"""First characters Excel would run as a formula (see ``batchio.writers``)."""


def _cell(text: str) -> str:
    return "'" + text if text[:1] in _FORMULA_START else text


Queries = list[tuple[str, str, str]]
"""``(ref, name, id_number)`` of each row of a message, as sent."""


class _Formatter:
    """Turns one response message into output, and counts statuses."""

    hit_fields: tuple[str, ...] = _JSONL_HIT_FIELDS

    def __init__(self) -> None:
        self.counts: collections.Counter[int] = collections.Counter()
        self._scores: dict[float, str] = {}
        """Score → its text: a few dozen distinct scores, and ``round`` + ``repr`` is slow."""

    def _score_text(self, score: float) -> str:
        text = self._format_score(score)
        if score:  # not 0.0, which is equal to -0.0 as a key but not written the same
            if len(self._scores) >= _MEASURE_CACHE_SIZE:
                self._scores.clear()
            self._scores[score] = text
        return text

    @staticmethod
    def _format_score(score: float) -> str:
        return _ENCODER.encode(round(score, 4))  # as json.dumps writes it (NaN too)

    def write(self, writer: ResultWriter, queries: Queries,
              results: Any) -> None:  # results: the message's repeated BatchResult
        raise NotImplementedError


class _JsonLines(_Formatter):
    """JSON Lines equal to ``json.dumps(shape_result(...), ensure_ascii=False)``, as UTF-8.

    Each line is one f-string of pre-quoted keys and ``json``'s C string escaping
    (faster here than building dicts for ``json``'s C encoder). The lines of a
    message are built as one string with a NUL where each hit's measure goes (JSON
    text never holds a raw NUL: ``json`` escapes it), encoded once, and the
    measures, cached already encoded, are spliced in as bytes: they are most of
    the output, and encoding them again for every hit cost more than the rest.
    """

    def __init__(self) -> None:
        super().__init__()
        self._measures: dict[bytes, bytes] = {}

    def _measure(self, key: bytes) -> bytes:
        """``, "measure": {…}`` of a hit's encoded MeasureApplication, as UTF-8."""
        if len(self._measures) >= _MEASURE_CACHE_SIZE:
            self._measures.clear()
        measure = pb.MeasureApplication.FromString(key)
        text = ', "measure": ' + _ENCODER.encode(_measure_dict(measure))
        self._measures[key] = encoded = text.encode()
        return encoded

    def write(self, writer: ResultWriter, queries: Queries, results: Any) -> None:
        quote, role_json, level_json = _quote, _ROLE_JSON, _LEVEL_JSON
        cached, counts, scores = self._measures, self.counts, self._scores
        lines: list[str] = []
        measures: list[bytes] = []
        add_measure = measures.append
        # Slicing a repeated field ([:]) makes the list in C: faster than iterating it.
        for (ref, name, id_number), res in zip(queries, results[:], strict=True):
            status = res.status
            counts[status] += 1
            hits = []
            for h in res.hits[:]:
                role = h.role
                score = h.score
                matched = f', "matched_name": {quote(h.matched_name)}' if role != 1 else ""
                key = h.measure
                if key or h.HasField("measure"):
                    add_measure(cached.get(key) or self._measure(key))
                    spliced = "\0"
                else:
                    spliced = ""
                hits.append(
                    f'{{"case_number": {quote(h.case_number)}, '
                    f'"debtor_name": {quote(h.debtor_name)}, "id_number": {quote(h.id_number)}, '
                    f'"role": {role_json.get(role, EMPTY)}, '
                    f'"level": {level_json.get(h.level, EMPTY)}, '
                    f'"score": {scores.get(score) or self._score_text(score)}, '
                    f'"reasons": [{", ".join(map(quote, h.reasons[:]))}], '
                    f'"active": {"true" if h.active else "false"}{matched}, '
                    f'"court": {quote(h.court)}{spliced}}}')
            name_status = STATUS_NAMES.get(status, "error")
            error = f', "error": {quote(res.error)}' if name_status == "error" else ""
            lines.append(
                f'{{"ref": {quote(ref or res.ref)}, "status": "{name_status}", '
                f'"query": {{"name": {quote(name)}, "id_number": {quote(id_number)}}}, '
                f'"hits": [{", ".join(hits)}]{error}}}\n')
        data = "".join(lines).encode()
        if measures:
            parts = data.split(b"\0")
            measures.append(b"")
            data = b"".join(itertools.chain.from_iterable(zip(parts, measures, strict=True)))
        writer.write_encoded(data, len(lines))


class _CsvRows(_Formatter):
    """Rows of ``batchio.CSV_COLUMNS``, as ``CsvWriter.write`` makes them."""

    hit_fields = _CSV_HIT_FIELDS

    @staticmethod
    def _format_score(score: float) -> str:
        return f"{round(score, 4):.2f}"  # as CsvWriter writes round(score, 4)

    def write(self, writer: ResultWriter, queries: Queries, results: Any) -> None:
        assert isinstance(writer, CsvWriter)
        cell, counts, scores = _cell, self.counts, self._scores
        formula, role_names, level_names = _FORMULA_START, _ROLE_NAME_OF, LEVEL_NAMES
        rows: list[list[object]] = []
        for (ref, _name, _id_number), res in zip(queries, results[:], strict=True):
            status = res.status
            counts[status] += 1
            name_status = STATUS_NAMES.get(status, "error")
            hits = res.hits[:]
            cases, names, roles, levels, score_texts, reasons = [], [], [], [], [], []
            for h in hits:  # _cell inlined: three calls per hit cost more than the rest
                case, debtor, reason, score = (h.case_number, h.debtor_name,
                                               ", ".join(h.reasons[:]), h.score)
                cases.append("'" + case if case[:1] in formula else case)
                names.append("'" + debtor if debtor[:1] in formula else debtor)
                roles.append(role_names.get(h.role, ""))
                levels.append(level_names.get(h.level, ""))
                score_texts.append(scores.get(score) or self._score_text(score))
                reasons.append("'" + reason if reason[:1] in formula else reason)
            rows.append([cell(ref or res.ref), name_status, len(hits), "; ".join(cases),
                         "; ".join(names), "; ".join(roles), "; ".join(levels),
                         "; ".join(score_texts), "; ".join(reasons),
                         cell(res.error) if name_status == "error" else ""])
        writer.write_cells(rows)


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


_KIND_VALUES: dict[str, int] = dict(KINDS)


def _messages(rows: Iterator[Fields | RowError], pending: queue.SimpleQueue[Queries],
              window: _Window, purpose: str, unit: str,
              max_hits: int) -> Iterator[pb.BatchMatchRequest]:
    """Request messages of :data:`ROWS_PER_MESSAGE` rows; each one's queries go to ``pending``."""
    kinds = _KIND_VALUES
    unspecified = types_pb2.SUBJECT_KIND_UNSPECIFIED
    first = True
    while chunk := list(itertools.islice(rows, ROWS_PER_MESSAGE)):
        if not window.take():
            return
        request = pb.BatchMatchRequest(purpose=purpose if first else "", unit=unit,
                                       max_hits=max_hits)
        add = request.rows.add
        queries: Queries = []
        for row in chunk:
            if row.__class__ is tuple:
                _, ref, name, id_number, kind = row
                subject = add(ref=ref).subject
                if name:
                    subject.name = name
                if id_number:
                    subject.id_number = id_number
                if kind:
                    subject.kind = kinds.get(kind, unspecified)  # type: ignore[assignment]
                queries.append((ref, name, id_number))
            else:
                assert isinstance(row, RowError)
                add(ref=row.ref, client_error=row.message)
                queries.append((row.ref, "", ""))
        pending.put(queries)
        first = False
        yield request


def run_batch(client: ShixinClient, input_path: Path, output_path: Path, *,
              purpose: str = "", max_hits: int = 10,
              progress: Callable[[int], None] | None = None) -> BatchSummary:
    """Match every row of ``input_path``; write ``output_path`` (JSONL or CSV by extension).

    The output appears only when every row has its result (it is written aside
    and renamed); on an error the previous output file, if any, is left as it was.
    """
    rows = read_subjects(input_path)
    pending: queue.SimpleQueue[Queries] = queue.SimpleQueue()
    window = _Window(MAX_IN_FLIGHT)
    requests = _messages(rows, pending, window, purpose or client.config.purpose,
                         client.config.unit, max_hits)
    call: Any = None
    try:
        with open_writer(output_path) as writer:
            formatter = _CsvRows() if isinstance(writer, CsvWriter) else _JsonLines()
            call = _call(client, requests, view_class(formatter.hit_fields))
            for response in call:
                queries = pending.get()
                window.give()
                formatter.write(writer, queries, response.results)
                if progress is not None:
                    progress(len(queries))
    finally:
        window.close()
        cancel = getattr(call, "cancel", None)
        if cancel is not None:
            cancel()  # a no-op once the call has finished; stops the stream after an error
    summary = BatchSummary()
    for status, count in formatter.counts.items():
        summary.rows += count
        summary.by_status[STATUS_NAMES.get(status, "error")] += count
    return summary
