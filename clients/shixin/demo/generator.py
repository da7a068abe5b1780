"""Deterministic demo list: records as courts push them, their events, and the truth.

The same ``(n_records, seed, today)`` always gives the same records, events and
truth, in the same order, on any machine: everything is drawn from one
``random.Random(seed)`` (whose sequence Python keeps stable) in a fixed order,
and nothing depends on hashing or the clock.

Records and lifecycle events come from the same simulation but are exposed
separately, because courts push them separately: :func:`generate` yields the
records, :func:`generate_events` the events (each after the record it is
about, in time order per record), :func:`generate_stream` both interleaved, and
:func:`generate_with_truth` one :class:`~shixin.demo.truth.Listing` per debtor.

What is in it (shares of records, approximate): 75 % persons, 25 % organisations;
persons named from weighted surname and given-name tables (many homonyms), ~2 %
minority names with varied middle dots, ~1 % traditional, ~1 % with a stray space;
resident IDs mostly from Liuzhou, some from abolished region codes, ~3 % as legacy
15 digits, ~3 % with lower-case x / full-width digits / spaces / hyphens, ~4 %
without ID. Companies carry a USCC (~88 %), only the legacy organisation code
(~10 %) or nothing, and their officers; some officers are debtors themselves.
1-4 cases per debtor; ~8 % not public; ~25 % not active today (see ``cases``).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterator
from typing import Any, Literal

from . import tables as t
from .cases import Case, Cases
from .checks import legacy_id
from .identities import Identities
from .rand import DemoRandom
from .truth import Listing, Org, Person
from .variants import spaced_name, to_traditional, written_id

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_TODAY",
    "generate",
    "generate_events",
    "generate_stream",
    "generate_with_truth",
]

DEFAULT_SEED = 2019
DEFAULT_TODAY = dt.date(2026, 11, 24)
_LEGACY_BORN_BEFORE = 1985  # people this old may still be listed under a 15-digit ID
_CASES_PER_DEBTOR = t.Weighted([(1, 55), (2, 25), (3, 13), (4, 7)])
_OFFICERS = (
    ("director", 0.15),
    ("supervisor", 0.10),
    ("senior_manager", 0.10),
    ("directly_responsible", 0.08),
)


class _Simulation:
    """One seeded run; debtors come out one :class:`Listing` at a time."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self._rng = DemoRandom(seed)
        self._ids = Identities(self._rng)
        self._cases = Cases(self._rng, today)
        # Recent person debtors, some of whom reappear as company officers.
        self._debtors: deque[Person] = deque(maxlen=4096)

    def listings(self) -> Iterator[Listing]:
        rng = self._rng
        while True:
            if rng.random() < 0.75:
                yield self._person_listing(self._ids.person(id_listed=rng.random() >= 0.04))
            else:
                yield from self._org_listings()

    def _person_listing(self, person: Person, shared: Case | None = None) -> Listing:
        rng = self._rng
        listing = Listing(person)
        home = t.COURTS.pick(rng)
        count = _CASES_PER_DEBTOR.pick(rng)
        cases = [shared] if shared is not None else []
        cases.extend(self._cases.new(home) for _ in range(count - len(cases)))
        for case in cases:
            debtor = self._person_block(person)
            listing.records.append(case.record(debtor, None))
            key = "id_number" if "id_number" in debtor else "name"
            listing.events.extend(case.event_dicts(key, debtor[key]))
        if person.id_listed:
            self._debtors.append(person)
        return listing

    def _person_block(self, person: Person) -> dict[str, str]:
        rng = self._rng
        name = person.name
        if "·" in name:
            name = name.replace("·", t.MIDDLE_DOTS.pick(rng))
        else:
            roll = rng.random()
            if roll < 0.01:
                name = to_traditional(name)
            elif roll < 0.02:
                name = spaced_name(name, rng)
        block = {"kind": "person", "name": name}
        if person.id_listed:
            if rng.random() < 0.9:
                block["id_type"] = "resident_id"
            block["id_number"] = self._written_person_id(person)
        if rng.random() < 0.95:
            block["gender"] = person.gender
        return block

    def _written_person_id(self, person: Person) -> str:
        roll = self._rng.random()
        if roll < 0.045:
            if person.birth_date.year < _LEGACY_BORN_BEFORE:
                return legacy_id(person.id_number)
            return person.id_number
        if roll < 0.075:
            return written_id(person.id_number, self._rng)
        return person.id_number

    def _org_listings(self) -> Iterator[Listing]:
        rng = self._rng
        reused = bool(self._debtors) and rng.random() < 0.1
        if reused:
            representative = self._debtors[rng.below(len(self._debtors))]
        else:
            representative = self._ids.person(id_listed=rng.random() >= 0.1)
        org = self._ids.org(representative)
        officers = self._officers(org)
        listing = Listing(org)
        home = t.COURTS.pick(rng)
        cases = [self._cases.new(home) for _ in range(_CASES_PER_DEBTOR.pick(rng))]
        for case in cases:
            debtor = self._org_block(org)
            # A court that writes the company in traditional characters writes its officers so.
            traditional = debtor["name"] == to_traditional(org.name) != org.name
            related = [self._related_block(role, p, traditional) for role, p in officers]
            listing.records.append(case.record(debtor, related))
            key = "id_number" if "id_number" in debtor else "name"
            listing.events.extend(case.event_dicts(key, debtor[key]))
        yield listing
        # The representative sued along with the company, in its first case.
        if not reused and representative.id_listed and rng.random() < 0.08:
            yield self._person_listing(representative, shared=cases[0])

    def _officers(self, org: Org) -> list[tuple[str, Person]]:
        rng = self._rng
        head = org.legal_representative
        role = "principal" if org.name.endswith("分公司") else "legal_representative"
        officers = [(role, head)]
        if rng.random() < 0.45:
            officers.append(("actual_controller", head if rng.random() < 0.4 else self._officer()))
        officers.extend(
            (title, self._officer()) for title, share in _OFFICERS if rng.random() < share
        )
        return officers

    def _officer(self) -> Person:
        rng = self._rng
        if self._debtors and rng.random() < 0.15:
            return self._debtors[rng.below(len(self._debtors))]
        return self._ids.person(id_listed=rng.random() >= 0.12)

    def _org_block(self, org: Org) -> dict[str, str]:
        rng = self._rng
        name = org.name
        roll = rng.random()
        if roll < 0.01:
            name = to_traditional(name)
        elif roll < 0.3 and "（" in name:
            name = name.replace("（", "(").replace("）", ")")
        block = {"kind": "organization", "name": name}
        if org.id_listed == "uscc":
            block["id_type"] = "uscc"
            block["id_number"] = org.uscc if rng.random() < 0.97 else org.uscc.lower()
        elif org.id_listed == "org_code":
            block["id_type"] = "org_code"
            code = org.org_code
            block["id_number"] = f"{code[:8]}-{code[8]}" if rng.random() < 0.8 else code
        return block

    def _related_block(self, role: str, person: Person, traditional: bool) -> dict[str, str]:
        name = to_traditional(person.name) if traditional else person.name
        block = {"role": role, "name": name}
        if person.id_listed:
            block["id_number"] = self._written_person_id(person)
        return block


def _truncated(listing: Listing, keep: int) -> Listing:
    records = listing.records[:keep]
    kept = {record["case_number"] for record in records}
    events = [event for event in listing.events if event["case_number"] in kept]
    return Listing(listing.truth, records, events)


def generate_with_truth(
    n_records: int, seed: int = DEFAULT_SEED, today: dt.date = DEFAULT_TODAY
) -> Iterator[Listing]:
    """One :class:`Listing` per debtor (truth, records, events), ``n_records`` records in all.

    The last debtor's cases are cut short if needed to hit ``n_records`` exactly.
    """
    if n_records < 0:
        raise ValueError(f"n_records must be >= 0, not {n_records}")
    remaining = n_records
    if remaining == 0:
        return
    for listing in _Simulation(seed, today).listings():
        if len(listing.records) >= remaining:
            yield _truncated(listing, remaining)
            return
        remaining -= len(listing.records)
        yield listing


def generate(
    n_records: int, seed: int = DEFAULT_SEED, today: dt.date = DEFAULT_TODAY
) -> Iterator[dict[str, Any]]:
    """``n_records`` list records, as dicts in the key order of ``spec/list-record.md``."""
    for listing in generate_with_truth(n_records, seed, today):
        yield from listing.records


def generate_events(
    n_records: int, seed: int = DEFAULT_SEED, today: dt.date = DEFAULT_TODAY
) -> Iterator[dict[str, Any]]:
    """The lifecycle events of the records :func:`generate` yields for the same arguments."""
    for listing in generate_with_truth(n_records, seed, today):
        yield from listing.events


def generate_stream(
    n_records: int, seed: int = DEFAULT_SEED, today: dt.date = DEFAULT_TODAY
) -> Iterator[tuple[Literal["record", "event"], dict[str, Any]]]:
    """Records and events in one pass: each debtor's records, then their events."""
    for listing in generate_with_truth(n_records, seed, today):
        for record in listing.records:
            yield "record", record
        for event in listing.events:
            yield "event", event
