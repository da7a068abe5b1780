"""Tests for shixin.ids.other: passports, permits and other opaque numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.exceptions import InvalidFormat, InvalidLength

from shixin.ids import other
from shixin.ids.kind import IdKind


def test_compact_normalises_case_width_and_separators() -> None:
    """NFKC, upper case, and no spaces, hyphens or parentheses."""
    assert other.compact(" ｅａ１２３-４５６７ ") == "EA1234567"
    assert other.compact("A123456(7)") == other.compact("A1234567") == "A1234567"


@pytest.mark.parametrize(
    ("number", "kind"),
    [("E12345678", "passport"), ("EA1234567", "passport"), ("123456789", "passport"),
     ("H1234567801", "hk_macao_permit"), ("C12345678", "hk_macao_permit"),
     ("12345678", "taiwan_permit"), ("军字第2001988号", "other"), ("A1234567", "other")],
)  # fmt: skip
def test_plausible_numbers_are_valid(number: str, kind: str) -> None:
    """Chinese and foreign formats pass the light check of their kind."""
    assert other.validate(number, kind) == number


def test_light_check_errors() -> None:
    """Too short, too long, or non-alphanumeric numbers fail for kinds that need letters+digits."""
    with pytest.raises(InvalidLength, match="length 4: a passport number has 5 to 20"):
        other.validate("E123", IdKind.PASSPORT)
    with pytest.raises(InvalidLength):
        other.validate("X" * 65)
    with pytest.raises(InvalidFormat, match="'号' at position 9"):
        other.validate("H1234567号", "hk_macao_permit")
    with pytest.raises(InvalidFormat, match="not printable"):
        other.validate("AB\x00CD")


def test_masked_opaque_numbers_are_plausible() -> None:
    """Stars (masks) are allowed in opaque numbers."""
    assert other.is_valid("E1234****", "passport")


@given(st.text())
def test_compact_is_idempotent(text: str) -> None:
    """Compacting a compact number changes nothing."""
    once = other.compact(text)
    assert other.compact(once) == once
