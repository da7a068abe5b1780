"""Which index keys a record is stored under (one function, used by every writer)."""

from __future__ import annotations

from shixin.ids import index_keys as id_index_keys
from shixin.names import org_index_keys, person_index_keys
from shixin.records import ListRecord


def record_index_keys(record: ListRecord) -> list[tuple[str, int]]:
    """(key, party index) pairs: ID and name keys of the debtor and each related person.

    Related persons are indexed too, so that a person is found through the
    organisations they run, with their role.
    """
    out: set[tuple[str, int]] = set()
    d = record.debtor
    if d.parsed_id is not None:
        out.update((k, 0) for k in id_index_keys(d.parsed_id))
    name_keys = person_index_keys(d.name) if d.kind == "person" else org_index_keys(d.name)
    out.update((k, 0) for k in name_keys)
    for i, rp in enumerate(record.related_persons, start=1):
        if rp.parsed_id is not None:
            out.update((k, i) for k in id_index_keys(rp.parsed_id))
        out.update((k, i) for k in person_index_keys(rp.name))
    # LMDB keys are at most 511 bytes; a pathological name must not break an import.
    return sorted(kp for kp in out if 0 < len(kp[0].encode()) <= 500)
