"""Server subprocesses: start, time to SERVING, anonymous RSS, stop."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def status_kb(pid: int, field: str) -> int:
    """A ``kB`` field of /proc/PID/status (RssAnon, RssFile, VmHWM, …)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def wait_serving(target: str, deadline: float, proc: subprocess.Popen[bytes]) -> float:
    """Poll the standard health check until SERVING; returns the monotonic time it was."""
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode} before serving")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{target} not SERVING in time")
        with grpc.insecure_channel(target) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            try:
                resp = stub.Check(health_pb2.HealthCheckRequest(), timeout=0.25,
                                  wait_for_ready=False)
            except grpc.RpcError:
                time.sleep(0.005)
                continue
            if resp.status == health_pb2.HealthCheckResponse.SERVING:
                return time.monotonic()
        time.sleep(0.005)


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (the server's batch workers), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


@dataclass
class Server:
    """A server subprocess on a loopback port."""

    proc: subprocess.Popen[bytes]
    target: str
    start_seconds: float
    log: Path | None

    @property
    def pid(self) -> int:
        """Its process id."""
        return self.proc.pid

    def rss_anon_mb(self) -> float:
        """Anonymous resident memory (heap, stacks; not the mapped index), MB."""
        return status_kb(self.pid, "RssAnon") / 1024

    def tree_rss_anon_mb(self) -> float:
        """RssAnon of the server and its batch workers together, MB."""
        total = 0
        for pid in descendants(self.pid):
            with contextlib.suppress(OSError, KeyError):
                total += status_kb(pid, "RssAnon")
        return total / 1024

    def rss_file_mb(self) -> float:
        """Resident file-backed memory (mostly the mapped LMDB index), MB."""
        return status_kb(self.pid, "RssFile") / 1024

    def stop(self) -> int:
        """SIGTERM, wait for the graceful stop (SIGKILL after 15 s); returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return int(self.proc.returncode)


def start_server(argv: Sequence[str], port: int, *, log: Path | None = None,
                 env: dict[str, str] | None = None, timeout: float = 60.0) -> Server:
    """Start ``argv`` (listening on ``port``) and wait for SERVING; times it from the spawn."""
    target = f"127.0.0.1:{port}"
    sink: IO[bytes] | int = subprocess.DEVNULL
    if log is not None:
        sink = log.open("ab")
    t0 = time.monotonic()
    proc = subprocess.Popen(list(argv), stdout=sink, stderr=sink,
                            env={**os.environ, **(env or {})})
    if log is not None and not isinstance(sink, int):
        sink.close()
    try:
        ready = wait_serving(target, t0 + timeout, proc)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        proc.wait(timeout=5)
        raise
    return Server(proc, target, ready - t0, log)
