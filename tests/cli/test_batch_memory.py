"""``shixin batch`` keeps flat memory: a file 30 times longer needs no more memory."""

from __future__ import annotations

from pathlib import Path

from shixin.grpcapi.server import Running
from tests.cli.batch_memory import run_batch_cli, write_rows
from tests.cli.cli_support import PURPOSE
from tests.conftest import DemoList

SMALL, LARGE = 2_000, 60_000
# What the process may gain between the two sizes: allocator noise, not rows.
MAX_GROWTH_MB = 5.0


def test_peak_memory_does_not_grow_with_the_file(served: Running, demo_list: DemoList,
                                                 tmp_path: Path) -> None:
    """Peak RSS on 60,000 rows stays within 5 MB of the peak on 2,000 rows."""
    subjects = [(t["name"], t["id_number"]) for t in demo_list.truths if t["kind"] == "person"]
    server = f"127.0.0.1:{served.port}"
    peaks = []
    for n in (SMALL, LARGE):
        src = write_rows(tmp_path / f"rows-{n}.jsonl", n, subjects)
        measured = run_batch_cli(server, src, tmp_path / f"out-{n}.jsonl", purpose=PURPOSE)
        assert measured.status == 0, measured.err
        assert measured.rows == n
        peaks.append(measured.peak_rss_mb)
    small, large = peaks
    assert small > 0
    assert large - small < MAX_GROWTH_MB, f"{small:.1f} MB → {large:.1f} MB"
