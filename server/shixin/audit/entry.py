"""Audit entry encoding: the canonical bytes that are hashed, and the hash itself.

An entry's ``hash`` covers the canonical JSON of every other field: keys sorted,
separators ``(',', ':')``, ``ensure_ascii=False``, UTF-8. A verifier re-serializes
the parsed line the same way, so the line's own layout never matters.

Two modes, chosen by whether a key is configured (``SHIXIN_AUDIT_KEY``):

* keyed: ``hash = HMAC-SHA256(key, canonical)``. Whoever can write the file but
  lacks the key cannot produce one valid entry, so even a rewrite of the whole
  chain from some entry to the end is detected.
* unkeyed: ``hash = SHA-256(canonical)``. Edits, insertions, removals and
  reordering inside the chain are detected, but someone who rewrites every entry
  from the tampered one to the end yields a valid chain; only an anchor kept
  elsewhere (``verify(..., expected_head=...)``) catches that.

Division of work (measured: see tests/audit/bench_audit_append.py). The
caller's thread only checks the shape of its fields (:func:`check_fields`);
the writer thread serializes them in batches, where the encoder's code and
data stay hot in the cache (:func:`encode_fields`, once per entry, cutting the
result at the positions of ``prev`` and ``seq``), then splices in ``prev`` and
``seq`` (:func:`seal`). A test checks the spliced bytes equal
:func:`canonical_bytes` of the parsed line. Values JSON cannot carry (NaN,
objects, non-str keys, lone surrogates) do not lose the entry: the writer
records a sanitized copy (``repr`` of objects, str keys, U+FFFD) and logs a
warning.
"""

import hashlib
import hmac
import json
import math
import time
from collections.abc import Mapping
from typing import Any, NamedTuple, Required, TypedDict

GENESIS = "0" * 64
"""``prev`` of the first entry."""

FIELDS = ("seq", "ts", "actor", "role", "action", "purpose", "request", "outcome", "prev", "hash")
"""Every field of a stored entry, in reading order."""

CALLER_FIELDS = frozenset({"actor", "role", "action", "purpose", "request", "outcome"})
"""Fields the caller supplies; ``seq``, ``ts``, ``prev`` and ``hash`` belong to the log."""

_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


class AuditFields(TypedDict, total=False):
    """What a caller hands to :meth:`AuditLog.append`."""

    actor: Required[str]
    """Unit code, court name, or ``"public:<client-id>"``."""
    role: Required[str]
    """``court``, ``unit``, ``public``, ``admin``; ``""`` for an unauthenticated caller."""
    action: Required[str]
    """``match``, ``batch_match``, ``get_record``, ``push_record``, ``admin.*`` …"""
    purpose: str
    """Measure code the look-up is for; ``""`` when none applies."""
    request: Mapping[str, object]
    """What was asked, as given (``name``, ``id_number``, ``subjects`` …)."""
    outcome: Mapping[str, object]
    """Status code, hit record ids/levels, or the error."""


class Head(NamedTuple):
    """The last entry of a chain: an anchor to store apart from the log."""

    seq: int
    hash: str


GENESIS_HEAD = Head(0, GENESIS)


class Prepared(NamedTuple):
    """Caller-side serialization of one entry, waiting for ``seq`` and ``prev``."""

    head: bytes
    """``{"action":…,"actor":…,"outcome":{…},"prev":`` — up to ``prev``'s value."""
    middle: bytes
    """``,"purpose":…,"request":{…},"role":…,"seq":`` — up to ``seq``'s value."""
    ts: bytes


def compute_hash(canonical: bytes, key: bytes | None) -> str:
    """HMAC-SHA256 with ``key``, plain SHA-256 without; lowercase hex."""
    if key is None:
        return hashlib.sha256(canonical).hexdigest()
    return hmac.digest(key, canonical, "sha256").hex()


def canonical_bytes(entry: Mapping[str, object]) -> bytes:
    """Canonical JSON of ``entry`` without its ``hash`` field."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return _ENCODER.encode(body).encode("utf-8")


def _require_str(fields: Mapping[str, object], name: str, *, empty_ok: bool) -> str:
    value = fields.get(name, "" if empty_ok else None)
    if type(value) is not str and not isinstance(value, str):
        raise TypeError(f"audit field {name!r} must be a str, got {type(value).__name__}")
    if not value and not empty_ok:
        raise ValueError(f"audit field {name!r} must not be empty")
    return value


def _require_mapping(fields: Mapping[str, object], name: str) -> Mapping[str, object]:
    value = fields.get(name)
    if value is None:
        return {}
    if type(value) is not dict and not isinstance(value, Mapping):
        raise TypeError(f"audit field {name!r} must be a mapping, got {type(value).__name__}")
    return value


def check_fields(fields: Mapping[str, object]) -> dict[str, object]:
    """Check the shape of the caller's fields; return them complete, as a new dict.

    Runs on the caller's thread, so it does only what must fail there: unknown
    or log-owned fields, and missing or mistyped top-level fields. The nested
    ``request``/``outcome`` values are taken by reference, not copied: the
    caller hands them over and must not change them afterwards.
    """
    unknown = fields.keys() - CALLER_FIELDS
    if unknown:
        owned = sorted(unknown & {"seq", "ts", "prev", "hash"})
        if owned:
            raise ValueError(f"audit fields {owned} are assigned by the log, not the caller")
        raise ValueError(f"unknown audit fields {sorted(unknown)}")
    return {
        "action": _require_str(fields, "action", empty_ok=False),
        "actor": _require_str(fields, "actor", empty_ok=False),
        "outcome": _require_mapping(fields, "outcome"),
        "purpose": _require_str(fields, "purpose", empty_ok=True),
        "request": _require_mapping(fields, "request"),
        "role": _require_str(fields, "role", empty_ok=True),
    }


_SCALARS = (str, int, float, bool, type(None))


def _check_keys(value: Mapping[Any, object] | list[object] | tuple[object, ...]) -> None:
    """Refuse non-str keys: ``sort_keys`` would order them differently after a round trip."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            if type(k) is not str:
                raise TypeError(f"non-str key {k!r}")
            if type(v) not in _SCALARS and isinstance(v, Mapping | list | tuple):
                _check_keys(v)
    else:
        for v in value:
            if type(v) not in _SCALARS and isinstance(v, Mapping | list | tuple):
                _check_keys(v)


def _sanitize(value: object) -> object:
    """A JSON-safe copy: str keys, finite floats, valid text, ``repr`` for anything else."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
        return str(value)
    if isinstance(value, bool | int) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, Mapping):
        return {str(_sanitize(k)): _sanitize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_sanitize(v) for v in value]
    return _sanitize(repr(value))


# Placeholders for the values only the writer knows. Encoding the whole entry
# once with them and cutting at their (unique) positions is about twice as fast
# as encoding the two halves separately; if a field happens to contain a NUL the
# positions would be ambiguous, so that rare entry takes the two-call path.
_PREV_MARK = "\x00prev\x00"
_SEQ_MARK = "\x00seq\x00"
_PREV_JSON = _ENCODER.encode(_PREV_MARK)
_SEQ_JSON = _ENCODER.encode(_SEQ_MARK)
_NUL_JSON = "\\u0000"


def _encode(body: dict[str, object]) -> tuple[bytes, bytes]:
    text = _ENCODER.encode(body)
    if text.count(_NUL_JSON) == 4:
        i = text.index(_PREV_JSON)
        j = text.index(_SEQ_JSON, i)
        head, middle = text[:i], text[i + len(_PREV_JSON) : j]
    else:
        first = {k: body[k] for k in ("action", "actor", "outcome")}
        second = {k: body[k] for k in ("purpose", "request", "role")}
        head = _ENCODER.encode(first)[:-1] + ',"prev":'
        middle = "," + _ENCODER.encode(second)[1:-1] + ',"seq":'
    return head.encode("utf-8"), middle.encode("utf-8")


def encode_fields(fields: Mapping[str, object]) -> tuple[bytes, bytes, bool]:
    """Serialize checked fields into ``Prepared.head``/``middle`` (writer thread).

    The third value is True when the fields had to be sanitized to be encoded.
    """
    body = {**fields, "prev": _PREV_MARK, "seq": _SEQ_MARK}
    try:
        _check_keys(body)
        head, middle = _encode(body)
    except (TypeError, ValueError):  # UnicodeEncodeError is a ValueError
        clean = _sanitize(fields)
        assert isinstance(clean, dict)
        head, middle = _encode({**clean, "prev": _PREV_MARK, "seq": _SEQ_MARK})
        return head, middle, True
    return head, middle, False


_second_cache: tuple[int, str] = (-1, "")


def format_ts(ns: int) -> str:
    """``time.time_ns()`` as ``datetime.isoformat`` writes UTC with microseconds, faster."""
    global _second_cache
    sec, micro = divmod(ns // 1000, 1_000_000)
    cached_sec, prefix = _second_cache
    if sec != cached_sec:
        prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
        _second_cache = (sec, prefix)
    return f"{prefix}.{micro:06d}+00:00"


def prepare(fields: Mapping[str, object], ts: str) -> Prepared:
    """:func:`check_fields` and :func:`encode_fields`: an entry ready for :func:`seal`."""
    head, middle, _ = encode_fields(check_fields(fields))
    return Prepared(head, middle, ts.encode("ascii"))


_SEQ_KEY_LEN = len(',"seq":')


def seal(prepared: Prepared, seq: int, prev: str, key: bytes | None) -> tuple[bytes, str]:
    """Return the stored line (with newline) and the hash of entry ``seq`` (writer thread).

    The hash is over the canonical (sorted) form; the stored line puts ``seq``
    and ``ts`` first and ``hash`` last for people reading the file.
    """
    seq_b = str(seq).encode("ascii")
    prev_b = b'"' + prev.encode("ascii") + b'"'
    head, middle, ts = prepared
    canonical = b"".join((head, prev_b, middle, seq_b, b',"ts":"', ts, b'"}'))
    digest = compute_hash(canonical, key)
    line = b"".join(
        (
            b'{"seq":',
            seq_b,
            b',"ts":"',
            ts,
            b'",',
            head[1:],
            prev_b,
            middle[:-_SEQ_KEY_LEN],
            b',"hash":"',
            digest.encode("ascii"),
            b'"}\n',
        )
    )
    return line, digest
