"""Tests for shixin.demo.generator: determinism, validity and realism of the demo list."""

import collections
import datetime as dt
import re
import unicodedata
from typing import Any

import pytest
from stdnum.cn import ric, uscc

from shixin.demo import (
    DEFAULT_TODAY,
    Listing,
    Org,
    Person,
    generate,
    generate_events,
    generate_stream,
    generate_with_truth,
)
from shixin.lifecycle import Event, TransitionError, check_transition, parse_event

N = 10_000
RECORD_KEYS = [
    "case_number",
    "debtor",
    "related_persons",
    "court",
    "province",
    "basis_document_number",
    "basis_issuer",
    "filed_on",
    "published_on",
    "expires_on",
    "obligation",
    "performance",
    "circumstances",
    "public",
]
ROLES = {
    "legal_representative",
    "principal",
    "actual_controller",
    "director",
    "supervisor",
    "senior_manager",
    "directly_responsible",
}
EVENTS = {
    "risk_notice",
    "include",
    "correction_requested",
    "correction_granted",
    "correction_rejected",
    "review_requested",
    "review_granted",
    "review_rejected",
    "shield",
    "revoke",
    "extend",
    "restore",
}
CASE_NUMBER = re.compile(r"^[(（](20\d\d)[)）]桂(\d\d|\d{4})执恢?\d+号$")
ISO_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


@pytest.fixture(scope="module")
def listings() -> list[Listing]:
    return list(generate_with_truth(N))


@pytest.fixture(scope="module")
def records(listings: list[Listing]) -> list[dict[str, Any]]:
    return [record for listing in listings for record in listing.records]


def _compact_id(written: str) -> str:
    """Undo the clerical noise (full-width, spaces, hyphens, lower-case x)."""
    return unicodedata.normalize("NFKC", written).replace(" ", "").replace("-", "").upper()


def _ric_check(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character, written independently."""
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    return "10X98765432"[total % 11]


def _org_check(body: str) -> str:
    """GB 11714 check character, written independently of the generator."""
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def test_same_seed_same_output_other_seed_other_output() -> None:
    """Generation is a pure function of (n, seed, today)."""
    assert list(generate(500, seed=7)) == list(generate(500, seed=7))
    assert list(generate_events(500, seed=7)) == list(generate_events(500, seed=7))
    assert list(generate(500, seed=7)) != list(generate(500, seed=8))


def test_exactly_n_records_and_streams_agree(records: list[dict[str, Any]]) -> None:
    """n_records is exact; the record, event and combined streams are the same run."""
    assert len(records) == N
    assert list(generate(0)) == []
    for n in (1, 2, 3, 37):
        assert len(list(generate(n))) == n
    stream = list(generate_stream(300))
    assert [item for kind, item in stream if kind == "record"] == list(generate(300))
    assert [item for kind, item in stream if kind == "event"] == list(generate_events(300))


def test_records_follow_the_spec(records: list[dict[str, Any]]) -> None:
    """Required fields present, keys in spec order, values of the documented kinds."""
    today = DEFAULT_TODAY.isoformat()
    for record in records:
        keys = list(record)
        assert keys == [k for k in RECORD_KEYS if k in record]
        for required in ("case_number", "debtor", "court", "published_on"):
            assert record[required]
        assert CASE_NUMBER.match(record["case_number"]), record["case_number"]
        debtor = record["debtor"]
        assert debtor["kind"] in ("person", "organization") and debtor["name"]
        assert debtor.get("id_type", "resident_id") in ("resident_id", "uscc", "org_code")
        assert ("gender" not in debtor) or debtor["kind"] == "person"
        for field in ("filed_on", "published_on", "expires_on"):
            if field in record:
                assert ISO_DATE.match(record[field])
        assert record["filed_on"] < record["published_on"]
        assert record.get("expires_on", "9999") > record["published_on"]
        assert isinstance(record["public"], bool)
        for person in record.get("related_persons", []):
            assert person["role"] in ROLES and person["name"]
        assert record["filed_on"] <= today


def test_keys_are_unique(records: list[dict[str, Any]]) -> None:
    """(case_number, id_number or name) identifies a record."""
    keys = [
        (r["case_number"], r["debtor"].get("id_number") or r["debtor"]["name"]) for r in records
    ]
    assert len(set(keys)) == len(keys)


def test_every_resident_id_is_valid_and_matches_gender(listings: list[Listing]) -> None:
    """18-digit IDs carry a correct check digit; 15-digit ones convert to the truth's ID."""
    seen = collections.Counter[int]()
    for listing in listings:
        for record in listing.records:
            people = [record["debtor"], *record.get("related_persons", [])]
            for person in people:
                written = person.get("id_number")
                if written is None or person.get("kind") == "organization":
                    continue
                number = _compact_id(written)
                seen[len(number)] += 1
                if len(number) == 15:
                    number = number[:6] + "19" + number[6:]
                    number += _ric_check(number)
                assert number[-1] == _ric_check(number[:17]) == ric.calc_check_digit(number)
        truth = listing.truth
        person_truth = truth if isinstance(truth, Person) else truth.legal_representative
        gender_digit = int(person_truth.id_number[16])
        assert (gender_digit % 2 == 1) == (person_truth.gender == "男")
        assert person_truth.id_number[6:14] == f"{person_truth.birth_date:%Y%m%d}"
        assert 1950 <= person_truth.birth_date.year <= 2003
    assert seen[15] > 0 and seen[18] > 0


def test_every_uscc_and_org_code_is_valid(listings: list[Listing]) -> None:
    """USCCs pass stdnum, and the organisation codes (alone or embedded) pass GB 11714."""
    kinds = collections.Counter[str]()
    for listing in listings:
        if not isinstance(listing.truth, Org):
            continue
        org = listing.truth
        assert uscc.is_valid(org.uscc)
        assert org.uscc[8:17] == org.org_code
        assert org.org_code[8] == _org_check(org.org_code[:8])
        for record in listing.records:
            debtor = record["debtor"]
            kinds[debtor.get("id_type", "")] += 1
            if debtor.get("id_type") == "uscc":
                assert _compact_id(debtor["id_number"]) == org.uscc
            elif debtor.get("id_type") == "org_code":
                code = _compact_id(debtor["id_number"])
                assert code == org.org_code and code[8] == _org_check(code[:8])
    assert kinds["uscc"] > 5 * kinds["org_code"] > 0


def test_records_are_written_forms_of_the_truth(listings: list[Listing]) -> None:
    """Each record's ID is the truth's ID once the clerical noise is removed."""
    for listing in listings:
        truth = listing.truth
        for record in listing.records:
            written = record["debtor"].get("id_number")
            if written is None:
                continue
            number = _compact_id(written)
            if isinstance(truth, Person):
                assert number == truth.id_number or len(number) == 15
                assert truth.id_number.startswith(number[:6])
            else:
                assert number == truth.id_number


def test_many_homonyms(listings: list[Listing]) -> None:
    """Common names (张伟, 王伟, …) belong to several different people."""
    people: dict[str, set[str]] = collections.defaultdict(set)
    for listing in listings:
        if isinstance(listing.truth, Person):
            people[listing.truth.name].add(listing.truth.id_number)
    assert max(len(ids) for ids in people.values()) >= 5
    assert sum(1 for ids in people.values() if len(ids) >= 5) >= 10


def test_share_of_kinds_and_name_forms(records: list[dict[str, Any]]) -> None:
    """About 75 % persons, some minority names with varied dots, some non-public records."""
    persons = [r for r in records if r["debtor"]["kind"] == "person"]
    assert 0.70 < len(persons) / N < 0.80
    names = [r["debtor"]["name"] for r in persons]
    dotted = [n for n in names if any(dot in n for dot in "·•・.")]
    assert 0.005 < len(dotted) / len(names) < 0.04
    assert len({dot for n in dotted for dot in "·•・." if dot in n}) >= 3
    assert any("　" in n or " " in n for n in names)
    assert 0.05 < sum(not r["public"] for r in records) / N < 0.11
    assert any(r["case_number"].startswith("（") for r in records)


def test_companies_have_officers_some_of_them_debtors(listings: list[Listing]) -> None:
    """Every company record names its legal representative (or branch principal)."""
    debtor_ids = {
        listing.truth.id_number for listing in listings if isinstance(listing.truth, Person)
    }
    officers_listed = 0
    for listing in listings:
        for record in listing.records:
            if record["debtor"]["kind"] != "organization":
                continue
            roles = [p["role"] for p in record["related_persons"]]
            assert roles[0] in ("legal_representative", "principal")
            for person in record["related_persons"]:
                officers_listed += _compact_id(person.get("id_number", "")) in debtor_ids
    assert officers_listed > 20


def _active(record: dict[str, Any], events: list[dict[str, Any]], today: str) -> bool:
    expires = record.get("expires_on")
    active = True
    names = [event["event"] for event in events]
    for event in events:
        if event["event"] == "extend":
            expires = event["expires_on"]
        elif event["event"] in ("shield", "revoke", "correction_granted", "review_granted"):
            active = False
        elif event["event"] == "restore":
            active = True
    if names[:1] == ["risk_notice"] and "include" not in names:
        active = False
    return active and (expires is None or expires > today)


def test_lifecycle_events_and_active_share(listings: list[Listing]) -> None:
    """Events are about listed records, dated in order up to today; ~25 % are inactive."""
    today = DEFAULT_TODAY.isoformat()
    active = 0
    kinds = collections.Counter[str]()
    for listing in listings:
        by_case = collections.defaultdict(list)
        for event in listing.events:
            assert event["event"] in EVENTS
            assert list(event)[:2] == ["event", "case_number"]
            by_case[event["case_number"]].append(event)
            kinds[event["event"]] += 1
        for record in listing.records:
            events = by_case.pop(record["case_number"], [])
            key = "id_number" if "id_number" in record["debtor"] else "name"
            dates = [event["effective_on"] for event in events]
            assert dates == sorted(dates)
            for event in events:
                assert event[key] == record["debtor"][key]
                assert event["effective_on"] <= today
            active += _active(record, events, today)
        assert not by_case  # no event without its record
    assert 0.70 < active / N < 0.80
    assert EVENTS - {"review_rejected", "review_granted"} <= set(kinds)


def _refused_events(listings: list[Listing], today: dt.date) -> list[str]:
    """Push each record's events through the lifecycle as the importer does; list refusals."""
    refused: list[str] = []
    for listing in listings:
        for record in listing.records:
            key = "id_number" if "id_number" in record["debtor"] else "name"
            published = dt.date.fromisoformat(record["published_on"])
            expires = record.get("expires_on")
            ends = None if expires is None else dt.date.fromisoformat(expires)
            history: list[Event] = []
            for obj in listing.events:
                if obj["case_number"] != record["case_number"] or obj[key] != record["debtor"][key]:
                    continue
                event = parse_event(obj)
                try:
                    check_transition(published, ends, history, event, today)
                except TransitionError as err:
                    refused.append(f"{record['case_number']} {obj['event']}: {err.message}")
                else:
                    history.append(event)
    return refused


def test_every_event_is_a_legal_transition(listings: list[Listing]) -> None:
    """The lifecycle accepts every event of every record (no shield or revoke after expiry)."""
    shields = sum(e["event"] in ("shield", "revoke") for x in listings for e in x.events)
    assert shields > 500  # the check below covers many endings, not a handful
    assert _refused_events(listings, DEFAULT_TODAY) == []


@pytest.mark.parametrize(("seed", "today"), [(7, dt.date(2020, 6, 30)), (11, dt.date(2031, 1, 1))])
def test_events_are_legal_for_any_seed_and_today(seed: int, today: dt.date) -> None:
    """Another seed and another 'today' give legal event sequences too."""
    assert _refused_events(list(generate_with_truth(3000, seed, today)), today) == []


def test_today_bounds_the_dates() -> None:
    """A different 'today' moves the whole list; nothing lies after it but pending dates."""
    today = dt.date(2020, 6, 30)
    for record in generate(2000, today=today):
        assert record["filed_on"] <= today.isoformat()
