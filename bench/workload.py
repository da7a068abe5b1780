"""The benchmark's data: the demo list, its import, the query sets and the batch file.

Everything is deterministic (seeded): the list comes from ``shixin.demo.write_demo``
and the queries are drawn from its ground truth (``truth.jsonl``), so two runs
with the same ``--records`` ask the same questions of the same index.

Query sets (each request a serialised ``MatchRequest`` from a bank branch,
``pbc-liuzhou``, purpose ``credit.grant``, the subject's kind given as a bank
knows it):

``id_name``
    ID number + name, as a bank screens a customer: 55 % listed persons
    (canonical 18-digit ID), 15 % listed organisations (USCC, or the legacy
    organisation code when that is all the list has), 10 % legal
    representatives of listed organisations (found through the organisation),
    20 % people who are not listed (valid random IDs, names drawn from the
    list, so homonyms are looked at and rejected).
``name_person`` / ``name_org``
    Name only: listed persons' names (many homonyms), listed organisations' names.
``name_pinyin``
    Listed persons' names in Latin script, as foreign documents write them:
    ``Zhang Xiaoming``, ``ZHANG Xiaoming``, ``Xiaoming Zhang``.
``id_only``
    The ``id_name`` subjects without their names: the ID keys' few postings
    and no homonyms, so this is nearly the fixed cost of a Match call.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 6
UNIT = "pbc-liuzhou"
PURPOSE = "credit.grant"
TODAY = "2026-11-24"
METADATA = (("x-shixin-principal", f"unit:{UNIT}"),)
MATCH_METHOD = "/shixin.v1.MatchService/Match"


def shixin_exe() -> str:
    """The ``shixin`` console script of the running interpreter's environment."""
    exe = Path(sys.executable).with_name("shixin")
    return str(exe) if exe.exists() else "shixin"


@dataclass(frozen=True)
class ListFiles:
    """A generated demo list."""

    directory: Path
    records: Path
    events: Path
    truth: Path
    n_records: int
    n_events: int
    n_debtors: int
    seconds: float


def generate(directory: Path, n_records: int) -> ListFiles:
    """Write the demo list of ``n_records`` records (reused when already there)."""
    from shixin.demo import write_demo

    stamp = directory / "bench-stamp.json"
    if stamp.is_file():
        info = json.loads(stamp.read_text())
        if info.get("records") == n_records:
            return ListFiles(directory, directory / "records.jsonl", directory / "events.jsonl",
                             directory / "truth.jsonl", info["n_records"], info["n_events"],
                             info["n_debtors"], info["seconds"])
    t0 = time.perf_counter()
    files = write_demo(directory, n_records, truth=True)
    seconds = time.perf_counter() - t0
    assert files.truth is not None
    stamp.write_text(json.dumps({"records": n_records, "n_records": files.n_records,
                                 "n_events": files.n_events, "n_debtors": files.n_debtors,
                                 "seconds": seconds}))
    return ListFiles(directory, files.records, files.events, files.truth, files.n_records,
                     files.n_events, files.n_debtors, seconds)


_IMPORT_LINE = re.compile(r"rows (\d+): (\d+) records added.*?(\d+) events applied.*?"
                          r"(\d+) rows rejected")


def import_list(files: ListFiles, index: Path, *, fresh: bool = True) -> dict[str, Any]:
    """``shixin import`` the list into ``index`` (emptied first); wall and CPU time, size."""
    import shutil

    if fresh and index.exists():
        shutil.rmtree(index)
    argv = [shixin_exe(), "import", "--quiet", "--today", TODAY, "--show-problems", "0",
            "--data", str(index), str(files.records), str(files.events)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own CPU time and peak RSS
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"shixin import failed ({proc.returncode}): {stderr[-2000:]}")
    m = _IMPORT_LINE.search(stdout)
    data = index / "data.mdb"
    size = data.stat().st_blocks * 512
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "rows": int(m.group(1)) if m else None,
        "records_added": int(m.group(2)) if m else None,
        "events_applied": int(m.group(3)) if m else None,
        "rows_rejected": int(m.group(4)) if m else None,
        "records_per_s": files.n_records / seconds,
        "index_bytes": size,
        "index_bytes_per_record": size / max(1, files.n_records),
        "output": stdout.strip().splitlines()[-1:],
    }


# -- queries -------------------------------------------------------------------
def _truths(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["debtor"]


def _sample(path: Path, k: int, rng: random.Random) -> tuple[list[dict[str, Any]],
                                                             list[dict[str, Any]]]:
    """Reservoir samples of ``k`` listed persons and ``k`` listed organisations."""
    persons: list[dict[str, Any]] = []
    orgs: list[dict[str, Any]] = []
    seen = {"person": 0, "organization": 0}
    for t in _truths(path):
        pool = persons if t["kind"] == "person" else orgs
        seen[t["kind"]] += 1
        if len(pool) < k:
            pool.append(t)
        else:
            j = rng.randrange(seen[t["kind"]])
            if j < k:
                pool[j] = t
    return persons, orgs


def _resident_id(rng: random.Random) -> str:
    from shixin.ids.ric import calc_check_digit

    region = rng.choice(("450202", "450203", "450204", "450205", "450221", "450222",
                         "450102", "450103", "110105", "440305"))
    born = f"{rng.randrange(1950, 2004)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
    body = f"{region}{born}{rng.randrange(1000):03d}"
    return body + calc_check_digit(body)


def latin_name(name: str, rng: random.Random) -> str:
    """A Chinese name as a foreign document may write it (``Zhang Xiaoming`` …)."""
    from shixin.names import syllables

    syl = syllables(name.replace("·", ""))
    if len(syl) < 2:
        return name
    surname, given = syl[0].capitalize(), "".join(syl[1:]).capitalize()
    return rng.choice((f"{surname} {given}", f"{surname.upper()} {given}",
                       f"{given} {surname}"))


@dataclass
class Subject:
    """One query subject."""

    name: str
    id_number: str
    kind: str  # person | organization


@dataclass
class QuerySets:
    """Subjects per workload."""

    id_name: list[Subject]
    name_person: list[Subject]
    name_org: list[Subject]
    name_pinyin: list[Subject]
    id_only: list[Subject]

    def as_dict(self) -> dict[str, list[Subject]]:
        """Workload name → subjects."""
        return dict(self.__dict__)


def build_queries(truth: Path, k: int) -> QuerySets:
    """Draw ``k`` subjects per workload from the list's ground truth (seeded)."""
    rng = random.Random(SEED)
    persons, orgs = _sample(truth, k, rng)
    listed_persons = [p for p in persons if p["id_listed"]]
    id_name: list[Subject] = []
    for _ in range(k):
        roll = rng.random()
        if roll < 0.55:
            p = rng.choice(listed_persons)
            id_name.append(Subject(p["name"], p["id_number"], "person"))
        elif roll < 0.70:
            o = rng.choice(orgs)
            number = o["uscc"] if o["id_listed"] == "uscc" else o["org_code"]
            id_name.append(Subject(o["name"], number, "organization"))
        elif roll < 0.80:
            lr = rng.choice(orgs)["legal_representative"]
            id_name.append(Subject(lr["name"], lr["id_number"], "person"))
        else:
            id_name.append(Subject(rng.choice(persons)["name"], _resident_id(rng), "person"))
    name_person = [Subject(p["name"], "", "person")
                   for p in rng.sample(persons, min(k, len(persons)))]
    name_org = [Subject(o["name"], "", "organization")
                for o in rng.sample(orgs, min(k, len(orgs)))]
    name_pinyin = [Subject(latin_name(p["name"], rng), "", "person")
                   for p in rng.sample(persons, min(k, len(persons)))]
    id_only = [Subject("", s.id_number, s.kind) for s in id_name]
    return QuerySets(id_name, name_person, name_org, name_pinyin, id_only)


def match_requests(subjects: list[Subject]) -> list[bytes]:
    """Serialised ``MatchRequest`` messages for the subjects."""
    from shixin.client.connection import KINDS
    from shixin.v1 import match_service_pb2 as pb

    return [pb.MatchRequest(subject=pb.Subject(name=s.name, id_number=s.id_number,
                                               kind=KINDS[s.kind]),
                            purpose=PURPOSE, unit=UNIT, max_hits=10).SerializeToString()
            for s in subjects]


def trivial_requests(subjects: list[Subject]) -> list[bytes]:
    """The same subjects as the trivial service's two-string request."""
    from shixin.v1 import match_service_pb2 as pb

    return [pb.Subject(name=s.name, id_number=s.id_number).SerializeToString()
            for s in subjects]


def write_batch_file(path: Path, queries: QuerySets, rows: int) -> dict[str, int]:
    """A CSV of ``rows`` rows: 60 % ID + name, 40 % name only (persons, organisations, Latin)."""
    rng = random.Random(SEED + 1)
    mix = {"id_name": 0, "name_person": 0, "name_org": 0, "name_pinyin": 0}
    pools = queries.as_dict()
    pools.pop("id_only")
    kinds = {"person": "个人", "organization": "单位"}
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["编号", "姓名", "证件号码", "类型"])
        for i in range(rows):
            roll = rng.random()
            which = ("id_name" if roll < 0.60 else "name_person" if roll < 0.80
                     else "name_org" if roll < 0.92 else "name_pinyin")
            mix[which] += 1
            s = pools[which][i % len(pools[which])]
            w.writerow([f"R{i}", s.name, s.id_number, kinds[s.kind]])
    return mix
