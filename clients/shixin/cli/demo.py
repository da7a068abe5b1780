"""``shixin demo``: the quick start's main job on the embedded demo list.

Generates the deterministic demo list, imports it, starts a real server on a
free loopback port (development auth, fixed date), runs a sample lookup for a
bank and a sample batch for an enforcement officer against it, prints what
came back, and stops the server.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from shixin.logs import configure

SAMPLE_UNIT = "pbc-liuzhou"
SAMPLE_PURPOSE = "credit.grant"


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")


def _truths(path: Path, limit: int) -> list[dict[str, Any]]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line)["debtor"])
            if len(out) >= limit:
                break
    return out


def build(data: Path, records: int, seed: int) -> tuple[Path, Path]:
    """Generate and import the demo list (skipped when already built with these settings)."""
    from shixin.demo import DEFAULT_TODAY, write_demo
    from shixin.service.clock import fixed
    from shixin.service.importer import import_files
    from shixin.store import Store
    from shixin.store.layout import SCHEMA_VERSION

    list_dir, index_dir = data / "list", data / "index"
    stamp = data / "built.json"
    # The schema is in the stamp: a demo index from an older shixin is rebuilt, not refused.
    wanted = {"records": records, "seed": seed, "schema": SCHEMA_VERSION.decode()}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        _say(f"demo list already built in {data}")
        return list_dir, index_dir
    if index_dir.exists():
        import shutil

        shutil.rmtree(index_dir)
    files = write_demo(list_dir, records, seed, truth=True)
    _say(f"generated {files.n_records} records, {files.n_events} events "
         f"({files.n_debtors} debtors) in {list_dir}")
    store = Store(index_dir)
    report = import_files(store, [files.records, files.events], clock=fixed(DEFAULT_TODAY))
    store.close()
    _say(f"imported: {report.records_added} records, {report.events_applied} events, "
         f"{len(report.problems)} rows rejected")
    stamp.write_text(json.dumps(wanted))
    return list_dir, index_dir


def sample_batch_file(path: Path, truths: list[dict[str, Any]]) -> Path:
    """A GB18030 CSV as Excel saves it: exact rows, variants, an unlisted person, a bad row."""
    from shixin.demo.variants import to_traditional

    rows = ["编号,姓名,证件号码,类型"]
    for i, t in enumerate(truths[:40]):
        if t["kind"] == "person":
            rows.append(f"P{i},{t['name']},{t['id_number'].lower()},个人")
            rows.append(f"T{i},{to_traditional(t['name'])},,个人")
        else:
            rows.append(f"O{i},{t['name']},{t['org_code'][:8]}-{t['org_code'][8]},单位")
            lr = t["legal_representative"]
            rows.append(f"L{i},{lr['name']},{lr['id_number']},个人")
    rows.append("X1,路人甲,11010519491231002X,个人")
    rows.append("X2,,,")
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gb18030"))
    return path


def run_demo(data: Path, *, records: int, seed: int, generate_only: bool = False) -> int:
    """Build, serve, look up, batch; see the module docstring."""
    configure("console")
    from shixin.cli.render import render_match
    from shixin.client import ClientConfig, ShixinClient
    from shixin.client.batch import run_batch
    from shixin.demo import DEFAULT_TODAY
    from shixin.grpcapi.server import create_server
    from shixin.settings import Settings

    list_dir, index_dir = build(data, records, seed)
    if generate_only:
        return 0
    running = create_server(Settings(data=index_dir, listen="127.0.0.1:0", dev_auth=True,
                                     today=DEFAULT_TODAY, log_format="console"))
    try:
        target = f"127.0.0.1:{running.port}"
        _say(f"\nserver on {target} (development auth, today = {DEFAULT_TODAY})")
        truths = _truths(list_dir / "truth.jsonl", 200)
        person = next(t for t in truths if t["kind"] == "person")
        org = next(t for t in truths if t["kind"] == "organization")
        with ShixinClient(ClientConfig(server=target, unit=SAMPLE_UNIT,
                                       purpose=SAMPLE_PURPOSE)) as client:
            client.wait_ready()
            _say(f"\n$ shixin lookup --unit {SAMPLE_UNIT} --purpose {SAMPLE_PURPOSE} "
                 f"--name {person['name']} --id-number {person['id_number']}")
            _say(render_match(client.match(person["name"], person["id_number"])))
            lr = org["legal_representative"]
            _say(f"\n$ shixin lookup --name {lr['name']} --id-number {lr['id_number']}  "
                 "# the legal representative of a listed company")
            _say(render_match(client.match(lr["name"], lr["id_number"])))
            _say(f"\n$ shixin lookup --name '{org['name']}' --id-number {org['org_code']}"
                 "  # legacy organisation code only")
            _say(render_match(client.match(org["name"], org["org_code"], max_hits=3)))
            src = sample_batch_file(data / "sample-batch.csv", truths)
            out = data / "sample-batch-results.jsonl"
            _say(f"\n$ shixin batch {src} -o {out}")
            summary = run_batch(client, src, out)
            counts = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_status.items()))
            _say(f"{summary.rows} rows → {out} ({counts}); first lines:")
            with out.open(encoding="utf-8") as fh:
                for _, line in zip(range(3), fh, strict=False):
                    _say("  " + line.rstrip()[:300])
    finally:
        running.stop()
    return 0
