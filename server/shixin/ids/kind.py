"""Kinds of identity number, named as in the interchange spec."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class IdKind(StrEnum):
    """Kind of identity number; the string values are fixed by the interchange spec.

    >>> IdKind("uscc") is IdKind.USCC
    True
    """

    RESIDENT_ID = "resident_id"
    USCC = "uscc"
    ORG_CODE = "org_code"
    PASSPORT = "passport"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    OTHER = "other"


#: Kinds without a check character: they are compared as opaque strings.
OPAQUE_KINDS: Final = frozenset(
    {IdKind.PASSPORT, IdKind.HK_MACAO_PERMIT, IdKind.TAIWAN_PERMIT, IdKind.OTHER}
)

#: How problems name each kind ("looks like a USCC").
KIND_NAMES: Final = {
    IdKind.RESIDENT_ID: "a resident ID",
    IdKind.USCC: "a USCC",
    IdKind.ORG_CODE: "an organisation code",
    IdKind.PASSPORT: "a passport number",
    IdKind.HK_MACAO_PERMIT: "a Hong Kong/Macao permit number",
    IdKind.TAIWAN_PERMIT: "a Taiwan permit number",
    IdKind.OTHER: "an identity number",
}
