"""GB 11643 resident identity number (公民身份号码), as people write it.

Eighteen characters: a 6-digit region code, the birth date as YYYYMMDD, a
3-digit sequence number (odd for men, even for women) and an ISO 7064
MOD 11-2 check character (0-9 or X). Legacy cards carry 15 digits: the birth
date as YYMMDD in the 1900s and no check character.

Unlike ``stdnum.cn.ric.validate`` this never rejects a number because of its
region code: codes get abolished while their holders keep their numbers.
The national enforcement platform publishes numbers masked as
``4502021980****1232`` (first 10 and last 4 characters), which are recognised.

>>> validate("450202 19800101 123２")
'450202198001011232'
>>> validate("110105491231002")
'110105491231002'
>>> to_18("110105491231002")
'11010519491231002X'
>>> mask("450202198001011232")
'4502021980****1232'
"""

from __future__ import annotations

import datetime
import re
import time
from functools import lru_cache
from typing import Final

from stdnum.cn.ric import calc_check_digit as _stdnum_check_digit
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from shixin.ids._text import clean, isdigits
from shixin.ids.typos import CheckScheme, Typo, one_typo_away

#: Earliest birth year accepted; GB 11643's own example is born 1880-01-01.
MIN_BIRTH_YEAR: Final = 1880
#: MOD 11-2 weights of the 17 body digits (2**(17-i) mod 11).
WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: Check character for each weighted sum mod 11.
CHECK_CHARS: Final = "10X98765432"
#: The national-platform masked form.
MASK: Final = "****"

_DIGITS: Final = "0123456789"
_CHECKS: Final = "0123456789X"
_MASKED: Final = re.compile(r"([0-9]{10})\*{4,8}([0-9]{3}[0-9X])")
_LOOSE_MASKED: Final = re.compile(r"[0-9]{6,16}\*+[0-9]{0,3}[0-9X]?")


def compact(number: str) -> str:
    """Return the number without separators, upper case, masks as ``DDDDDDDDDD****DDDD``.

    >>> compact("４５０２０２-19800101-123x")
    '45020219800101123X'
    >>> compact("4502021980＊＊＊＊＊＊1232")
    '4502021980****1232'
    """
    number = clean(number)
    if "*" in number and (match := _MASKED.fullmatch(number)):
        return f"{match[1]}{MASK}{match[2]}"
    return number


def is_masked(number: str) -> bool:
    """Tell whether number is in the national-platform masked form (first 10 and last 4 shown).

    >>> is_masked("4502021980****1232"), is_masked("450202198001011232")
    (True, False)
    """
    return _MASKED.fullmatch(compact(number)) is not None


def looks_masked(number: str) -> bool:
    """Tell whether a compact number is a resident ID masked in any way (digits around stars).

    >>> looks_masked("450202********1232"), looks_masked("E1234****")
    (True, False)
    """
    return 14 <= len(number) <= 22 and _LOOSE_MASKED.fullmatch(number) is not None


def calc_check_digit(number: str) -> str:
    """Return the MOD 11-2 check character for the first 17 digits of number.

    >>> calc_check_digit("45020219800101123"), calc_check_digit("11010519491231002X")
    ('2', 'X')
    """
    return str(_stdnum_check_digit(number[:17] + "0"))


@lru_cache(maxsize=1)
def _latest_birth_date(hour: int) -> datetime.date:
    # One day of slack: the caller's clock may lag China's (UTC+8).
    return datetime.date.today() + datetime.timedelta(days=1)


def latest_birth_date() -> datetime.date:
    """Return the latest plausible birth date (tomorrow), recomputed hourly."""
    return _latest_birth_date(int(time.time()) // 3600)


#: Dates up to this one are in the past for the whole life of the process.
_SURELY_PAST: Final = datetime.date.today() - datetime.timedelta(days=1)


def check_birth_date(yyyymmdd: str) -> datetime.date | str:
    """Return the birth date, or the reason it is implausible.

    >>> check_birth_date("19800101")
    datetime.date(1980, 1, 1)
    >>> check_birth_date("19801301")
    'birth date 19801301 is not a date'
    >>> check_birth_date("18791231")
    'birth date 18791231 is before 1880'
    """
    if len(yyyymmdd) != 8 or not isdigits(yyyymmdd):
        return f"birth date {yyyymmdd} is not a date"
    try:
        born = datetime.date.fromisoformat(yyyymmdd)  # 8 digits: YYYYMMDD since Python 3.11
    except ValueError:
        return f"birth date {yyyymmdd} is not a date"
    if born.year < MIN_BIRTH_YEAR:
        return f"birth date {yyyymmdd} is before {MIN_BIRTH_YEAR}"
    if born > _SURELY_PAST and born > latest_birth_date():
        return f"birth date {yyyymmdd} is in the future"
    return born


def check_birth_year(yyyy: str) -> str | None:
    """Return why a birth year (all a masked ID shows) is implausible, or None.

    >>> check_birth_year("1980"), check_birth_year("1799")
    (None, 'birth year 1799 is before 1880')
    """
    year = int(yyyy)
    if year < MIN_BIRTH_YEAR:
        return f"birth year {yyyy} is before {MIN_BIRTH_YEAR}"
    if year > latest_birth_date().year:
        return f"birth year {yyyy} is in the future"
    return None


def format_problem(number: str) -> str | None:
    """Return why a compact number is not shaped like a resident ID, or None.

    >>> format_problem("4502021980010112")
    'length 16: a resident ID has 18 characters (or 15 legacy digits)'
    >>> format_problem("4502021980010112X3")
    "character 'X' at position 17 should be a digit"
    """
    if len(number) == 18:
        for position, char in enumerate(number[:17], 1):
            if char not in _DIGITS:
                return f"character {char!r} at position {position} should be a digit"
        if number[17] not in _CHECKS:
            return f"check character {number[17]!r} should be a digit or X"
        return None
    if len(number) == 15:
        for position, char in enumerate(number, 1):
            if char not in _DIGITS:
                return f"character {char!r} at position {position}: a 15-digit ID has only digits"
        return None
    return f"length {len(number)}: a resident ID has 18 characters (or 15 legacy digits)"


def validate(number: str) -> str:
    """Check the length, characters, check character and birth date; return the compact form.

    Masked numbers cannot be checked and raise ``InvalidFormat``.

    >>> validate("45020219800101123X")
    Traceback (most recent call last):
        ...
    stdnum.exceptions.InvalidChecksum: check character should be 2, not X
    >>> validate("45020219801301123X")
    Traceback (most recent call last):
        ...
    stdnum.exceptions.InvalidComponent: birth date 19801301 is not a date
    """
    number = compact(number)
    if _MASKED.fullmatch(number):
        raise InvalidFormat("a masked resident ID cannot be validated")
    problem = format_problem(number)
    if problem is not None:
        raise (InvalidLength if problem.startswith("length") else InvalidFormat)(problem)
    if len(number) == 18:
        expected = calc_check_digit(number)
        if number[17] != expected:
            raise InvalidChecksum(f"check character should be {expected}, not {number[17]}")
    born = check_birth_date(to_18(number)[6:14])
    if isinstance(born, str):
        raise InvalidComponent(born)
    return number


def is_valid(number: str) -> bool:
    """Tell whether number is a valid resident ID (18 characters or 15 legacy digits).

    >>> is_valid("450202198001011232"), is_valid("450202198001011233")
    (True, False)
    """
    try:
        return bool(validate(number))
    except ValidationError:
        return False


def format(number: str) -> str:
    """Reformat the number to its standard presentation: the compact form.

    >>> format("450202-19800101-123x")
    '45020219800101123X'
    """
    return compact(number)


def to_18(number: str) -> str:
    """Return the 18-character form: a 15-digit legacy ID gains 19 and a check character.

    The birth date is not checked; an 18-character number is returned as is.

    >>> to_18("450202800101123"), to_18("450202198001011232")
    ('450202198001011232', '450202198001011232')
    """
    number = compact(number)
    if len(number) == 18 or _MASKED.fullmatch(number):
        return number
    problem = format_problem(number)
    if problem is not None:
        raise (InvalidLength if problem.startswith("length") else InvalidFormat)(problem)
    body = f"{number[:6]}19{number[6:]}"
    return body + calc_check_digit(body)


def birth_date(number: str) -> datetime.date:
    """Return the birth date, raising ``InvalidComponent`` when it is implausible.

    >>> birth_date("450202800101123")
    datetime.date(1980, 1, 1)
    """
    number = to_18(number)
    if not isdigits(number[6:14]):
        raise InvalidComponent("a masked resident ID hides the birth date")
    born = check_birth_date(number[6:14])
    if isinstance(born, str):
        raise InvalidComponent(born)
    return born


def gender(number: str) -> str:
    """Return 'M' or 'F' from the parity of the sequence number's last digit (17th character).

    >>> gender("450202198001011232"), gender("4502021980****1242")
    ('M', 'F')
    """
    number = to_18(number)
    if number[16] not in _DIGITS:
        raise InvalidFormat(f"character {number[16]!r} at position 17 should be a digit")
    return "M" if number[16] in "13579" else "F"


def region(number: str) -> str:
    """Return the 6-digit region code of the place of first registration.

    >>> region("４５０２０２198001011232")
    '450202'
    """
    number = compact(number)
    if not isdigits(number[:6]):
        raise InvalidFormat("the region code should be 6 digits")
    return number[:6]


def mask(number: str) -> str:
    """Mask as the national enforcement platform does: first 10 and last 4 characters.

    Never raises, so a display cannot fail on a malformed number: anything else
    longer than 14 characters loses characters 11-14; shorter ones keep only
    their last 4.

    >>> mask("450202800101123"), mask("4502021980******1232")
    ('4502021980****1232', '4502021980****1232')
    >>> mask("45020219800101123"), mask("E1234567")
    ('4502021980****123', '****4567')
    """
    number = compact(number)
    if len(number) == 15 and isdigits(number):
        number = to_18(number)
    if len(number) > 14:
        return f"{number[:10]}{MASK}{number[14:]}"
    return "*" * max(0, len(number) - 4) + number[-4:]


def masked_key(number: str) -> str:
    """Return the 14 characters a masked ID shows, the part every form of a number shares.

    >>> masked_key("450202198001011232"), masked_key("4502021980****1232")
    ('45020219801232', '45020219801232')
    """
    number = to_18(number)
    return number[:10] + number[14:]


_VALUES: Final = {d: int(d) for d in _DIGITS}
_ALPHABETS: Final = (_DIGITS,) * 17 + (_CHECKS,)
_SCHEME: Final = CheckScheme(_VALUES, WEIGHTS, CHECK_CHARS)


def _date_ok(number: str) -> bool:
    return not isinstance(check_birth_date(number[6:14]), str)


def typos(number: str) -> list[Typo]:
    """Return the valid IDs one substituted digit or one adjacent swap away from number.

    Only numbers shaped like an 18-character ID whose check fails have any.

    >>> found = {t.number: t.reason for t in typos("450202198001011233")}
    >>> found["450202198001011232"]
    'one digit differs at position 18 (3→2)'
    """
    number = compact(number)
    if len(number) != 18 or format_problem(number) or calc_check_digit(number) == number[17]:
        return []
    return one_typo_away(number, _SCHEME, _ALPHABETS, accept=_date_ok)
