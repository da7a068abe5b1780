"""Measure AuditLog.append: caller-thread cost, throughput, and overhead on a query load.

Run: ``.venv/bin/python tests/audit/bench_audit_append.py`` (not collected by pytest).
"""

import hashlib
import logging
import sys
import tempfile
import threading
import time
from collections.abc import Callable
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


def caller_latency(path: Path, fsync: bool) -> tuple[float, float]:
    """Median and p99 µs of one append, paced so the writer keeps up (a server's case)."""
    samples = []
    with AuditLog(path, KEY, fsync=fsync) as log:
        for _ in range(5000):
            t0 = time.perf_counter_ns()
            log.append(FIELDS)
            samples.append(time.perf_counter_ns() - t0)
            time.sleep(0.0002)
    samples.sort()
    return samples[len(samples) // 2] / 1000, samples[int(len(samples) * 0.99)] / 1000


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


def fake_query(cost_us: float) -> Callable[[], None]:
    """CPU work holding the GIL for about ``cost_us`` µs, like matching does."""
    payload = b"x" * 256
    rounds = 1
    t0 = time.perf_counter()
    for _ in range(2000):
        hashlib.sha256(payload).digest()
    per_round = (time.perf_counter() - t0) / 2000 * 1e6
    rounds = max(1, round(cost_us / per_round))

    def query() -> None:
        for _ in range(rounds):
            hashlib.sha256(payload).digest()

    return query


def query_load(path: Path | None, cost_us: float, threads: int = 4, seconds: float = 2.0) -> float:
    """Queries per second over ``threads`` workers, auditing each one when ``path`` is set."""
    query = fake_query(cost_us)
    log = AuditLog(path, KEY) if path is not None else None
    done = [0] * threads
    stop = time.perf_counter() + seconds

    def work(i: int) -> None:
        while time.perf_counter() < stop:
            query()
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
            med, p99 = caller_latency(d / f"lat{fsync}.jsonl", fsync)
            out(f"append on caller thread, fsync={fsync}: median {med:.1f} µs, p99 {p99:.1f} µs")
        for fsync in (True, False):
            for key in (KEY, None):
                for threads in (1, 8):
                    rate = throughput(
                        d / f"t{fsync}{key}{threads}.jsonl", fsync, key, threads, 80_000
                    )
                    out(
                        f"throughput fsync={fsync} keyed={key is not None} threads={threads}: "
                        f"{rate:,.0f} entries/s"
                    )
        for cost in (200, 1000):
            base = query_load(None, cost)
            audited = query_load(d / f"q{cost}.jsonl", cost)
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
