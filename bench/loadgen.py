"""Closed-loop unary load from separate client processes, with server CPU accounting.

Each client process opens its own channel (its own TCP connection) and keeps
``in_flight / processes`` calls outstanding with grpc's future API: the done
callback of a call starts the next one, so no client thread blocks per call.
Requests are pre-serialised bytes and responses stay bytes (no protobuf work on
the client, except decoding one response in ``decode_every`` to count
statuses), which leaves as much of the shared CPUs as possible to the server.

Every process warms up, then counts the calls that *complete* inside one
common measuring window; the parent reads the server's CPU time
(``/proc/PID/stat``) and the whole machine's (``/proc/stat``) at both ends of
the window, so each figure comes with the server CPU spent per call and with
how busy the machine was with other work.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import statistics
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class LoadSpec:
    """What one client process does."""

    target: str
    method: str
    requests: Sequence[bytes]
    metadata: tuple[tuple[str, str], ...]
    in_flight: int
    offset: int = 0
    decode: str = ""  # "match": count MatchResponse statuses of sampled responses
    decode_every: int = 20
    timeout: float = 30.0


@dataclass
class ProcResult:
    """What one client process measured inside the window."""

    calls: int = 0
    errors: int = 0
    first_error: str = ""
    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    cpu: float = 0.0


@dataclass
class LoadResult:
    """A whole run: every process's calls in the common window."""

    in_flight: int
    processes: int
    seconds: float
    calls: int
    errors: int
    first_error: str
    calls_per_s: float
    p50_ms: float
    p99_ms: float
    server_cpu_us_per_call: float
    server_py_cpu_us_per_call: float  # the server's Python threads only (see python_cpu_seconds)
    client_cpu_us_per_call: float
    machine_busy: float  # share of all CPUs busy during the window (every process)
    other_busy: float  # share of all CPUs busy with neither server nor clients
    statuses: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return dict(self.__dict__)


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def python_cpu_seconds(pid: int) -> float:
    """CPU seconds of the process's Python threads: those still named like the process.

    gRPC's C-core names its own threads (``event_engine``, ``grpc_global_tim``…);
    Python 3.11 does not name threads, so every thread that runs Python code
    keeps the process's name. Their CPU per call is what one GIL must carry
    (plus the short stretches they run C code with the GIL released).
    """
    base = f"/proc/{pid}/task"
    with open(f"{base}/{pid}/comm", encoding="utf-8") as fh:
        name = fh.read()
    total = 0
    for tid in os.listdir(base):
        try:
            with open(f"{base}/{tid}/comm", encoding="utf-8") as fh:
                if fh.read() != name:
                    continue
            with open(f"{base}/{tid}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    with open("/proc/stat", encoding="ascii") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values[:8])
    return (total - idle) / CLK_TCK, total / CLK_TCK


def _client(spec: LoadSpec, window: Any, go: Any, out: Any, index: int) -> None:
    """Body of one client process (spawned)."""
    import grpc

    decoder = None
    if spec.decode == "match":
        from shixin.v1 import match_service_pb2 as pb

        names = {v: k for k, v in pb.MatchStatus.items()}

        def decoder(raw: bytes) -> str:
            return str(names.get(pb.MatchResponse.FromString(raw).status, "?"))

    channel = grpc.insecure_channel(spec.target, options=[
        ("grpc.max_receive_message_length", 32 << 20)])
    grpc.channel_ready_future(channel).result(timeout=30)
    call: Any = channel.unary_unary(spec.method)
    result = ProcResult()
    statuses: Counter[str] = Counter()
    lock = threading.Lock()
    finished = threading.Event()
    n = len(spec.requests)
    counters = {"next": spec.offset, "outstanding": 0}
    out.put(("ready", index))
    go.wait()
    start, end = float(window[0]), float(window[1])

    def launch() -> None:
        with lock:
            i = counters["next"]
            counters["next"] = i + 1
            counters["outstanding"] += 1
        t0 = time.perf_counter()
        fut = call.future(spec.requests[i % n], metadata=spec.metadata, timeout=spec.timeout)
        fut.add_done_callback(lambda f: done(f, t0, i))

    def done(fut: Any, t0: float, i: int) -> None:
        t1 = time.perf_counter()
        now = time.time()
        exc = fut.exception()
        with lock:
            counters["outstanding"] -= 1
            if exc is not None:
                result.errors += 1
                if not result.first_error:
                    result.first_error = f"{exc.code()}: {exc.details()}"[:300]
            elif start <= now <= end:
                result.calls += 1
                result.latencies.append(t1 - t0)
                if decoder is not None and i % spec.decode_every == 0:
                    statuses[decoder(fut.result())] += 1
        if now < end and result.errors < 100:
            launch()
        else:
            with lock:
                if counters["outstanding"] == 0:
                    finished.set()

    def cpu_marks() -> None:
        time.sleep(max(0.0, start - time.time()))
        cpu0 = time.process_time()
        time.sleep(max(0.0, end - time.time()))
        result.cpu = time.process_time() - cpu0

    marks = threading.Thread(target=cpu_marks, daemon=True)
    marks.start()
    for _ in range(spec.in_flight):
        launch()
    finished.wait(timeout=end - time.time() + spec.timeout + 5)
    marks.join(timeout=5)
    channel.close()
    result.statuses = dict(statuses)
    out.put(("result", index, result))


def run_load(target: str, method: str, requests: Sequence[bytes],
             metadata: Sequence[tuple[str, str]], *, in_flight: int, processes: int,
             warmup: float, seconds: float, server_pid: int,
             decode: str = "") -> LoadResult:
    """Run one closed-loop load and measure it; see the module docstring."""
    processes = max(1, min(processes, in_flight))
    ctx = mp.get_context("spawn")
    window = ctx.Array("d", 2)
    go = ctx.Event()
    out: Any = ctx.Queue()
    procs = []
    for k in range(processes):
        share = in_flight // processes + (1 if k < in_flight % processes else 0)
        spec = LoadSpec(target, method, requests, tuple(metadata), share,
                        offset=k * (len(requests) // processes), decode=decode)
        p = ctx.Process(target=_client, args=(spec, window, go, out, k), daemon=True)
        p.start()
        procs.append(p)
    try:
        ready = 0
        while ready < processes:
            msg = out.get(timeout=60)
            ready += msg[0] == "ready"
        start = time.time() + warmup
        window[0], window[1] = start, start + seconds
        go.set()
        time.sleep(max(0.0, start - time.time()))
        s0 = proc_cpu_seconds(server_pid)
        g0 = python_cpu_seconds(server_pid)
        c0 = sum(proc_cpu_seconds(p.pid) for p in procs if p.pid)
        m0 = machine_cpu()
        time.sleep(max(0.0, start + seconds - time.time()))
        s1 = proc_cpu_seconds(server_pid)
        g1 = python_cpu_seconds(server_pid)
        c1 = sum(proc_cpu_seconds(p.pid) for p in procs if p.pid)
        m1 = machine_cpu()
        results: list[ProcResult] = []
        while len(results) < processes:
            msg = out.get(timeout=120)
            if msg[0] == "result":
                results.append(msg[2])
    except queue.Empty:
        raise RuntimeError("a load process did not report in time") from None
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.terminate()
    calls = sum(r.calls for r in results)
    lat = sorted(x for r in results for x in r.latencies)
    statuses: Counter[str] = Counter()
    for r in results:
        statuses.update(r.statuses)
    server_cpu = s1 - s0
    client_cpu = c1 - c0
    busy = m1[0] - m0[0]
    total = m1[1] - m0[1]
    errors = sum(r.errors for r in results)
    return LoadResult(
        in_flight=in_flight, processes=processes, seconds=seconds, calls=calls,
        errors=errors, first_error=next((r.first_error for r in results if r.first_error), ""),
        calls_per_s=calls / seconds,
        p50_ms=_percentile(lat, 0.50) * 1e3, p99_ms=_percentile(lat, 0.99) * 1e3,
        server_cpu_us_per_call=server_cpu / calls * 1e6 if calls else float("nan"),
        server_py_cpu_us_per_call=(g1 - g0) / calls * 1e6 if calls else float("nan"),
        client_cpu_us_per_call=client_cpu / calls * 1e6 if calls else float("nan"),
        machine_busy=busy / total if total else float("nan"),
        other_busy=max(0.0, busy - server_cpu - client_cpu) / total if total else float("nan"),
        statuses=dict(statuses),
    )


def median_of(results: Sequence[LoadResult]) -> dict[str, Any]:
    """Medians of the repeated runs' figures (and every run's calls/s)."""
    keys = ("calls_per_s", "p50_ms", "p99_ms", "server_cpu_us_per_call",
            "server_py_cpu_us_per_call", "client_cpu_us_per_call", "machine_busy", "other_busy")
    out: dict[str, Any] = {k: statistics.median(getattr(r, k) for r in results) for k in keys}
    out["runs_calls_per_s"] = [round(r.calls_per_s, 1) for r in results]
    out["errors"] = sum(r.errors for r in results)
    out["first_error"] = next((r.first_error for r in results if r.first_error), "")
    statuses: Counter[str] = Counter()
    for r in results:
        statuses.update(r.statuses)
    out["statuses"] = dict(statuses)
    out["in_flight"] = results[0].in_flight
    out["processes"] = results[0].processes
    return out
