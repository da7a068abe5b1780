"""Tamper-evident, append-only audit log of every look-up and change (责任追究).

The log is ``audit.jsonl`` in the data dir, one JSON object per line::

    seq, ts, actor, role, action, purpose, request, outcome, prev, hash

``seq`` counts 1, 2, 3 … without gaps; ``prev`` is the previous entry's ``hash``
(64 zeros for the first); ``hash`` is SHA-256 — or HMAC-SHA256 when
``SHIXIN_AUDIT_KEY`` is set — over the canonical JSON of the entry without
``hash`` (:mod:`shixin.audit.entry` explains the two modes).

* :class:`AuditLog` writes (cheap ``append``, background writer, fail-closed);
* :func:`verify` checks a file and says where it was altered, inserted into,
  cut or reordered; :meth:`AuditLog.head` is the anchor to store elsewhere so
  that a truncated or rewritten tail is caught too;
* :func:`query` streams entries by unit, subject, time range and action.
"""

from shixin.audit.config import KEY_ENV, key_from_env
from shixin.audit.entry import GENESIS, AuditFields, Head
from shixin.audit.errors import (
    AuditClosedError,
    AuditCorruptError,
    AuditError,
    AuditUnavailableError,
)
from shixin.audit.log import AuditLog
from shixin.audit.query import SUBJECT_KEYS, query
from shixin.audit.tail import read_head, truncate_torn_tail
from shixin.audit.verify import Problem, VerifyResult, verify

FILENAME = "audit.jsonl"
"""Name of the log inside the data dir."""

__all__ = [
    "FILENAME",
    "GENESIS",
    "KEY_ENV",
    "SUBJECT_KEYS",
    "AuditClosedError",
    "AuditCorruptError",
    "AuditError",
    "AuditFields",
    "AuditLog",
    "AuditUnavailableError",
    "Head",
    "Problem",
    "VerifyResult",
    "key_from_env",
    "query",
    "read_head",
    "truncate_torn_tail",
    "verify",
]
