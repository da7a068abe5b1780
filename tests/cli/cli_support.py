"""Running the real ``shixin`` entry point, as its own process, against the test server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shixin.client import ShixinClient
from shixin.demo.checks import resident_id
from shixin.grpcapi.server import Running
from shixin.v1 import match_service_pb2 as pb
from tests.conftest import DemoList

UNIT = "pbc-liuzhou"
PURPOSE = "credit.grant"
LEGAL_REPRESENTATIVE = 2  # PARTY_ROLE_LEGAL_REPRESENTATIVE


@dataclass(frozen=True)
class Ran:
    """Exit status and what the command printed."""

    code: int
    out: str
    err: str


def shixin_command() -> list[str]:
    """The installed ``shixin`` console script of this environment."""
    script = Path(sys.executable).with_name("shixin")
    assert script.exists(), f"the shixin entry point is not installed next to {sys.executable}"
    return [str(script)]


def cli_env(tmp: Path) -> dict[str, str]:
    """The environment without the caller's SHIXIN_* settings or client config file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHIXIN_")}
    env["SHIXIN_CONFIG"] = str(tmp / "no-client.toml")
    return env


def run_shixin(*args: str, cwd: Path) -> Ran:
    """``shixin ARGS…`` as a separate process (its output is its own, not the server's logs)."""
    done = subprocess.run([*shixin_command(), *args], cwd=cwd, env=cli_env(cwd),
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          check=False)
    return Ran(done.returncode, done.stdout, done.stderr)


def run_cli(served: Running, *args: str, cwd: Path) -> Ran:
    """A client command against the test server, as unit pbc-liuzhou."""
    return run_shixin(*args, "--server", f"127.0.0.1:{served.port}", "--unit", UNIT, cwd=cwd)


@dataclass(frozen=True)
class Known:
    """Subjects whose answers the ground truth fixes."""

    person: dict[str, Any]
    """A listed person with a live record (name + ID give a definitive hit)."""
    org: dict[str, Any]
    """A listed company with a live record, listed by USCC."""
    head: dict[str, Any]
    """The legal representative of a listed company, with an ID."""
    stranger: tuple[str, str]
    """A name and valid resident ID on no record of the list."""


def _stranger(demo: DemoList) -> tuple[str, str]:
    names = {t["name"] for t in demo.truths}
    ids = {t.get("id_number") for t in demo.truths}
    for sequence in range(100, 999):
        number = resident_id(f"65010219470301{sequence:03d}")
        if number not in ids:
            break
    name = "司徒无忌"
    assert name not in names
    return name, number


def find_known(demo: DemoList, client: ShixinClient) -> Known:
    """Pick, from the truth, subjects the server answers for today (checked, not assumed)."""
    person = org = head = None
    for t in demo.truths:
        if person is None and t["kind"] == "person" and t["id_listed"]:
            if client.match(t["name"], t["id_number"]).status == pb.MATCH_STATUS_HIT:
                person = t
        elif (org is None and t["kind"] == "organization" and t["id_listed"] == "uscc"
              and client.match(t["name"], t["uscc"]).status == pb.MATCH_STATUS_HIT):
            org = t
        if head is None and t["kind"] == "organization" and \
                t["legal_representative"]["id_listed"]:
            lr = t["legal_representative"]
            resp = client.match(lr["name"], lr["id_number"])
            if any(h.role == LEGAL_REPRESENTATIVE and h.level == pb.MATCH_LEVEL_DEFINITIVE
                   for h in resp.hits):
                head = lr
        if person and org and head:
            return Known(person, org, head, _stranger(demo))
    raise AssertionError("the demo list lacks a live person, company or legal representative")


def rows_of(known: Known) -> list[dict[str, str]]:
    """The batch rows every format carries, with the status each must get."""
    p, o, h = known.person, known.org, known.head
    name, number = known.stranger
    return [
        {"ref": "R1", "name": p["name"], "id_number": p["id_number"], "kind": "person",
         "expect": "hit"},
        {"ref": "R2", "name": name, "id_number": number, "kind": "person", "expect": "none"},
        {"ref": "R3", "name": "", "id_number": "", "kind": "", "expect": "error"},
        {"ref": "R4", "name": "", "id_number": p["id_number"], "kind": "",
         "expect": "possible"},
        {"ref": "R5", "name": p["name"], "id_number": "", "kind": "公司", "expect": "error"},
        {"ref": "R6", "name": p["name"], "id_number": "45020219800101", "kind": "person",
         "expect": "error"},
        {"ref": "R7", "name": o["name"], "id_number": o["uscc"], "kind": "organization",
         "expect": "hit"},
        {"ref": "R8", "name": h["name"], "id_number": h["id_number"], "kind": "",
         "expect": "hit"},
    ]


def expected_errors() -> dict[str, Sequence[str]]:
    """Words the error of each bad row must contain (its reason, for the person to fix)."""
    return {"R3": ("name", "id_number"), "R5": ("公司", "not recognised"),
            "R6": ("45020219800101",)}
