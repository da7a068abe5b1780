"""What callers are shown: masked or whole ID numbers, records as plain data.

One place decides what a caller may see, so that no transport can leak a
whole resident ID to a public caller by forgetting a step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from shixin.ids import IdKind, mask, parse
from shixin.lifecycle import Status
from shixin.store import StoredRecord

_MASKED_KINDS = {IdKind.RESIDENT_ID}


def shown_id(raw: str, *, whole: bool) -> str:
    """The ID number as the caller may see it: whole, or masked like the national platform.

    Organisation codes are public registers and stay whole; resident IDs are
    masked (birth month and day hidden); other personal documents keep only
    their last four characters.

    >>> shown_id("450202198001011232", whole=False)
    '4502021980****1232'
    >>> shown_id("91450200MA5KXXXX0X", whole=False)
    '91450200MA5KXXXX0X'
    """
    if whole or not raw:
        return raw
    return _masked(raw)


@lru_cache(maxsize=1 << 14)
def _masked(raw: str) -> str:
    """``shown_id`` of a caller who may not see it whole (parsing is most of a hit's view:
    cached, as each hit shows its debtor's number and its party's, often the same)."""
    try:
        parsed = parse(raw)
    except ValueError:
        return ""
    if parsed.kind in _MASKED_KINDS:
        return parsed.compact if parsed.masked else mask(parsed.compact)
    if parsed.kind in (IdKind.USCC, IdKind.ORG_CODE):
        return raw
    return "*" * max(0, len(parsed.compact) - 4) + parsed.compact[-4:]


@dataclass(frozen=True, slots=True)
class RecordView:
    """A record as one caller may see it, with its state as of a date."""

    record_id: str
    record: dict[str, Any]
    status: Status
    id_problems: tuple[str, ...]


def record_view(rec: StoredRecord, today: date, *, whole_ids: bool) -> RecordView:
    """Copy of the record with ID numbers shown as the caller may see them."""
    body = dict(rec.record)
    debtor = dict(body["debtor"])
    if debtor.get("id_number"):
        debtor["id_number"] = shown_id(debtor["id_number"], whole=whole_ids)
    body["debtor"] = debtor
    if body.get("related_persons"):
        body["related_persons"] = [
            {**p, "id_number": shown_id(p.get("id_number", ""), whole=whole_ids)}
            if p.get("id_number") else dict(p)
            for p in body["related_persons"]
        ]
    problems = tuple(rec.doc.get("pr", ())) if whole_ids else ()
    return RecordView(rec.record_id, body, rec.status(today), problems)
