"""Text clean-up shared by every identity-number module.

Numbers arrive copied from scans, spreadsheets and chat apps: full-width forms,
odd dashes and invisible characters are common and carry no meaning, so every
module strips them the same way before looking at the characters that count.
"""

from __future__ import annotations

import unicodedata
from typing import Final, NoReturn

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

_DASHES: Final = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_INVISIBLE: Final = "\u200b\u200c\u200d\u2060\ufeff"

#: ``str.translate`` table deleting whitespace and invisible characters.
BLANKS: Final[dict[int, None]] = {
    **{cp: None for cp in range(0x3001) if chr(cp).isspace()},
    **{ord(c): None for c in _INVISIBLE},
}
#: ``str.translate`` table deleting every separator people put in numbers.
SEPARATORS: Final[dict[int, None]] = {**BLANKS, **{ord(c): None for c in _DASHES}}

_PLACEHOLDERS: Final = frozenset(
    {
        "无", "空", "暂无", "没有", "不详", "未知", "不明", "无证件", "无号码", "未提供",
        "NULL", "NONE", "NIL", "NAN", "NA", "N/A", "UNKNOWN", "?", "??", "???",
    }
)  # fmt: skip


def clean(number: str, table: dict[int, None] = SEPARATORS) -> str:
    """Return number in NFKC, upper case, with the characters in table removed.

    Full-width forms and ideographic spaces become ASCII (NFKC). Removing a
    separator can let NFKC compose newly adjacent characters, so non-ASCII text
    is cleaned until it no longer changes; this keeps ``clean`` idempotent.

    >>> clean(" ４５０２０２－１９８００１０１ １２３x ")
    '45020219800101123X'
    >>> clean("a\u00a8b")  # ¨ is space + combining mark; without the space it joins the a
    'ÄB'
    """
    if number.isascii():
        return (number if number.isalnum() else number.translate(table)).upper()
    text = number
    for _ in range(8):
        cleaned = unicodedata.normalize("NFKC", text).translate(table).upper()
        if cleaned == text:
            break
        text = cleaned
    return text


def is_blank(raw: str) -> bool:
    """Tell whether raw holds nothing but whitespace or invisible characters.

    >>> is_blank(" \u3000\u200b"), is_blank(" - ")
    (True, False)
    """
    return not raw.translate(BLANKS)


def isdigits(text: str) -> bool:
    """Tell whether text is non-empty and all ASCII digits (``str.isdigit`` admits ``'²'``).

    >>> isdigits("0123"), isdigits("²"), isdigits("")
    (True, False, False)
    """
    return text.isascii() and text.isdigit()


def is_placeholder(compact: str) -> bool:
    """Tell whether a cleaned value is a stand-in such as 无 or NULL, or one repeated character.

    Such values are shared by unrelated records, so they must never be matched.

    >>> is_placeholder("NULL"), is_placeholder("000000000000000000"), is_placeholder("E1234")
    (True, True, False)
    """
    return compact in _PLACEHOLDERS or compact == compact[:1] * len(compact)


def raise_for(reason: str) -> NoReturn:
    """Raise the python-stdnum error that a problem text of ours describes.

    >>> raise_for("length 8: an organisation code has 9 characters")
    Traceback (most recent call last):
        ...
    stdnum.exceptions.InvalidLength: length 8: an organisation code has 9 characters
    """
    if reason.startswith("length"):
        raise InvalidLength(reason)
    if reason.startswith("check character should"):
        raise InvalidChecksum(reason)
    raise InvalidFormat(reason)
