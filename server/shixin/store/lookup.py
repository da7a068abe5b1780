"""Finding a record by its key as a court writes it (case number + ID or name)."""

from __future__ import annotations

from collections.abc import Callable

from shixin.ids import parse
from shixin.records import record_id_for, record_key


def find_record_id(exists: Callable[[str], bool], case_number: str, id_number: str,
                   name: str) -> str | None:
    """The record id for a key, trying the forms the key may have been stored under.

    With an ID number the key is unambiguous; with a name only, the record may
    be a person's or an organisation's, whose names normalise differently.
    """
    candidates: list[str] = []
    if id_number:
        try:
            compact = parse(id_number).compact
        except ValueError:
            compact = ""
        if compact:
            candidates.append(record_id_for(record_key(case_number, "person", compact, "")))
    if name:
        for kind in ("person", "organization"):
            candidates.append(record_id_for(record_key(case_number, kind, "", name)))
    for rid in candidates:
        if exists(rid):
            return rid
    return None
