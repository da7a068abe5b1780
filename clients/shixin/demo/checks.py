"""Check characters for the identifiers the demo list carries.

Resident IDs (GB 11643) and USCCs (GB 32100) lean on python-stdnum; the
organisation code (GB 11714) is not in stdnum, so its check is computed here.
Kept apart from ``shixin.ids`` on purpose: the demo data must not depend on the
code whose matching it is used to test.
"""

from __future__ import annotations

from stdnum.cn import ric, uscc

__all__ = ["ORG_CODE_CHARS", "legacy_id", "org_code", "resident_id", "uscc_code"]

# Characters of an organisation code that also fit in a USCC (no I, O, S, V, Z).
ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def org_code(body: str) -> str:
    """The 9-character organisation code (no hyphen) for an 8-character body.

    >>> org_code("12345678")
    '123456788'
    """
    total = sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def resident_id(first17: str) -> str:
    """The 18-digit resident ID for its first 17 digits.

    python-stdnum's ``calc_check_digit`` expects the number *with* a check
    position (it drops the last character), hence the placeholder.

    >>> resident_id("11010519491231002")
    '11010519491231002X'
    """
    return first17 + ric.calc_check_digit(first17 + "0")


def legacy_id(id18: str) -> str:
    """The legacy 15-digit form: no century digits, no check digit."""
    return id18[:6] + id18[8:17]


def uscc_code(first17: str) -> str:
    """The 18-character USCC for its first 17 characters."""
    return first17 + str(uscc.calc_check_digit(first17))
