"""Tests for the JSON Lines reader."""

import codecs
from pathlib import Path

import pytest

from shixin.batchio import BatchRow, RowError, read_rows


def _write(tmp_path: Path, data: bytes, name: str = "batch.jsonl") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_good_and_bad_lines_keep_their_line_numbers(tmp_path: Path) -> None:
    """Bad JSON, non-objects and bad bytes become errors at their line; blank lines are skipped."""
    lines = [
        '{"ref": "a", "name": "张伟", "id_number": "450202198001011232", "kind": "个人"}',
        '{"name": "李娜", ',  # bad JSON
        "",
        '["not", "an", "object"]',
        '{"姓名": "王芳", "证件号码": 450202198001011232, "备注": "x"}',
        '{"ref": "z", "kind": "person"}',  # neither name nor id
        '{"name": "刘洋", "kind": "公司"}',
    ]
    data = "\n".join(lines).encode() + b"\n\xff\xfe\n" + '{"name": "陈伟"}\n'.encode()
    rows = list(read_rows(_write(tmp_path, data)))
    assert rows[0] == BatchRow(1, "a", "张伟", "450202198001011232", "person")
    assert isinstance(rows[1], RowError) and rows[1].row_number == 2
    assert rows[1].message.startswith("line 2: invalid JSON: ")
    assert rows[2] == RowError(4, "4", "line 4: expected a JSON object, got list")
    assert rows[3] == BatchRow(5, "5", "王芳", "450202198001011232", "")
    assert rows[4] == RowError(6, "z", "no 'name' or 'id_number' field; found: ref, kind")
    assert isinstance(rows[5], RowError) and "'公司'" in rows[5].message
    assert isinstance(rows[6], RowError) and rows[6].row_number == 8
    assert "not valid UTF-8" in rows[6].message
    assert rows[7] == BatchRow(9, "9", "陈伟", "", "")


def test_bom_and_ndjson_extension(tmp_path: Path) -> None:
    """A leading BOM is tolerated; .ndjson is the same format."""
    data = codecs.BOM_UTF8 + '{"NAME": "张伟"}\n'.encode()
    rows = list(read_rows(_write(tmp_path, data, "batch.ndjson")))
    assert rows == [BatchRow(1, "1", "张伟", "", "")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("4.50202198001012e+17", "id_number is a JSON number too large to be exact; quote it"),
        ("true", "id_number must be a string, not a boolean"),
        ('{"a": 1}', "id_number must be a string, not dict"),
    ],
)
def test_unusable_id_values(tmp_path: Path, value: str, message: str) -> None:
    """Values that cannot be an ID as written are reported, not guessed."""
    data = f'{{"ref": "r", "name": "张伟", "id_number": {value}}}\n'.encode()
    assert list(read_rows(_write(tmp_path, data))) == [RowError(1, "r", message)]


@pytest.mark.parametrize(
    "line",
    [
        '{"ref": "b", "name": "", "id_number": "", "kind": "person"}',
        '{"ref": "b", "name": "  ", "id_number": null}',
        '{"ref": "b", "姓名": "", "证件号码": " "}',
        '{"ref": "b", "id_number": ""}',
    ],
)
def test_blank_name_and_id_say_neither_is_given(tmp_path: Path, line: str) -> None:
    """Fields present but blank read like the CSV reader: neither name nor id_number is given."""
    rows = list(read_rows(_write(tmp_path, f"{line}\n".encode())))
    assert rows == [RowError(1, "b", "neither name nor id_number is given")]
