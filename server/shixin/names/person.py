"""Person-name normalisation.

Chinese names are written without spaces, but minority names (Uyghur, Tibetan,
Mongolian …) separate their parts with a middle dot that is typed in a dozen
different ways (``·`` ``•`` ``・`` ``.`` ``‧`` ``。`` or not at all).  The list
itself is inconsistent, so the separator carries no information and is
dropped.  Latin-script names (pinyin or foreign) keep their token structure.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from shixin.names.fold import fold

__all__ = ["has_han", "is_latin", "latin_tokens", "normalize_person"]

_CACHE_SIZE = 65_536
_SMALL_CACHE_SIZE = 16_384

# CJK Unified Ideographs, Extension A, compatibility ideographs, Extensions B–H
# and the ideographic zero.
_HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"


@cache
def _han_re() -> re.Pattern[str]:
    return re.compile(f"[{_HAN_CLASS}]")


@cache
def _non_word_re() -> re.Pattern[str]:
    # Everything that is not a letter or digit: whitespace, the many middle-dot
    # separators (· • ・ . ‧ 。 ∙ ⋅), dashes, brackets, underscores.
    return re.compile(r"[\W_]+")


@cache
def _word_re() -> re.Pattern[str]:
    return re.compile(r"[^\W_]+")


def has_han(text: str) -> bool:
    """Tell whether the text contains at least one Chinese character.

    >>> has_han("阿不都·热合曼")
    True
    >>> has_han("Zhang Wei")
    False
    """
    return _han_re().search(text) is not None


def _is_latin_char(char: str) -> bool:
    # Basic Latin letters plus Latin-1, Latin Extended-A/B (pinyin tone marks
    # such as ǎ ǘ live there) and Latin Extended Additional.
    code = ord(char)
    return code < 0x250 or 0x1E00 <= code <= 0x1EFF


@lru_cache(maxsize=_SMALL_CACHE_SIZE)
def is_latin(text: str) -> bool:
    """Tell whether a name is written in Latin script (pinyin or foreign).

    Cached: a query's name is tested against each of its candidates.

    A name qualifies when it has at least one letter and all of its letters
    are Latin, so ``"Zhāng Wěi"`` and ``"O'Brien"`` do, ``"张伟"`` does not.

    Args:
        text: A raw or folded name.

    Returns:
        True for Latin-script names.

    >>> is_latin("ZHANG Wei")
    True
    >>> is_latin("Zhāng Wěi")
    True
    >>> is_latin("张伟 Zhang")
    False
    >>> is_latin("1234")
    False
    """
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(_is_latin_char(c) for c in letters)


@lru_cache(maxsize=_SMALL_CACHE_SIZE)
def latin_tokens(text: str) -> tuple[str, ...]:
    """Split a non-Chinese name into folded, lower-case tokens.

    Any run of non-alphanumeric characters separates tokens, so hyphens,
    apostrophes, dots and commas all split.

    Args:
        text: A raw name.

    Returns:
        The tokens in written order.

    >>> latin_tokens("ZHANG-Wei")
    ('zhang', 'wei')
    >>> latin_tokens("O'Brien,  John")
    ('o', 'brien', 'john')
    """
    return tuple(_word_re().findall(fold(text)))


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_person(name: str) -> str:
    """Normalise a person's name for exact comparison and index keys.

    The name is :func:`~shixin.names.fold.fold`-ed first.  A name containing
    Chinese characters then loses every space, separator and punctuation
    mark, so all spellings of a minority name coincide.  Other names become
    their lower-case tokens joined by single spaces.

    Args:
        name: A raw person name.

    Returns:
        The normalised name ("" when nothing name-like is left).

    >>> normalize_person("阿不都·热合曼") == normalize_person("阿不都•热合曼")
    True
    >>> normalize_person("阿不都 熱合曼")
    '阿不都热合曼'
    >>> normalize_person("张　伟")
    '张伟'
    >>> normalize_person("  ZHANG   Wei ")
    'zhang wei'
    >>> normalize_person("Zhang-Wei")
    'zhang wei'
    """
    folded = fold(name)
    if has_han(folded):
        return _non_word_re().sub("", folded)
    return " ".join(_word_re().findall(folded))
