"""Tests for shixin.batchio.rows: kinds and row checks."""

import pytest

from shixin.batchio.rows import BatchRow, RowError, make_row, parse_kind


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("person", "person"),
        ("PERSON", "person"),
        ("个人", "person"),
        ("自然人", "person"),
        ("organization", "organization"),
        ("单位", "organization"),
        ("法人", "organization"),
        ("组织", "organization"),
        ("企业", "organization"),
        (" 单位 ", "organization"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_parse_kind_accepts_english_and_chinese(raw: str, kind: str) -> None:
    """Every documented spelling maps to its kind; blank means not given."""
    assert parse_kind(raw) == kind


def test_unknown_kind_is_a_row_error_listing_allowed_values() -> None:
    """An unknown kind names the value and what is allowed."""
    result = make_row(3, "r3", "柳州市鑫达贸易有限公司", "", "公司")
    assert isinstance(result, RowError)
    assert result.row_number == 3 and result.ref == "r3"
    assert "'公司'" in result.message
    for allowed in ("person", "organization", "个人", "单位"):
        assert allowed in result.message


def test_row_needs_name_or_id_number() -> None:
    """A row with neither name nor ID is an error, ref falling back to the row number."""
    result = make_row(7, " ", "  ", "", "个人")
    assert result == RowError(7, "7", "neither name nor id_number is given")


def test_row_keeps_inner_spelling_and_strips_outer_space() -> None:
    """Outer blanks go, the written form inside stays for the server to normalise."""
    result = make_row(1, "", " 张 三 ", " 45020219800101123x ", "")
    assert result == BatchRow(1, "1", "张 三", "45020219800101123x", "")
