"""What auditing every look-up costs: the real server with the audit log on, then off.

    python bench/audit_overhead.py                         # 20,000 records, 5 x 2 runs
    python bench/audit_overhead.py --calls 2000 --repeats 3  # quicker

The list is generated and imported once; a bearer token is issued for a bank.
Then, ``--repeats`` times, the server is started in a subprocess with the audit
on (HMAC-keyed, synced to disk, head anchored in the index: production) and
with it off (``Settings.audit=False``, which only this benchmark sets — no flag
or variable can), in alternating order so that drift (page cache, CPU clock,
other load) falls on both. Each run sends ``--calls`` unary Match calls (name +
ID number of listed and unlisted people, the bank's purpose) from
``--threads`` client threads, each on its own channel, after a warm-up; it
reports calls per second and the latency percentiles. Medians over the repeats
and the on/off ratio are printed last. The server logs (one line per RPC) go
to /dev/null in both modes.

Clients and server share the machine, so absolute figures depend on it; the
ratio is the result.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import procs  # noqa: E402

AUDIT_KEY = b"audit-overhead-benchmark-key-0123456789"
UNIT, PURPOSE = "pbc-liuzhou", "credit.grant"


def serve(data: Path, port: int, audit: bool) -> None:
    """The server subprocess: production settings except, when asked, the audit."""
    from shixin.demo import DEFAULT_TODAY
    from shixin.grpcapi.server import serve_forever
    from shixin.logs import configure
    from shixin.settings import Settings

    settings = Settings(data=data, listen=f"127.0.0.1:{port}", audit=audit,
                        audit_key=AUDIT_KEY if audit else None, today=DEFAULT_TODAY)
    configure(settings.log_format)
    serve_forever(settings)


def prepare(work: Path, records: int) -> tuple[Path, str, list[tuple[str, str]]]:
    """Generate and import the list; issue the bank's token; pick the subjects to ask for."""
    import json

    from shixin.demo import DEFAULT_TODAY, write_demo
    from shixin.measures import load_catalogue
    from shixin.service.admin import create_token
    from shixin.service.clock import fixed
    from shixin.service.importer import import_files
    from shixin.store import Store

    files = write_demo(work / "list", records, truth=True)
    assert files.truth is not None
    data = work / "index"
    store = Store(data)
    import_files(store, [files.records, files.events], clock=fixed(DEFAULT_TODAY))
    token = create_token(store, load_catalogue(), "unit", UNIT, "audit benchmark").token
    store.close()
    subjects = []
    for line in files.truth.read_text(encoding="utf-8").splitlines():
        debtor = json.loads(line)["debtor"]
        if debtor["kind"] == "person":
            subjects.append((debtor["name"], debtor["id_number"]))
        else:
            lr = debtor["legal_representative"]
            subjects.append((lr["name"], lr["id_number"]))
    return data, token, subjects


@dataclass
class Run:
    """One measured run."""

    audit: bool
    qps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _load(target: str, token: str, subjects: list[tuple[str, str]], calls: int,
          threads: int, offset: int) -> tuple[float, list[float], int]:
    import grpc

    from shixin.v1 import match_service_pb2 as pb
    from shixin.v1 import match_service_pb2_grpc as pb_grpc

    per_thread = calls // threads
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    start = threading.Barrier(threads + 1)

    def worker(i: int) -> None:
        with grpc.insecure_channel(target) as channel:
            stub = pb_grpc.MatchServiceStub(channel)
            meta = (("authorization", f"Bearer {token}"),)
            requests = [pb.MatchRequest(subject=pb.Subject(name=n, id_number=x),
                                        purpose=PURPOSE)
                        for n, x in (subjects[(offset + i * per_thread + k) % len(subjects)]
                                     for k in range(per_thread))]
            stub.Match(requests[0], metadata=meta, timeout=30)  # connect before the clock
            start.wait()
            for request in requests:
                t0 = time.perf_counter()
                try:
                    stub.Match(request, metadata=meta, timeout=30)
                except grpc.RpcError:
                    errors[i] += 1
                latencies[i].append(time.perf_counter() - t0)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in pool:
        t.join()
    wall = time.perf_counter() - t0
    return wall, [x for lat in latencies for x in lat], sum(errors)


def measure(data: Path, token: str, subjects: list[tuple[str, str]], audit: bool,
            calls: int, threads: int, warmup: int, offset: int) -> Run:
    """Start the server subprocess, warm it up, measure, stop it."""
    port = procs.free_port()
    argv = [sys.executable, __file__, "--serve", str(data), "--port", str(port),
            "--audit", "on" if audit else "off"]
    server = procs.start_server(argv, port)
    try:
        _load(server.target, token, subjects, warmup, threads, offset + calls)
        wall, lat, errors = _load(server.target, token, subjects, calls, threads, offset)
    finally:
        server.stop()
    lat.sort()
    return Run(audit, len(lat) / wall, lat[len(lat) // 2] * 1e3,
               lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1e3, errors)


def main() -> None:
    """Parse arguments; either be the server subprocess or run the comparison."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--calls", type=int, default=4_000, help="Match calls per run")
    ap.add_argument("--threads", type=int, default=8, help="client threads")
    ap.add_argument("--repeats", type=int, default=5, help="runs per mode")
    ap.add_argument("--warmup", type=int, default=400)
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--audit", choices=["on", "off"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(Path(args.serve), args.port, args.audit == "on")
        return
    with tempfile.TemporaryDirectory(prefix="shixin-audit-bench-") as tmp:
        print(f"preparing {args.records} records …", flush=True)
        data, token, subjects = prepare(Path(tmp), args.records)
        runs: list[Run] = []
        for r in range(args.repeats):
            order = (True, False) if r % 2 == 0 else (False, True)
            for audit in order:
                run = measure(data, token, subjects, audit, args.calls, args.threads,
                              args.warmup, offset=r * args.calls)
                runs.append(run)
                print(f"run {r + 1} audit {'on ' if audit else 'off'}: {run.qps:8.0f} calls/s"
                      f"  p50 {run.p50_ms:6.2f} ms  p99 {run.p99_ms:6.2f} ms"
                      f"  errors {run.errors}", flush=True)
        audit_size = (data / "audit.jsonl").stat().st_size
        entries = sum(1 for _ in (data / "audit.jsonl").open("rb"))
    on = [r for r in runs if r.audit]
    off = [r for r in runs if not r.audit]

    def med(rs: list[Run], attr: str) -> float:
        return float(statistics.median(getattr(r, attr) for r in rs))

    print(f"\n{args.calls} Match calls x {args.repeats} runs per mode, {args.threads} client "
          f"threads, {os.cpu_count()} CPUs, {args.records} records")
    print(f"{'':10}{'calls/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, rs in (("audit on", on), ("audit off", off)):
        print(f"{name:10}{med(rs, 'qps'):10.0f}{med(rs, 'p50_ms'):10.2f}"
              f"{med(rs, 'p99_ms'):10.2f}")
    print(f"ratio on/off: throughput {med(on, 'qps') / med(off, 'qps'):.3f}, "
          f"p50 latency {med(on, 'p50_ms') / med(off, 'p50_ms'):.3f}")
    print(f"audit log: {entries} entries, {audit_size / entries:.0f} bytes per entry")


if __name__ == "__main__":
    main()
