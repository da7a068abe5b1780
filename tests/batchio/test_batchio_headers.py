"""Tests for shixin.batchio.headers: header aliases and column mapping."""

import pytest

from shixin.batchio.headers import Header, canonical_field
from shixin.batchio.rows import BatchFileError, BatchRow, RowError


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("REF", "ref"),
        ("编号", "ref"),
        ("Name", "name"),
        ("姓名", "name"),
        ("名称", "name"),
        ("被执行人姓名/名称", "name"),
        ("ID_Number", "id_number"),
        ("id number", "id_number"),
        ("证件号码", "id_number"),
        ("身份证号码", "id_number"),
        ("组织机构代码", "id_number"),
        ("统一社会信用代码", "id_number"),
        ("\ufeff姓名", "name"),
        ("姓名*", "name"),
        ("Kind", "kind"),
        ("类型", "kind"),
        ("备注", None),
    ],
)
def test_header_aliases(label: str, field: str | None) -> None:
    """Labels are matched case-insensitively, with Chinese aliases and template noise."""
    assert canonical_field(label) == field


def test_header_without_name_or_id_lists_what_it_found() -> None:
    """The error says which columns the file has instead."""
    with pytest.raises(BatchFileError) as info:
        Header.parse(["a", "b", "", "c"])
    assert str(info.value) == "no 'name' or 'id_number' column; found: a, b, c"


def test_first_non_blank_of_several_id_columns_wins() -> None:
    """Persons' IDs and organisations' USCCs may sit in separate columns."""
    header = Header.parse(["名称", "身份证号码", "统一社会信用代码", "备注"])
    row = header.row(1, ["柳州市鑫达贸易有限公司", "", "91450200MA5K00000X", "x"])
    assert row == BatchRow(1, "1", "柳州市鑫达贸易有限公司", "91450200MA5K00000X", "")


def test_values_beyond_the_header_are_an_error_but_empty_ones_are_not() -> None:
    """Trailing empty cells (Excel's ,,,) are fine; stray values are reported."""
    header = Header.parse(["ref", "name", "id_number"])
    assert isinstance(header.row(1, ["a", "张三", "", "", ""]), BatchRow)
    error = header.row(2, ["b", "李四", "", "", "oops"])
    assert error == RowError(
        2, "b", "row has values in 5 columns but the header has 3 (extra: 'oops')"
    )


def test_blank_row_is_skipped() -> None:
    """A row of blanks yields nothing rather than an error."""
    header = Header.parse(["name"])
    assert header.row(4, ["", " "]) is None
