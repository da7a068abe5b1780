"""Keeping the server's Python threads on one CPU.

All Python code of a process runs under one GIL, so the serving process's
threads (gRPC workers, gRPC's polling thread, the audit, ledger and log
writers) never use more than one CPU at a time anyway. Left free, the kernel
spreads them over every CPU, and each hand-over of the GIL then moves the
interpreter's working set from one CPU's cache to another's: on the 2-vCPU
benchmark machine, matching from 16 threads cost ~460 µs of CPU per query
unpinned against ~250 µs pinned and ~205 µs from one thread, and pinning the
server's Python threads raised Match throughput on the 1M-record benchmark by
37-88 % (docs/performance.md, "One CPU for the Python threads"). gRPC's C-core threads
and the batch worker processes are left free, so they use the other CPUs.

``pin_cpu`` settings: ``"auto"`` pins to the last CPU the process may run on
when it may run on two or more; ``"off"`` never pins; a number pins to that CPU.
"""

from __future__ import annotations

import os
import threading

import structlog

log = structlog.get_logger(__name__)


def choose_cpu(setting: str, allowed: set[int] | None = None) -> int | None:
    """The CPU to pin to under ``setting``, or None (don't pin).

    >>> choose_cpu("auto", {0, 1})
    1
    >>> choose_cpu("auto", {3}) is None
    True
    >>> choose_cpu("off", {0, 1}) is None
    True
    >>> choose_cpu("0", {0, 1})
    0
    """
    cpus = allowed if allowed is not None else available_cpus()
    text = setting.strip().lower()
    if text == "off" or not cpus:
        return None
    if text == "auto":
        return max(cpus) if len(cpus) >= 2 else None
    cpu = int(text)
    if cpu not in cpus:
        raise ValueError(f"CPU {cpu} is not one this process may run on ({sorted(cpus)})")
    return cpu


def available_cpus() -> set[int]:
    """CPUs this process may run on (empty where the OS cannot tell or pin)."""
    getter = getattr(os, "sched_getaffinity", None)
    return set(getter(0)) if getter is not None else set()


def pin_current_thread(cpu: int | None) -> None:
    """Run the calling thread on ``cpu`` only (no-op for None); a thread-pool initializer."""
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})  # 0: the calling thread, on Linux


def pin_python_threads(cpu: int | None) -> int:
    """Pin the process's running Python threads but the main one to ``cpu``; how many.

    The main thread is left alone: ``serve`` only waits in it, and a process
    that embeds the server (the tests) keeps its own. Threads started later by
    a pinned thread inherit its CPU (Linux copies the mask); so do processes
    they start, which must undo it (``BatchWorkers`` does).
    """
    if cpu is None:
        return 0
    pinned = 0
    for thread in threading.enumerate():
        if thread.native_id is None or thread is threading.main_thread():
            continue
        try:
            os.sched_setaffinity(thread.native_id, {cpu})
        except OSError:  # the thread ended meanwhile
            continue
        pinned += 1
    log.info("python_threads_pinned", cpu=cpu, threads=pinned)
    return pinned
