"""``shixin audit verify|list`` and offline ``shixin admin``: tampering found and located."""

from __future__ import annotations

import getpass
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shixin.audit.entry import canonical_bytes, compute_hash
from shixin.client import ClientConfig, ShixinClient
from shixin.grpcapi.server import create_server
from shixin.settings import Settings
from tests.security.conftest import AUDIT_KEY
from tests.security.support import read_log, shixin

CALLS = [("unit:pbc-liuzhou", "credit.grant", "张三", "110105194912310021"),
         ("unit:hpf-centre", "assist.housing-provident-fund", "李四", "11010519491231002X"),
         ("unit:pbc-liuzhou", "credit.grant", "王五", "110105194912310048"),
         ("unit:hpf-centre", "assist.housing-provident-fund", "张三", "110105194912310021")]


def _serve(data: Path) -> Any:
    return create_server(Settings(data=data, listen="127.0.0.1:0", dev_auth=True,
                                  audit_key=AUDIT_KEY))


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose audit log a real server wrote: look-ups by two units, twice
    over (12 entries), then stopped."""
    data = tmp_path_factory.mktemp("trail")
    running = _serve(data)
    try:
        for _ in range(3):
            for principal, purpose, name, id_number in CALLS:
                with ShixinClient(ClientConfig(server=f"127.0.0.1:{running.port}",
                                               principal=principal)) as client:
                    client.match(name, id_number, purpose=purpose)
    finally:
        running.stop(0)
    return data


@pytest.fixture
def copy(trail: Path, tmp_path: Path) -> Path:
    """A copy of the trail's data directory to tamper with."""
    return Path(shutil.copytree(trail, tmp_path / "data"))


def _lines(data: Path) -> list[bytes]:
    return (data / "audit.jsonl").read_bytes().splitlines(keepends=True)


def _save(data: Path, lines: list[bytes]) -> None:
    (data / "audit.jsonl").write_bytes(b"".join(lines))


def _edit(lines: list[bytes], i: int, rehash: bool) -> None:
    entry = json.loads(lines[i])
    entry["request"]["name"] = "某某"
    if rehash:  # an attacker without the key can only compute a plain SHA-256
        entry["hash"] = compute_hash(canonical_bytes(entry), None)
    lines[i] = json.dumps(entry, ensure_ascii=False).encode() + b"\n"


def _altered(lines: list[bytes]) -> None:
    _edit(lines, 3, rehash=False)


def _rehashed(lines: list[bytes]) -> None:
    _edit(lines, 3, rehash=True)


def _inserted(lines: list[bytes]) -> None:
    lines.insert(5, lines[2])


def _removed(lines: list[bytes]) -> None:
    del lines[4]


def _truncated(lines: list[bytes]) -> None:
    del lines[-2:]


def _torn(lines: list[bytes]) -> None:
    lines[-1] = lines[-1][: len(lines[-1]) // 2]


TAMPERING: dict[str, tuple[Callable[[list[bytes]], None], str]] = {
    "altered": (_altered, "[altered] line 4 (seq 4): hash does not match its content"),
    "altered and re-hashed": (_rehashed, "[altered] line 4 (seq 4)"),
    "inserted": (_inserted, "[inserted] line 6 (seq 3) is a copy of line 3"),
    "removed": (_removed, "[removed] between line 4 and line 5: seq 5 missing"),
    "tail truncated": (_truncated, "[removed] the log ends at line 10 (seq 10) but the "
                                   "recorded head is seq 12: seq 11..12 missing"),
    "torn last line": (_torn, "[malformed] line 12: incomplete last line"),
}


def test_intact_trail_verifies(trail: Path) -> None:
    """An untouched log verifies against the head anchored in the index; exit status 0."""
    result = shixin("audit", "verify", "--data", str(trail), audit_key=AUDIT_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 12 entries checked against the index's anchor (seq 12)" in result.stdout


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_tampering_is_found_and_located(copy: Path, kind: str) -> None:
    """Each kind of tampering makes verify fail (exit 1) and say where."""
    tamper, expected = TAMPERING[kind]
    lines = _lines(copy)
    tamper(lines)
    _save(copy, lines)
    result = shixin("audit", "verify", "--data", str(copy), audit_key=AUDIT_KEY)
    assert result.returncode == 1
    assert expected in result.stdout
    assert "BROKEN" in result.stdout


def test_wrong_key_is_explained(trail: Path) -> None:
    """Verifying with another key fails every entry and says the key is probably wrong."""
    result = shixin("audit", "verify", "--data", str(trail), audit_key=b"x" * 32)
    assert result.returncode == 1
    assert "different key" in result.stdout


def test_short_key_is_refused_precisely(trail: Path) -> None:
    """A key under 16 bytes is refused with the reason, not used."""
    result = shixin("audit", "verify", "--data", str(trail), audit_key=b"short")
    assert result.returncode == 1
    assert "SHIXIN_AUDIT_KEY is too short (5 bytes, need at least 16)" in result.stderr


def _listed(trail: Path, *flags: str) -> list[dict[str, Any]]:
    result = shixin("audit", "list", "--data", str(trail), *flags)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_list_by_unit_subject_and_time(trail: Path) -> None:
    """audit list filters by actor, by the subject asked about, and by a time range."""
    entries = list(read_log(trail / "audit.jsonl"))
    by_unit = _listed(trail, "--unit-filter", "hpf-centre")
    assert [e["seq"] for e in by_unit] == [e["seq"] for e in entries
                                           if e["actor"] == "hpf-centre"]
    by_subject = _listed(trail, "--subject", "11010519491231002x")
    assert [e["seq"] for e in by_subject] == [
        e["seq"] for e in entries if e["request"].get("id_number") == "11010519491231002X"]
    since, until = entries[3]["ts"], entries[8]["ts"]
    by_time = _listed(trail, "--since", since, "--until", until)
    assert [e["seq"] for e in by_time] == [e["seq"] for e in entries if since <= e["ts"] < until]
    assert by_unit and by_subject and by_time


def test_offline_token_commands_are_audited(copy: Path) -> None:
    """admin token-create on a stopped server's data directory prints a working token and
    records who issued it; the anchored log still verifies."""
    created = shixin("admin", "token-create", "--data", str(copy), "--role", "unit",
                     "--principal-id", "hpf-centre", "--note", "test", audit_key=AUDIT_KEY)
    assert created.returncode == 0, created.stderr
    token_id, token = created.stdout.split("\n")[0].split()[-1], created.stdout.split("\n")[1]
    last = list(read_log(copy / "audit.jsonl"))[-1]
    assert (last["actor"], last["action"]) == (f"cli:{getpass.getuser()}", "admin.create_token")
    assert last["outcome"] == {"code": "OK", "token_id": token_id}
    verified = shixin("audit", "verify", "--data", str(copy), audit_key=AUDIT_KEY)
    assert verified.returncode == 0, verified.stdout
    running = _serve(copy)
    try:
        with ShixinClient(ClientConfig(server=f"127.0.0.1:{running.port}",
                                       token=token)) as client:
            assert client.whoami().principal == "hpf-centre"
        busy = shixin("admin", "token-list", "--data", str(copy), audit_key=AUDIT_KEY)
    finally:
        running.stop(0)
    assert busy.returncode == 1 and "AdminService" in busy.stderr
