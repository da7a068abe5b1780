"""Party cards: what the matcher needs of one party, without the record's document.

A query meets hundreds of candidates on a large list (homonyms, spellings,
typo keys). Decoding each record's JSON document and replaying its events
cost ~50 µs a candidate; a card is one short UTF-8 string per party, split
once, with the party's name and ID facts, whether the record is public, and
its live interval (``shixin.lifecycle.window``). Documents are read only for
the hits returned.

Postings carry a *tag* in front of the record id, so that LMDB keeps each
key's postings ordered by the party's birth date and region: a query with
an ID number finds homonyms born the same day (or year) by seeking, not by
reading every posting of a common name. Tags are fixed length (the ``ix``
database is ``dupfixed``):

===  =============================================================
tag  party
===  =============================================================
A    has no ID number
B    has an ID number that tells no birth date (organisation,
     passport, masked or malformed number)
C    resident ID: birth date (3-byte day ordinal) and region code
     (3-byte integer), big-endian so that bytes sort as dates do
===  =============================================================
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from shixin.ids import IdKind, parse
from shixin.lifecycle import Status
from shixin.lifecycle.window import ActiveWindow, status_in
from shixin.store.documents import Party, StoredRecord
from shixin.store.layout import TAG_LEN, current_period

NO_ID = b"A" + bytes(TAG_LEN - 1)
NO_BIRTH = b"B" + bytes(TAG_LEN - 1)
_SEP = "\x1f"
_CARD_FIELDS = 23
"""13 of the record (:func:`card_head`), 10 of the party (:func:`card_tail`)."""


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What a hit shows of its record, and what the told ledger needs."""

    case_number: str = ""
    court: str = ""
    debtor_kind: str = ""
    debtor_name: str = ""
    debtor_id_number: str = ""
    live: bool = False
    """What the change feed last said (the document's ``live``)."""
    periods_ended: int = 0
    """Deactivations the feed reported (the document's ``nd``)."""
    timeline: str = ""
    """``Timeline.to_json()`` as JSON text."""

    def current_period(self) -> int:
        """The period a caller that sees the record live now is told of (see ``ledger``)."""
        return current_period(self.live, self.periods_ended)


class Card:
    """One party of one record, as the matcher sees it (read-only).

    Built straight from the card's fields: most candidates are dropped on
    their name or live interval, so what only a hit shows (``record``) is
    made on first use.
    """

    __slots__ = ("_birth", "_fields", "_record", "active_from", "active_until", "gender",
                 "party", "public", "published_on", "record_id", "region", "valid_from")

    def __init__(self, record_id: str, party: Party, fields: list[str]) -> None:
        self.record_id = record_id
        self.party = party
        self._fields = fields
        self.public = fields[0] == "1"
        self.published_on = fields[1]
        self.valid_from = int(fields[2])
        self.active_from = int(fields[3])
        self.active_until = int(fields[4])
        self._birth = fields[20]
        self.region = fields[21]
        self.gender = fields[22]
        """The debtor's gender as pushed, else the one the resident ID encodes ('M'/'F'/'')."""
        self._record: RecordFacts | None = None

    @property
    def record(self) -> RecordFacts:
        """What a hit shows of the record (the card's head)."""
        if self._record is None:
            f = self._fields
            self._record = RecordFacts(f[5], f[6], f[7], f[8], f[9], f[10] == "1", int(f[11]),
                                       f[12])
        return self._record

    @property
    def birth_date(self) -> date | None:
        """Birth date from the party's resident ID (parsed on demand: most queries don't ask)."""
        b = self._birth
        return date(int(b[:4]), int(b[4:6]), int(b[6:8])) if b else None

    def status(self, day: date) -> Status | None:
        """The record's status on ``day`` (None: replay the document to know)."""
        line = self._fields[12]
        return _status_on(line, day) if line else None

    def live_on(self, day: date) -> bool | None:
        """Whether the record is live on ``day`` (None: replay the document to know)."""
        n = day.toordinal()
        if n < self.valid_from:
            return None
        return self.active_from <= n <= self.active_until


@lru_cache(maxsize=1 << 14)
def _status_on(line: str, day: date) -> Status | None:
    """``status_in`` of a card's timeline (JSON text). Records published and expiring
    on the same days share one timeline, so most hits find their status here."""
    return status_in(json.loads(line), day)


def birth_tag(birth: date, region: str) -> bytes:
    """The posting tag of a resident ID's party.

    >>> birth_tag(date(1980, 1, 2), "450202").hex()
    '430b078006de9a'
    """
    area = int(region) if region.isdigit() else 0
    return b"C" + birth.toordinal().to_bytes(3, "big") + area.to_bytes(3, "big")


def year_range(year: int) -> tuple[bytes, bytes]:
    """The lowest and highest tag prefixes (4 bytes) of parties born in ``year``."""
    first = date(year, 1, 1).toordinal().to_bytes(3, "big")
    last = date(year, 12, 31).toordinal().to_bytes(3, "big")
    return b"C" + first, b"C" + last


def _facts(id_compact: str, id_kind: str) -> tuple[date | None, str, str]:
    """Birth date, region code and gender read from a stored ID number."""
    if not id_compact or id_kind != IdKind.RESIDENT_ID.value:
        return None, "", ""
    parsed = parse(id_compact, IdKind.RESIDENT_ID)
    return parsed.birth_date, parsed.region or "", parsed.gender or ""


def party_tag(party: Party) -> bytes:
    """The tag of a party's postings (see the module docstring)."""
    birth, region, _ = _facts(party.id_compact, party.id_kind)
    return tag_of(party, birth, region)


def tag_of(party: Party, birth: date | None, region: str) -> bytes:
    """``party_tag`` from the party's birth date and region (see ``party_facts``)."""
    if not party.id_compact:
        return NO_ID
    return birth_tag(birth, region) if birth is not None else NO_BIRTH


def record_tags(doc: dict[str, Any]) -> list[str]:
    """Tags of every party of a stored document, hex (kept in the document)."""
    return [party_tag(p).hex() for p in StoredRecord(doc).parties]


def _clean(text: str) -> str:
    return text.replace(_SEP, " ")


def card_head(public: bool, published_on: str, window: ActiveWindow, case_number: str,
              court: str, debtor_kind: str, debtor_name: str, debtor_id_number: str,
              live: bool, periods_ended: int, line_json: str) -> str:
    """The record's part of every card of it (see :func:`encode_cards`)."""
    return _SEP.join((
        "1" if public else "0", published_on, str(window.valid_from), str(window.active_from),
        str(window.active_until), _clean(case_number), _clean(court), debtor_kind,
        _clean(debtor_name), _clean(debtor_id_number), "1" if live else "0",
        str(periods_ended), line_json))


def card_tail(party: Party, birth: date | None, region: str, gender: str) -> str:
    """The party's part of its card (see :func:`encode_cards`)."""
    return _SEP.join((
        party.role, party.kind, _clean(party.name), _clean(party.id_number), party.id_compact,
        party.id_kind, "1" if party.id_valid else "0", f"{birth:%Y%m%d}" if birth else "",
        region, _clean(gender)))


FACTS_CACHE_SIZE = 1 << 16
_facts_cached = lru_cache(maxsize=FACTS_CACHE_SIZE)(_facts)
"""``_facts`` for writers: an import meets the same number in each of its holder's
records, and parsing it again is most of what a card's party facts cost."""


def party_facts(party: Party, pushed_gender: str) -> tuple[date | None, str, str]:
    """Birth date, region and gender of a party's card (the debtor's pushed gender wins)."""
    birth, region, gender = _facts_cached(party.id_compact, party.id_kind)
    if party.index == 0 and pushed_gender:
        gender = pushed_gender
    return birth, region, gender


def encode_cards(doc: dict[str, Any]) -> list[bytes]:
    """The card of every party of a stored document, in party order.

    Besides the party, a card repeats what a hit shows of its record (case,
    court, debtor), what the told ledger needs (the feed's ``live`` and
    ``nd``) and the record's timeline, so that answering reads no document.
    The importer builds the same cards from :func:`card_head` and
    :func:`card_tail` without a document.
    """
    rec = StoredRecord(doc)
    record = rec.record
    debtor = record["debtor"]
    line = rec.timeline()
    head = card_head(rec.public, record["published_on"], line.window(),
                     record["case_number"], record.get("court", ""), str(debtor["kind"]),
                     debtor["name"], debtor.get("id_number", ""), bool(doc.get("live")),
                     int(doc.get("nd", 0)),
                     json.dumps(line.to_json(), ensure_ascii=False, separators=(",", ":")))
    pushed_gender = str(debtor.get("gender", ""))
    return [(head + _SEP + card_tail(p, *party_facts(p, pushed_gender))).encode()
            for p in rec.parties]


def decode_card(record_id: str, index: int, raw: bytes) -> Card:
    """Inverse of one element of :func:`encode_cards`."""
    fields = raw.decode().split(_SEP)
    if len(fields) != _CARD_FIELDS:
        raise ValueError(f"card {record_id}/{index} has {len(fields)} fields, "
                         f"not {_CARD_FIELDS}")
    return Card(record_id,
                Party(index, fields[13], fields[14], fields[15], fields[16], fields[17],
                      fields[18], fields[19] == "1"),
                fields)
