"""Tests for shixin.ids.typos: candidates one slip away from a failed check."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shixin.ids import ric
from shixin.ids.typos import CheckScheme, Typo, one_typo_away

_DIGITS = "0123456789"
# check = (3*a + 1*b + 3*c) mod 11, written 0-9 or X: a prime modulus, like GB 11643.
_SCHEME = CheckScheme({d: int(d) for d in _DIGITS}, (3, 1, 3), _DIGITS + "X")


def _typos(number: str) -> list[Typo]:
    return one_typo_away(number, _SCHEME, [_DIGITS] * 3 + [_DIGITS + "X"])


def test_check_char() -> None:
    """The scheme computes the check character from the weighted sum."""
    assert _SCHEME.check_char("123") == "3"  # 3 + 2 + 9 = 14 = 3 (mod 11)
    assert _SCHEME.check_char("007") == "X"  # 21 = 10 (mod 11)


def test_substitutions_and_swaps_are_found() -> None:
    """Substituted characters (check included) and adjacent swaps are found, with reasons."""
    assert {t.number: t.reason for t in _typos("1235")}["1233"] == (
        "one digit differs at position 4 (5→3)"
    )
    assert {t.number: t.reason for t in _typos("1733")}["1233"] == (
        "one digit differs at position 2 (7→2)"
    )
    assert {t.number: t.reason for t in _typos("2133")}["1233"] == "digits 1 and 2 swapped"


def test_malformed_bodies_yield_nothing() -> None:
    """A body character outside the values, or a wrong length, gives no candidates."""
    assert _typos("1A34") == []
    assert _typos("12345") == []


def test_accept_filters_candidates() -> None:
    """The accept callback drops candidates, e.g. resident IDs with impossible dates."""
    assert all(ric.is_valid(t.number) for t in ric.typos("450202198013011236"))


@given(st.from_regex(r"[0-9]{3}[0-9X]", fullmatch=True))
def test_candidates_are_exactly_the_valid_one_slip_neighbours(number: str) -> None:
    """Solving for the fitting value finds the same candidates as trying every character."""
    brute = set()
    for i in range(4):
        for c in _DIGITS + ("X" if i == 3 else ""):
            brute.add(number[:i] + c + number[i + 1 :])
    for i in range(3):
        swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
        if "X" not in swapped[:3]:
            brute.add(swapped)
    expected = {n for n in brute if n != number and _SCHEME.check_char(n[:3]) == n[3]}
    found = [t.number for t in _typos(number)]
    assert set(found) == expected and len(found) == len(set(found))
