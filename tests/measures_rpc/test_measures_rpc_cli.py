"""`shixin measures` and the measure lines of `shixin lookup`."""

from __future__ import annotations

import json

import pytest

from shixin.cli.main import main
from shixin.client import ShixinClient
from shixin.grpcapi.server import Running
from shixin.measures import load_catalogue
from tests.measures_rpc.conftest import connect
from tests.measures_rpc.factory import OFFICERS, PERSON

CATALOGUE = load_catalogue()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()  # drop what came before (the in-process server logs to stdout)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_table_lists_every_measure_and_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    """The table has a row per measure, in order, and a count line."""
    code, out, _ = _run(capsys, "measures")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split()[:3] == ["CODE", "CLAUSE", "TITLE"]
    rows = lines[2:-1]
    assert [row.split()[0] for row in rows] == [m.code for m in CATALOGUE.measures]
    assert lines[-1] == f"{len(CATALOGUE.measures)} measures, {len(CATALOGUE.units)} units"
    credit = next(row for row in rows if row.startswith("credit.grant "))
    assert "[debtor_is_officer]" in credit


def test_unit_table_matches_the_server(capsys: pytest.CaptureFixture[str],
                                       running: Running) -> None:
    """--unit prints the same measures, in the same order, as ListMeasures' unit filter."""
    with connect(running, unit="culture-tourism") as client:
        served = [m.code for m in ShixinClient.measures(client, unit="units/culture-tourism")]
    code, out, _ = _run(capsys, "measures", "--unit", "culture-tourism")
    lines = out.splitlines()
    assert code == 0
    assert [row.split()[0] for row in lines[2:-1]] == served
    assert lines[-1].startswith(f"{len(served)} of {len(CATALOGUE.measures)} measures")


def test_json_carries_rules_and_applying_units(capsys: pytest.CaptureFixture[str]) -> None:
    """--json is one object per measure with role link, actions and applied_by."""
    code, out, _ = _run(capsys, "measures", "--json")
    items = json.loads(out)
    assert code == 0
    assert [i["code"] for i in items] == [m.code for m in CATALOGUE.measures]
    for item, measure in zip(items, CATALOGUE.measures, strict=True):
        assert item["applies_to"] == list(measure.applies_to)
        assert item["role_link"] == (measure.role_link.value if measure.role_link else None)
        assert item["applied_by"] == [u.code for u in CATALOGUE.units_for_measure(measure.code)]


def test_json_for_a_unit(capsys: pytest.CaptureFixture[str]) -> None:
    """--json --unit gives only that unit's measures."""
    code, out, _ = _run(capsys, "measures", "--json", "--unit", "hpf-centre")
    assert code == 0
    assert [i["code"] for i in json.loads(out)] == [
        m.code for m in CATALOGUE.measures_for_unit("hpf-centre")]


def test_unknown_unit_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown --unit exits 2 with a suggestion, and prints no table."""
    code, out, err = _run(capsys, "measures", "--unit", "pbc-liuzhuo")
    assert code == 2 and out == ""
    assert '"pbc-liuzhou"' in err


def test_lookup_prints_whether_the_measure_applies(capsys: pytest.CaptureFixture[str],
                                                   running: Running,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`shixin lookup` shows APPLIES for a reached role and 'does not apply' otherwise."""
    monkeypatch.setenv("SHIXIN_CONFIG", "/nonexistent/client.toml")
    server = f"127.0.0.1:{running.port}"
    reached, not_reached = OFFICERS[0], OFFICERS[3]  # legal representative, director
    outs = []
    for party in (reached, not_reached):
        code, out, _ = _run(capsys, "lookup", "--name", party.name, "--id-number",
                            party.id_number, "--purpose", "consumption.hotel",
                            "--unit", "culture-tourism", "--server", server)
        assert code == 0
        outs.append(out)
    assert "APPLIES to the legal representative → prohibit" in outs[0]
    assert "does not apply" in outs[1] and "not its director" in outs[1]
    code, out, _ = _run(capsys, "lookup", "--name", PERSON.name, "--id-number",
                        PERSON.id_number, "--purpose", "credit.grant", "--unit", "pbc-liuzhou",
                        "--server", server)
    assert code == 0
    assert "→ strict review" in out and "→ prudential reference" in out
