"""The CSV reader decodes blocks of lines: rows, line numbers and bad lines as line by line."""

from pathlib import Path

import pytest

from shixin.batchio import BatchRow, RowError, csv_reader, read_rows, read_subjects


def _rows(n: int) -> str:
    return "".join(f"R{i},张伟{i},4502021980010112{i % 100:02d},个人\r\n" for i in range(n))


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 50 bytes: every few rows cross a block boundary."""
    monkeypatch.setattr(csv_reader, "BLOCK_SIZE", 50)


def test_blocks_give_the_same_rows(tmp_path: Path, tiny_blocks: None) -> None:
    """A file read in many small blocks gives every row once, in order."""
    path = tmp_path / "in.csv"
    path.write_bytes(("ref,name,id_number,kind\r\n" + _rows(200)).encode("gb18030"))
    rows = list(read_rows(path))
    assert len(rows) == 200
    assert rows[0] == BatchRow(1, "R0", "张伟0", "450202198001011200", "person")
    assert rows[199] == BatchRow(200, "R199", "张伟199", "450202198001011299", "person")


def test_quoted_newline_across_blocks(tmp_path: Path, tiny_blocks: None) -> None:
    """A quoted name holding a newline stays one field, whichever block it ends in."""
    path = tmp_path / "in.csv"
    name = "柳州市鑫达贸易\n有限公司" + "x" * 60
    path.write_text(f'ref,name\nA,"{name}"\nB,王芳', encoding="utf-8")  # no final newline
    assert list(read_rows(path)) == [
        BatchRow(1, "A", name, "", ""),
        BatchRow(2, "B", "王芳", "", ""),
    ]


def test_bad_line_in_a_later_block(tmp_path: Path, tiny_blocks: None) -> None:
    """Only the row on the undecodable line is an error; its line number is the file's."""
    n = 6000  # past the 64 KiB sample that decides the encoding: UTF-8
    head = ("ref,name\n" + "".join(f"R{i},张伟\n" for i in range(n))).encode("utf-8")
    bad = f"R{n},王芳\n".encode("gb18030")
    tail = "".join(f"R{i},陈伟\n" for i in range(n + 1, n + 10)).encode("utf-8")
    path = tmp_path / "in.csv"
    path.write_bytes(head + bad + tail)
    rows = list(read_subjects(path))
    assert len(rows) == n + 10
    errors = [r for r in rows if isinstance(r, RowError)]
    assert len(errors) == 1
    assert errors[0].row_number == n + 1 and errors[0].ref == f"R{n}"
    assert errors[0].message.startswith(f"line {n + 2} is not valid UTF-8")
    assert rows[n + 1] == (n + 2, f"R{n + 1}", "陈伟", "", "")


def test_subjects_are_plain_tuples(tmp_path: Path) -> None:
    """read_subjects yields (row_number, ref, name, id_number, kind) and RowError in place."""
    path = tmp_path / "in.csv"
    path.write_text("name,id_number,kind\n张伟,,个人\n,,\n,,公司\n", encoding="utf-8")
    rows = list(read_subjects(path))
    assert rows[0] == (1, "1", "张伟", "", "person")
    assert isinstance(rows[1], RowError) and rows[1].row_number == 3
    assert len(rows) == 2  # the blank row 2 is skipped
