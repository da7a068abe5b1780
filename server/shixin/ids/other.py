"""Passports, Hong Kong/Macao and Taiwan permits and other identity numbers.

These carry no check character anyone can verify, and foreign formats vary, so
they are normalised into opaque strings and checked only lightly: upper-case
letters and digits of a plausible length (``*`` allowed, for masked numbers).
"Other" documents (e.g. 军官证 numbers such as 南字第2001988号) may hold any
printable characters. Parentheses go too, so ``A123456(7)`` and ``A1234567``
compare equal.

>>> compact("ｅ １２３４－５６７８")
'E12345678'
>>> validate("G1234567", "passport")
'G1234567'
"""

from __future__ import annotations

import re
from typing import Final

from stdnum.exceptions import InvalidFormat, InvalidLength, ValidationError

from shixin.ids._text import SEPARATORS, clean
from shixin.ids.kind import KIND_NAMES, IdKind

_OPAQUE_SEPARATORS: Final = {**SEPARATORS, **{ord(c): None for c in "()[]"}}
_ALNUM: Final = re.compile(r"[0-9A-Z*]+")

#: Accepted length range of each kind (after ``compact``).
LENGTHS: Final = {
    IdKind.PASSPORT: (5, 20),
    IdKind.HK_MACAO_PERMIT: (6, 14),
    IdKind.TAIWAN_PERMIT: (6, 14),
    IdKind.OTHER: (2, 64),
}


def compact(number: str) -> str:
    """Return the number in NFKC, upper case, without spaces, hyphens or parentheses.

    >>> compact("h1234567８(01)"), compact("a123456（7）")
    ('H1234567801', 'A1234567')
    """
    return clean(number, _OPAQUE_SEPARATORS)


def problem(number: str, kind: IdKind | str = IdKind.OTHER) -> str | None:
    """Return why a compact number is implausible for kind, or None.

    >>> problem("E1234", "passport") is None, problem("E123", "passport")
    (True, 'length 4: a passport number has 5 to 20 characters')
    >>> problem("E12345678", "hk_macao_permit") is None, problem("军字第2001988号", "other") is None
    (True, True)
    >>> problem("E1234567你", "passport")
    "character '你' at position 9: a passport number has only letters and digits"
    """
    kind = IdKind(kind)
    low, high = LENGTHS[kind]
    name = KIND_NAMES[kind]
    if not low <= len(number) <= high:
        return f"length {len(number)}: {name} has {low} to {high} characters"
    if kind is IdKind.OTHER:
        for position, char in enumerate(number, 1):
            if not char.isprintable():
                return f"character {char!r} at position {position} is not printable"
        return None
    if _ALNUM.fullmatch(number) is None:
        position, char = next((i, c) for i, c in enumerate(number, 1) if not _ALNUM.match(c))
        return f"character {char!r} at position {position}: {name} has only letters and digits"
    return None


def validate(number: str, kind: IdKind | str = IdKind.OTHER) -> str:
    """Check the number lightly for kind; return the compact form.

    >>> validate("E1 23", "passport")
    Traceback (most recent call last):
        ...
    stdnum.exceptions.InvalidLength: length 4: a passport number has 5 to 20 characters
    """
    number = compact(number)
    reason = problem(number, kind)
    if reason is None:
        return number
    raise (InvalidLength if reason.startswith("length") else InvalidFormat)(reason)


def is_valid(number: str, kind: IdKind | str = IdKind.OTHER) -> bool:
    """Tell whether number is plausible for kind.

    >>> is_valid("E12345678", "passport"), is_valid("E1", "passport")
    (True, False)
    """
    try:
        return bool(validate(number, kind))
    except ValidationError:
        return False


def format(number: str) -> str:
    """Reformat to the standard presentation: the compact form.

    >>> format("e 1234 5678")
    'E12345678'
    """
    return compact(number)
