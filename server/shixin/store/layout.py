"""Names and key encodings of the LMDB sub-databases (one place, documented).

=========  ====================================  =========================================
db         key                                   value
=========  ====================================  =========================================
records    record_id (16 hex, ascii)             JSON document (see documents.py)
ix         index key (utf-8, e.g. "ric:…")       posting: tag (7 bytes, see cards.py) +
                                                 record_id + party index (2 hex);
                                                 dupsort, dupfixed
cards      record_id + party index (2 hex)       the party's card (see cards.py)
history    record_id + seq (8 bytes BE)          JSON: a pushed version or an accepted event
feed       seq (8 bytes BE)                      JSON change (activated / deactivated)
wake       YYYYMMDD + record_id                  "" — the day the record's activeness changes
                                                 by the date alone (publication or expiry)
due        YYYYMMDD + record_id                  "" — a court action (decision, shield) is due
told       unit NUL record_id NUL period (8 BE)  JSON: when and how the unit was told
acks       unit NUL feed seq (8 bytes BE)        JSON acknowledgement
tokens     token id (ascii)                      JSON: hash, role, principal, revoked
meta       name (ascii)                          counters, schema version
=========  ====================================  =========================================

A record's *period* is the number of deactivations the feed had reported for
it before: period 0 runs from the first activation to the first
deactivation, period 1 from the next activation to the next deactivation,
and so on. Every feed entry carries the period it opens or ends, and the told
ledger is keyed by period, so "was this unit told before this deactivation"
is one key lookup (see ``shixin.service.ledger``).
"""

from __future__ import annotations

import struct
from datetime import date

DB_NAMES = ("records", "ix", "cards", "history", "feed", "wake", "due", "told", "acks", "tokens",
            "meta")
DUPSORT_DBS = frozenset({"ix"})
SCHEMA_VERSION = b"3"
"""2: told ledger keyed by period, ``wake`` index (publication and expiry), feed periods.
3: tagged postings (birth date and region order), party cards."""
TAG_LEN = 7
POSTING_LEN = TAG_LEN + 18
_SEQ = struct.Struct(">Q")


def seq_bytes(seq: int) -> bytes:
    """Big-endian sequence so that LMDB's byte order is numeric order.

    >>> seq_bytes(1) < seq_bytes(256)
    True
    """
    return _SEQ.pack(seq)


def seq_from(raw: bytes) -> int:
    """Inverse of seq_bytes."""
    return int(_SEQ.unpack(raw)[0])


def current_period(live: bool, ended: int) -> int:
    """The period a caller that sees a record live *now* is told of.

    ``live`` is what the feed last reported, ``ended`` how many deactivations
    it reported. When the feed says the record is not live although the
    caller saw it live, either its first activation (on ``published_on``) is
    not in the feed yet — period 0 — or it was deactivated between the
    caller's snapshot and this call: then the caller saw the period that
    deactivation ended.

    >>> current_period(True, 2), current_period(False, 2), current_period(False, 0)
    (2, 1, 0)
    """
    return ended if live or ended == 0 else ended - 1


def party_key(record_id: str, party: int) -> bytes:
    """Key of a party's card: which record and which party of it (0 = the debtor)."""
    return f"{record_id}{party:02x}".encode()


def posting(record_id: str, party: int, tag: bytes) -> bytes:
    """Index value: the party's tag, then its card key."""
    return tag + party_key(record_id, party)


def parse_posting(raw: bytes) -> tuple[str, int]:
    """(record_id, party) of a posting.

    >>> parse_posting(posting("464095f0251693ff", 2, bytes(TAG_LEN)))
    ('464095f0251693ff', 2)
    """
    return raw[TAG_LEN:TAG_LEN + 16].decode(), int(raw[TAG_LEN + 16:TAG_LEN + 18], 16)


def day_key(day: date, record_id: str) -> bytes:
    """Key of the ``wake`` and ``due`` indexes: a day, then the record (day order)."""
    return f"{day:%Y%m%d}{record_id}".encode()


def day_prefix(day: date) -> bytes:
    """The YYYYMMDD prefix of ``day_key`` (compare ``key[:8]`` against it)."""
    return f"{day:%Y%m%d}".encode()


def day_of(key: bytes) -> date:
    """The day of a ``day_key``."""
    return date(int(key[:4]), int(key[4:6]), int(key[6:8]))


def told_prefix(unit: str, record_id: str) -> bytes:
    """Prefix of every told-ledger key of one unit and one record."""
    return f"{unit}\0{record_id}\0".encode()


def told_key(unit: str, record_id: str, period: int) -> bytes:
    """Key of the told ledger: the unit was told of the record during ``period``."""
    return told_prefix(unit, record_id) + seq_bytes(period)


def parse_told_key(raw: bytes) -> tuple[str, str, int]:
    """Inverse of told_key: (unit, record_id, period).

    >>> parse_told_key(told_key("pbc-liuzhou", "464095f0251693ff", 2))
    ('pbc-liuzhou', '464095f0251693ff', 2)
    """
    head, tail = raw[:-8], raw[-8:]
    unit, rid = head[:-1].decode().split("\0", 1)
    return unit, rid, seq_from(tail)


def ack_key(unit: str, seq: int) -> bytes:
    """Key of an acknowledgement."""
    return unit.encode() + b"\0" + seq_bytes(seq)
