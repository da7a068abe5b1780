"""Guess the kind of an identity number written without one.

Shape decides, and a passing check character or birth date breaks ties: an
18-digit number is a resident ID when its date and check hold, a USCC when
its MOD 31 check holds instead. Passports and permits are guessed only from
the unmistakable Chinese patterns; anything else is "other".
"""

from __future__ import annotations

import re
from typing import Final

from shixin.ids import orgcode, ric, uscc
from shixin.ids._text import BLANKS, clean, isdigits
from shixin.ids.kind import IdKind

_CHECKS: Final = "0123456789X"
_ORG_HYPHENATED: Final = re.compile(r"[0-9A-Z]{8}-[0-9X]")
_PASSPORT: Final = re.compile(r"E[0-9A-HJ-NP-Z][0-9]{7}|[EGDSP][0-9]{8}")
_HK_MACAO: Final = re.compile(r"[HM][0-9]{8}(?:[0-9]{2})?|C[0-9A-HJ-NP-Z][0-9]{7}|[CW][0-9]{8}")
_TAIWAN: Final = re.compile(r"[LT][0-9]{8}")


def _resident_18(number: str) -> IdKind:
    date_ok = not isinstance(ric.check_birth_date(number[6:14]), str)
    if date_ok and ric.calc_check_digit(number) == number[17]:
        return IdKind.RESIDENT_ID
    # Resident region codes start 1-8; USCCs of companies (by far the most) start 9.
    # A plausible birth date with a failed check is a mistyped resident ID, even if
    # the MOD 31 check of a USCC happens to hold (1 time in 31).
    if uscc.problem(number) is None and (not date_ok or number[0] == "9"):
        return IdKind.USCC
    return IdKind.USCC if not date_ok and number[0] == "9" else IdKind.RESIDENT_ID


def infer_kind(number: str, raw: str | None = None) -> IdKind:
    """Return the likely kind of a number cleaned by ``_text.clean`` (raw: as written).

    raw tells ``60003734-1`` (an organisation code, by its hyphen) from a bare
    9-character string.

    >>> [infer_kind(n).value for n in ("450202198001011232", "91110000600037341L",
    ...     "450202800101123", "4502021980****1232", "E12345678", "ABC")]
    ['resident_id', 'uscc', 'resident_id', 'resident_id', 'passport', 'other']
    >>> infer_kind("600037341", "60003734-1").value, infer_kind("600037341").value
    ('org_code', 'org_code')
    """
    size = len(number)
    if "*" in number and ric.looks_masked(number):
        return IdKind.RESIDENT_ID
    if size == 18:
        if isdigits(number[:17]) and number[17] in _CHECKS:
            return _resident_18(number)
        if number.isascii() and number.isalnum() and isdigits(number[2:8]):
            return IdKind.USCC
        return IdKind.OTHER
    if size == 15 and isdigits(number):
        return IdKind.RESIDENT_ID
    if size == 9:
        if raw is not None and _ORG_HYPHENATED.fullmatch(clean(raw, BLANKS)):
            return IdKind.ORG_CODE
        if _PASSPORT.fullmatch(number):
            return IdKind.PASSPORT
        if _HK_MACAO.fullmatch(number):
            return IdKind.HK_MACAO_PERMIT
        if _TAIWAN.fullmatch(number):
            return IdKind.TAIWAN_PERMIT
        if orgcode.problem(number) is None or (isdigits(number[:8]) and number[8] in _CHECKS):
            return IdKind.ORG_CODE
        return IdKind.OTHER
    if size == 11 and _HK_MACAO.fullmatch(number):
        return IdKind.HK_MACAO_PERMIT
    if (
        size in (16, 17, 19)
        and isdigits(number[: size - 1])
        and number[-1] in _CHECKS
        and number[0] in "12345678"
        and not isinstance(ric.check_birth_date(number[6:14]), str)
    ):
        return IdKind.RESIDENT_ID  # an 18-character ID with a character missing or extra
    return IdKind.OTHER
