"""Tests for shixin.demo.writer: file layout and byte-identical output."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from shixin.demo import generate, generate_events, write_demo

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = """
import sys
from shixin.demo import write_demo
write_demo(sys.argv[1], 1500, seed=11, truth=True)
"""


def _digest(directory: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.iterdir())
    }


def test_layout_and_counts(tmp_path: Path) -> None:
    """records.jsonl and events.jsonl hold exactly what the generators yield."""
    files = write_demo(tmp_path / "demo", 800, seed=5)
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == [
        "events.jsonl",
        "records.jsonl",
    ]
    assert files.truth is None and files.n_records == 800
    lines = files.records.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(generate(800, seed=5))
    assert "\\u" not in lines[0]  # Chinese written as UTF-8, not escaped
    events = [json.loads(line) for line in files.events.read_text(encoding="utf-8").splitlines()]
    assert events == list(generate_events(800, seed=5)) and len(events) == files.n_events


def test_truth_file_links_debtors_to_records(tmp_path: Path) -> None:
    """truth.jsonl has one line per debtor naming the keys of its records."""
    files = write_demo(tmp_path, 300, truth=True)
    assert files.truth is not None
    lines = [json.loads(line) for line in files.truth.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == files.n_debtors
    assert sum(len(line["records"]) for line in lines) == 300
    assert {line["debtor"]["kind"] for line in lines} == {"person", "organization"}


def test_byte_identical_across_processes(tmp_path: Path) -> None:
    """Same seed → same bytes, whatever the interpreter's hash seed."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(ROOT / p) for p in ("clients", "server")),
    }
    digests = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"run{hash_seed}"
        subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(out)],
            env={**env, "PYTHONHASHSEED": hash_seed},
            check=True,
        )
        digests.append(_digest(out))
    assert digests[0] == digests[1]
    in_process = tmp_path / "here"
    write_demo(in_process, 1500, seed=11, truth=True)
    assert _digest(in_process) == digests[0]
