"""Every measure's reach rule, exercised through Match on the real server.

For each of the catalogue's measures a unit holding it (a court for the external one)
asks with it as purpose about every party of the factory's list: the listed person, the
listed organisation and each of the organisation's seven officers. The expected verdict
restates the rule from the measure's data (debtor_kinds, applies_to, role_link).
"""

from __future__ import annotations

import pytest

from shixin.grpcapi.server import Running
from shixin.measures import Measure, Role, RoleLink, load_catalogue
from shixin.v1 import match_service_pb2 as pb
from shixin.v1 import measure_service_pb2 as measure_pb
from shixin.v1 import types_pb2
from tests.measures_rpc.conftest import asker_config, connect
from tests.measures_rpc.factory import LIVE_PARTIES, ORG, PERSON, SHIELDED, Party

MEASURES = load_catalogue().measures
REACH = {
    "debtor": pb.MEASURE_REACH_DEBTOR,
    "officer_of_debtor": pb.MEASURE_REACH_OFFICER_OF_DEBTOR,
    "role_not_named": pb.MEASURE_REACH_ROLE_NOT_NAMED,
    "debtor_kind_excluded": pb.MEASURE_REACH_DEBTOR_KIND_EXCLUDED,
    "officer_not_listed": pb.MEASURE_REACH_OFFICER_NOT_LISTED,
}


def role_pb(role: str) -> int:
    """The PartyRole number of a role string."""
    return types_pb2.PartyRole.Value(f"PARTY_ROLE_{role.upper()}")


def action_pbs(actions: tuple[str, ...]) -> list[int]:
    """MeasureAction numbers of action strings."""
    return [pb.MeasureAction.Value(f"MEASURE_ACTION_{a.upper()}") for a in actions]


def expected(measure: Measure, role: str, debtor_kind: str) -> tuple[str, tuple[str, ...]]:
    """The rule, restated: (reach, actions) for a live hit through ``role``."""
    if debtor_kind not in measure.debtor_kinds:
        return "debtor_kind_excluded", ()
    if role == "debtor":
        return "debtor", tuple(measure.actions)
    if measure.role_link is RoleLink.DEBTOR_IS_OFFICER:
        return "officer_not_listed", ()
    if role not in measure.applies_to:
        return "role_not_named", ()
    return "officer_of_debtor", tuple(measure.officer_actions or measure.actions)


def the_hit(resp: pb.MatchResponse, party: Party) -> pb.Hit:
    """The definitive hit on ``party``'s record through its role."""
    hits = [h for h in resp.hits if h.case_number == party.case_number
            and h.role == role_pb(party.role) and h.level == pb.MATCH_LEVEL_DEFINITIVE]
    assert len(hits) == 1, (party, resp)
    return hits[0]


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m.code)
def test_measure_reaches_exactly_the_roles_its_rule_names(running: Running,
                                                          measure: Measure) -> None:
    """Each party's hit applies, with the measure's actions and role, iff the rule reaches it."""
    verdicts = []
    with connect(running, **asker_config(measure)) as client:
        for party in LIVE_PARTIES:
            resp = client.match(party.name, party.id_number, party.subject_kind)
            m = the_hit(resp, party).measure
            reach, actions = expected(measure, party.role, party.debtor_kind)
            assert m.measure_code == measure.code and m.clause == measure.clause
            assert m.title == measure.title_zh
            assert m.role == role_pb(party.role)
            assert m.reach == REACH[reach], (party.role, m.explanation)
            assert m.applies is (reach in ("debtor", "officer_of_debtor"))
            assert list(m.actions) == action_pbs(actions)
            assert measure.code in m.explanation and measure.clause in m.explanation
            assert ("not applicable" in m.explanation) is (not m.applies)
            if party.role != "debtor" or measure.role_link is not RoleLink.DEBTOR_IS_OFFICER:
                assert not m.HasField("officer_effect")
            verdicts.append(m.applies)
    assert any(verdicts), f"{measure.code} reached none of the listed parties"
    assert not all(verdicts), f"{measure.code} reached every role, even those it does not name"


@pytest.mark.parametrize("measure", [m for m in MEASURES
                                     if m.role_link is RoleLink.DEBTOR_IS_OFFICER],
                         ids=lambda m: m.code)
def test_debtor_hit_says_what_befalls_the_organisation_it_serves(running: Running,
                                                                 measure: Measure) -> None:
    """A listed debtor under a debtor_is_officer measure carries the officer effect."""
    officer_actions = action_pbs(tuple(measure.officer_actions or measure.actions))
    with connect(running, **asker_config(measure)) as client:
        person = the_hit(client.match(PERSON.name, PERSON.id_number, "person"), PERSON)
        org = the_hit(client.match(ORG.name, ORG.id_number, "organization"), ORG)
    effect = person.measure.officer_effect
    assert [r for r in effect.officer_roles] == [role_pb(r) for r in measure.officer_roles]
    assert list(effect.actions) == officer_actions
    assert measure.code in effect.explanation
    # An organisation can hold only the actual-controller role.
    if Role.ACTUAL_CONTROLLER in measure.applies_to:
        assert list(org.measure.officer_effect.officer_roles) == [role_pb("actual_controller")]
        assert list(org.measure.officer_effect.actions) == officer_actions
    else:
        assert not org.measure.HasField("officer_effect")


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m.code)
def test_organisation_subject_is_told_to_check_officers(running: Running,
                                                       measure: Measure) -> None:
    """officer_check is set for an organisation under debtor_is_officer measures only."""
    with connect(running, **asker_config(measure)) as client:
        org = client.match(ORG.name, ORG.id_number)
        person = client.match(PERSON.name, PERSON.id_number)
    wanted = measure.role_link is RoleLink.DEBTOR_IS_OFFICER
    assert bool(org.officer_check) is wanted
    if wanted:
        assert measure.code in org.officer_check
    assert person.officer_check == ""


@pytest.mark.parametrize("measure", MEASURES, ids=lambda m: m.code)
def test_shielded_record_applies_no_measure(running: Running, measure: Measure) -> None:
    """A shielded record, shown on request, is reported as reached by no measure."""
    with connect(running, **asker_config(measure)) as client:
        resp = client.match(SHIELDED.name, SHIELDED.id_number, "person",
                            include_inactive=True)
    hit = the_hit(resp, SHIELDED)
    assert not hit.active
    assert hit.measure.reach == pb.MEASURE_REACH_RECORD_INACTIVE
    assert not hit.measure.applies and not hit.measure.actions
    assert "shielded" in hit.measure.explanation


def test_candidate_hit_asks_for_confirmation(running: Running) -> None:
    """A name-only hit is a candidate: the verdict holds but says to confirm the identity."""
    measure = load_catalogue().measure("consumption.hotel")
    with connect(running, **asker_config(measure)) as client:
        resp = client.match(PERSON.name, "", "person")
    hit = next(h for h in resp.hits if h.case_number == PERSON.case_number)
    assert hit.level == pb.MATCH_LEVEL_CANDIDATE
    assert hit.measure.applies
    assert "confirm" in hit.measure.explanation


def test_batch_rows_carry_the_same_verdicts(running: Running) -> None:
    """BatchMatch reports per row what Match reports for the same subject."""
    measure = load_catalogue().measure("credit.grant")
    parties = [PERSON, ORG, *LIVE_PARTIES[2:4]]
    rows = [pb.BatchRow(ref=str(i), subject=pb.Subject(name=p.name, id_number=p.id_number))
            for i, p in enumerate(parties)]
    with connect(running, **asker_config(measure)) as client:
        batch = list(client.batch_match([pb.BatchMatchRequest(rows=rows,
                                                              purpose=measure.code)]))
        singles = [client.match(p.name, p.id_number) for p in parties]
    results = [r for message in batch for r in message.results]
    assert [r.ref for r in results] == [row.ref for row in rows]
    for result, single in zip(results, singles, strict=True):
        assert [h.measure for h in result.hits] == [h.measure for h in single.hits]
        assert result.officer_check == single.officer_check


def test_catalogue_role_link_matches_the_verdicts(running: Running) -> None:
    """GetMeasure's role_link agrees with how Match treats an officer of a listed org."""
    legal_rep = LIVE_PARTIES[2]
    links = {RoleLink.OFFICER_OF_DEBTOR: measure_pb.MEASURE_ROLE_LINK_OFFICER_OF_DEBTOR,
             RoleLink.DEBTOR_IS_OFFICER: measure_pb.MEASURE_ROLE_LINK_DEBTOR_IS_OFFICER}
    for measure in MEASURES:
        if measure.role_link is None or Role.LEGAL_REPRESENTATIVE not in measure.applies_to:
            continue
        with connect(running, **asker_config(measure)) as client:
            got = client.measure_stub.GetMeasure(
                measure_pb.GetMeasureRequest(name=f"measures/{measure.code}"),
                metadata=client.metadata).measure
            hit = the_hit(client.match(legal_rep.name, legal_rep.id_number), legal_rep)
        assert got.role_link == links[measure.role_link]
        assert hit.measure.applies is (got.role_link == links[RoleLink.OFFICER_OF_DEBTOR])
