"""Parse an identity number as people write it into one canonical, explained record.

``parse`` never rejects content: a number that fails its checks comes back with
``valid=False``, its compact form and the precise reason, so it can still be
stored, shown and matched as written.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from shixin.ids import orgcode, other, ric, uscc
from shixin.ids._text import clean, is_blank, is_placeholder, isdigits
from shixin.ids.infer import infer_kind
from shixin.ids.kind import KIND_NAMES, OPAQUE_KINDS, IdKind

__all__ = ["IdKind", "ParsedId", "parse", "plain_reading", "resident_reading"]


@dataclass(frozen=True, slots=True)
class ParsedId:
    """An identity number in canonical form, with what could be read from it.

    compact is canonical: 18-character resident IDs (15-digit ones converted),
    ``DDDDDDDDDD****DDDD`` for masked ones, organisation codes without hyphen.
    problem is None exactly when valid is True.

    ambiguous is None, or (for a valid USCC of 17 digits and a digit or X)
    why the number also reads as a *mistyped resident ID*: a province region
    code, and valid resident IDs one slip away, so the USCC check may hold by
    chance (1 time in 31).  It never makes the number invalid: it tells a
    reviewer that a person's number may have been mistyped into a valid USCC.
    """

    raw: str
    kind: IdKind
    compact: str
    valid: bool
    problem: str | None
    legacy: bool = False
    masked: bool = False
    org_code: str | None = None
    birth_date: datetime.date | None = None
    region: str | None = None
    gender: str | None = None
    ambiguous: str | None = None


_CHECKS: Final = "0123456789X"
#: Province-level codes of GB/T 2260, the first two digits of a resident ID.
_PROVINCES: Final = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
})  # fmt: skip
_R: Final = IdKind.RESIDENT_ID


def _gender(digit: str) -> str | None:
    return ("M" if digit in "13579" else "F") if digit.isdigit() else None


def _resident_18(raw: str, number: str, legacy: bool) -> ParsedId:
    if not (isdigits(number[:17]) and number[17] in _CHECKS):
        region = number[:6] if isdigits(number[:6]) else None
        return ParsedId(raw, _R, number, False, ric.format_problem(number), region=region)
    expected = ric.calc_check_digit(number)
    born = ric.check_birth_date(number[6:14])
    if number[17] == expected and not isinstance(born, str):
        return ParsedId(raw, _R, number, True, None, legacy, False, None, born, number[:6],
                        "M" if number[16] in "13579" else "F")  # fmt: skip
    problems = []
    if number[17] != expected:
        problems.append(f"check character should be {expected}, not {number[17]}")
    if isinstance(born, str):
        problems.append(born)
    birth = None if isinstance(born, str) else born
    return ParsedId(raw, _R, number, False, "; ".join(problems), legacy, False, None, birth,
                    number[:6], _gender(number[16]))  # fmt: skip


def _masked_resident(raw: str, number: str) -> ParsedId:
    number = ric.compact(number)
    if ric.is_masked(number):
        reason = ric.check_birth_year(number[6:10])
        return ParsedId(raw, _R, number, reason is None, reason, masked=True,
                        region=number[:6], gender=_gender(number[16]))  # fmt: skip
    if ric.looks_masked(number):
        reason = (
            "masked differently from the national platform, which shows the first 10 and "
            "last 4 characters: only an identical mask can be compared"
        )
        return ParsedId(raw, _R, number, False, reason, masked=True, region=number[:6])
    return ParsedId(raw, _R, number, False, ric.format_problem(number), masked=True)


def _resident(raw: str, number: str, kind: IdKind) -> ParsedId:
    if len(number) == 18 and "*" not in number:
        return _resident_18(raw, number, False)
    if len(number) == 15 and isdigits(number):
        return _resident_18(raw, ric.to_18(number), True)
    if "*" in number:
        return _masked_resident(raw, number)
    region = number[:6] if isdigits(number[:6]) else None
    return ParsedId(raw, _R, number, False, ric.format_problem(number), region=region)


def _plausible_year(yyyy: str) -> bool:
    return ric.MIN_BIRTH_YEAR <= int(yyyy) <= ric.latest_birth_date().year


def _year_within_one_slip(yyyy: str) -> bool:
    """Tell whether a birth year is plausible or one substituted digit from one."""
    if _plausible_year(yyyy):
        return True
    return any(
        _plausible_year(yyyy[:i] + digit + yyyy[i + 1 :])
        for i in range(4)
        for digit in "0123456789"
        if digit != yyyy[i]
    )


def resident_reading(number: str) -> str | None:
    """Say why a compact 18-character number may be a mistyped resident ID, or None.

    It may when it is 17 digits and a check digit or X, starts with a province
    code, fails as a resident ID and has valid resident IDs one substituted
    digit or one adjacent swap away (a mistyped birth date included).

    >>> print(resident_reading("450203196700061864"))
    also reads as a mistyped resident ID (region 450203, birth date 19670006 is not a date; \
1 valid resident ID one slip away): if this is a person's number, check it against the ID card
    >>> resident_reading("91110000600037341L") is None
    True
    """
    if len(number) != 18 or number[:2] not in _PROVINCES or number[17] not in _CHECKS:
        return None
    if not isdigits(number[:17]) or not _year_within_one_slip(number[6:10]):
        return None  # 12450000… (事业单位) reads as born in 0000: no typo explains that
    near = len(ric.typos(number))
    if not near:
        return None
    born = ric.check_birth_date(number[6:14])
    birth = born if isinstance(born, str) else f"born {born.isoformat()}"
    ids = "resident ID" if near == 1 else "resident IDs"
    return (
        f"also reads as a mistyped resident ID (region {number[:6]}, {birth}; "
        f"{near} valid {ids} one slip away): if this is a person's number, "
        "check it against the ID card"
    )


def _uscc(raw: str, number: str, kind: IdKind) -> ParsedId:
    reason = uscc.problem(number)
    if len(number) != 18:
        return ParsedId(raw, kind, number, False, reason)
    region = number[2:8] if isdigits(number[2:8]) else None
    ambiguous = resident_reading(number) if reason is None else None
    return ParsedId(raw, kind, number, reason is None, reason, org_code=number[8:17],
                    region=region, ambiguous=ambiguous)  # fmt: skip


def _org_code(raw: str, number: str, kind: IdKind) -> ParsedId:
    reason = orgcode.problem(number)
    code = number if len(number) == 9 else None
    return ParsedId(raw, kind, number, reason is None, reason, org_code=code)


def _opaque(raw: str, number: str, kind: IdKind) -> ParsedId:
    number = other.compact(number)
    reason = other.problem(number, kind)
    return ParsedId(raw, kind, number, reason is None, reason, masked="*" in number)


_BUILDERS: Final[dict[IdKind, Callable[[str, str, IdKind], ParsedId]]] = {
    IdKind.RESIDENT_ID: _resident,
    IdKind.USCC: _uscc,
    IdKind.ORG_CODE: _org_code,
    **{kind: _opaque for kind in OPAQUE_KINDS},
}


def _show(text: str) -> str:
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")


def _build(raw: str, number: str, kind: IdKind) -> ParsedId:
    parsed = _BUILDERS[kind](raw, number, kind)
    if parsed.valid and kind is _R:
        return parsed  # a valid resident ID is never a placeholder; skip the test on the hot path
    if not parsed.compact:
        return dataclasses.replace(
            parsed, valid=False, problem="nothing left after removing separators", ambiguous=None
        )
    if is_placeholder(parsed.compact):
        reason = f"{_show(parsed.compact)} is a placeholder, not an identity number"
        return dataclasses.replace(parsed, valid=False, problem=reason, ambiguous=None)
    return parsed


def plain_reading(parsed: ParsedId) -> ParsedId | None:
    """Return the number read as its own shape suggests, if that is a valid number of another kind.

    Opaque kinds (passports, permits, other) are not told apart this way.

    >>> plain_reading(parse("450202198001011232", "passport")).kind.value
    'resident_id'
    >>> plain_reading(parse("450202198001011232")) is None
    True
    """
    if (parsed.valid and parsed.kind not in OPAQUE_KINDS) or not parsed.compact:
        return None
    kind = infer_kind(parsed.compact, parsed.raw)
    if kind is parsed.kind or (kind in OPAQUE_KINDS and parsed.kind in OPAQUE_KINDS):
        return None
    alternative = _build(parsed.raw, parsed.compact, kind)
    return alternative if alternative.valid else None


def _hint(kind_hint: IdKind | str | None) -> IdKind | None:
    if kind_hint is None or isinstance(kind_hint, IdKind):
        return kind_hint
    try:
        return IdKind(str(kind_hint).strip().lower())
    except ValueError:
        return None


def parse(raw: str | None, kind_hint: IdKind | str | None = None) -> ParsedId:
    """Parse raw as an identity number of kind kind_hint (inferred when absent or unknown).

    Never raises for bad content: an invalid number comes back with valid=False
    and the reason. A hint is kept even when the number plainly is of another
    kind; the problem then says so. Raises ValueError only for a blank string.

    >>> p = parse("４５０２０２８００１０１１２３")
    >>> p.kind.value, p.compact, p.valid, p.legacy, p.birth_date, p.gender
    ('resident_id', '450202198001011232', True, True, datetime.date(1980, 1, 1), 'M')
    >>> parse("450202198001011222").problem
    'check character should be 4, not 2'
    >>> parse("91110000600037341L", "org_code").problem
    'length 18: an organisation code has 9 characters (8 + check character); this looks like a USCC'
    >>> p = parse("450203196700061864")
    >>> p.kind.value, p.valid, p.problem, p.ambiguous is not None
    ('uscc', True, None, True)
    """
    if not isinstance(raw, str):
        if raw is None:
            raise ValueError("no identity number given")
        raise TypeError(f"identity number must be a string, not {type(raw).__name__}")
    number = clean(raw)
    if (
        len(number) == 18
        and (kind_hint is None or kind_hint == _R)
        and isdigits(number[:17])
        and number[17] in _CHECKS
    ):
        parsed = _resident_18(raw, number, False)  # the hot path: skip inference
        if parsed.valid:
            return parsed
    hint = _hint(kind_hint)
    if not number:
        if is_blank(raw):
            raise ValueError("blank identity number")
        kind = hint or IdKind.OTHER
        return ParsedId(raw, kind, "", False, "nothing left after removing separators")
    kind = infer_kind(number, raw) if hint is None else hint
    parsed = _build(raw, number, kind)
    if hint is None or (parsed.valid and kind not in OPAQUE_KINDS):
        return parsed
    alternative = plain_reading(parsed)
    if alternative is None:
        return parsed
    looks = f"this looks like {KIND_NAMES[alternative.kind]}"
    reason = looks if parsed.problem is None else f"{parsed.problem}; {looks}"
    return dataclasses.replace(parsed, valid=False, problem=reason, ambiguous=None)
