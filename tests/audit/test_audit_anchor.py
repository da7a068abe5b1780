"""The audit head anchored in LMDB meta: written after commits, checked when opening."""

import time
from pathlib import Path

import pytest

from shixin.audit import AuditClosedError, AuditCorruptError, AuditLog, Head
from shixin.audit.anchor import (
    Anchor,
    check_head,
    open_anchored,
    read_anchor,
    read_anchor_at,
)
from shixin.store import Store

KEY = b"anchor-test-key-0123456789abcdef"
ENTRY = {"actor": "bank-x", "role": "unit", "action": "match", "request": {"name": "张三"}}


def _fill(data: Path, n: int) -> Head:
    store = Store(data)
    try:
        log, anchor = open_anchored(data / "audit.jsonl", KEY, store, fsync=False)
        for _ in range(n):
            log.append(dict(ENTRY))
        log.close()
        anchor.close()
        head = read_anchor(store)
    finally:
        store.close()
    assert head is not None
    return head


def test_anchor_follows_the_log(tmp_path: Path) -> None:
    """After the log closes, the index holds the head of its last entry."""
    head = _fill(tmp_path, 5)
    assert head.seq == 5
    with AuditLog(tmp_path / "audit.jsonl", KEY, fsync=False) as log:
        assert log.head() == head


def test_read_anchor_at_without_index(tmp_path: Path) -> None:
    """A directory without an index has no anchor (and is not turned into one)."""
    assert read_anchor_at(tmp_path) is None
    assert not (tmp_path / "data.mdb").exists()


def test_removed_tail_is_refused_on_open(tmp_path: Path) -> None:
    """A log shorter than its anchor is refused, naming the missing seqs."""
    _fill(tmp_path, 4)
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:2]))
    store = Store(tmp_path)
    try:
        with pytest.raises(AuditCorruptError, match=r"entries 3..4 were removed"):
            open_anchored(path, KEY, store, fsync=False)
    finally:
        store.close()


def test_deleted_log_is_refused_on_open(tmp_path: Path) -> None:
    """An index that anchored entries refuses an empty or missing log."""
    _fill(tmp_path, 2)
    (tmp_path / "audit.jsonl").unlink()
    store = Store(tmp_path)
    try:
        with pytest.raises(AuditCorruptError, match="is empty or missing"):
            open_anchored(tmp_path / "audit.jsonl", KEY, store, fsync=False)
    finally:
        store.close()


def test_rewritten_head_is_refused() -> None:
    """Same seq, another hash: the tail was rewritten."""
    with pytest.raises(AuditCorruptError, match="rewritten"):
        check_head(Head(3, "a" * 64), Head(3, "b" * 64), Path("audit.jsonl"))


def test_lagging_anchor_is_accepted() -> None:
    """The anchor may trail the log (written after it); a longer log is fine."""
    check_head(Head(9, "a" * 64), Head(7, "b" * 64), Path("audit.jsonl"))
    check_head(Head(0, "0" * 64), None, Path("audit.jsonl"))


def test_anchor_coalesces_to_the_latest_head(tmp_path: Path) -> None:
    """Many updates in a row end with the last one stored."""
    store = Store(tmp_path)
    anchor = Anchor(store)
    try:
        for seq in range(1, 200):
            anchor.update(Head(seq, f"{seq:064x}"))
        anchor.flush()
        assert read_anchor(store) == Head(199, f"{199:064x}")
    finally:
        anchor.close()
        store.close()


def test_ensure_available_after_close(tmp_path: Path) -> None:
    """A closed log says so before any work is done."""
    log = AuditLog(tmp_path / "audit.jsonl", KEY, fsync=False)
    log.ensure_available()
    log.close()
    with pytest.raises(AuditClosedError):
        log.ensure_available()


def test_anchor_writes_at_most_once_per_interval(tmp_path: Path) -> None:
    """Heads arriving while the anchor cools down wait for it (one LMDB write), or a flush."""
    store = Store(tmp_path)
    anchor = Anchor(store, min_interval=60.0)
    try:
        anchor.update(Head(1, f"{1:064x}"))
        anchor.flush()  # the first head is written at once
        assert read_anchor(store) == Head(1, f"{1:064x}")
        for seq in range(2, 50):
            anchor.update(Head(seq, f"{seq:064x}"))
        time.sleep(0.2)
        assert read_anchor(store) == Head(1, f"{1:064x}")  # cooling down: lags, never ahead
        anchor.flush()  # cuts the cool-down short
        assert read_anchor(store) == Head(49, f"{49:064x}")
        anchor.update(Head(50, f"{50:064x}"))
    finally:
        anchor.close()  # writes the last head
        assert read_anchor(store) == Head(50, f"{50:064x}")
        store.close()
