"""What each part of a unary Match call costs the real server: parts switched off in turn.

    python bench/call_parts.py                      # 100,000-record index, id_name, 16 in flight
    python bench/call_parts.py --records 1000000 --workload name_person --rounds 3

Uses the index and list that ``bench/run.py`` left in ``bench/.work`` (run it
first with the same ``--records``). Each round starts, in turn, the trivial
service and ``shixin serve``'s server in these variants (a subprocess each,
development auth, the bench's clock):

- ``full``: production (audit log, one log line per call, told ledger, matching);
- ``no audit``: ``Settings.audit=False``;
- ``no audit, log, ledger``: also the per-call log line dropped and nothing
  noted in the told ledger;
- ``replayed``: the full wrapper, but ``QueryService.match`` answers each
  distinct query from the outcome it computed the first time (the warm-up run
  asks every query once), so the call does everything but the matching;
- ``replayed, no audit, log, ledger``: what is left is gRPC, request parsing,
  authentication and building the response.

For each: calls/s, the server's CPU per call and that of its Python threads
(``loadgen.python_cpu_seconds``), medians over ``--rounds``. It is a
diagnostic for docs/performance.md ("What bounds the ratios"): the variants
patch the server in its own process and are never how shixin runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import loadgen, procs  # noqa: E402
from bench import workload as wl  # noqa: E402
from bench.trivial_server import METHOD as TRIVIAL_METHOD  # noqa: E402

VARIANTS = {
    "full": frozenset(),
    "no audit": frozenset({"noaudit"}),
    "no audit, log, ledger": frozenset({"noaudit", "nolog", "noledger"}),
    "replayed": frozenset({"replay"}),
    "replayed, no audit, log, ledger": frozenset({"replay", "noaudit", "nolog", "noledger"}),
}


def serve(data: Path, port: int, parts_off: frozenset[str]) -> None:
    """The server subprocess, with ``parts_off`` switched off."""
    import logging

    from shixin import logs
    from shixin.grpcapi.server import serve_forever
    from shixin.service.queries import MatchOutcome, QueryService
    from shixin.settings import Settings

    if "noledger" in parts_off:
        QueryService.note_told = lambda self, principal, told: None  # type: ignore[method-assign]
    if "replay" in parts_off:
        computed = QueryService.match
        answers: dict[tuple[str, str, str], MatchOutcome] = {}

        def replay(self: QueryService, principal: Any, query: Any, **kw: Any) -> MatchOutcome:
            key = (query.name, query.id_number, query.kind)
            if key not in answers:
                answers[key] = computed(self, principal, query, **kw)
            return answers[key]

        QueryService.match = replay  # type: ignore[method-assign]
    if "nolog" in parts_off:
        configure = logs.configure

        def quiet(fmt: str = "json", level: int = logging.INFO, *,
                  buffered: bool = False) -> None:
            configure(fmt, logging.WARNING, buffered=buffered)

        logs.configure = quiet
    serve_forever(Settings(data=data, listen=f"127.0.0.1:{port}", dev_auth=True,
                           audit="noaudit" not in parts_off,
                           today=date.fromisoformat(wl.TODAY)))


def measure(argv: list[str], method: str, requests: list[bytes], metadata: Any,
            in_flight: int, seconds: float) -> loadgen.LoadResult:
    """Start a server, ask every request once (warm-up), then one measured run."""
    import grpc

    port = procs.free_port()
    server = procs.start_server([*argv, "--port", str(port)], port)
    try:
        with grpc.insecure_channel(server.target) as channel:
            call: Any = channel.unary_unary(method)
            for request in requests:  # every query once: 'replayed' then replays them all
                call(request, metadata=metadata, timeout=30)
        return loadgen.run_load(server.target, method, requests, metadata,
                                in_flight=in_flight, processes=1, warmup=1.0,
                                seconds=seconds, server_pid=server.pid)
    finally:
        server.stop()


def main() -> None:
    """CLI: every variant, ``--rounds`` times, then the medians."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--records", type=int, default=100_000)
    p.add_argument("--workdir", type=Path, default=ROOT / "bench" / ".work")
    p.add_argument("--workload", default="id_name",
                   choices=["id_name", "name_person", "name_org", "name_pinyin", "id_only"])
    p.add_argument("--in-flight", type=int, default=16)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--queries", type=int, default=3_000)
    p.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    p.add_argument("--off", default="", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve is not None:
        serve(args.serve, args.port, frozenset(filter(None, args.off.split(","))))
        return
    index = args.workdir / f"index-{args.records}"
    truth = args.workdir / f"list-{args.records}" / "truth.jsonl"
    if not (index / "data.mdb").is_file() or not truth.is_file():
        raise SystemExit(f"no index or list in {args.workdir}: run bench/run.py "
                         f"--records {args.records} first")
    subjects = wl.build_queries(truth, args.queries).as_dict()[args.workload]
    match_reqs = wl.match_requests(subjects)
    trivial_argv = [sys.executable, str(ROOT / "bench" / "trivial_server.py"), "--listen"]
    runs: dict[str, list[loadgen.LoadResult]] = {"trivial gRPC": []}
    runs.update({name: [] for name in VARIANTS})
    for r in range(args.rounds):
        port = procs.free_port()
        server = procs.start_server([*trivial_argv, f"127.0.0.1:{port}"], port)
        try:
            runs["trivial gRPC"].append(loadgen.run_load(
                server.target, TRIVIAL_METHOD, wl.trivial_requests(subjects), (),
                in_flight=args.in_flight, processes=1, warmup=1.0, seconds=args.seconds,
                server_pid=server.pid))
        finally:
            server.stop()
        for name, off in VARIANTS.items():
            argv = [sys.executable, __file__, "--serve", str(index), "--off", ",".join(off)]
            runs[name].append(measure(argv, wl.MATCH_METHOD, match_reqs, wl.METADATA,
                                      args.in_flight, args.seconds))
            res = runs[name][-1]
            print(f"round {r + 1}: {name}: {res.calls_per_s:,.0f} calls/s, "
                  f"{res.server_cpu_us_per_call:,.0f} µs/call (other load "
                  f"{res.other_busy:.0%})", file=sys.stderr, flush=True)
    print(f"{args.workload}, {args.records:,} records, {args.in_flight} in flight, "
          f"medians of {args.rounds} rounds (other load during the runs: "
          f"{statistics.median(x.other_busy for v in runs.values() for x in v):.0%})")
    print(f"{'variant':34s} {'calls/s':>8s} {'server µs/call':>15s} {'Python threads':>15s}")
    for name, results in runs.items():
        def med(attr: str, rs: list[loadgen.LoadResult] = results) -> float:
            return float(statistics.median(getattr(x, attr) for x in rs))
        print(f"{name:34s} {med('calls_per_s'):8,.0f} {med('server_cpu_us_per_call'):15,.0f} "
              f"{med('server_py_cpu_us_per_call'):15,.0f}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
