"""Guess the text encoding of a CSV file from its first bytes.

Excel on a Chinese desktop saves "CSV" as GB18030/GBK, "CSV UTF-8" with a BOM, and
other tools write UTF-8 without one. Strict UTF-8 almost never accepts GBK bytes
by accident, so a sample that decodes as UTF-8 is UTF-8 and anything else is read
as GB18030 (a superset of GBK and GB2312).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .rows import BatchFileError

__all__ = ["SAMPLE_SIZE", "Encoding", "detect_encoding"]

SAMPLE_SIZE = 1 << 16


@dataclass(frozen=True, slots=True)
class Encoding:
    """The codec to read lines with and how it was chosen (for error messages)."""

    codec: str
    label: str
    bom: bytes = b""


def detect_encoding(sample: bytes) -> Encoding:
    """Choose the encoding for a file whose first :data:`SAMPLE_SIZE` bytes are ``sample``.

    >>> detect_encoding("姓名".encode("gb18030")).label
    'GB18030'
    >>> detect_encoding(codecs.BOM_UTF8 + b"name").bom
    b'\\xef\\xbb\\xbf'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8", "UTF-8", codecs.BOM_UTF8)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BatchFileError(
            "the file is UTF-16 (Excel's 'Unicode Text'); save it as 'CSV UTF-8' or 'CSV'"
        )
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        # final=False: the sample may end inside a multi-byte character.
        decoder.decode(sample, final=len(sample) < SAMPLE_SIZE)
    except UnicodeDecodeError:
        return Encoding("gb18030", "GB18030")
    return Encoding("utf-8", "UTF-8")
