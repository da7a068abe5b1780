"""Reading the end of an existing log so the writer can continue its chain.

Only the last two lines are checked (constant time at start-up): the last entry
must hash to its stored ``hash`` and must chain to the one before it. A full
check is :func:`shixin.audit.verify.verify`. Anything wrong raises
:class:`AuditCorruptError` with the byte offset: extending a broken chain would
bury the damage under new, valid-looking entries.
"""

import json
import os
import re
from pathlib import Path

from shixin.audit.entry import GENESIS, GENESIS_HEAD, Head, canonical_bytes, compute_hash
from shixin.audit.errors import AuditCorruptError

_CHUNK = 64 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _last_lines(fd: int, size: int, count: int) -> list[tuple[int, bytes]]:
    """Return up to ``count`` last complete lines as (byte offset, line without newline)."""
    end = size - 1  # the final newline, checked by the caller
    buf = b""
    pos = end
    while True:
        if buf.count(b"\n") >= count or pos == 0:
            break
        start = max(0, pos - _CHUNK)
        buf = os.pread(fd, pos - start, start) + buf
        pos = start
    lines: list[tuple[int, bytes]] = []
    cut = len(buf)
    for _ in range(count):
        nl = buf.rfind(b"\n", 0, cut)
        lines.append((pos + nl + 1, buf[nl + 1 : cut]))
        if nl < 0:
            break
        cut = nl
    lines.reverse()
    return lines


def _parse(path: Path, offset: int, raw: bytes, key: bytes | None) -> tuple[int, str, str]:
    where = f"{path}: entry at byte offset {offset}"
    try:
        entry = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AuditCorruptError(f"{where} is not valid JSON ({exc}); run verify") from exc
    if not isinstance(entry, dict):
        raise AuditCorruptError(f"{where} is not a JSON object; run verify")
    seq, prev, digest = entry.get("seq"), entry.get("prev"), entry.get("hash")
    if not (isinstance(seq, int) and not isinstance(seq, bool) and seq >= 1):
        raise AuditCorruptError(f"{where} has no valid seq; run verify")
    if not (isinstance(prev, str) and _HEX64.fullmatch(prev)):
        raise AuditCorruptError(f"{where} (seq {seq}) has no valid prev; run verify")
    if not (isinstance(digest, str) and _HEX64.fullmatch(digest)):
        raise AuditCorruptError(f"{where} (seq {seq}) has no valid hash; run verify")
    if compute_hash(canonical_bytes(entry), key) != digest:
        mode = "with the configured SHIXIN_AUDIT_KEY" if key else "without a key"
        raise AuditCorruptError(
            f"{where} (seq {seq}): hash does not match its content {mode} — the entry was "
            "altered, or the log was written with a different key (or none); run verify"
        )
    return seq, prev, digest


def read_head(path: str | os.PathLike[str], key: bytes | None = None) -> Head:
    """Return the (seq, hash) to continue from; genesis for a missing or empty file."""
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY)
    except FileNotFoundError:
        return GENESIS_HEAD
    try:
        return read_head_fd(fd, p, key)
    finally:
        os.close(fd)


def read_head_fd(fd: int, path: Path, key: bytes | None) -> Head:
    """:func:`read_head` on an open descriptor (the writer holds its lock on it)."""
    size = os.fstat(fd).st_size
    if size == 0:
        return GENESIS_HEAD
    if os.pread(fd, 1, size - 1) != b"\n":
        raise AuditCorruptError(
            f"{path}: the last line is incomplete (no newline at byte {size}): a write was "
            "interrupted (crash or full disk). Check it with verify, then remove the partial "
            "line with shixin.audit.truncate_torn_tail"
        )
    lines = _last_lines(fd, size, 2)
    last_off, last_raw = lines[-1]
    seq, prev, digest = _parse(path, last_off, last_raw, key)
    if len(lines) == 2:
        before_off, before_raw = lines[0]
        before_seq, _, before_hash = _parse(path, before_off, before_raw, key)
        if before_seq != seq - 1 or before_hash != prev:
            raise AuditCorruptError(
                f"{path}: the last entry (seq {seq}, byte offset {last_off}) does not chain to "
                f"the one before it (seq {before_seq}) — entries removed, inserted or "
                "reordered; run verify"
            )
    elif seq != 1 or prev != GENESIS:
        raise AuditCorruptError(
            f"{path}: the only entry has seq {seq} and does not start from genesis — "
            "earlier entries were removed; run verify"
        )
    return Head(seq, digest)


def truncate_torn_tail(path: str | os.PathLike[str]) -> int:
    """Cut an incomplete last line (one without newline) left by an interrupted write.

    Only for an operator who has looked at it: the server refuses to start on a
    torn tail rather than guess. Returns the number of bytes removed (0 if the
    file ends cleanly). Complete lines are never touched.
    """
    p = Path(path)
    with p.open("r+b") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return 0
        pos = size
        keep = 0
        while pos > 0:
            start = max(0, pos - _CHUNK)
            f.seek(start)
            chunk = f.read(pos - start)
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                keep = start + nl + 1
                break
            pos = start
        f.truncate(keep)
        f.flush()
        os.fsync(f.fileno())
        return size - keep
