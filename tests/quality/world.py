"""The list a matching-quality run queries, and who is really behind each listed party.

:func:`build_world` writes the demo list with its ground truth, imports it into
a real LMDB index and works out, for every ``(record_id, role)`` a hit can
name, which real identity stands there. The truth comes from the generator
(``truth.jsonl``) and from the records' own ID numbers, canonicalised here
without ``shixin.ids`` so that the yardstick does not share the code it measures.

Which records a unit can find today (live and public) is read from the index
after the import: that is the lifecycle's answer, not the matcher's.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from shixin.demo import DEFAULT_TODAY, write_demo
from shixin.demo.checks import resident_id
from shixin.demo.variants import to_traditional
from shixin.records import parse_record
from shixin.service.clock import fixed
from shixin.service.importer import import_files
from shixin.store import ReadView, Store

__all__ = ["Debtor", "World", "build_world", "canonical_person_id", "person_key"]

#: Roles through which a legal representative (or a branch's principal) is found.
HEAD_ROLES = frozenset({"legal_representative", "principal"})


def canonical_person_id(written: str) -> str:
    """An ID number as a clerk wrote it, as the 18-character canonical number.

    >>> canonical_person_id(" 450202-19800101-123x ")
    '45020219800101123X'
    >>> canonical_person_id("４５０２０２８００１０１１２３")
    '450202198001011232'
    """
    text = unicodedata.normalize("NFKC", written).upper()
    compact = "".join(c for c in text if c.isalnum())
    if len(compact) == 15 and compact.isdigit():
        return resident_id(compact[:6] + "19" + compact[6:])
    return compact


def person_key(id_number: str) -> str:
    """Identity key of a person (by canonical resident ID)."""
    return "P:" + id_number


def org_key(uscc: str) -> str:
    """Identity key of an organisation (by USCC, which every demo company has)."""
    return "O:" + uscc


@dataclass(frozen=True, slots=True)
class Debtor:
    """One listed debtor: its canonical identity and its records."""

    key: str
    truth: dict[str, Any]
    record_ids: tuple[str, ...]
    live: tuple[str, ...]
    """Records a unit finds today: active and public."""
    written_names: tuple[str, ...]
    """The debtor's name as each record writes it (same order as ``record_ids``)."""

    @property
    def kind(self) -> str:
        """``person`` or ``organization``."""
        return str(self.truth["kind"])


@dataclass
class World:
    """A served list with its ground truth."""

    index: Path
    today: date
    debtors: list[Debtor]
    identities: dict[tuple[str, str], frozenset[str]]
    """(record_id, role) → identity keys of the parties standing there."""
    live: frozenset[str]
    listed_person_ids: frozenset[str]
    listed_names: frozenset[str]
    """Every listed name: the debtors' canonical names and every name as written."""
    n_records: int = 0
    stats: dict[str, int] = field(default_factory=dict)

    def heads_of(self, org: Debtor) -> str:
        """Identity key of an organisation's legal representative."""
        return person_key(org.truth["legal_representative"]["id_number"])


def _related_identity(related: dict[str, Any], head: dict[str, Any] | None,
                      anonymous: str) -> str:
    written = str(related.get("id_number") or "")
    if written:
        return person_key(canonical_person_id(written))
    if head is not None and related["name"] in (head["name"], to_traditional(head["name"])):
        return person_key(head["id_number"])
    return anonymous


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build_world(directory: Path, n_records: int, today: date = DEFAULT_TODAY) -> World:
    """Write the demo list into ``directory``, import it into ``directory/index``."""
    files = write_demo(directory / "list", n_records, today=today, truth=True)
    assert files.truth is not None
    index = directory / "index"
    store = Store(index)
    try:
        report = import_files(store, [files.records, files.events], clock=fixed(today))
        # Events may be refused (the generator emits some after a listing expired); records not.
        refused = [p for p in report.problems if p.file == str(files.records)]
        if refused or report.records_added != files.n_records:
            raise AssertionError(f"the demo records did not import cleanly: {refused[:3]}")
        records = _read_jsonl(files.records)
        truths = _read_jsonl(files.truth)
        identities: dict[tuple[str, str], set[str]] = {}
        debtors: list[Debtor] = []
        listed_ids: set[str] = set()
        names: set[str] = set()
        position = 0
        with store.read_txn() as txn:
            view = ReadView(store, txn)
            live_ids: set[str] = set()
            for line in truths:
                truth = line["debtor"]
                mine = records[position : position + len(line["records"])]
                position += len(line["records"])
                key = (person_key(truth["id_number"]) if truth["kind"] == "person"
                       else org_key(truth["uscc"]))
                head = truth.get("legal_representative")
                rids: list[str] = []
                live: list[str] = []
                for obj, stated in zip(mine, line["records"], strict=True):
                    assert obj["case_number"] == stated["case_number"]
                    rid = parse_record(obj).record_id
                    rids.append(rid)
                    identities.setdefault((rid, "debtor"), set()).add(key)
                    names.add(obj["debtor"]["name"])
                    for i, related in enumerate(obj.get("related_persons") or []):
                        who = _related_identity(related, head, f"anon:{rid}:{i}")
                        identities.setdefault((rid, related["role"]), set()).add(who)
                        names.add(related["name"])
                        if who.startswith("P:"):
                            listed_ids.add(who[2:])
                    stored = view.get(rid)
                    assert stored is not None, f"record {rid} was not imported"
                    if stored.public and stored.status(today).active:
                        live.append(rid)
                live_ids.update(live)
                names.add(truth["name"])
                if truth["kind"] == "person":
                    listed_ids.add(truth["id_number"])
                else:
                    names.add(head["name"])
                debtors.append(Debtor(key, truth, tuple(rids), tuple(live),
                                      tuple(r["debtor"]["name"] for r in mine)))
        assert position == len(records)
    finally:
        store.close()
    persons = [d for d in debtors if d.kind == "person"]
    stats = {
        "records": len(records),
        "debtors": len(debtors),
        "persons": len(persons),
        "organizations": len(debtors) - len(persons),
        "live_records": len(live_ids),
    }
    return World(index, today, debtors, {k: frozenset(v) for k, v in identities.items()},
                 frozenset(live_ids), frozenset(listed_ids), frozenset(names),
                 n_records=len(records), stats=stats)
