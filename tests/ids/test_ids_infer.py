"""Tests for shixin.ids.infer: guessing the kind of an unlabelled number."""

from __future__ import annotations

import pytest

from shixin.ids.infer import infer_kind
from shixin.ids.kind import IdKind


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        ("450202198001011232", IdKind.RESIDENT_ID),
        ("450202198001011233", IdKind.RESIDENT_ID),  # mistyped, date still plausible
        ("450202800101123", IdKind.RESIDENT_ID),
        ("4502021980****1232", IdKind.RESIDENT_ID),
        ("450202********1232", IdKind.RESIDENT_ID),
        ("45020219800101123", IdKind.RESIDENT_ID),  # check character missing
        ("91110000600037341L", IdKind.USCC),
        ("91110000600037341A", IdKind.USCC),  # bad check, still a USCC shape
        ("911100006000373417", IdKind.USCC),  # all digits, no date, starts with 9
        ("904542200001170806", IdKind.USCC),  # plausible date, but a valid USCC starting with 9
        ("600037341", IdKind.ORG_CODE),
        ("E12345678", IdKind.PASSPORT),
        ("EA1234567", IdKind.PASSPORT),
        ("H12345678", IdKind.HK_MACAO_PERMIT),
        ("C12345678", IdKind.HK_MACAO_PERMIT),
        ("L12345678", IdKind.TAIWAN_PERMIT),
        ("A1234567", IdKind.OTHER),
        ("军字第2001988号", IdKind.OTHER),
    ],
)
def test_kinds_are_inferred_from_shape_and_checks(number: str, kind: IdKind) -> None:
    """Shape decides the kind; check characters and birth dates break ties."""
    assert infer_kind(number) is kind


def test_hyphen_marks_an_organisation_code() -> None:
    """Written XXXXXXXX-X, a 9-character string is an organisation code even if passport-shaped."""
    assert infer_kind("E12345678", "E1234567-8") is IdKind.ORG_CODE
