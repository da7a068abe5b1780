"""Tests for shixin.names.fold: width, script, case and spacing folding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shixin.names.fold import fold, to_simplified

from tests.names.names_strategies import GIVEN, SURNAMES, to_fullwidth, to_traditional


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ＺＨＡＮＧ　Ｗｅｉ", "zhang wei"),
        ("張偉", "张伟"),
        ("柳州鑫達貿易（柳州）有限公司", "柳州鑫达贸易(柳州)有限公司"),
        ("  a \t b\n c  ", "a b c"),
        ("阿不都･熱合曼", "阿不都・热合曼"),
        ("", ""),
    ],
)
def test_fold_table(raw: str, folded: str) -> None:
    """Full width, traditional characters, case and whitespace runs all fold."""
    assert fold(raw) == folded


def test_to_simplified_reaches_a_fixed_point() -> None:
    """OpenCC's one non-idempotent chain (薴→苧→苎) is followed to its end."""
    assert to_simplified("薴") == to_simplified(to_simplified("薴"))


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    """Folding a folded string changes nothing, whatever the input."""
    once = fold(text)
    assert fold(once) == once


@given(st.text(alphabet=SURNAMES + GIVEN + "鑫达贸易有限公司", min_size=1))
def test_fold_undoes_traditional_and_full_width(text: str) -> None:
    """Traditional and full-width spellings of simplified text fold back to it."""
    assert fold(to_fullwidth(to_traditional(text))) == fold(text)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ ", min_size=1))
def test_fold_full_width_latin(text: str) -> None:
    """Full-width Latin letters fold like ASCII ones."""
    assert fold(to_fullwidth(text)) == fold(text)
