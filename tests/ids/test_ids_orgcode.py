"""Tests for shixin.ids.orgcode: GB 11714 organisation codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

from shixin.ids import orgcode
from tests.ids.ids_strategies import org_codes


@pytest.mark.parametrize(
    "written", ["60003734-1", "600037341", "６０００３７３４－１", " 6000 3734 - 1 "]
)
def test_written_forms_are_accepted(written: str) -> None:
    """With or without hyphen, full width or spaced, the code validates."""
    assert orgcode.validate(written) == "600037341"


def test_check_character_10_is_x_and_11_is_0() -> None:
    """A remainder giving 10 is written X; one giving 11 is written 0."""
    assert orgcode.calc_check_digit("00000006") == "X"
    assert orgcode.calc_check_digit("00000000") == "0"
    assert orgcode.is_valid("00000006-x")


def test_letters_count_from_ten() -> None:
    """Body letters are valued A=10 ... Z=35."""
    total = 3 * 22 + 7 * 10 + 9 * 0 + 10 * 1 + 5 * 10 + 8 * 11 + 4 * 12 + 2 * 13
    expected = {0: "0", 1: "X"}.get(total % 11, str(11 - total % 11))
    assert orgcode.calc_check_digit("MA01ABCD") == expected


def test_errors_are_specific() -> None:
    """Length, characters and check character each get their own error."""
    with pytest.raises(InvalidLength, match="length 8: an organisation code has 9 characters"):
        orgcode.validate("60003734")
    with pytest.raises(InvalidFormat, match="check character 'Y' should be a digit or X"):
        orgcode.validate("60003734Y")
    with pytest.raises(InvalidFormat, match="'\\*' at position 2 should be a digit or a letter"):
        orgcode.validate("6*0037341")
    with pytest.raises(InvalidChecksum, match="check character should be 1, not 2"):
        orgcode.validate("600037342")


def test_format_adds_the_hyphen() -> None:
    """The printed form is XXXXXXXX-X."""
    assert orgcode.format("600037341") == "60003734-1"


@given(org_codes())
def test_generated_codes_validate(number: str) -> None:
    """Any 8-character body with its computed check validates, hyphenated or not."""
    assert orgcode.validate(number) == number
    assert orgcode.validate(orgcode.format(number)) == number


@given(st.text())
def test_compact_is_idempotent(text: str) -> None:
    """Compacting a compact code changes nothing."""
    once = orgcode.compact(text)
    assert orgcode.compact(once) == once


@given(org_codes(), st.integers(0, 7), st.sampled_from("0123456789"))
def test_digit_substitution_is_caught_and_undone_by_typos(
    number: str, position: int, digit: str
) -> None:
    """A digit changed into another is invalid; the original is among the typo candidates."""
    if not number[position].isdigit() or number[position] == digit:
        return
    corrupted = number[:position] + digit + number[position + 1 :]
    assert not orgcode.is_valid(corrupted)
    assert number in {t.number for t in orgcode.typos(corrupted)}
