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


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("乾山運輸", "乾山运输"),
        ("乾山运输", "乾山运输"),
        ("乾坤貿易", "乾坤贸易"),
        ("乾安縣", "乾安县"),
        ("張昇", "张昇"),
        ("沈靜", "沈静"),
        ("乾洗店", "干洗店"),
        ("餅乾廠", "饼干厂"),
        ("乾貨商行", "干货商行"),
        ("旭日東昇", "旭日东升"),
        ("鍾偉", "钟伟"),
        ("锺伟", "钟伟"),
        ("萬鍾", "万钟"),
        ("鉅豐", "钜丰"),
        ("於偉", "于伟"),
    ],
)
def test_name_characters_survive_simplification(raw: str, folded: str) -> None:
    """乾, 昇 and 沈 stay unless an OpenCC phrase means the merged word; 锺/鍾 → 钟, 鉅 → 钜."""
    assert fold(raw) == folded


def test_qian_and_gan_names_stay_apart() -> None:
    """乾山运输 and 干山运输 are different names, not equal after normalisation."""
    assert fold("乾山运输") != fold("干山运输")


NAME_ALPHABET = SURNAMES + GIVEN + "乾昇沈锺钜钟干升坤隆元山运输洗静货"
TRADITIONAL_CONTEXT = "乾昇沈鍾锺鉅淨洗貨餅東靜運輸隆坤元山"


@given(st.text(alphabet=NAME_ALPHABET + TRADITIONAL_CONTEXT, max_size=8))
def test_fold_is_idempotent_around_kept_characters(text: str) -> None:
    """Folding stays idempotent where kept characters (乾 昇 沈) meet traditional phrases."""
    once = fold(text)
    assert fold(once) == once


@given(st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=6))
def test_traditional_spelling_of_a_name_folds_back(text: str) -> None:
    """A simplified name written in traditional script (OpenCC s2t) folds back, 乾 included."""
    assert fold(to_traditional(text)) == fold(text)
