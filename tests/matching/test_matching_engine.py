"""The engine over a real LMDB index: candidate budget, kind inference, levels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shixin.ids import IdKind, parse
from shixin.matching import Query, match
from shixin.store import ReadView
from tests.matching.factory import TODAY, organization, person, rid, snapshot, uscc

TARGET_ID = rid("45020219800101123")
COMPANY_USCC = uscc("450200", "12345678")
# Names one character from 张晓明 in the place 晓 takes: they share the typo key d:张明.
DECOYS = [f"张{c}明" for c in "一二三四五六七八九十"]


@pytest.fixture
def view(tmp_path: Path) -> Iterator[ReadView]:
    """A snapshot of an index with one 张晓明, ten names a typo away, and a company."""
    records = [person("(2025)桂0202执1号", "张晓明", TARGET_ID)]
    records += [person(f"(2025)桂0202执{10 + i}号", name) for i, name in enumerate(DECOYS)]
    records.append(organization("(2025)桂0202执2号", "柳州市鑫达贸易有限公司", COMPANY_USCC,
                                [{"role": "legal_representative", "name": "李四"}]))
    with snapshot(tmp_path / "index", records) as snap:
        yield snap


def test_budget_reads_exact_name_keys_before_typo_keys(view: ReadView) -> None:
    """With room for one candidate, the exact-name record wins over typo-key postings."""
    first_typo_posting = view.postings("d:张明", 1)
    target = view.postings("n:张晓明", 1)
    assert first_typo_posting and target and first_typo_posting != target  # the trap is set
    result = match(view, Query(name="张晓明"), today=TODAY, max_candidates=1,
                   max_postings=1)
    assert [h.record_id for h in result.hits] == [target[0][0]]


def test_mistyped_resident_id_that_passes_as_uscc_still_finds_the_person(view: ReadView) -> None:
    """One wrong digit can make a resident ID a valid USCC by chance; the person is still found."""
    typos = [TARGET_ID[:i] + d + TARGET_ID[i + 1:] for i in range(17) for d in "0123456789"
             if d != TARGET_ID[i]]
    as_uscc = [t for t in typos if parse(t).kind is IdKind.USCC and parse(t).valid]
    assert as_uscc, "no single-digit typo of the test ID reads as a valid USCC"
    for typo in as_uscc:
        result = match(view, Query(name="张晓明", id_number=typo), today=TODAY)
        found = [h for h in result.hits if h.party.id_compact == TARGET_ID]
        assert found and all(h.level == "candidate" for h in result.hits), typo


def test_company_written_otherwise_with_its_uscc_is_definitive(view: ReadView) -> None:
    """Another region prefix and legal form, same core, equal USCC: the identity is established."""
    result = match(view, Query(name="广西鑫达贸易有限责任公司", id_number=COMPANY_USCC),
                   today=TODAY)
    assert result.status == "hit"
    assert result.hits[0].level == "definitive"


def test_homophone_person_with_equal_id_is_only_a_candidate(view: ReadView) -> None:
    """A person's name that only sounds the same does not confirm an equal ID number."""
    result = match(view, Query(name="章晓明", id_number=TARGET_ID), today=TODAY)
    assert result.status == "possible"
    assert result.hits[0].party.id_compact == TARGET_ID
    assert result.hits[0].level == "candidate"
