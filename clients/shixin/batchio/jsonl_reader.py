"""Streaming JSON Lines reader: one object per line, bad lines become row errors.

There is no header: each object's keys go through the same alias table as CSV
headers, and unknown keys are ignored. ``row_number`` is the line number.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Generator
from pathlib import Path

from .headers import FIELDS, canonical_field
from .rows import Fields, RowError, check_row

__all__ = ["read_jsonl"]


_SUBJECT_FIELDS = frozenset({"name", "id_number"})
_KEY_CACHE_SIZE = 256
_fields_of_keys: dict[str, str | None] = {}
"""Field of each key seen (a file repeats the same few keys on every line)."""


def _field_of(key: str) -> str | None:
    try:
        return _fields_of_keys[key]
    except KeyError:
        if len(_fields_of_keys) >= _KEY_CACHE_SIZE:
            _fields_of_keys.clear()
        field = _fields_of_keys[key] = canonical_field(key)
        return field


class _ValueError(ValueError):
    """A field value that is not usable text."""


def _field_text(field: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise _ValueError(f"{field} must be a string, not a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if field == "id_number" and not (value.is_integer() and abs(value) < 2**53):
            raise _ValueError("id_number is a JSON number too large to be exact; quote it")
        return str(int(value)) if value.is_integer() else repr(value)
    raise _ValueError(f"{field} must be a string, not {type(value).__name__}")


def _parse(line_number: int, text: str) -> Fields | RowError:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return RowError(
            line_number,
            str(line_number),
            f"line {line_number}: invalid JSON: {exc.msg} (column {exc.colno})",
        )
    if not isinstance(obj, dict):
        return RowError(
            line_number,
            str(line_number),
            f"line {line_number}: expected a JSON object, got {type(obj).__name__}",
        )
    values: dict[str, str] = dict.fromkeys(FIELDS, "")
    problems: list[str] = []
    named = False  # a key for the name or the ID number is present, even if blank
    for key, value in obj.items():
        field = _field_of(key)
        named = named or field in _SUBJECT_FIELDS
        if field is None or values[field].strip():
            continue
        try:
            values[field] = _field_text(field, value)
        except _ValueError as exc:
            problems.append(str(exc))
    ref = values["ref"].strip() or str(line_number)
    if problems:
        return RowError(line_number, ref, "; ".join(problems))
    if not named:
        keys = ", ".join(obj) or "(none)"
        return RowError(line_number, ref, f"no 'name' or 'id_number' field; found: {keys}")
    return check_row(line_number, ref, values["name"], values["id_number"], values["kind"])


def read_jsonl(path: Path) -> Generator[Fields | RowError | None, None, None]:
    """Yield ``None`` first (nothing to check up front), then a row per non-blank line."""
    with path.open("rb") as raw:
        yield None
        for line_number, data in enumerate(raw, start=1):
            if line_number == 1 and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8) :]
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = exc.object[exc.start : exc.end].hex(" ")
                yield RowError(
                    line_number,
                    str(line_number),
                    f"line {line_number} is not valid UTF-8 (bytes {bad} at byte "
                    f"{exc.start + 1}); JSON Lines files must be UTF-8",
                )
                continue
            if text.strip():
                yield _parse(line_number, text)
