"""Names and key encodings of the LMDB sub-databases (one place, documented).

=========  ==================================  ===========================================
db         key                                 value
=========  ==================================  ===========================================
records    record_id (16 hex, ascii)           JSON document (see documents.py)
ix         index key (utf-8, e.g. "ric:…")     posting: record_id + party index (2 hex); dupsort
history    record_id + seq (8 bytes BE)        JSON: a pushed version or an accepted event
feed       seq (8 bytes BE)                    JSON change (activated / deactivated)
expiry     YYYYMMDD + record_id                "" — the day the record stops being active
due        YYYYMMDD + record_id                "" — a court action (decision, shield) is due
told       unit + NUL + record_id              JSON: when and how the unit was told
acks       unit + NUL + feed seq (8 bytes BE)  JSON acknowledgement
tokens     token id (ascii)                    JSON: hash, role, principal, revoked
meta       name (ascii)                        counters, schema version
=========  ==================================  ===========================================
"""

from __future__ import annotations

import struct
from datetime import date

DB_NAMES = ("records", "ix", "history", "feed", "expiry", "due", "told", "acks", "tokens", "meta")
DUPSORT_DBS = frozenset({"ix"})
SCHEMA_VERSION = b"1"
POSTING_LEN = 18
_SEQ = struct.Struct(">Q")


def seq_bytes(seq: int) -> bytes:
    """Big-endian sequence so that LMDB's byte order is numeric order."""
    return _SEQ.pack(seq)


def seq_from(raw: bytes) -> int:
    """Inverse of seq_bytes."""
    return int(_SEQ.unpack(raw)[0])


def posting(record_id: str, party: int) -> bytes:
    """Index value: which record and which party of it (0 = the debtor)."""
    return f"{record_id}{party:02x}".encode()


def parse_posting(raw: bytes) -> tuple[str, int]:
    """Inverse of posting."""
    return raw[:16].decode(), int(raw[16:18], 16)


def expiry_key(day: date, record_id: str) -> bytes:
    """Key of the expiry index: the first day the record is no longer active."""
    return f"{day:%Y%m%d}{record_id}".encode()


def due_key(day: date, record_id: str) -> bytes:
    """Key of the deadline index: the day a court action is due."""
    return f"{day:%Y%m%d}{record_id}".encode()


def told_key(unit: str, record_id: str) -> bytes:
    """Key of the told ledger."""
    return f"{unit}\0{record_id}".encode()


def ack_key(unit: str, seq: int) -> bytes:
    """Key of an acknowledgement."""
    return unit.encode() + b"\0" + seq_bytes(seq)
