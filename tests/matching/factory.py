"""Tiny factory of list records and of a real LMDB index holding them, for engine tests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from shixin.demo.checks import org_code, resident_id, uscc_code
from shixin.records import parse_record
from shixin.store import ReadView, Store, Writer

TODAY = date(2026, 11, 24)
COURT = "柳州市城中区人民法院"


def person(case_number: str, name: str, id_number: str = "", **extra: Any) -> dict[str, Any]:
    """A person debtor's record, active since 2025."""
    debtor: dict[str, Any] = {"kind": "person", "name": name}
    if id_number:
        debtor["id_number"] = id_number
    return {"case_number": case_number, "debtor": debtor, "court": COURT,
            "published_on": "2025-01-10", **extra}


def organization(case_number: str, name: str, id_number: str = "",
                 related: Iterable[dict[str, str]] = ()) -> dict[str, Any]:
    """An organisation debtor's record, active since 2025."""
    debtor: dict[str, Any] = {"kind": "organization", "name": name}
    if id_number:
        debtor["id_number"] = id_number
    return {"case_number": case_number, "debtor": debtor, "court": COURT,
            "published_on": "2025-01-10", "related_persons": list(related)}


def rid(first17: str) -> str:
    """A valid resident ID from its first 17 digits."""
    return resident_id(first17)


def uscc(region: str, body: str) -> str:
    """A valid USCC of a company registered in ``region`` (6 digits), code body 8 chars."""
    return uscc_code(f"91{region}{org_code(body)}")


def build_store(directory: Path, records: Iterable[dict[str, Any]]) -> Store:
    """A real index in ``directory`` holding ``records`` (the caller closes it)."""
    store = Store(directory)
    with store.write_txn() as txn:
        writer = Writer(store, txn, today=TODAY, principal="test")
        for obj in records:
            writer.put_record(parse_record(obj))
    return store


@contextmanager
def snapshot(directory: Path, records: Iterable[dict[str, Any]]) -> Iterator[ReadView]:
    """A read snapshot of a real index holding ``records``; the index is closed after."""
    store = build_store(directory, records)
    try:
        with store.read_txn() as txn:
            yield ReadView(store, txn)
    finally:
        store.close()
