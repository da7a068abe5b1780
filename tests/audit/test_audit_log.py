"""AuditLog: concurrent appenders, reopening, refusing a corrupt tail, failing closed."""

import json
import os
import threading
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from shixin.audit import (
    GENESIS,
    AuditClosedError,
    AuditCorruptError,
    AuditError,
    AuditLog,
    AuditUnavailableError,
    Head,
    read_head,
    truncate_torn_tail,
    verify,
)

KEY = b"test-key-0123456789-abcdefghijkl"


def event(i: int, actor: str = "bank-x") -> dict[str, Any]:
    return {
        "actor": actor,
        "role": "unit",
        "action": "match",
        "purpose": "bank.loan",
        "request": {"name": f"张三{i}", "id_number": "11010119900307123X"},
        "outcome": {"status": "OK", "hits": []},
    }


def entries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().splitlines(keepends=False)]


def test_concurrent_appenders_get_unique_gapless_seqs(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    threads, per_thread = 8, 400
    with AuditLog(path, KEY, fsync=False) as log:
        barrier = threading.Barrier(threads)

        def work(t: int) -> None:
            barrier.wait()
            for i in range(per_thread):
                log.append(event(i, actor=f"unit-{t}"))

        pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
        for th in pool:
            th.start()
        for th in pool:
            th.join()
        log.flush()
        assert log.head().seq == threads * per_thread
    got = entries(path)
    assert [e["seq"] for e in got] == list(range(1, threads * per_thread + 1))
    assert Counter(e["actor"] for e in got) == {f"unit-{t}": per_thread for t in range(threads)}
    for t in range(threads):  # each appender's own order is kept
        mine = [e["request"]["name"] for e in got if e["actor"] == f"unit-{t}"]
        assert mine == [f"张三{i}" for i in range(per_thread)]
    stamps = [datetime.fromisoformat(e["ts"]) for e in got]
    assert stamps == sorted(stamps) and all(s.utcoffset() is not None for s in stamps)
    result = verify(path, KEY)
    assert result.ok and result.entries == threads * per_thread, result.describe()


def test_reopen_continues_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    with AuditLog(path, KEY) as log:
        for i in range(3):
            log.append(event(i))
        log.flush()
        first_head = log.head()
    assert read_head(path, KEY) == first_head
    with AuditLog(path, KEY) as log:
        assert log.head() == first_head
        log.append(event(3))
    got = entries(path)
    assert [e["seq"] for e in got] == [1, 2, 3, 4]
    assert got[3]["prev"] == first_head.hash and got[0]["prev"] == GENESIS
    assert verify(path, KEY).ok


def test_flush_is_a_durability_barrier_and_head_follows(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    heads: list[Head] = []
    with AuditLog(path, on_commit=heads.append) as log:
        assert log.head() == Head(0, GENESIS)
        log.append(event(1))
        log.flush(timeout=10)
        assert len(entries(path)) == 1
        assert heads[-1] == log.head() == Head(1, entries(path)[0]["hash"])


def test_top_level_fields_are_copied_at_append(tmp_path: Path) -> None:
    """Nested request/outcome are handed over (documented); the top level is copied."""
    path = tmp_path / "audit.jsonl"
    fields = event(1)
    with AuditLog(path) as log:
        log.append(fields)
        fields["actor"] = "someone-else"
        fields["request"] = {"name": "李四"}
    assert entries(path)[0]["actor"] == "bank-x"
    assert entries(path)[0]["request"]["name"] == "张三1"


def test_unserializable_values_are_recorded_sanitized(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    with AuditLog(path) as log:
        log.append({**event(1), "outcome": {"change": object(), "score": float("nan")}})
        log.append(event(2))
    got = entries(path)
    assert got[0]["outcome"]["change"].startswith("<object object at")
    assert got[0]["outcome"]["score"] == "nan" and got[1]["seq"] == 2
    assert verify(path).ok


def test_closed_log_refuses_appends(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.close()
    log.close()  # idempotent
    log.flush()  # nothing pending: returns
    with pytest.raises(AuditClosedError, match="is closed"):
        log.append(event(1))


def test_second_writer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    with AuditLog(path), pytest.raises(AuditError, match="already open for writing"):
        AuditLog(path)
    AuditLog(path).close()  # free again after close


def test_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "audit.jsonl"
    AuditLog(path).close()
    assert path.stat().st_mode & 0o777 == 0o600


def write_log(path: Path, n: int, key: bytes | None = KEY) -> list[bytes]:
    with AuditLog(path, key, fsync=False) as log:
        for i in range(n):
            log.append(event(i))
    return path.read_bytes().splitlines(keepends=True)


def test_altered_tail_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    lines = write_log(path, 5)
    lines[-1] = lines[-1].replace("张三4".encode(), "王五4".encode())
    path.write_bytes(b"".join(lines))
    with pytest.raises(AuditCorruptError, match=r"\(seq 5\): hash does not match its content"):
        AuditLog(path, KEY)


def test_wrong_or_missing_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_log(path, 3)
    with pytest.raises(AuditCorruptError, match="different key"):
        AuditLog(path, None)
    with pytest.raises(AuditCorruptError, match="with the configured SHIXIN_AUDIT_KEY"):
        AuditLog(path, b"another-key-that-is-long-enough")


def test_removed_entry_before_tail_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    lines = write_log(path, 5)
    del lines[3]
    path.write_bytes(b"".join(lines))
    with pytest.raises(AuditCorruptError, match=r"seq 5.*does not chain to the one before it"):
        AuditLog(path, KEY)


def test_lone_entry_not_from_genesis_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    lines = write_log(path, 3)
    path.write_bytes(lines[-1])
    with pytest.raises(AuditCorruptError, match="does not start from genesis"):
        AuditLog(path, KEY)


def test_garbage_tail_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    lines = write_log(path, 2)
    path.write_bytes(b"".join(lines) + b"not json\n")
    with pytest.raises(AuditCorruptError, match="is not valid JSON"):
        AuditLog(path, KEY)


def test_torn_tail_is_refused_until_an_operator_cuts_it(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    lines = write_log(path, 3)
    intact = b"".join(lines)
    path.write_bytes(intact + lines[0][:40])  # a crash in the middle of a write
    with pytest.raises(AuditCorruptError, match="last line is incomplete"):
        AuditLog(path, KEY)
    assert truncate_torn_tail(path) == 40
    assert path.read_bytes() == intact
    assert truncate_torn_tail(path) == 0
    with AuditLog(path, KEY) as log:
        assert log.head().seq == 3


def test_verify_on_open_refuses_damage_anywhere(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    lines = write_log(path, 6)
    lines[1] = lines[1].replace(b'"match"', b'"batch_match"')
    path.write_bytes(b"".join(lines))
    AuditLog(path, KEY).close()  # the tail alone is fine …
    with pytest.raises(AuditCorruptError, match=r"line 2 \(seq 2\)"):
        AuditLog(path, KEY, verify_on_open=True)  # … the full check is not


def test_write_failure_fails_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, fsync=False)
    log.append(event(0))
    log.flush()

    def full_disk(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("shixin.audit.log.os.write", full_disk)
    log.append(event(1))
    with pytest.raises(AuditUnavailableError, match="No space left"):
        log.flush(timeout=10)
    with pytest.raises(AuditUnavailableError, match="can no longer be recorded"):
        log.append(event(2))
    monkeypatch.undo()
    log.close()
    assert log.head().seq == 1
    assert verify(path).ok


def test_backlog_limit_blocks_then_refuses(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    gate = threading.Event()
    log = AuditLog(
        path, fsync=False, max_pending=2, append_timeout=0.2, on_commit=lambda h: gate.wait()
    )
    try:
        log.append(event(0))  # the writer takes it and blocks in on_commit
        log.append(event(1))
        with pytest.raises(AuditUnavailableError, match="2 entries behind"):
            log.append(event(2))
    finally:
        gate.set()
        log.close()
    assert [e["seq"] for e in entries(path)] == [1, 2]


def test_append_is_cheap_on_the_callers_thread(tmp_path: Path) -> None:
    """A generous bound that only catches a regression to I/O on the caller's thread."""
    import time

    with AuditLog(tmp_path / "audit.jsonl", KEY) as log:
        fields = event(0)
        samples = []
        for _ in range(2000):
            t0 = time.perf_counter_ns()
            log.append(fields)
            samples.append(time.perf_counter_ns() - t0)
        samples.sort()
        median_us = samples[len(samples) // 2] / 1000
    assert median_us < 200, f"append median {median_us:.1f} µs"


def test_fsync_false_still_writes(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_log(path, 2, key=None)
    assert os.path.getsize(path) > 0 and verify(path).ok


def test_live_verify_while_appending(tmp_path: Path) -> None:
    """AuditLog.verify reads only committed batches, so a write in flight is no torn line."""
    with AuditLog(tmp_path / "audit.jsonl", KEY) as log:

        def work() -> None:
            for i in range(2_000):
                log.append(event(i))

        writer = threading.Thread(target=work)
        writer.start()
        checks = 0
        try:
            while writer.is_alive() or checks < 3:
                result = log.verify()
                assert result.ok, result.describe()
                checks += 1
        finally:
            writer.join()
        assert log.verify().entries == log.head().seq == 2_000


def test_unauthenticated_caller_has_an_empty_role(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    with AuditLog(path) as log:
        log.append({"actor": "unauthenticated:ipv4:192.0.2.1:5000", "role": "", "action": "match"})
    assert entries(path)[0]["role"] == ""


def test_flush_and_close_cut_the_linger_short(tmp_path: Path) -> None:
    import time

    with AuditLog(tmp_path / "audit.jsonl", linger=30.0) as log:
        log.append(event(1))
        started = time.monotonic()
        log.flush(timeout=10)
        assert log.head().seq == 1
        log.append(event(2))
    assert time.monotonic() - started < 5
    assert len(entries(tmp_path / "audit.jsonl")) == 2


def test_a_bug_in_the_writer_fails_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fields: object) -> object:
        raise RuntimeError("bug")

    log = AuditLog(tmp_path / "audit.jsonl", fsync=False)
    monkeypatch.setattr("shixin.audit.log.encode_fields", broken)
    log.append(event(1))
    with pytest.raises(AuditUnavailableError, match="RuntimeError"):
        log.flush(timeout=10)
    log.close()
