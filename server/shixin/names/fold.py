"""Script-level folding shared by person and organisation names.

The list is published in simplified Chinese, but queries arrive typed on
Hong Kong / Taiwan keyboards, pasted from full-width forms, or shouted in
upper case.  :func:`fold` removes those differences once, so that every
later step (keys, comparison) works on one canonical spelling.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

__all__ = ["fold", "to_simplified"]

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


def to_simplified(text: str) -> str:
    """Convert traditional Chinese characters to simplified ones.

    OpenCC's t2s table is not quite idempotent (薴→苧→苎), so the conversion is
    repeated until it reaches a fixed point; that keeps :func:`fold` idempotent.
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
    """
    if text.isascii():
        return text
    convert = _t2s()
    for _ in range(3):
        converted = convert(text)
        if converted == text:
            break
        text = converted
    return text


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
