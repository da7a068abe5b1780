"""``shixin lookup`` end to end: text for a person, JSON for a program."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shixin.client import ClientConfig, ShixinClient
from shixin.grpcapi.server import Running
from tests.cli.cli_support import PURPOSE, Known, find_known, run_cli
from tests.conftest import DemoList


@pytest.fixture(scope="module")
def known(demo_list: DemoList, served: Running) -> Known:
    """Subjects with known answers on the served list."""
    with ShixinClient(ClientConfig(server=f"127.0.0.1:{served.port}", unit="pbc-liuzhou",
                                   purpose=PURPOSE)) as client:
        return find_known(demo_list, client)


def test_lookup_text_shows_status_hit_and_why(served: Running, known: Known,
                                              tmp_path: Path) -> None:
    """The text answer gives the status, the checked ID, each hit's level, case and reasons."""
    p = known.person
    ran = run_cli(served, "lookup", "--name", p["name"], "--id-number", p["id_number"],
                  "--purpose", PURPOSE, cwd=tmp_path)
    assert ran.code == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[0] == "status: hit"
    assert lines[1] == f"ID number: {p['id_number']} (valid)"
    assert lines[2].startswith("1. [definitive ")
    assert any(line.strip().startswith("case ") for line in lines)
    assert any(line.strip().startswith("why: ") for line in lines)
    assert any(f"measure {PURPOSE}" in line and "APPLIES" in line for line in lines)
    assert p["name"] in ran.out


def test_lookup_text_names_the_role_of_a_related_person(served: Running, known: Known,
                                                        tmp_path: Path) -> None:
    """A legal representative is shown as such, with the company they run."""
    h = known.head
    ran = run_cli(served, "lookup", "--name", h["name"], "--id-number", h["id_number"],
                  "--purpose", PURPOSE, cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert f"{h['name']}, legal_representative of " in ran.out


def test_lookup_text_without_hits_says_so(served: Running, known: Known, tmp_path: Path) -> None:
    """Someone not on the list: status none and 'no hits'."""
    name, number = known.stranger
    ran = run_cli(served, "lookup", "--name", name, "--id-number", number, "--purpose", PURPOSE,
                  cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert ran.out.splitlines()[:3] == ["status: none", f"ID number: {number} (valid)",
                                        "no hits"]


def test_lookup_json_is_the_match_response(served: Running, known: Known, tmp_path: Path) -> None:
    """--json prints the MatchResponse as JSON: status, id check and hits with reasons."""
    p = known.person
    ran = run_cli(served, "lookup", "--name", p["name"], "--id-number", p["id_number"],
                  "--purpose", PURPOSE, "--json", cwd=tmp_path)
    assert ran.code == 0, ran.err
    answer = json.loads(ran.out)
    assert answer["status"] == "MATCH_STATUS_HIT"
    assert answer["idCheck"]["valid"] is True
    own = [h for h in answer["hits"] if h.get("role") == "PARTY_ROLE_DEBTOR"]
    assert own and own[0]["level"] == "MATCH_LEVEL_DEFINITIVE"
    assert own[0]["debtorName"] == p["name"] and own[0]["reasons"]
    assert own[0]["measure"]["measureCode"] == PURPOSE


def test_lookup_json_for_a_typo_gives_candidates_only(served: Running, known: Known,
                                                      tmp_path: Path) -> None:
    """A mistyped ID is reported invalid and its hits are candidates, never definitive."""
    good = known.person["id_number"]
    typo = good[:10] + ("5" if good[10] != "5" else "6") + good[11:]
    ran = run_cli(served, "lookup", "--name", known.person["name"], "--id-number", typo,
                  "--purpose", PURPOSE, "--json", cwd=tmp_path)
    assert ran.code == 0, ran.err
    answer = json.loads(ran.out)
    assert answer["status"] == "MATCH_STATUS_POSSIBLE"
    assert answer["idCheck"].get("valid", False) is False
    assert answer["hits"]
    assert {h["level"] for h in answer["hits"]} == {"MATCH_LEVEL_CANDIDATE"}


def test_lookup_needs_a_name_or_an_id(served: Running, tmp_path: Path) -> None:
    """Without --name and --id-number the command refuses with exit status 2."""
    ran = run_cli(served, "lookup", "--purpose", PURPOSE, cwd=tmp_path)
    assert ran.code == 2
    assert "--name" in ran.err


def test_lookup_malformed_id_is_an_error_line(served: Running, tmp_path: Path) -> None:
    """A malformed ID number comes back as 'error: INVALID_ARGUMENT: …', exit status 1."""
    ran = run_cli(served, "lookup", "--name", "张三", "--id-number", "45020219800101",
                  "--kind", "person", "--purpose", PURPOSE, cwd=tmp_path)
    assert ran.code == 1
    assert ran.err.startswith("error: INVALID_ARGUMENT:")
    assert "45020219800101" in ran.err
