"""shixin's benchmark suite: one command, a table, and bench/results/last.json.

    python bench/run.py                          # the full run: 1,000,000 records
    python bench/run.py --records 100000 --quick # a fast run (a few minutes)

What it does, in order (see docs/performance.md for the method and the figures):

1. generates the deterministic demo list (``shixin.demo.write_demo``) and imports it
   with ``shixin import`` (wall time, CPU time, index bytes per record); with more
   than 100,000 records, a 100,000-record list too, for the memory comparison;
2. starts the *ceiling* — a trivial gRPC service on the same sync thread-pool
   server (``bench/trivial_server.py``) — in a subprocess and measures it exactly
   as shixin is measured: latency at 1 call in flight, throughput at 16 and 64;
3. starts ``shixin serve --dev-auth`` in a subprocess (time from spawn to SERVING,
   repeated), then measures unary Match by ID number + name, and by name only
   (persons, organisations, Latin spellings): throughput at 16 and 64 in flight
   (repeated, medians) and latency at 1 in flight; anonymous RSS before and after;
   then times the same queries' matching work alone, in this process
   (``bench/domain.py``), for the estimate of the best ratio one serving
   process could reach (docs/performance.md, "What bounds the ratios");
4. runs ``shixin batch`` on a file of as many rows as records (ID + name and
   name-only rows) end to end;
5. prints the table and writes every figure (and every repeat) to JSON.

Load comes from separate client processes (``bench/loadgen.py``); the server and
its clients share the machine's CPUs, so every shixin figure is also given as a
ratio to the trivial service's under the same split.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import domain, loadgen, procs  # noqa: E402
from bench import workload as wl  # noqa: E402
from bench.trivial_server import METHOD as TRIVIAL_METHOD  # noqa: E402

MEMORY_SMALL = 100_000
DOMAIN_QUERIES = 3_000
"""Queries per workload timed in process (4 passes each: a few seconds per workload)."""
TARGETS = {
    "id_name_ratio": 0.70,
    "name_ratio": 0.50,
    "batch_rows_per_s": 25_000,
    "import_seconds_1m": 120,
    "rss_anon_mb_1m": 400,
    "start_seconds_1m": 2.0,
}


def say(text: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    sys.stderr.write(f"[{datetime.now():%H:%M:%S}] {text}\n")
    sys.stderr.flush()


# -- environment ---------------------------------------------------------------
def machine_info() -> dict[str, Any]:
    """What the figures were measured on."""
    info: dict[str, Any] = {
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "platform": platform.platform(), "loadavg_at_start": os.getloadavg(),
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        mem = Path("/proc/meminfo").read_text().split("\n", 1)[0]
        info["mem_total_gb"] = round(int(mem.split()[1]) / 2**20, 1)
    import google.protobuf
    import grpc
    import lmdb

    info["grpcio"] = grpc.__version__
    info["protobuf"] = google.protobuf.__version__
    info["lmdb"] = lmdb.__version__
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                "server", "clients", "proto"],
                               capture_output=True, text=True, check=True).stdout.strip()
        info["git"] = head + ("+dirty" if dirty else "")
    return info


# -- servers -------------------------------------------------------------------
def serve_argv(index: Path, port: int) -> list[str]:
    """``shixin serve`` on a loopback port with development auth and the demo's date."""
    return [wl.shixin_exe(), "serve", "--data", str(index), "--dev-auth", "--today", wl.TODAY,
            "--listen", f"127.0.0.1:{port}"]


@contextlib.contextmanager
def shixin_server(index: Path, logs: Path) -> Iterator[procs.Server]:
    """A shixin server on the index, stopped on exit.

    The audit log in the index directory grows from run to run: the index
    anchors its head, so removing it would (rightly) stop the server.
    """
    port = procs.free_port()
    server = procs.start_server(serve_argv(index, port), port, log=logs / "serve.log")
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def trivial_server(logs: Path) -> Iterator[procs.Server]:
    """The ceiling server, stopped on exit."""
    port = procs.free_port()
    argv = [sys.executable, str(ROOT / "bench" / "trivial_server.py"),
            "--listen", f"127.0.0.1:{port}"]
    server = procs.start_server(argv, port, log=logs / "trivial.log")
    try:
        yield server
    finally:
        server.stop()


# -- measurements ----------------------------------------------------------------
class Bench:
    """Runs the loads with one configuration and keeps every figure."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.results: dict[str, Any] = {}

    def interleaved(self, trivial: procs.Server | None, server: procs.Server | None,
                    trivial_reqs: list[bytes], match_reqs: dict[str, list[bytes]],
                    in_flights: tuple[int, ...], repeats: int) -> dict[str, Any]:
        """Every workload at each in-flight level, the ceiling run first in each round.

        The machine is shared and its load drifts, so each round measures the
        ceiling and then every shixin workload back to back, and each shixin run
        is divided by the ceiling run of its own round; the reported ratio is
        the median of those per-round ratios.
        """
        out: dict[str, dict[str, Any]] = {"trivial": {}} if trivial else {}
        if server:
            out.update({name: {} for name in match_reqs})
        for n in in_flights:
            runs: dict[str, list[loadgen.LoadResult]] = {name: [] for name in out}
            for r in range(repeats):
                if trivial:
                    say(f"round {r + 1}/{repeats}, {n} in flight: ceiling")
                    runs["trivial"].append(self.one(trivial, TRIVIAL_METHOD, trivial_reqs, n))
                if server:
                    for name, reqs in match_reqs.items():
                        say(f"round {r + 1}/{repeats}, {n} in flight: {name}")
                        runs[name].append(self.one(server, wl.MATCH_METHOD, reqs, n, "match"))
            for name, results in runs.items():
                fig = loadgen.median_of(results)
                fig["runs"] = [x.as_dict() for x in results]
                if trivial and name != "trivial":
                    ratios = [x.calls_per_s / t.calls_per_s
                              for x, t in zip(results, runs["trivial"], strict=True)]
                    fig["ratio_to_ceiling"] = statistics.median(ratios)
                    fig["ratios"] = [round(x, 4) for x in ratios]
                out[name][f"inflight_{n}"] = fig
                say(f"   {name} at {n}: {fig['calls_per_s']:.0f} calls/s"
                    + (f" (×{fig['ratio_to_ceiling']:.3f} of ceiling)"
                       if "ratio_to_ceiling" in fig else "")
                    + f", p50 {fig['p50_ms']:.2f} ms, p99 {fig['p99_ms']:.2f} ms, server "
                    f"{fig['server_cpu_us_per_call']:.0f} µs CPU/call (Python threads "
                    f"{fig['server_py_cpu_us_per_call']:.0f}), other load "
                    f"{fig['other_busy']:.0%}")
        return out

    def one(self, server: procs.Server, method: str, requests: list[bytes], in_flight: int,
            decode: str = "") -> loadgen.LoadResult:
        """One closed-loop run."""
        return loadgen.run_load(
            server.target, method, requests,
            wl.METADATA if method == wl.MATCH_METHOD else (),
            in_flight=in_flight, processes=self.args.client_procs, warmup=self.args.warmup,
            seconds=self.args.seconds, server_pid=server.pid, decode=decode)


def timed_starts(index: Path, logs: Path, repeats: int) -> dict[str, Any]:
    """Spawn-to-SERVING times of ``shixin serve`` (fresh process each time)."""
    times = []
    rss = []
    for _ in range(repeats):
        with shixin_server(index, logs) as server:
            times.append(server.start_seconds)
            rss.append(server.rss_anon_mb())
    return {"seconds": statistics.median(times), "runs": times,
            "rss_anon_mb_at_serving": statistics.median(rss)}


def run_batch(index: Path, input_csv: Path, rows: int, logs: Path,
              timeout: float) -> dict[str, Any]:
    """``shixin batch`` end to end against a fresh server; rows/s and CPU split."""
    output = input_csv.with_suffix(".out.jsonl")
    output.unlink(missing_ok=True)
    with shixin_server(index, logs) as server:
        argv = [wl.shixin_exe(), "batch", str(input_csv), "-o", str(output), "--quiet",
                "--server", server.target, "--unit", wl.UNIT, "--purpose", wl.PURPOSE]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        s0 = _tree_cpu(server.pid)
        own0 = loadgen.proc_cpu_seconds(server.pid)
        m0 = loadgen.machine_cpu()
        t0 = time.perf_counter()
        timed_out = False
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                                  check=False)
            code, tail = proc.returncode, (proc.stdout + proc.stderr).strip()[-500:]
        except subprocess.TimeoutExpired:
            timed_out, code, tail = True, -1, f"killed after {timeout:.0f} s"
        seconds = time.perf_counter() - t0
        s1 = _tree_cpu(server.pid)  # the batch workers are the server's children
        own1 = loadgen.proc_cpu_seconds(server.pid)
        m1 = loadgen.machine_cpu()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        rss = server.rss_anon_mb()
        rss_tree = server.tree_rss_anon_mb()
        processes = len(procs.descendants(server.pid))
    done, statuses = count_output(output)
    for part in output.parent.glob(f".{output.name}.*.part"):
        part.unlink()
    client_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    busy = (m1[0] - m0[0]) / max(1e-9, m1[1] - m0[1])
    return {
        "rows": rows, "rows_done": done, "seconds": seconds, "rows_per_s": done / seconds,
        "exit_code": code, "timed_out": timed_out, "output_tail": tail,
        "server_cpu_us_per_row": (s1 - s0) / max(1, done) * 1e6,
        "serving_process_cpu_us_per_row": (own1 - own0) / max(1, done) * 1e6,
        "client_cpu_us_per_row": client_cpu / max(1, done) * 1e6,
        "machine_busy": busy, "rss_anon_mb_after": rss, "rss_anon_mb_tree_after": rss_tree,
        "server_processes": processes, "statuses_sampled": statuses,
    }


def median_import(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median wall time, with every run's wall and CPU seconds beside it.

    >>> median_import([{"seconds": 3.0, "cpu_seconds": 5.0}, {"seconds": 1.0,
    ...                "cpu_seconds": 2.0}, {"seconds": 2.0, "cpu_seconds": 4.0}])["seconds"]
    2.0
    """
    ordered = sorted(runs, key=lambda r: r["seconds"])
    return {**ordered[len(ordered) // 2], "runs_seconds": [r["seconds"] for r in runs],
            "runs_cpu_seconds": [r["cpu_seconds"] for r in runs]}


def _tree_cpu(pid: int) -> float:
    total = 0.0
    for p in procs.descendants(pid):
        with contextlib.suppress(OSError):
            total += loadgen.proc_cpu_seconds(p)
    return total


def count_output(output: Path) -> tuple[int, dict[str, int]]:
    """Complete result lines of a batch output, and statuses of every 50th.

    ``shixin batch`` writes to a hidden ``.NAME.*.part`` file renamed at the end;
    a client stopped by the time limit leaves only that (and perhaps a
    half-written last line).
    """
    source = output if output.exists() else max(
        output.parent.glob(f".{output.name}.*.part"), key=lambda p: p.stat().st_mtime,
        default=None)
    done = 0
    statuses: dict[str, int] = {}
    if source is None:
        return done, statuses
    with source.open("rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break
            if done % 50 == 0:
                st = json.loads(line)["status"]
                statuses[st] = statuses.get(st, 0) + 1
            done += 1
    return done, statuses


# -- the table -------------------------------------------------------------------
def _fmt(value: float, unit: str = "") -> str:
    if value != value:  # NaN
        return "n/a"
    if unit == "ms":
        return f"{value:.2f} ms"
    if unit == "%":
        return f"{value:.0%}"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def _import_rows(add: Any, ok: Any, imp: dict[str, Any], n: int) -> None:
    scaled = imp["seconds"] * 1_000_000 / n
    add(f"import {n:,} records (+{imp['events_applied'] or 0:,} events)",
        f"{imp['seconds']:.1f} s", f"{imp['records_per_s']:,.0f} rec/s",
        f"≤ 120 s per 1M: {ok(scaled <= TARGETS['import_seconds_1m'])}"
        + ("" if n == 1_000_000 else f" (scaled: {scaled:.0f} s)")
        + f"; CPU {imp['cpu_seconds']:.0f} s"
        + ("; median of " + " / ".join(f"{x:.1f}" for x in imp["runs_seconds"]) + " s"
           if len(imp.get("runs_seconds", ())) > 1 else ""))
    add("index size on disk", f"{imp['index_bytes'] / 1e6:,.0f} MB",
        f"{imp['index_bytes_per_record']:,.0f} B/record")


def best_single_process_ratio(trivial: dict[str, Any] | None, matching_us: float) -> float:
    """The ratio one serving process could reach if a call cost only gRPC plus matching.

    All of a process's Python runs under one GIL, so its calls/s cannot exceed
    1 / (Python-thread CPU the trivial service spends per call + the matching
    work alone). An estimate, not a proof: the Python-thread figure includes
    stretches of C code that run without the GIL, and matching costs more in
    a busy server than in a tight loop.
    """
    if not trivial or not trivial.get("calls_per_s"):
        return float("nan")
    per_call = trivial.get("server_py_cpu_us_per_call", float("nan")) + matching_us
    return float(1e6 / per_call / trivial["calls_per_s"])


def table(res: dict[str, Any]) -> str:
    """The figures as a fixed-width table (also written into docs/performance.md)."""
    rows: list[tuple[str, str, str, str]] = []
    ceil = res["ceiling"].get("trivial") or {}
    n = res["config"]["records"]

    def add(label: str, value: str, ratio: str = "", target: str = "") -> None:
        rows.append((label, value, ratio, target))

    def ok(flag: bool) -> str:
        return "ok" if flag else "MISSED"

    for k in ("inflight_16", "inflight_64") if ceil else ():
        add(f"ceiling: trivial gRPC, {k.split('_')[1]} in flight",
            f"{_fmt(ceil[k]['calls_per_s'])} calls/s", "1.00",
            f"server {ceil[k]['server_cpu_us_per_call']:.0f} µs CPU/call")
    c1 = ceil.get("inflight_1") or {"p50_ms": float("nan"), "p99_ms": float("nan")}
    if ceil:
        add("ceiling: latency at 1 in flight p50 / p99",
            f"{_fmt(c1['p50_ms'], 'ms')} / {_fmt(c1['p99_ms'], 'ms')}")
    for name, label, target_key in (
            ("id_name", "Match ID + name", "id_name_ratio"),
            ("name_person", "Match name only, persons", "name_ratio"),
            ("name_org", "Match name only, organisations", "name_ratio"),
            ("name_pinyin", "Match name only, Latin spelling", "name_ratio"),
            ("id_only", "Match ID only (diagnostic: fixed cost of a call)", "")):
        w = res["shixin"].get(name)
        if not w:
            continue
        for k in ("inflight_16", "inflight_64"):
            ratio = w[k].get("ratio_to_ceiling", float("nan"))
            verdict = (f"≥ {TARGETS[target_key]:.2f}: {ok(ratio >= TARGETS[target_key])}; "
                       if target_key else "")
            add(f"{label}, {k.split('_')[1]} in flight",
                f"{_fmt(w[k]['calls_per_s'])} calls/s", f"{ratio:.3f}",
                f"{verdict}p99 {_fmt(w[k]['p99_ms'], 'ms')}; server "
                f"{w[k]['server_cpu_us_per_call']:,.0f} µs CPU/call")
        w1 = w["inflight_1"]
        add(f"{label}, latency at 1 in flight p50 / p99",
            f"{_fmt(w1['p50_ms'], 'ms')} / {_fmt(w1['p99_ms'], 'ms')}",
            f"{w1['p50_ms'] / c1['p50_ms']:.1f}× ceil p50")
        d = (res.get("domain") or {}).get(name)
        if d:
            best = best_single_process_ratio(ceil.get("inflight_16"), d["cpu_us_per_query"])
            add(f"{label}: matching alone, one thread, no gRPC",
                f"{d['cpu_us_per_query']:,.0f} µs CPU", f"{best:.2f}",
                "ratio: best one serving process could reach at 16 in flight (estimate)")
    b = res.get("batch")
    if b:
        add(f"shixin batch, {b['rows']:,} rows end to end",
            f"{_fmt(b['rows_per_s'])} rows/s", "",
            f"≥ {TARGETS['batch_rows_per_s']:,}: "
            f"{ok(b['rows_per_s'] >= TARGETS['batch_rows_per_s'])}"
            + ("; TIMED OUT" if b["timed_out"] else "")
            + f"; CPU/row: server {b['server_cpu_us_per_row']:.0f} µs "
            f"({b.get('server_processes', 1)} processes; serving process "
            f"{b.get('serving_process_cpu_us_per_row', 0):.0f}), "
            f"client {b['client_cpu_us_per_row']:.0f} µs; server RssAnon "
            f"{b.get('rss_anon_mb_tree_after', b['rss_anon_mb_after']):.0f} MB")
    imp = res["import"].get(str(n))
    if imp and not imp.get("skipped"):
        _import_rows(add, ok, imp, n)
    for size, mem in sorted(res["memory"].items(), key=lambda kv: int(kv[0])):
        target = (f"≤ 400 MB (target at 1M): "
                  f"{ok(mem['rss_anon_mb_after'] <= TARGETS['rss_anon_mb_1m'])}"
                  if int(size) == n else "")
        add(f"server RssAnon, {int(size):,} records: at SERVING / after load",
            f"{_fmt(mem['rss_anon_mb_at_serving'], 'MB')} / {_fmt(mem['rss_anon_mb_after'], 'MB')}",
            "", target)
    st = res.get("start")
    if st:
        add(f"spawn → SERVING, {n:,} records (median of {len(st['runs'])})",
            _fmt(st["seconds"], "s"), "",
            f"≤ 2 s: {ok(st['seconds'] <= TARGETS['start_seconds_1m'])}")
    w0 = max(len(r[0]) for r in rows)
    w1_ = max(len(r[1]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    lines = [f"{'figure':<{w0}}  {'value':>{w1_}}  {'ratio':>{w2}}  target / notes",
             "-" * (w0 + w1_ + w2 + 40)]
    lines += [f"{a:<{w0}}  {b_:>{w1_}}  {c:>{w2}}  {d}" for a, b_, c, d in rows]
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------
def main() -> int:
    """Run the benchmark; see the module docstring."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--records", type=int, default=1_000_000)
    p.add_argument("--quick", action="store_true",
                   help="shorter runs, 2 repeats, a batch of at most 100,000 rows")
    p.add_argument("--workdir", type=Path, default=ROOT / "bench" / ".work",
                   help="lists, indexes and logs (reused across runs; default bench/.work)")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "last.json")
    p.add_argument("--repeats", type=int, help="throughput repeats (default 3, quick 2)")
    p.add_argument("--seconds", type=float, help="measuring window per run (default 5)")
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--client-procs", type=int, default=1,
                   help="load-generator processes (default 1: see docs/performance.md)")
    p.add_argument("--queries", type=int, default=20_000, help="distinct queries per workload")
    p.add_argument("--batch-rows", type=int, help="rows of the batch file (default: records)")
    p.add_argument("--batch-timeout", type=float, default=600.0,
                   help="stop the batch after this long and report the rows done (default 600)")
    p.add_argument("--import-repeats", type=int, default=3,
                   help="imports of the main list, each into an emptied index; the "
                        "median is reported (default 3; the 100k list is imported once)")
    p.add_argument("--reuse-index", action="store_true",
                   help="keep an index already imported from the same list (no import timing)")
    p.add_argument("--skip", action="append", default=[],
                   choices=["ceiling", "unary", "domain", "batch", "memory-small", "start",
                            "import"],
                   help="leave a part out (repeatable)")
    p.add_argument("--profile", action="store_true",
                   help="afterwards, py-spy each workload on the server (not timed)")
    args = p.parse_args()
    repeats = args.repeats or (2 if args.quick else 3)
    args.seconds = args.seconds or (3.0 if args.quick else 5.0)
    batch_rows = args.batch_rows or (min(args.records, 100_000) if args.quick else args.records)
    work: Path = args.workdir
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    (work / ".gitignore").write_text("*\n")  # lists and indexes are rebuilt, never committed
    bench = Bench(args)
    started = time.time()
    res: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "config": {"records": args.records, "quick": args.quick, "repeats": repeats,
                   "seconds": args.seconds, "warmup": args.warmup,
                   "client_procs": args.client_procs, "queries": args.queries,
                   "batch_rows": batch_rows},
        "machine": machine_info(), "targets": TARGETS,
        "import": {}, "memory": {}, "ceiling": {}, "shixin": {},
    }

    # 1. lists and imports
    sizes = [args.records]
    if args.records > MEMORY_SMALL and "memory-small" not in args.skip:
        sizes.append(MEMORY_SMALL)
    lists: dict[int, wl.ListFiles] = {}
    indexes: dict[int, Path] = {}
    for n in sizes:
        say(f"list of {n:,} records")
        lists[n] = wl.generate(work / f"list-{n}", n)
        indexes[n] = work / f"index-{n}"
        stamp = indexes[n] / "bench-import.json"
        if "import" in args.skip:
            if not (indexes[n] / "data.mdb").is_file():
                raise SystemExit(f"--skip import needs an index in {indexes[n]}")
            res["import"][str(n)] = {"skipped": True}
            say("   import skipped: the index there is used as it is")
            continue
        if args.reuse_index and stamp.is_file():
            res["import"][str(n)] = {**json.loads(stamp.read_text()), "reused": True}
            say("   index reused (import figures from the run that built it)")
            continue
        repeats_here = args.import_repeats if n == args.records else 1
        say(f"shixin import {n:,} records + {lists[n].n_events:,} events"
            + (f" ({repeats_here} times)" if repeats_here > 1 else ""))
        imp = median_import([wl.import_list(lists[n], indexes[n])
                             for _ in range(repeats_here)])
        stamp.write_text(json.dumps(imp))
        res["import"][str(n)] = imp
        say(f"   {imp['seconds']:.1f} s ({imp['cpu_seconds']:.0f} s CPU), "
            f"{imp['index_bytes_per_record']:.0f} B/record")
    main_list, main_index = lists[args.records], indexes[args.records]
    res["list"] = {"records": main_list.n_records, "events": main_list.n_events,
                   "debtors": main_list.n_debtors, "generate_seconds": main_list.seconds}

    say("query sets")
    queries = wl.build_queries(main_list.truth, args.queries)
    match_reqs = {k: wl.match_requests(v) for k, v in queries.as_dict().items()}

    # 2. the ceiling and shixin, interleaved round by round
    if "unary" not in args.skip:
        with contextlib.ExitStack() as stack:
            trivial = None
            if "ceiling" not in args.skip:
                trivial = stack.enter_context(trivial_server(logs))
                res["ceiling"]["start_seconds"] = trivial.start_seconds
                res["ceiling"]["rss_anon_mb"] = trivial.rss_anon_mb()
            server = stack.enter_context(shixin_server(main_index, logs))
            rss0 = server.rss_anon_mb()
            figures = bench.interleaved(trivial, server, wl.trivial_requests(queries.id_name),
                                        match_reqs, (1, 16, 64), repeats)
            res["ceiling"]["trivial"] = figures.pop("trivial", {})
            res["shixin"] = figures
            res["memory"][str(args.records)] = {
                "rss_anon_mb_at_serving": rss0, "rss_anon_mb_after": server.rss_anon_mb(),
                "rss_file_mb_after": server.rss_file_mb(),
                "vm_hwm_mb": procs.status_kb(server.pid, "VmHWM") / 1024,
                "after": "every unary run"}
    if "domain" not in args.skip:
        say(f"matching alone, in this process ({DOMAIN_QUERIES:,} queries per workload)")
        res["domain"] = domain.measure(main_index, {k: v[:DOMAIN_QUERIES]
                                                    for k, v in match_reqs.items()})
        for name, fig in res["domain"].items():
            say(f"   {name}: {fig['cpu_us_per_query']:.0f} µs CPU per query")
    if MEMORY_SMALL in indexes and args.records != MEMORY_SMALL:
        say(f"memory with {MEMORY_SMALL:,} records")
        with shixin_server(indexes[MEMORY_SMALL], logs) as server:
            rss0 = server.rss_anon_mb()
            small_reqs = {k: wl.match_requests(v) for k, v in
                          wl.build_queries(lists[MEMORY_SMALL].truth, args.queries)
                          .as_dict().items()}
            for reqs in small_reqs.values():
                bench.one(server, wl.MATCH_METHOD, reqs, 64, "match")
            res["memory"][str(MEMORY_SMALL)] = {
                "rss_anon_mb_at_serving": rss0, "rss_anon_mb_after": server.rss_anon_mb(),
                "rss_file_mb_after": server.rss_file_mb(),
                "vm_hwm_mb": procs.status_kb(server.pid, "VmHWM") / 1024,
                "after": "one run of each workload at 64 in flight"}

    # 4. start time
    if "start" not in args.skip:
        say("spawn → SERVING")
        res["start"] = timed_starts(main_index, logs, max(3, repeats))

    # 5. batch
    if "batch" not in args.skip:
        batch_csv = work / f"batch-{args.records}-{batch_rows}.csv"
        if not batch_csv.exists():
            mix = wl.write_batch_file(batch_csv, queries, batch_rows)
            (work / f"{batch_csv.name}.mix.json").write_text(json.dumps(mix))
        say(f"shixin batch {batch_rows:,} rows")
        res["batch"] = run_batch(main_index, batch_csv, batch_rows, logs, args.batch_timeout)
        say(f"   {res['batch']['rows_per_s']:,.0f} rows/s")

    res["seconds_total"] = time.time() - started
    res["machine"]["loadavg_at_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str))
    print(table(res))
    say(f"figures written to {args.out}")

    if args.profile:
        profile_workloads(main_index, logs, match_reqs, args, work / "profiles")
    return 0


def profile_workloads(index: Path, logs: Path, match_reqs: dict[str, list[bytes]],
                      args: argparse.Namespace, out_dir: Path) -> None:
    """py-spy record the server under each workload (16 in flight); summaries printed."""
    from bench import flame

    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        say("py-spy not installed (.venv/bin/pip install py-spy): no profiles")
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    seconds = max(6.0, args.seconds)
    with shixin_server(index, logs) as server:
        for name, reqs in match_reqs.items():
            raw = out_dir / f"{name}.txt"
            rec = subprocess.Popen([str(spy), "record", "-p", str(server.pid), "-d",
                                    str(int(seconds + args.warmup + 1)), "-r", "200", "-f",
                                    "raw", "-o", str(raw), "--nonblocking"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            loadgen.run_load(server.target, wl.MATCH_METHOD, reqs, wl.METADATA, in_flight=16,
                             processes=args.client_procs, warmup=args.warmup, seconds=seconds,
                             server_pid=server.pid)
            rec.wait(timeout=120)
            summary = flame.report(raw, top=30)
            (out_dir / f"{name}.summary.txt").write_text(summary)
            print(f"\n== {name}\n{summary}")


if __name__ == "__main__":
    raise SystemExit(main())
