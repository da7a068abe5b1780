"""The purpose of a look-up: a unit's own measures only, unknown codes named as such."""

from __future__ import annotations

import grpc
import pytest

from shixin.grpcapi.server import Running
from shixin.measures import DepartmentScope, Unit, load_catalogue
from shixin.v1 import match_service_pb2 as pb
from tests.measures_rpc.conftest import COURT_PRINCIPAL, bad_fields, connect, reason
from tests.measures_rpc.factory import PERSON

CATALOGUE = load_catalogue()


def _refused(running: Running, **config: str) -> grpc.RpcError:
    with connect(running, **config) as client, pytest.raises(grpc.RpcError) as info:
        client.match(PERSON.name, PERSON.id_number)
    return info.value


@pytest.mark.parametrize("unit", CATALOGUE.units, ids=lambda u: u.code)
def test_unit_may_ask_for_each_of_its_measures_and_no_other(running: Running,
                                                             unit: Unit) -> None:
    """Every own measure is a valid purpose; the first foreign one is refused, with reasons."""
    own = CATALOGUE.measures_for_unit(unit.code)
    with connect(running, unit=unit.code) as client:
        for measure in own:
            resp = client.match(PERSON.name, PERSON.id_number, purpose=measure.code)
            assert resp.hits[0].measure.measure_code == measure.code
    foreign = next(m for m in CATALOGUE.measures
                   if m not in own and m.department_scope is not DepartmentScope.EXTERNAL)
    err = _refused(running, unit=unit.code, purpose=foreign.code)
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    details = err.details() or ""
    assert f"unit {unit.code!r}" in details and repr(foreign.code) in details
    assert all(m.code in details for m in own), "the refusal lists the unit's measures"
    appliers = CATALOGUE.units_for_measure(foreign.code)
    assert all(u.code in details for u in appliers), "the refusal names who applies it"
    assert reason(err) == "PURPOSE_NOT_ALLOWED"


def test_external_measure_is_refused_to_every_unit_saying_who_applies_it(
        running: Running) -> None:
    """No local unit may ask for the SPC-pushed measure; the refusal quotes its note."""
    external = [m for m in CATALOGUE.measures
                if m.department_scope is DepartmentScope.EXTERNAL]
    assert external
    for measure in external:
        err = _refused(running, unit=CATALOGUE.units[0].code, purpose=measure.code)
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
        assert "not applied by any local unit" in (err.details() or "")
        assert measure.note in (err.details() or "")


@pytest.mark.parametrize("config", [{"unit": "pbc-liuzhou"}, {"principal": COURT_PRINCIPAL}],
                         ids=["unit", "court"])
def test_unknown_measure_code_is_invalid_argument_naming_purpose(running: Running,
                                                                 config: dict[str, str]) -> None:
    """A code that is no measure → INVALID_ARGUMENT, field purpose, with a suggestion."""
    err = _refused(running, purpose="credit.grnat", **config)
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(err) == ["purpose"]
    assert reason(err) == "UNKNOWN_MEASURE"
    assert '"credit.grant"' in (err.details() or "")


def test_unit_without_purpose_is_told_its_measures(running: Running) -> None:
    """A unit must give a purpose; the refusal lists what it may give."""
    err = _refused(running, unit="hpf-centre")
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    for measure in CATALOGUE.measures_for_unit("hpf-centre"):
        assert measure.code in (err.details() or "")


def test_court_without_purpose_gets_no_verdict(running: Running) -> None:
    """Courts may look up without a purpose; hits then carry no measure."""
    with connect(running, principal=COURT_PRINCIPAL) as client:
        resp = client.match(PERSON.name, PERSON.id_number)
    assert resp.hits and not resp.hits[0].HasField("measure")


def test_public_caller_purpose_is_ignored(running: Running) -> None:
    """A public look-up (name and full ID) gets hits without a measure verdict."""
    with connect(running) as client:
        resp = client.match(PERSON.name, PERSON.id_number, purpose="credit.grant")
    assert resp.status == pb.MATCH_STATUS_HIT
    assert not resp.hits[0].HasField("measure") and resp.officer_check == ""


def test_batch_with_unknown_purpose_is_invalid_argument(running: Running) -> None:
    """BatchMatch refuses an unknown purpose like Match does."""
    row = pb.BatchRow(ref="1", subject=pb.Subject(name=PERSON.name,
                                                  id_number=PERSON.id_number))
    with connect(running, unit="pbc-liuzhou") as client, \
            pytest.raises(grpc.RpcError) as info:
        list(client.batch_match([pb.BatchMatchRequest(rows=[row], purpose="no.such")]))
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(info.value) == ["purpose"]
