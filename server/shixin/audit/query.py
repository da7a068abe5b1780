"""Streaming search of the audit log: who looked up whom, when, for what.

This answers 责任追究 questions ("which units queried 张三 last month?"); it
does not verify the chain — run :func:`shixin.audit.verify.verify` for that.
Lines that are not JSON objects are skipped with a warning.
"""

import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger(__name__)

SUBJECT_KEYS = frozenset({"name", "id_number"})
"""Keys in ``request`` (at any depth, e.g. ``subjects: [{name, id_number}]``) that
name the person looked up. Callers should use these key names."""

_NEEDS_ESCAPE = frozenset('"\\') | {chr(c) for c in range(0x20)}


def _fold(text: str) -> bytes:
    """Strip and upper-case ASCII only: ``…123x`` and ``…123X`` are one ID number."""
    return text.strip().encode("utf-8").upper()


def _names_subject(value: object, wanted: bytes) -> bool:
    if isinstance(value, dict):
        for k, v in value.items():
            if k in SUBJECT_KEYS and isinstance(v, str) and _fold(v) == wanted:
                return True
            if isinstance(v, dict | list) and _names_subject(v, wanted):
                return True
    elif isinstance(value, list):
        return any(_names_subject(v, wanted) for v in value)
    return False


def _as_time(value: datetime | str, name: str) -> datetime:
    t = datetime.fromisoformat(value) if isinstance(value, str) else value
    if t.tzinfo is None:
        raise ValueError(
            f"{name} must carry a time zone (audit ts are UTC; China is UTC+08:00), got {value!r}"
        )
    return t


def _action_matches(pattern: str, action: object) -> bool:
    if not isinstance(action, str):
        return False
    if pattern.endswith("*"):
        return action.startswith(pattern[:-1])
    return action == pattern


def query(
    path: str | os.PathLike[str],
    unit: str | None = None,
    subject: str | None = None,
    since: datetime | str | None = None,
    until: datetime | str | None = None,
    action: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield entries matching every given filter, in file order.

    ``unit``: exact ``actor`` (unit code, court, or ``public:<client-id>``).
    ``subject``: a name or ID number equal to a :data:`SUBJECT_KEYS` value in
    ``request`` (whitespace stripped, ASCII case ignored). ``since`` inclusive,
    ``until`` exclusive; aware datetimes or ISO strings with an offset.
    ``action``: exact, or a prefix ending in ``*`` (``"admin.*"``).
    """
    start = _as_time(since, "since") if since is not None else None
    end = _as_time(until, "until") if until is not None else None
    wanted = _fold(subject) if subject is not None else None
    # A raw substring test skips most lines without parsing them; it is only
    # sound when the subject appears verbatim in the JSON (nothing to escape).
    prefilter = wanted if subject is not None and not (_NEEDS_ESCAPE & set(subject)) else None
    unit_needle = json.dumps(unit, ensure_ascii=False).encode("utf-8") if unit else None
    p = Path(path)
    if not p.exists():
        return
    with p.open("rb") as f:
        for lineno, raw in enumerate(f, start=1):
            if prefilter is not None and prefilter not in raw.upper():
                continue
            if unit_needle is not None and unit_needle not in raw:
                continue
            try:
                entry = json.loads(raw)
            except ValueError:
                entry = None
            if not isinstance(entry, dict):
                log.warning("audit.query.skip_malformed", path=str(p), line=lineno)
                continue
            if unit is not None and entry.get("actor") != unit:
                continue
            if action is not None and not _action_matches(action, entry.get("action")):
                continue
            if wanted is not None and not _names_subject(entry.get("request"), wanted):
                continue
            if start is not None or end is not None:
                try:
                    ts = datetime.fromisoformat(str(entry.get("ts")))
                except ValueError:
                    log.warning("audit.query.bad_ts", path=str(p), line=lineno)
                    continue
                if (start is not None and ts < start) or (end is not None and ts >= end):
                    continue
            yield entry
