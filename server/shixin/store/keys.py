"""Which index keys a record is stored under (one function, used by every writer)."""

from __future__ import annotations

from functools import lru_cache

from shixin.ids import ParsedId
from shixin.ids import index_keys as id_index_keys
from shixin.names import org_index_keys, person_index_keys
from shixin.records import ListRecord

KEYS_CACHE_SIZE = 1 << 17
"""Names and numbers whose keys are remembered. A list names the same people again
and again (a debtor in each of their cases, an officer in each of the organisation's,
common names everywhere): an import computes each one's keys once, not per record."""
MAX_INDEX_KEY_BYTES = 500
"""LMDB keys are at most 511 bytes; a pathological name must not break an import."""


def _storable(keys: list[str] | frozenset[str]) -> tuple[str, ...]:
    return tuple(k for k in keys if 0 < len(k.encode()) <= MAX_INDEX_KEY_BYTES)


@lru_cache(maxsize=KEYS_CACHE_SIZE)
def _id_keys(parsed: ParsedId) -> tuple[str, ...]:
    return _storable(id_index_keys(parsed))


@lru_cache(maxsize=KEYS_CACHE_SIZE)
def _person_keys(name: str) -> tuple[str, ...]:
    return _storable(person_index_keys(name))


@lru_cache(maxsize=KEYS_CACHE_SIZE)
def _org_keys(name: str) -> tuple[str, ...]:
    return _storable(org_index_keys(name))


def record_index_keys(record: ListRecord) -> list[tuple[str, int]]:
    """(key, party index) pairs: ID and name keys of the debtor and each related person.

    Related persons are indexed too, so that a person is found through the
    organisations they run, with their role.
    """
    d = record.debtor
    keys = {*(_id_keys(d.parsed_id) if d.parsed_id is not None else ()),
            *(_person_keys(d.name) if d.kind == "person" else _org_keys(d.name))}
    out = [(k, 0) for k in keys]
    for i, rp in enumerate(record.related_persons, start=1):
        keys = {*(_id_keys(rp.parsed_id) if rp.parsed_id is not None else ()),
                *_person_keys(rp.name)}
        out.extend((k, i) for k in keys)
    out.sort()
    return out
