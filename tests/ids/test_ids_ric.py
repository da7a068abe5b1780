"""Tests for shixin.ids.ric: GB 11643 resident identity numbers."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from shixin.ids import ric
from tests.ids.ids_strategies import legacy_ids, resident_bodies, resident_ids

KNOWN = ["450202198001011232", "11010519491231002X", "440524188001010014", "360426199101010071"]


@pytest.mark.parametrize("number", KNOWN)
def test_known_ids_are_valid(number: str) -> None:
    """Published example IDs validate, including GB 11643's own 1880 example."""
    assert ric.validate(number) == number


@pytest.mark.parametrize(
    "written",
    ["11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", "110105 19491231 002X",
     "110105-19491231-002X", " 110105\u300019491231\u2014002ｘ "],
)  # fmt: skip
def test_written_forms_are_accepted(written: str) -> None:
    """Lower-case x, full width, spaces and hyphens are how people write IDs."""
    assert ric.validate(written) == "11010519491231002X"


def test_region_code_is_never_checked() -> None:
    """An abolished region code (stdnum rejects 320102) does not make an ID invalid."""
    number = "320102198001011238"
    assert not stdnum_ric.is_valid(number)
    assert ric.is_valid(number)


def test_wrong_check_character_says_what_it_should_be() -> None:
    """A checksum failure names the expected and the given check character."""
    with pytest.raises(InvalidChecksum, match="check character should be 2, not 7"):
        ric.validate("450202198001011237")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("45020219801301123X", "birth date 19801301 is not a date"),
        ("45020219800230123X", "birth date 19800230 is not a date"),
        ("45020218791231123X", "birth date 18791231 is before 1880"),
    ],
)
def test_implausible_birth_dates_are_invalid_components(number: str, message: str) -> None:
    """A birth date must be a real calendar date from 1880 on."""
    body = number[:17]
    with pytest.raises(InvalidComponent, match=message):
        ric.validate(body + ric.calc_check_digit(body))


def test_future_birth_date_is_invalid() -> None:
    """Nobody on the list is born after tomorrow."""
    future = datetime.date.today() + datetime.timedelta(days=40)
    body = f"450202{future:%Y%m%d}123"
    with pytest.raises(InvalidComponent, match="is in the future"):
        ric.validate(body + ric.calc_check_digit(body))


def test_birth_today_is_valid() -> None:
    """A baby born today (China time may be a day ahead) is not in the future."""
    body = f"450202{datetime.date.today():%Y%m%d}123"
    assert ric.is_valid(body + ric.calc_check_digit(body))


def test_wrong_length_and_characters() -> None:
    """Length and character errors name the length or the offending character."""
    with pytest.raises(InvalidLength, match="length 17: a resident ID has 18 characters"):
        ric.validate("45020219800101123")
    with pytest.raises(InvalidFormat, match="character 'A' at position 5 should be a digit"):
        ric.validate("4502A2198001011232")
    with pytest.raises(InvalidFormat, match="check character 'Y' should be a digit or X"):
        ric.validate("45020219800101123Y")


def test_legacy_15_digits() -> None:
    """Legacy IDs validate as given and convert to 18 characters in the 1900s."""
    assert ric.validate("450202800101123") == "450202800101123"
    assert ric.to_18("450202800101123") == "450202198001011232"
    assert ric.birth_date("450202800101123") == datetime.date(1980, 1, 1)
    with pytest.raises(InvalidComponent):
        ric.validate("450202801301123")


def test_components() -> None:
    """Birth date, gender (17th digit parity) and region come out of the number."""
    assert ric.birth_date("11010519491231002X") == datetime.date(1949, 12, 31)
    assert ric.gender("11010519491231002X") == "F"
    assert ric.gender("450202198001011232") == "M"
    assert ric.region("11010519491231002X") == "110105"


@pytest.mark.parametrize(
    "written", ["4502021980****1232", "4502021980＊＊＊＊1232", "4502021980********1232",
                "4502021980 **** 1232", "4502021980******1232"]
)  # fmt: skip
def test_masked_forms_are_recognised(written: str) -> None:
    """National-platform masks (4 to 8 stars, full-width too) compact to 4 stars."""
    assert ric.is_masked(written)
    assert ric.compact(written) == "4502021980****1232"


@pytest.mark.parametrize(
    "written", ["4502021980***1232", "4502021980*********1232", "450202198****1232"]
)
def test_other_star_counts_are_not_national_masks(written: str) -> None:
    """Three or nine stars, or a shorter visible prefix, are not the national mask."""
    assert not ric.is_masked(written)


def test_masked_id_cannot_be_validated_but_keeps_gender() -> None:
    """A masked ID hides the check and birth date, yet still shows the gender digit."""
    with pytest.raises(InvalidFormat, match="masked"):
        ric.validate("4502021980****1232")
    assert ric.gender("4502021980****1232") == "M"
    with pytest.raises(InvalidComponent):
        ric.birth_date("4502021980****1232")


def test_mask() -> None:
    """Masking keeps the first 10 and last 4 characters, also for legacy IDs."""
    assert ric.mask("11010519491231002x") == "1101051949****002X"
    assert ric.mask("450202800101123") == "4502021980****1232"
    assert ric.masked_key("450202198001011232") == "45020219801232"


def test_check_table_matches_stdnum() -> None:
    """Our weights and check table (used for typos) agree with stdnum's formula."""
    body = "45020219800101123"
    total = sum(w * int(d) for w, d in zip(ric.WEIGHTS, body, strict=True))
    assert ric.CHECK_CHARS[total % 11] == ric.calc_check_digit(body) == "2"


@given(resident_bodies())
def test_every_generated_body_with_its_check_validates(body: str) -> None:
    """For any 17-digit body with a real birth date, the computed ID validates."""
    number = body + ric.calc_check_digit(body)
    assert ric.validate(number) == number
    total = sum(w * int(d) for w, d in zip(ric.WEIGHTS, body, strict=True))
    assert ric.CHECK_CHARS[total % 11] == number[17]


@given(st.text())
def test_compact_is_idempotent(text: str) -> None:
    """Compacting a compact number changes nothing."""
    once = ric.compact(text)
    assert ric.compact(once) == once


@given(legacy_ids())
def test_legacy_round_trip_keeps_birth_date(number: str) -> None:
    """15 -> 18 conversion yields a valid ID with the same birth date and gender."""
    long = ric.to_18(number)
    assert ric.is_valid(long)
    assert ric.birth_date(long) == ric.birth_date(number)
    assert ric.gender(long) == ric.gender(number)
    assert long[:6] + long[8:17] == number


@given(resident_ids(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_single_substitution_is_caught_and_undone_by_typos(
    number: str, position: int, char: str
) -> None:
    """Any one-character change is invalid, and the original is among its typo candidates."""
    if (position < 17 and char == "X") or number[position] == char:
        return
    corrupted = number[:position] + char + number[position + 1 :]
    assert not ric.is_valid(corrupted)
    assert number in {t.number for t in ric.typos(corrupted)}


@given(resident_ids(), st.integers(0, 16))
def test_adjacent_swap_is_caught_and_undone_by_typos(number: str, position: int) -> None:
    """Swapping two neighbours is invalid, and the original is among its typo candidates."""
    a, b = number[position], number[position + 1]
    if a == b or (b == "X" and position + 1 == 17):
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    assert not ric.is_valid(swapped)
    assert number in {t.number for t in ric.typos(swapped)}


def test_typos_only_for_failed_checks() -> None:
    """A valid ID or a wrongly shaped one has no typo candidates."""
    assert ric.typos("450202198001011232") == []
    assert ric.typos("45020219800101123") == []


def test_typo_candidates_are_valid_and_explained() -> None:
    """Each candidate validates and its reason names the position and the change."""
    found = ric.typos("450202198001011233")
    assert found and all(ric.is_valid(t.number) for t in found)
    reasons = {t.number: t.reason for t in found}
    assert reasons["450202198001011232"] == "one digit differs at position 18 (3→2)"
