"""GB 32100 unified social credit code (统一社会信用代码), as people write it.

Eighteen characters from ``0-9A-HJ-NP-RTUWXY`` (no I, O, Z, S, V): registration
authority, entity type, 6-digit region code, the 9-character GB 11714
organisation code, and a MOD 31 check character.

The embedded organisation code's own check character is not verified: for many
newer registrations (individual businesses above all) it does not hold, and a
real USCC must not be rejected for that; ``org_code_problem`` reports it.
``stdnum.cn.uscc.validate`` is not used either: it rejects registration
authorities written as letters (A, N, Y), which GB 32100 allows.

>>> validate("91110000 600037341l")
'91110000600037341L'
>>> org_code("91110000600037341L")
'600037341'
"""

from __future__ import annotations

import re
from typing import Final

from stdnum.exceptions import InvalidLength, ValidationError

from shixin.ids import orgcode
from shixin.ids._text import clean, raise_for
from shixin.ids.typos import CheckScheme, Typo, one_typo_away

#: The 31 characters a USCC may use; a character's value is its index.
ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: Weights of the 17 body characters (3**i mod 31).
WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: Registration-authority codes of GB 32100 (first character).
AUTHORITIES: Final = "123456789ANY"

_DIGITS: Final = "0123456789"
_VALUES: Final = {c: i for i, c in enumerate(ALPHABET)}
_EXCLUDED: Final = frozenset("IOZSV")
_CHECK_TABLE: Final = "".join(ALPHABET[-r % 31] for r in range(31))  # by weighted sum mod 31
_SHAPE: Final = re.compile(r"[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}")


def compact(number: str) -> str:
    """Return the number without separators, upper case.

    >>> compact("9111-0000-6000-3734-1l")
    '91110000600037341L'
    """
    return clean(number)


def calc_check_digit(number: str) -> str:
    """Return the check character for the first 17 characters of number.

    Same result as ``stdnum.cn.uscc.calc_check_digit`` (the tests compare them),
    without its clean-up pass, which ``parse`` has already done.

    >>> calc_check_digit("91110000600037341")
    'L'
    """
    return _SCHEME.check_char(number[:17])


def _char_problem(position: int, char: str) -> str | None:
    if 3 <= position <= 8:
        if char not in _DIGITS:
            return f"character {char!r} at position {position} should be a digit (region code)"
    elif char not in _VALUES:
        if char in _EXCLUDED:
            excluded = "is not used in USCCs (no I, O, Z, S, V)"
            return f"character {char!r} at position {position} {excluded}"
        return f"character {char!r} at position {position} should be a digit or a letter"
    return None


def problem(number: str) -> str | None:
    """Return why a compact number is not a valid USCC, or None.

    >>> problem("91110000600037341A")
    'check character should be L, not A'
    >>> problem("9111000060003734IL")
    "character 'I' at position 17 is not used in USCCs (no I, O, Z, S, V)"
    """
    if len(number) != 18:
        return f"length {len(number)}: a USCC has 18 characters"
    if _SHAPE.fullmatch(number) is None:
        problems = (_char_problem(i, c) for i, c in enumerate(number, 1))
        return next(filter(None, problems), "malformed USCC")
    expected = calc_check_digit(number)
    if number[17] != expected:
        return f"check character should be {expected}, not {number[17]}"
    return None


def validate(number: str) -> str:
    """Check the length, characters and check character; return the compact form.

    >>> validate("91110000600037341A")
    Traceback (most recent call last):
        ...
    stdnum.exceptions.InvalidChecksum: check character should be L, not A
    """
    number = compact(number)
    reason = problem(number)
    if reason is None:
        return number
    raise_for(reason)


def is_valid(number: str) -> bool:
    """Tell whether number is a valid USCC (letter authorities such as N included).

    >>> is_valid("91110000600037341L"), is_valid("N21100006000373414")
    (True, True)
    """
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """Reformat to the standard presentation: the compact form.

    >>> format("9 1 110000 600037341L")
    '91110000600037341L'
    """
    return compact(number)


def org_code(number: str) -> str:
    """Return the embedded GB 11714 organisation code (characters 9-17), unchecked.

    >>> org_code("92330106MA2CE8JX7B")
    'MA2CE8JX7'
    """
    number = compact(number)
    if len(number) != 18:
        raise InvalidLength(f"length {len(number)}: a USCC has 18 characters")
    return number[8:17]


def org_code_problem(number: str) -> str | None:
    """Report an embedded organisation code whose own check fails (harmless in newer USCCs).

    >>> org_code_problem("91110000600037341L") is None
    True
    >>> org_code_problem("92330106MA2CE8JX7B")
    'embedded organisation code MA2CE8JX-7: check character should be 0, not 7'
    """
    code = org_code(number)
    reason = orgcode.problem(code)
    if reason is None:
        return None
    return f"embedded organisation code {orgcode.format(code)}: {reason}"


_ALPHABETS: Final = (AUTHORITIES, _DIGITS[1:]) + (_DIGITS,) * 6 + (ALPHABET,) * 10
_SCHEME: Final = CheckScheme(_VALUES, WEIGHTS, _CHECK_TABLE)


def typos(number: str) -> list[Typo]:
    """Return the valid USCCs one substitution or one adjacent swap away from number.

    Only well-formed 18-character codes whose check fails have any.

    >>> "91110000600037341L" in {t.number for t in typos("91110000600073341L")}
    True
    """
    number = compact(number)
    if _SHAPE.fullmatch(number) is None or calc_check_digit(number) == number[17]:
        return []
    return one_typo_away(number, _SCHEME, _ALPHABETS)
