"""The matching work of one Match call, timed in one thread with no gRPC around it.

The unary targets are ratios to a trivial gRPC service, so it helps to know
how much of a call is the work itself. This runs exactly what the Match
servicer runs for a request — parse the ``MatchRequest`` bytes the load
generator sends, ``QueryService.match`` in its own snapshot, build and
serialise the ``MatchResponse`` — in the benchmark's own process, one query
after another, with no server threads, authentication, audit, log line or
told ledger. Its CPU per query (``time.process_time``) is a floor for what
the server must spend per call on top of the trivial service's cost, which
gives a bound on the ratio a single serving process can reach
(``docs/performance.md``, "What bounds the ratios").

    python bench/domain.py INDEX TRUTH.jsonl [--queries 5000]
    python bench/domain.py INDEX TRUTH.jsonl --threads 16 [--pin]   # see below

``--threads N`` runs the same queries from N threads of one process (still no
gRPC): the CPU per query then shows what the GIL's hand-overs between threads
cost, and ``--pin`` keeps the process on one CPU to show how much of that is
the hand-overs moving between CPUs (``shixin.grpcapi.pinning``).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import workload as wl  # noqa: E402


@contextlib.contextmanager
def matcher(index: Path, today: str = wl.TODAY) -> Iterator[Callable[[bytes], bytes]]:
    """What the Match servicer does with one request's bytes, as a function to the
    response's bytes: parse, ``QueryService.match`` in its own snapshot of a read-only
    ``index`` (the bench's unit and clock), build and serialise. No gRPC, threads,
    authentication, audit, log line or told ledger."""
    from shixin.auth import Principal, Role
    from shixin.grpcapi.convert import outcome_to_pb, query_from_subject
    from shixin.measures import load_catalogue
    from shixin.service.queries import QueryService
    from shixin.store import Store
    from shixin.v1 import match_service_pb2 as pb

    catalogue = load_catalogue()
    principal = Principal(wl.UNIT, Role.UNIT, measures=frozenset(
        m.code for m in catalogue.measures_for_unit(wl.UNIT)))
    day = date.fromisoformat(today)
    store = Store(index, readonly=True)
    try:
        service = QueryService(store, lambda: day, None, catalogue)

        def one(raw: bytes) -> bytes:
            request = pb.MatchRequest.FromString(raw)
            outcome = service.match(principal, query_from_subject(request.subject),
                                    purpose=request.purpose, max_hits=request.max_hits,
                                    include_inactive=request.include_inactive)
            return outcome_to_pb(outcome).SerializeToString()

        yield one
    finally:
        store.close()


def measure(index: Path, requests: dict[str, list[bytes]], *, passes: int = 3,
            today: str = wl.TODAY, threads: int = 1) -> dict[str, dict[str, Any]]:
    """Per workload: median CPU µs per query over ``passes`` timed passes (after a warm one).

    The warm pass loads the lazy tables (pinyin, OpenCC, name caches) and maps
    the index pages the queries touch, as a running server would have done.
    """
    out: dict[str, dict[str, Any]] = {}
    with matcher(index, today) as one:

        def one_pass(raws: list[bytes]) -> float:
            t0 = time.process_time()  # every thread of the process
            if threads <= 1:
                for raw in raws:
                    one(raw)
            else:
                with ThreadPoolExecutor(threads) as pool:
                    for _ in pool.map(one, raws):
                        pass
            return (time.process_time() - t0) / max(1, len(raws))

        for name, raws in requests.items():
            one_pass(raws)
            runs = [one_pass(raws) * 1e6 for _ in range(passes)]
            out[name] = {"cpu_us_per_query": statistics.median(runs),
                         "runs_us": [round(x, 1) for x in runs], "queries": len(raws)}
    return out


def main() -> None:
    """CLI: time every workload's queries on an index."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("index", type=Path)
    p.add_argument("truth", type=Path, help="truth.jsonl of the list the index was built from")
    p.add_argument("--queries", type=int, default=5000)
    p.add_argument("--passes", type=int, default=3)
    p.add_argument("--threads", type=int, default=1, help="run the queries from N threads")
    p.add_argument("--pin", action="store_true", help="keep the process on one CPU")
    args = p.parse_args()
    if args.pin:  # the CPU the server would keep its Python threads on
        from shixin.grpcapi.pinning import choose_cpu, pin_current_thread

        pin_current_thread(choose_cpu("auto"))  # before any other thread exists
    queries = wl.build_queries(args.truth, args.queries)
    reqs = {k: wl.match_requests(v) for k, v in queries.as_dict().items()}
    for name, fig in measure(args.index, reqs, passes=args.passes,
                             threads=args.threads).items():
        print(f"{name:12s} {fig['cpu_us_per_query']:7.0f} µs CPU per query "
              f"(passes: {', '.join(f'{x:.0f}' for x in fig['runs_us'])})")


if __name__ == "__main__":
    main()
