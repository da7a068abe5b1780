"""Tests for the CSV reader: encodings, headers, and bad rows among good ones."""

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from shixin.batchio import BatchFileError, BatchRow, RowError, read_rows

HEADER_ZH = "编号,姓名,身份证号码,类型\r\n"
ROWS_ZH = "A1,张伟,450202198001011232,个人\r\nA2,柳州市鑫达贸易有限公司,91450200MA5K00000X,单位\r\n"
EXPECTED_ZH = [
    BatchRow(1, "A1", "张伟", "450202198001011232", "person"),
    BatchRow(2, "A2", "柳州市鑫达贸易有限公司", "91450200MA5K00000X", "organization"),
]


def _write(tmp_path: Path, data: bytes, name: str = "batch.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("gb18030"),
        lambda text: text.encode("gbk"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk"],
)
def test_reads_every_encoding_excel_produces(
    tmp_path: Path, encode: Callable[[str], bytes]
) -> None:
    """UTF-8 with or without BOM and GB18030/GBK give the same rows."""
    path = _write(tmp_path, encode(HEADER_ZH + ROWS_ZH))
    assert list(read_rows(path)) == EXPECTED_ZH


def test_english_headers_in_any_case_and_unknown_columns(tmp_path: Path) -> None:
    """Headers are case-insensitive; unknown columns are ignored; ref defaults to row number."""
    path = _write(tmp_path, b"Remark,NAME,Id_Number\nx,Zhang San,\ny,,450202198001011232\n")
    assert list(read_rows(path)) == [
        BatchRow(1, "1", "Zhang San", "", ""),
        BatchRow(2, "2", "", "450202198001011232", ""),
    ]


def test_bad_rows_of_every_kind_among_good_ones(tmp_path: Path) -> None:
    """Each bad row becomes a RowError in place, with the right row number, and reading goes on."""
    text = (
        "ref,name,id_number,kind\n"
        "g1,张伟,450202198001011232,person\n"
        "b1,,,person\n"  # neither name nor id
        "g2,李娜,,\n"
        "b2,柳州市鑫达贸易有限公司,,公司\n"  # unknown kind
        ",,,\n"  # blank: skipped, still counted
        "b3,王芳,,,extra\n"  # too many columns
        'g3,"陈 伟\n(续)",,个人\n'  # quoted newline
        "g4,刘洋,,自然人\n"
    )
    path = _write(tmp_path, text.encode("gb18030"))
    rows = list(read_rows(path))
    good = [row for row in rows if isinstance(row, BatchRow)]
    bad = [row for row in rows if isinstance(row, RowError)]
    assert [(r.row_number, r.ref) for r in good] == [(1, "g1"), (3, "g2"), (7, "g3"), (8, "g4")]
    assert [(r.row_number, r.ref) for r in bad] == [(2, "b1"), (4, "b2"), (6, "b3")]
    assert bad[0].message == "neither name nor id_number is given"
    assert "'公司'" in bad[1].message
    assert "header has 4" in bad[2].message
    assert good[2].name == "陈 伟\n(续)"


def test_undecodable_row_in_gb18030_file(tmp_path: Path) -> None:
    """Bytes foreign to the detected encoding spoil only their own row."""
    data = "编号,姓名\n1,张伟\n".encode("gb18030") + b"2,\xff\xff\n" + "3,李娜\n".encode("gb18030")
    rows = list(read_rows(_write(tmp_path, data)))
    assert rows[0] == BatchRow(1, "1", "张伟", "", "")
    assert isinstance(rows[1], RowError)
    assert rows[1].row_number == 2 and rows[1].ref == "2"
    assert rows[1].message.startswith("line 3 is not valid GB18030 (bytes ff")
    assert rows[2] == BatchRow(3, "3", "李娜", "", "")


def test_stray_gbk_row_after_the_sample_of_a_utf8_file(tmp_path: Path) -> None:
    """A UTF-8 file with a GBK-encoded row far down: that row is an error, the rest is read."""
    good = "".join(f"{i},张伟{i}\n" for i in range(1, 5001)).encode("utf-8")
    assert len(good) > 1 << 16  # the bad row lies beyond the detection sample
    data = b"ref,name\n" + good + "5001,李娜\n".encode("gbk") + "5002,王芳\n".encode()
    rows = list(read_rows(_write(tmp_path, data)))
    assert len(rows) == 5002
    error = rows[5000]
    assert isinstance(error, RowError)
    assert error.row_number == 5001 and error.ref == "5001"
    assert "not valid UTF-8" in error.message and "line 5002" in error.message
    assert rows[5001] == BatchRow(5002, "5002", "王芳", "", "")


def test_tab_separated_file(tmp_path: Path) -> None:
    """A header with tabs and no commas is read as tab-separated."""
    path = _write(tmp_path, "姓名\t证件号码\n张伟\t450202198001011232\n".encode())
    assert list(read_rows(path)) == [BatchRow(1, "1", "张伟", "450202198001011232", "")]


def test_no_usable_header_raises_at_call_time(tmp_path: Path) -> None:
    """A file without name/id columns is refused before any row is read."""
    path = _write(tmp_path, b"\n\nfoo,bar,baz\n1,2,3\n")
    with pytest.raises(
        BatchFileError, match=r"no 'name' or 'id_number' column; found: foo, bar, baz"
    ):
        read_rows(path)


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n"])
def test_empty_file_is_refused(tmp_path: Path, data: bytes) -> None:
    """An empty file has no header."""
    with pytest.raises(BatchFileError, match="empty"):
        read_rows(_write(tmp_path, data))


def test_utf16_file_is_refused_with_advice(tmp_path: Path) -> None:
    """Excel's 'Unicode Text' is UTF-16; say how to save it instead."""
    data = codecs.BOM_UTF16_LE + "姓名\n张伟\n".encode("utf-16-le")
    with pytest.raises(BatchFileError, match="UTF-16"):
        read_rows(_write(tmp_path, data))


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    """A header with nothing under it reads as zero rows."""
    assert list(read_rows(_write(tmp_path, b"name,id_number\n"))) == []


def test_oversized_field_is_a_row_error(tmp_path: Path) -> None:
    """A field past the csv module's size limit spoils its row only."""
    data = b"name,id_number\na,1\nb," + b"x" * 200_000 + b"\nc,3\n"
    rows = list(read_rows(_write(tmp_path, data)))
    assert rows[1] == RowError(2, "2", "line 3: field larger than field limit (131072)")
    assert rows[2] == BatchRow(3, "3", "c", "3", "")
