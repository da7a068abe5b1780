"""Tests for shixin.ids.kind."""

from __future__ import annotations

from shixin.ids.kind import KIND_NAMES, OPAQUE_KINDS, IdKind


def test_values_are_the_interchange_spec_strings() -> None:
    """The string values are fixed by the interchange spec and must not drift."""
    assert [k.value for k in IdKind] == [
        "resident_id", "uscc", "org_code", "passport", "hk_macao_permit", "taiwan_permit", "other",
    ]  # fmt: skip


def test_every_kind_is_named_and_opaque_kinds_lack_checks() -> None:
    """Every kind has a name for messages; only check-character kinds are not opaque."""
    assert set(KIND_NAMES) == set(IdKind)
    assert set(IdKind) - OPAQUE_KINDS == {IdKind.RESIDENT_ID, IdKind.USCC, IdKind.ORG_CODE}
