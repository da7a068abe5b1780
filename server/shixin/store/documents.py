"""The JSON document stored per record, and its typed read-side view.

The document keeps the record as pushed (interchange form), the parties
pre-normalised for matching (so that a query parses no stored ID), the events
of its lifecycle, and bookkeeping for the expiry index.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from shixin.lifecycle import Event, Status, parse_event, status
from shixin.lifecycle.window import Timeline, status_in, timeline
from shixin.records import ListRecord

# One encoder and decoder for every document: json.dumps/loads build a new
# encoder per call when given options, and decode bytes by sniffing them.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                            check_circular=False)
_ENCODE = _ENCODER.encode
# ``JSONEncoder.encode`` also builds its C encoder anew on every call (about 1 µs, a
# large share of encoding the short values an import encodes ~20 times a record).
# Built once here with the same options, it writes the same text: ``_ENCODER`` is
# what ``iterencode`` would give it (no markers: ``check_circular=False``).
_C_ENCODE: Any = None if c_make_encoder is None else c_make_encoder(
    None, _ENCODER.default, encode_basestring, None, ":", ",", True, False, True)
_DECODE = json.JSONDecoder().decode
STATUS_CACHE_SIZE = 1 << 16


@dataclass(frozen=True, slots=True)
class Party:
    """One matchable party of a record: the debtor (index 0) or a related person."""

    index: int
    role: str
    kind: str
    name: str
    id_number: str
    id_compact: str
    id_kind: str
    id_valid: bool


def document_parties(record: ListRecord) -> list[list[Any]]:
    """The document's ``p``: every party, pre-normalised for matching (see ``Party``)."""
    parties: list[list[Any]] = []
    d = record.debtor
    pid = d.parsed_id
    parties.append(["debtor", d.kind, d.name, d.id_number,
                    pid.compact if pid else "", pid.kind.value if pid else "",
                    bool(pid.valid) if pid else False])
    for rp in record.related_persons:
        p = rp.parsed_id
        parties.append([rp.role, "person", rp.name, rp.id_number,
                        p.compact if p else "", p.kind.value if p else "",
                        bool(p.valid) if p else False])
    return parties


def build_document(record: ListRecord, events: list[dict[str, Any]],
                   versions: int) -> dict[str, Any]:
    """The stored form of a record."""
    return {
        "id": record.record_id,
        "key": record.key,
        "r": record.to_json(),
        "p": document_parties(record),
        "pr": list(record.id_problems),
        "e": events,
        "v": versions,
    }


def encode(value: Any) -> str:
    """JSON text of one value, exactly as :func:`dumps` writes it inside a document.

    A document's text is ``{`` + ``"name":`` + ``encode(value)`` for each field in
    name order, joined by ``,`` + ``}``; the importer assembles documents that way
    from parts it encoded once.

    >>> encode({"b": [1, None], "a": "张"})
    '{"a":"张","b":[1,null]}'
    """
    if _C_ENCODE is None or isinstance(value, str):
        return _ENCODE(value)
    return "".join(_C_ENCODE(value, 0))


def dumps(doc: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, stable key order (so equal documents are equal bytes).

    >>> dumps({"b": 1, "a": [None, "x"]})
    b'{"a":[null,"x"],"b":1}'
    """
    return encode(doc).encode()


def loads(raw: bytes) -> dict[str, Any]:
    """Inverse of :func:`dumps`.

    >>> loads(dumps({"a": "张"}))
    {'a': '张'}
    """
    doc: dict[str, Any] = _DECODE(raw.decode())
    return doc


@lru_cache(maxsize=STATUS_CACHE_SIZE)
def _status(published_on: date, expires_on: date | None, events: tuple[Event, ...],
            today: date) -> Status:
    return status(published_on, expires_on, events, today)


def status_of(published_on: date, expires_on: date | None, events: Sequence[Event],
              today: date) -> Status:
    """``lifecycle.status``, memoised: it is a pure function of its arguments.

    Most records have no events, so the key is mostly the two dates and today,
    and a list of a million records has a few thousand of those: matching and
    import replay a record's lifecycle once per distinct history, not once per
    candidate. ``Status`` and ``Event`` are frozen, so sharing results is safe.
    """
    return _status(published_on, expires_on, tuple(events), today)


class StoredRecord:
    """Read-side view of a stored document; parsing is lazy and cached.

    The caches are plain slots, not ``functools.cached_property``: on Python
    3.11 that holds one lock per property *for all instances*, so the server's
    worker threads queued behind each other to parse parties of unrelated
    records (it was the top frame of name-only Match profiles). Two threads
    racing to fill a slot compute the same value; either result is kept.
    Treat the document and what it returns as immutable: the reader may share
    one view among the candidates of a request.
    """

    __slots__ = ("_dates", "_events", "_parties", "_timeline", "doc")

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self._parties: tuple[Party, ...] | None = None
        self._events: tuple[Event, ...] | None = None
        self._dates: tuple[date, date | None] | None = None
        self._timeline: Timeline | None = None

    @classmethod
    def from_bytes(cls, raw: bytes) -> StoredRecord:
        """Decode a stored document."""
        return cls(loads(raw))

    @property
    def record_id(self) -> str:
        """Opaque id."""
        return str(self.doc["id"])

    @property
    def record(self) -> dict[str, Any]:
        """The record in interchange form."""
        rec: dict[str, Any] = self.doc["r"]
        return rec

    @property
    def public(self) -> bool:
        """Whether public callers may see it."""
        return bool(self.record.get("public", True))

    @property
    def parties(self) -> tuple[Party, ...]:
        """Matchable parties, debtor first."""
        parties = self._parties
        if parties is None:
            parties = self._parties = tuple(
                Party(i, role, kind, name, raw, compact, id_kind, valid)
                for i, (role, kind, name, raw, compact, id_kind, valid)
                in enumerate(self.doc["p"]))
        return parties

    @property
    def events(self) -> tuple[Event, ...]:
        """Accepted lifecycle events, in order."""
        events = self._events
        if events is None:
            events = self._events = tuple(parse_event(e) for e in self.doc["e"])
        return events

    def _days(self) -> tuple[date, date | None]:
        dates = self._dates
        if dates is None:
            expires = self.record.get("expires_on")
            dates = self._dates = (date.fromisoformat(self.record["published_on"]),
                                   date.fromisoformat(expires) if expires else None)
        return dates

    @property
    def published_on(self) -> date:
        """发布时间."""
        return self._days()[0]

    @property
    def expires_on(self) -> date | None:
        """失信期限届满 as pushed (extend events may move it)."""
        return self._days()[1]

    def timeline(self) -> Timeline:
        """The status from the last event on: stored by the writer (``tl``), else computed."""
        line = self._timeline
        if line is None:
            stored = self.doc.get("tl")
            line = self._timeline = (
                Timeline.from_json(stored) if stored is not None
                else timeline(self.published_on, self.expires_on, self.events))
        return line

    def status(self, today: date) -> Status:
        """Life-cycle state as of today: from the stored timeline, so expiry needs no job
        and a query replays no events (unless the clock is before the last event)."""
        stored = self.doc.get("tl")
        found = status_in(stored, today) if stored is not None else \
            self.timeline().status_on(today)
        if found is not None:
            return found
        published_on, expires_on = self._days()
        return status_of(published_on, expires_on, self.events, today)
