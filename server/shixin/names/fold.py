"""Script-level folding shared by person and organisation names.

The list is published in simplified Chinese, but queries arrive typed on
Hong Kong / Taiwan keyboards, pasted from full-width forms, or shouted in
upper case.  :func:`fold` removes those differences once, so that every
later step (keys, comparison) works on one canonical spelling.

OpenCC's t2s merges a few characters that are distinct in names, because it
converts running text.  Decisions (see :data:`KEEP_AS_WRITTEN` and
:data:`NAME_FORMS`):

* 乾 and 昇 are standard simplified characters too (通用规范汉字表: 乾坤, 乾隆,
  乾安县; 昇 in given names).  They are kept as written, *unless* OpenCC's
  phrase tables say the traditional text means the merged word: a kept
  character is converted only where converting the result back (s2t) gives
  it again (乾洗店 → 干洗店, 餅乾 → 饼干, 東昇 → 东升; but 乾山运输 stays, it
  is not 干山运输).
* 沈 is kept the same way: the surname, whereas OpenCC reads 沈靜 as 沉静
  (the common name 沈静 would become 沉静); s2t writes 沉 as 沉, so 沈 stays.
* 於 is not kept: OpenCC writes the common surname and word 于 as 於 in
  traditional script (the round trip above always converts it), and 於/于
  sound alike, so the rare surname 於 still matches 于 by pinyin.
* 鍾/锺 → 钟: the surname is the same; OpenCC leaves 锺 (the 通用规范 form
  for the surname) alone, so it is mapped to 钟 like 鍾.
* 鉅 → 钜, not 巨: in names 鉅 is the traditional form of 钜 (钜丰, 钜派);
  OpenCC's 巨 is the running-text reading (鉅額).
* 甯, 堃, 喆, 仝, 邨, 甦, 藉, 瞭 … are left alone by OpenCC already.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

__all__ = ["KEEP_AS_WRITTEN", "NAME_FORMS", "fold", "to_simplified"]

# Characters kept as written unless OpenCC's phrase tables convert them.
KEEP_AS_WRITTEN: frozenset[str] = frozenset("乾昇沈")
# Characters whose name form differs from OpenCC's conversion, applied first.
NAME_FORMS: dict[str, str] = {"锺": "钟", "鉅": "钜"}

# OpenCC converts ~1 µs per short string; names repeat a lot (queries hit the
# same listed names, the import sees the same company names), so a large
# per-string cache pays for itself.
_CACHE_SIZE = 200_000


@cache
def _t2s() -> Callable[[str], str]:
    """Build the OpenCC traditional→simplified converter once, on first use."""
    import opencc

    converter = opencc.OpenCC("t2s")
    convert: Callable[[str], str] = converter.convert
    return convert


@cache
def _s2t() -> Callable[[str], str]:
    """Build the OpenCC simplified→traditional converter once, on first use."""
    import opencc

    converter = opencc.OpenCC("s2t")
    convert: Callable[[str], str] = converter.convert
    return convert


@cache
def _name_forms() -> dict[int, str]:
    return str.maketrans(NAME_FORMS)


def _keep_as_written(original: str, converted: str) -> str:
    """Put back the :data:`KEEP_AS_WRITTEN` characters that OpenCC merged by default."""
    if len(original) != len(converted):  # OpenCC's tables keep lengths; be safe anyway
        return converted
    chars = list(converted)
    back = ""
    for index, char in enumerate(original):
        if char not in KEEP_AS_WRITTEN or chars[index] == char:
            continue
        back = back or _s2t()(converted)
        if len(back) == len(converted) and back[index] == char:
            continue  # a phrase: 乾洗 → 干洗 converts back to 乾洗
        chars[index] = char
    return "".join(chars)


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified ones.

    OpenCC's t2s table is not quite idempotent (薴→苧→苎), so the conversion is
    repeated until it reaches a fixed point; that keeps :func:`fold` idempotent.
    Name forms (:data:`NAME_FORMS`) are applied first and characters distinct
    in names (:data:`KEEP_AS_WRITTEN`) are kept, as the module describes.
    ASCII text skips OpenCC entirely.  Not cached itself: :func:`fold`
    caches the whole result.

    Args:
        text: Any text; non-Chinese characters pass through unchanged.

    Returns:
        The text with traditional characters (and phrases) simplified.

    >>> to_simplified("張偉")
    '张伟'
    >>> to_simplified("柳州鑫達貿易")
    '柳州鑫达贸易'
    >>> to_simplified("Zhang Wei")
    'Zhang Wei'
    >>> to_simplified("乾山運輸"), to_simplified("乾洗店")
    ('乾山运输', '干洗店')
    >>> to_simplified("鍾偉"), to_simplified("锺伟")
    ('钟伟', '钟伟')
    """
    if text.isascii():
        return text
    original = text = text.translate(_name_forms())
    convert = _t2s()
    for _ in range(3):
        converted = convert(text)
        if converted == text:
            break
        text = converted
    if text != original and not KEEP_AS_WRITTEN.isdisjoint(original):
        text = _keep_as_written(original, text)
    return text.translate(_name_forms())  # OpenCC's phrases write 锺 too (萬鍾 → 万锺)


@lru_cache(maxsize=_CACHE_SIZE)
def fold(text: str) -> str:
    """Fold width, script variant, case and spacing of a name.

    Steps: NFKC (full-width letters, digits, brackets and the ideographic
    space become their ASCII forms), traditional→simplified (OpenCC t2s),
    lower case, whitespace runs collapsed to one space, ends stripped.
    Punctuation is kept: deciding what is a separator is the job of the
    person/organisation normalisers.

    Args:
        text: A raw name as typed or as published.

    Returns:
        The folded name; ``fold(fold(x)) == fold(x)``.

    >>> fold("ＺＨＡＮＧ　Ｗｅｉ")
    'zhang wei'
    >>> fold("  柳州鑫達貿易（柳州）有限公司 ")
    '柳州鑫达贸易(柳州)有限公司'
    >>> fold("阿不都·熱合曼")
    '阿不都·热合曼'
    """
    folded = unicodedata.normalize("NFKC", text)
    if not folded.isascii():
        folded = to_simplified(folded)
    return " ".join(folded.lower().split())
