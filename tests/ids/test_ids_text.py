"""Tests for shixin.ids._text: shared clean-up of written numbers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shixin.ids._text import clean, is_blank, is_placeholder, isdigits


def test_clean_folds_full_width_and_drops_separators() -> None:
    """Full-width digits and letters, ideographic spaces and dashes of every kind go."""
    assert clean("４５０２０２\u3000１９８０—０１０１–１２３ｘ") == "45020219800101123X"


def test_clean_drops_invisible_characters() -> None:
    """Zero-width spaces and byte-order marks pasted from chat apps are removed."""
    assert clean("\ufeff4502\u200b0219") == "45020219"


@given(st.text())
def test_clean_is_idempotent(text: str) -> None:
    """Cleaning a cleaned string changes nothing."""
    once = clean(text)
    assert clean(once) == once


def test_is_blank() -> None:
    """Only whitespace and invisible characters count as blank; dashes do not."""
    assert is_blank("") and is_blank(" \t\u3000\u200b")
    assert not is_blank("-") and not is_blank("0")


def test_isdigits_is_ascii_only() -> None:
    """Superscripts and other scripts' digits are not digits of an identity number."""
    assert isdigits("0123456789")
    assert not isdigits("²") and not isdigits("٣") and not isdigits("")


def test_placeholders() -> None:
    """Stand-ins and repeated characters are placeholders; real numbers are not."""
    for value in ("无", "NULL", "N/A", "不详", "0", "000000000000000000", "XXXX", ""):
        assert is_placeholder(value), value
    assert not is_placeholder("450202198001011232")
