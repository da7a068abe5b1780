"""Measure AuditLog.append: caller-thread cost, throughput, and overhead on a query load.

Run: ``.venv/bin/python tests/audit/bench_audit_append.py`` (not collected by pytest).
"""

import logging
import sys
import tempfile
import threading
import time
from pathlib import Path

import structlog

from shixin.audit import AuditLog

KEY = b"bench-key-0123456789-abcdefghijk"
FIELDS = {
    "actor": "bank-x",
    "role": "unit",
    "action": "match",
    "purpose": "bank.loan",
    "request": {"name": "张三", "id_number": "11010119900307123X"},
    "outcome": {"code": "OK", "hits": [{"id": "r-000123", "level": "exact", "score": 1.0}]},
}


def out(line: str) -> None:
    sys.stdout.write(line + "\n")


def caller_latency(path: Path, fsync: bool, paced: bool) -> tuple[float, float, float]:
    """Median and p99 wall µs, and median CPU µs, of one append on the caller's thread.

    Paced: one append every 200 µs, so the writer keeps up (a server's case);
    otherwise back to back, competing with the writer for the GIL.
    """
    wall, cpu = [], []
    with AuditLog(path, KEY, fsync=fsync) as log:
        for _ in range(5000):
            c0, t0 = time.thread_time_ns(), time.perf_counter_ns()
            log.append(FIELDS)
            wall.append(time.perf_counter_ns() - t0)
            cpu.append(time.thread_time_ns() - c0)
            if paced:
                time.sleep(0.0002)
    wall.sort()
    cpu.sort()
    return (
        wall[len(wall) // 2] / 1000,
        wall[int(len(wall) * 0.99)] / 1000,
        cpu[len(cpu) // 2] / 1000,
    )


def throughput(path: Path, fsync: bool, key: bytes | None, threads: int, n: int) -> float:
    """Entries per second from ``threads`` appenders until all are durable."""
    with AuditLog(path, key, fsync=fsync) as log:
        per = n // threads

        def work() -> None:
            for _ in range(per):
                log.append(FIELDS)

        pool = [threading.Thread(target=work) for _ in range(threads)]
        t0 = time.perf_counter()
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        log.flush()
        return per * threads / (time.perf_counter() - t0)


def busy(rounds: int) -> int:
    total = 0
    for i in range(rounds):
        total += i * i
    return total


def calibrate(cost_us: float) -> int:
    """Rounds of :func:`busy` taking about ``cost_us`` µs (pure Python: holds the GIL)."""
    t0 = time.perf_counter()
    busy(100_000)
    per_round = (time.perf_counter() - t0) / 100_000 * 1e6
    return max(1, round(cost_us / per_round))


def query_load(path: Path | None, rounds: int, threads: int = 4, seconds: float = 3.0) -> float:
    """Queries per second over ``threads`` workers, auditing each one when ``path`` is set."""
    log = AuditLog(path, KEY) if path is not None else None
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def work(i: int) -> None:
        while time.perf_counter() < stop:
            busy(rounds)
            if log is not None:
                log.append(FIELDS)
            done[i] += 1

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if log is not None:
        log.close()
    return sum(done) / seconds


def main() -> None:
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for fsync in (True, False):
            for paced in (True, False):
                med, p99, cpu = caller_latency(d / f"lat{fsync}{paced}.jsonl", fsync, paced)
                out(
                    f"append, fsync={fsync}, {'paced' if paced else 'back to back'}: "
                    f"median {med:.1f} µs wall ({cpu:.1f} µs CPU), p99 {p99:.1f} µs"
                )
        for fsync in (True, False):
            for key in (KEY, None):
                for threads in (1, 8):
                    rate = throughput(
                        d / f"t{fsync}{key is not None}{threads}.jsonl", fsync, key, threads, 80_000
                    )
                    out(
                        f"throughput fsync={fsync} keyed={key is not None} threads={threads}: "
                        f"{rate:,.0f} entries/s"
                    )
        for cost in (200, 1000):
            rounds = calibrate(cost)
            base = max(query_load(None, rounds) for _ in range(3))
            audited = max(query_load(d / f"q{cost}.jsonl", rounds) for _ in range(3))
            out(
                f"query load, ~{cost} µs/query, 4 threads: {base:,.0f} q/s plain, "
                f"{audited:,.0f} q/s audited ({(1 - audited / base) * 100:+.1f}% slower)"
            )
        t0 = time.perf_counter()
        d2 = d / "fsync.bin"
        import os

        fd = os.open(d2, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        for _ in range(300):
            os.write(fd, b"x" * 400)
            os.fdatasync(fd)
        os.close(fd)
        out(f"one write+fdatasync on this disk: {(time.perf_counter() - t0) / 300 * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
