"""GB 11714 organisation code (组织机构代码), as people write it.

Eight body characters (digits or upper-case letters, valued 0-35) and a check
character: 11 minus the weighted sum mod 11, written X for 10 and 0 for 11.
It is printed as ``XXXXXXXX-X`` and lives on inside the USCC (characters 9-17).

>>> validate("60003734-1")
'600037341'
>>> format("６０００３７３４１")
'60003734-1'
"""

from __future__ import annotations

from typing import Final

from stdnum.exceptions import ValidationError

from shixin.ids._text import clean, raise_for
from shixin.ids.typos import CheckScheme, Typo, one_typo_away

#: Weights of the 8 body characters.
WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)
_DIGITS: Final = "0123456789"
_LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CHECKS: Final = "0123456789X"
_VALUES: Final = {c: i for i, c in enumerate(_DIGITS + _LETTERS)}


#: Check character by weighted sum mod 11: 11 - remainder, with 10 -> X and 11 -> 0.
_CHECK_TABLE: Final = "0X987654321"
_SCHEME: Final = CheckScheme(_VALUES, WEIGHTS, _CHECK_TABLE)


def compact(number: str) -> str:
    """Return the number without separators (the hyphen included), upper case.

    >>> compact(" 60003734-1 "), compact("ma01abcd-x")
    ('600037341', 'MA01ABCDX')
    """
    return clean(number)


def calc_check_digit(number: str) -> str:
    """Return the check character for the first 8 characters of number.

    >>> calc_check_digit("60003734"), calc_check_digit("MA01ABCD")
    ('1', '5')
    """
    return _SCHEME.check_char(number[:8])


def problem(number: str) -> str | None:
    """Return why a compact number is not a valid organisation code, or None.

    >>> problem("600037342")
    'check character should be 1, not 2'
    >>> problem("6000373")
    'length 7: an organisation code has 9 characters (8 + check character)'
    """
    if len(number) != 9:
        return f"length {len(number)}: an organisation code has 9 characters (8 + check character)"
    for position, char in enumerate(number[:8], 1):
        if char not in _VALUES:
            return f"character {char!r} at position {position} should be a digit or a letter"
    if number[8] not in _CHECKS:
        return f"check character {number[8]!r} should be a digit or X"
    expected = calc_check_digit(number)
    if number[8] != expected:
        return f"check character should be {expected}, not {number[8]}"
    return None


def validate(number: str) -> str:
    """Check the length, characters and check character; return the compact form.

    >>> validate("60003734-2")
    Traceback (most recent call last):
        ...
    stdnum.exceptions.InvalidChecksum: check character should be 1, not 2
    """
    number = compact(number)
    reason = problem(number)
    if reason is None:
        return number
    raise_for(reason)


def is_valid(number: str) -> bool:
    """Tell whether number is a valid organisation code.

    >>> is_valid("60003734-1"), is_valid("60003734-X")
    (True, False)
    """
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """Reformat to the printed form ``XXXXXXXX-X``.

    >>> format("600037341")
    '60003734-1'
    """
    number = compact(number)
    return f"{number[:8]}-{number[8:]}" if len(number) == 9 else number


def typos(number: str) -> list[Typo]:
    """Return the valid codes one substitution (digit for digit, letter for letter) or swap away.

    Only 9-character codes whose check fails have any.

    >>> "600037341" in {t.number for t in typos("60003734-7")}
    True
    """
    number = compact(number)
    if problem(number) is None or len(number) != 9 or any(c not in _VALUES for c in number[:8]):
        return []
    alphabets = [_DIGITS if c in _DIGITS else _LETTERS for c in number[:8]] + [_CHECKS]
    return one_typo_away(number, _SCHEME, alphabets)
