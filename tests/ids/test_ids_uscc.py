"""Tests for shixin.ids.uscc: GB 32100 unified social credit codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

from shixin.ids import uscc
from tests.ids.ids_strategies import usccs

KNOWN = ["91110000600037341L", "91110108551385082Q", "91440300708461136T", "91330100716105852F"]


@pytest.mark.parametrize("number", KNOWN)
def test_known_codes_are_valid(number: str) -> None:
    """Published company codes validate."""
    assert uscc.validate(number) == number


def test_written_forms_are_accepted() -> None:
    """Lower case, full width, spaces and hyphens are accepted."""
    assert uscc.validate("９１１１００００ 6000-3734-1l") == "91110000600037341L"


def test_letter_authorities_are_accepted_unlike_stdnum() -> None:
    """GB 32100 allows registration authorities A, N and Y, which stdnum rejects."""
    body = "N2110000600037341"
    number = body + uscc.calc_check_digit(body)
    assert not stdnum_uscc.is_valid(number)
    assert uscc.is_valid(number)


def test_embedded_org_code_check_is_not_required() -> None:
    """A USCC whose embedded organisation code fails its own check is still valid."""
    number = "92330106MA2CE8JX7B"
    assert uscc.is_valid(number)
    assert uscc.org_code_problem(number) == (
        "embedded organisation code MA2CE8JX-7: check character should be 0, not 7"
    )
    assert uscc.org_code_problem("91110000600037341L") is None


def test_errors_are_specific() -> None:
    """Length, excluded letters, region digits and check characters each get their error."""
    with pytest.raises(InvalidLength, match="length 17: a USCC has 18 characters"):
        uscc.validate("91110000600037341")
    with pytest.raises(InvalidFormat, match=r"'O' at position 9 is not used in USCCs"):
        uscc.validate("91110000O00037341L")
    with pytest.raises(InvalidFormat, match=r"'A' at position 3 should be a digit \(region code\)"):
        uscc.validate("91A10000600037341L")
    with pytest.raises(InvalidChecksum, match="check character should be L, not M"):
        uscc.validate("91110000600037341M")


def test_org_code() -> None:
    """Characters 9-17 are the embedded organisation code."""
    assert uscc.org_code("91110000600037341L") == "600037341"
    with pytest.raises(InvalidLength):
        uscc.org_code("9111")


def test_stdnum_check_does_not_look_at_the_org_code() -> None:
    """stdnum's validate checks only the MOD 31 character, so agreeing with it is safe."""
    assert stdnum_uscc.is_valid("92330106MA2CE8JX7B")


@given(usccs())
def test_generated_codes_validate_and_agree_with_stdnum(number: str) -> None:
    """Any body with its computed check validates; the weights match stdnum's check."""
    assert uscc.validate(number) == number
    total = sum(w * uscc.ALPHABET.index(c) for w, c in zip(uscc.WEIGHTS, number, strict=False))
    assert uscc.ALPHABET[-total % 31] == number[17]


@given(st.text())
def test_compact_is_idempotent(text: str) -> None:
    """Compacting a compact code changes nothing."""
    once = uscc.compact(text)
    assert uscc.compact(once) == once


@given(usccs(), st.integers(0, 17), st.sampled_from(uscc.ALPHABET))
def test_single_substitution_is_caught_and_undone_by_typos(
    number: str, position: int, char: str
) -> None:
    """A changed character is invalid; the original is among the typo candidates."""
    if number[position] == char or (2 <= position < 8 and not char.isdigit()):
        return
    if (position == 0 and char not in uscc.AUTHORITIES) or (
        position == 1 and char in "0ABCDEFGHJKLMNPQRTUWXY"
    ):
        return
    corrupted = number[:position] + char + number[position + 1 :]
    assert not uscc.is_valid(corrupted)
    assert number in {t.number for t in uscc.typos(corrupted)}


def test_typos_only_for_failed_checks() -> None:
    """Valid or malformed codes have no typo candidates."""
    assert uscc.typos("91110000600037341L") == []
    assert uscc.typos("91110000O00037341L") == []
