"""Peak memory of ``shixin batch`` as the file grows: the client must stay flat.

Used by ``test_batch_memory.py``, and on its own for the million-row figure::

    .venv/bin/python -m tests.cli.batch_memory --rows 1000000

(builds a 3000-record demo list, serves it in this process, runs the real CLI
in a child process and reports the child's peak RSS, sampled from ``/proc``).

The rows are mostly ID-only queries of people not on the list, each with its
own valid ID number (cheap for the server, so a million rows take minutes, not
hours, and nothing is cached), and one row in 50 a listed person by name + ID.
The client does the same work for every row, whatever the server answers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from shixin.demo.checks import resident_id
from tests.cli.cli_support import UNIT, cli_env, shixin_command

REAL_EVERY = 50
SAMPLE_SECONDS = 0.02


@dataclass(frozen=True)
class Measured:
    """One run of the CLI."""

    rows: int
    peak_rss_mb: float
    seconds: float
    status: int
    out: str
    err: str


def stranger_id(i: int) -> str:
    """The i-th valid resident ID of an invented person from Urumqi (not on the demo list)."""
    day = 1 + i % 28
    month = 1 + (i // 28) % 12
    year = 1940 + (i // 336) % 60
    sequence = (i // 20160) % 1000
    return resident_id(f"650102{year}{month:02d}{day:02d}{sequence:03d}")


def write_rows(path: Path, n: int, subjects: Sequence[tuple[str, str]]) -> Path:
    """``n`` JSONL rows: one in REAL_EVERY a listed subject, the others strangers' IDs."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            if i % REAL_EVERY == 0:
                name, number = subjects[(i // REAL_EVERY) % len(subjects)]
                row = {"ref": str(i), "name": name, "id_number": number}
            else:
                row = {"ref": str(i), "id_number": stranger_id(i)}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _high_water_mb(pid: int) -> float | None:
    """The process's peak resident set since its exec (``VmHWM``), None once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_batch_cli(server: str, src: Path, dst: Path, *, purpose: str) -> Measured:
    """Run ``shixin batch`` in a child process, sampling its peak RSS while it runs.

    ``VmHWM`` counts from the child's exec, unlike ``ru_maxrss``, which also
    counts the parent's pages the child held between fork and exec.
    """
    args = [*shixin_command(), "batch", str(src), "-o", str(dst), "--server", server, "--unit",
            UNIT, "--purpose", purpose, "--quiet"]
    started = time.perf_counter()
    peak = 0.0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=cli_env(dst.parent))
        while proc.poll() is None:
            peak = max(peak, _high_water_mb(proc.pid) or 0.0)
            time.sleep(SAMPLE_SECONDS)
        out.seek(0)
        err.seek(0)
        text, errors = out.read().decode(), err.read().decode()
    rows = sum(1 for _ in dst.open("rb")) if dst.exists() else 0
    return Measured(rows, peak, time.perf_counter() - started, proc.returncode, text, errors)


def main(argv: list[str] | None = None) -> int:
    """Measure the CLI's peak RSS on files of the given sizes against a served demo list."""
    from shixin.demo import DEFAULT_TODAY, write_demo
    from shixin.grpcapi.server import create_server
    from shixin.service.clock import fixed
    from shixin.service.importer import import_files
    from shixin.settings import Settings
    from shixin.store import Store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 1_000_000])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="shixin-batch-memory-") as tmp:
        work = Path(tmp)
        files = write_demo(work / "list", 3000, truth=True)
        store = Store(work / "index")
        import_files(store, [files.records, files.events], clock=fixed(DEFAULT_TODAY))
        store.close()
        assert files.truth is not None
        truths = [json.loads(line)["debtor"] for line in files.truth.open(encoding="utf-8")]
        subjects = [(t["name"], t["id_number"]) for t in truths if t["kind"] == "person"]
        running = create_server(Settings(data=work / "index", listen="127.0.0.1:0",
                                         dev_auth=True, today=DEFAULT_TODAY))
        try:
            for n in args.rows:
                src = write_rows(work / f"rows-{n}.jsonl", n, subjects)
                m = run_batch_cli(f"127.0.0.1:{running.port}", src, work / f"out-{n}.jsonl",
                                  purpose="credit.grant")
                sys.stdout.write(f"{n} rows: exit {m.status}, {m.rows} results, peak RSS "
                                 f"{m.peak_rss_mb:.1f} MB, {m.seconds:.1f} s; {m.out.strip()}\n")
        finally:
            running.stop(0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
