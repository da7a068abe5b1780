"""Tests for shixin.ids.typos: candidates one slip away from a failed check."""

from __future__ import annotations

from shixin.ids import ric
from shixin.ids.typos import Typo, one_typo_away

_DIGITS = "0123456789"
_VALUES = {d: int(d) for d in _DIGITS}


def _mod10(number: str) -> list[Typo]:
    return one_typo_away(
        number, alphabets=[_DIGITS] * len(number), values=_VALUES,
        weights=(3, 1, 3), check_char=lambda total: str(total % 10),
    )  # fmt: skip


def test_every_candidate_passes_the_check() -> None:
    """Each candidate's check character fits its body."""
    for typo in _mod10("1234"):
        total = sum(w * int(d) for w, d in zip((3, 1, 3), typo.number, strict=False))
        assert str(total % 10) == typo.number[3]


def test_substitutions_and_swaps_are_found() -> None:
    """The check character itself and adjacent swaps are candidates with their reasons."""
    # 1234 is valid: 3*1 + 1*2 + 3*3 = 14 -> check 4.
    assert {t.number: t.reason for t in _mod10("1235")}["1234"] == (
        "one digit differs at position 4 (5→4)"
    )
    assert {t.number: t.reason for t in _mod10("2134")}["1234"] == "digits 1 and 2 swapped"
    assert {t.number: t.reason for t in _mod10("1243")}["1234"] == "digits 3 and 4 swapped"


def test_malformed_bodies_yield_nothing() -> None:
    """A body character outside the alphabet, or a wrong length, gives no candidates."""
    assert _mod10("1A34") == []
    assert _mod10("12345") == []


def test_accept_filters_candidates() -> None:
    """The accept callback drops candidates, e.g. resident IDs with impossible dates."""
    assert all(ric.is_valid(t.number) for t in ric.typos("450202198013011236"))


def test_no_duplicates_and_never_the_input() -> None:
    """Candidates are distinct and never the number itself."""
    found = [t.number for t in _mod10("5555")]
    assert len(found) == len(set(found)) and "5555" not in found
