"""CPU that ``shixin batch`` itself spends per row, whatever the server costs.

The real server needs tens of ms per row on a large list today, so an end-to-end
run says nothing about the client. This tool records real ``BatchMatchResponse``
messages once, then serves them back from a replay server that does no matching,
and runs the real CLI against it as a child process: the child's CPU time
(user + system, from ``wait4``) divided by the rows is the client's cost per row
with everything in it — reading and checking the file, building and sending the
requests, gRPC, decoding the responses, writing the output::

    # once: record the answers of the real server for the first 1,000 rows
    .venv/bin/shixin serve --data bench/.work/index-1000000 --dev-auth --listen 127.0.0.1:50777 &
    .venv/bin/python -m tests.cli.batch_client_cost capture --server 127.0.0.1:50777 \\
        --input bench/.work/batch-1000000-1000000.csv --rows 1000 --out /tmp/answers.bin

    # then, as often as needed: the whole file against the replayed answers
    .venv/bin/python -m tests.cli.batch_client_cost replay --answers /tmp/answers.bin \\
        --input bench/.work/batch-1000000-1000000.csv [--output out.jsonl|out.csv]

The replayed answers cycle (message i gets recorded answer i mod n, trimmed to
the rows sent), so every row gets a realistic answer: its hits, scores, measures.
"""

from __future__ import annotations

import argparse
import itertools
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc

from shixin.v1 import match_service_pb2 as pb

UNIT = "pbc-liuzhou"
PURPOSE = "credit.grant"


def shixin_command() -> list[str]:
    """The ``shixin`` console script of this environment (as ``cli_support``, without
    importing the server: this tool must run while the server code is being changed)."""
    return [str(Path(sys.executable).with_name("shixin"))]


def cli_env(tmp: Path) -> dict[str, str]:
    """The environment without the caller's SHIXIN_* settings or client config file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHIXIN_")}
    env["SHIXIN_CONFIG"] = str(tmp / "no-client.toml")
    return env


def capture(server: str, input_path: Path, rows: int, out: Path) -> int:
    """Send the first ``rows`` rows to a real server; store its answers' wire bytes."""
    from shixin.batchio import RowError, read_subjects
    from shixin.client import ClientConfig, ShixinClient
    from shixin.client.batch import ROWS_PER_MESSAGE
    from shixin.client.connection import KINDS

    requests = []
    subjects = itertools.islice(read_subjects(input_path), rows)
    while chunk := list(itertools.islice(subjects, ROWS_PER_MESSAGE)):
        request = pb.BatchMatchRequest(purpose=PURPOSE, unit=UNIT, max_hits=10)
        for row in chunk:
            if isinstance(row, RowError):
                request.rows.add(ref=row.ref, client_error=row.message)
            else:
                _, ref, name, id_number, kind = row
                request.rows.add(ref=ref, subject=pb.Subject(name=name, id_number=id_number,
                                                             kind=KINDS[kind]))
        requests.append(request)
    answers: list[bytes] = []
    started = time.perf_counter()
    with ShixinClient(ClientConfig(server=server, unit=UNIT, purpose=PURPOSE)) as client:
        for response in client.batch_match(iter(requests)):
            answers.append(response.SerializeToString())
            sys.stderr.write(f"\r{len(answers)}/{len(requests)} messages, "
                             f"{time.perf_counter() - started:.0f} s")
    sys.stderr.write("\n")
    out.write_bytes(pickle.dumps(answers))
    return 0


class _Replay:
    """BatchMatch answering message i with recorded answer i mod n (trimmed to its rows)."""

    def __init__(self, answers: list[bytes]) -> None:
        self.answers = answers

    def batch_match(self, requests: Iterator[bytes], context: Any) -> Iterator[bytes]:
        for i, data in enumerate(requests):
            rows = len(pb.BatchMatchRequest.FromString(data).rows)
            answer = self.answers[i % len(self.answers)]
            response = pb.BatchMatchResponse.FromString(answer)
            if len(response.results) != rows:
                while len(response.results) < rows:
                    response.results.add().CopyFrom(response.results[0])
                del response.results[rows:]
                answer = response.SerializeToString()
            yield answer


def serve_replay(answers: list[bytes]) -> tuple[grpc.Server, int]:
    """A gRPC server with only MatchService.BatchMatch, replaying ``answers``."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    handler = grpc.method_handlers_generic_handler("shixin.v1.MatchService", {
        "BatchMatch": grpc.stream_stream_rpc_method_handler(_Replay(answers).batch_match),
    })
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port


def replay(answers_path: Path, input_path: Path, output: Path | None) -> int:
    """Run ``shixin batch`` on ``input_path`` against the replayed answers; print its cost."""
    answers: list[bytes] = pickle.loads(answers_path.read_bytes())
    server, port = serve_replay(answers)
    try:
        with tempfile.TemporaryDirectory(prefix="shixin-batch-cost-") as tmp:
            dst = output or Path(tmp) / "out.jsonl"
            args = [*shixin_command(), "batch", str(input_path), "-o", str(dst), "--server",
                    f"127.0.0.1:{port}", "--unit", UNIT, "--purpose", PURPOSE, "--quiet"]
            started = time.perf_counter()
            proc = subprocess.Popen(args, env=cli_env(dst.parent), stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
            out = proc.stdout.read().decode() if proc.stdout else ""
            err = proc.stderr.read().decode() if proc.stderr else ""
            rows = sum(1 for _ in dst.open("rb")) - (dst.suffix == ".csv") if dst.exists() else 0
            size = dst.stat().st_size if dst.exists() else 0
    finally:
        server.stop(0)
    code = os.waitstatus_to_exitcode(status)
    per_row = (usage.ru_utime + usage.ru_stime) / max(rows, 1) * 1e6
    sys.stdout.write(
        f"exit {code}: {rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s), "
        f"client CPU {per_row:.1f} µs/row (user {usage.ru_utime / max(rows, 1) * 1e6:.1f}, "
        f"system {usage.ru_stime / max(rows, 1) * 1e6:.1f}), peak RSS "
        f"{usage.ru_maxrss / 1024:.0f} MB, output {size / max(rows, 1):,.0f} B/row, "
        f"{usage.ru_minflt / max(rows, 1):.2f} page faults/row, "
        f"{(usage.ru_nvcsw + usage.ru_nivcsw) / max(rows, 1):.2f} context switches/row\n"
        f"{out.strip()}{err.strip()[-2000:]}\n")
    return code


def main(argv: list[str] | None = None) -> int:
    """``capture`` answers from a real server, or ``replay`` them to a real CLI run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("capture")
    p.add_argument("--server", required=True)
    p.add_argument("--input", type=Path, required=True)
    p.add_argument("--rows", type=int, default=1000)
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("replay")
    p.add_argument("--answers", type=Path, required=True)
    p.add_argument("--input", type=Path, required=True)
    p.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    if args.command == "capture":
        return capture(args.server, args.input, args.rows, args.out)
    return replay(args.answers, args.input, args.output)


if __name__ == "__main__":
    raise SystemExit(main())
