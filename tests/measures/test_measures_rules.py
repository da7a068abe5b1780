"""applies / applicable_action and the through-officer variants, category by category."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.measures import (
    Action,
    Catalogue,
    DebtorKind,
    Measure,
    Role,
    RoleLink,
    action_through_officer,
    applicable_action,
    applies,
    applies_through_officer,
    load_catalogue,
)

PER, ORG = DebtorKind.PERSON, DebtorKind.ORGANIZATION
A = Action

# (measure, role of the hit, kind of the listed debtor) -> actions, or None when not reached.
HITS = [
    # （一） only organisations issue bonds
    ("finance.bond-issue", Role.DEBTOR, ORG, (A.STRICT_REVIEW, A.PROHIBIT)),
    ("finance.bond-issue", Role.DEBTOR, PER, None),
    ("finance.bond-issue", Role.LEGAL_REPRESENTATIVE, ORG, None),
    # （二） the institution is reached through its listed officers, not the other way round
    ("subsidy.policy-support", Role.DEBTOR, PER, (A.PRUDENTIAL_REFERENCE, A.PROHIBIT)),
    ("subsidy.policy-support", Role.LEGAL_REPRESENTATIVE, ORG, None),
    # （三） 失信被执行人为个人的
    ("office.soe-leadership", Role.DEBTOR, PER, (A.PROHIBIT,)),
    ("office.soe-leadership", Role.DEBTOR, ORG, None),
    ("office.soe-leadership", Role.DIRECTOR, ORG, None),
    # （四）
    ("customs.certification", Role.DEBTOR, ORG, (A.PROHIBIT, A.ENHANCED_SUPERVISION)),
    ("licensing.service-institution", Role.PRINCIPAL, ORG, None),
    # （五）
    ("credit.grant", Role.DEBTOR, ORG, (A.STRICT_REVIEW,)),
    ("credit.grant", Role.DEBTOR, PER, (A.STRICT_REVIEW,)),
    ("credit.grant", Role.SENIOR_MANAGER, ORG, None),
    # （六） officers of a listed organisation may not buy property
    ("trade.property-state-assets", Role.DEBTOR, PER, (A.ASSIST_ENFORCEMENT, A.PROHIBIT)),
    ("trade.property-state-assets", Role.LEGAL_REPRESENTATIVE, ORG, (A.PROHIBIT,)),
    ("trade.property-state-assets", Role.DIRECTLY_RESPONSIBLE, ORG, (A.PROHIBIT,)),
    ("trade.property-state-assets", Role.DIRECTOR, ORG, None),
    ("trade.state-forest-land", Role.LEGAL_REPRESENTATIVE, ORG, None),
    # （七） high consumption reaches the four officer roles of a listed organisation
    ("consumption.hotel", Role.LEGAL_REPRESENTATIVE, ORG, (A.PROHIBIT,)),
    ("consumption.hotel", Role.ACTUAL_CONTROLLER, ORG, (A.PROHIBIT,)),
    ("consumption.hotel", Role.SUPERVISOR, ORG, None),
    ("consumption.rail-air", Role.PRINCIPAL, ORG, (A.PROHIBIT,)),
    ("consumption.rail-air", Role.DEBTOR, PER, (A.PROHIBIT,)),
    # （八） provident-fund accounts are persons'
    ("assist.housing-provident-fund", Role.DEBTOR, PER, (A.ASSIST_ENFORCEMENT,)),
    ("assist.housing-provident-fund", Role.DEBTOR, ORG, None),
    # （九）
    ("supervision.routine", Role.DEBTOR, ORG, (A.ENHANCED_SUPERVISION,)),
    ("supervision.routine", Role.DIRECTOR, ORG, None),
    # （十）
    ("criminal.refusal-to-enforce", Role.DEBTOR, ORG, (A.ASSIST_ENFORCEMENT,)),
    ("criminal.refusal-to-enforce", Role.LEGAL_REPRESENTATIVE, ORG, None),
    # （十一）
    ("other.encouraged", Role.DEBTOR, PER, (A.ENHANCED_SUPERVISION, A.NOTIFY, A.PROHIBIT)),
]

# (measure, role the listed officer holds in the organisation, officer's kind) -> actions or None.
THROUGH_OFFICER = [
    ("subsidy.policy-support", Role.LEGAL_REPRESENTATIVE, PER, (A.PRUDENTIAL_REFERENCE,)),
    ("subsidy.policy-support", Role.PRINCIPAL, PER, None),  # （二）2 names no 主要负责人
    ("subsidy.policy-support", Role.ACTUAL_CONTROLLER, ORG, (A.PRUDENTIAL_REFERENCE,)),
    ("subsidy.policy-support", Role.DIRECTOR, ORG, None),  # directors are natural persons
    ("licensing.service-institution", Role.PRINCIPAL, PER, (A.PROHIBIT,)),
    ("licensing.service-institution", Role.DIRECTOR, PER, None),
    ("honour.civility-charity", Role.SUPERVISOR, PER, (A.PROHIBIT,)),
    ("honour.civility-charity", Role.PRINCIPAL, PER, None),
    ("credit.grant", Role.SENIOR_MANAGER, PER, (A.PRUDENTIAL_REFERENCE,)),
    ("credit.grant", Role.DIRECTLY_RESPONSIBLE, PER, None),
    ("supervision.routine", Role.DIRECTOR, PER, (A.ENHANCED_SUPERVISION,)),
    ("consumption.hotel", Role.LEGAL_REPRESENTATIVE, PER, None),  # other direction
    ("finance.establish", Role.LEGAL_REPRESENTATIVE, PER, None),
]


@pytest.mark.parametrize(("code", "role", "kind", "expected"), HITS)
def test_hit(
    catalogue: Catalogue, code: str, role: Role, kind: str, expected: tuple[Action, ...] | None
) -> None:
    """A hit's role and debtor kind decide whether the measure applies and what to do."""
    measure = catalogue.measure(code)
    assert applicable_action(measure, role, kind) == expected
    assert applies(measure, role, kind) is (expected is not None)


@pytest.mark.parametrize(("code", "role", "kind", "expected"), THROUGH_OFFICER)
def test_through_officer(
    catalogue: Catalogue, code: str, role: Role, kind: str, expected: tuple[Action, ...] | None
) -> None:
    """An organisation is reached through a listed officer only where the clause says so."""
    measure = catalogue.measure(code)
    assert action_through_officer(measure, role, kind) == expected
    assert applies_through_officer(measure, role, kind) is (expected is not None)


def test_plain_strings_are_accepted(catalogue: Catalogue) -> None:
    """Roles and kinds may come as the plain strings of records and requests."""
    hotel = catalogue.measure("consumption.hotel")
    assert applies(hotel, "legal_representative", "organization")


def test_unknown_kind_is_an_error(catalogue: Catalogue) -> None:
    """An unknown debtor kind is a caller bug, not a silent no."""
    with pytest.raises(ValueError, match="unknown debtor kind 'company'; expected one of: person"):
        applies(catalogue.measure("credit.grant"), Role.DEBTOR, "company")


def test_debtor_is_not_an_officer_role(catalogue: Catalogue) -> None:
    """The through-officer question needs an officer role."""
    with pytest.raises(ValueError, match="officer_role must be an officer role"):
        applies_through_officer(catalogue.measure("credit.grant"), Role.DEBTOR, "person")


_measures = st.sampled_from(load_catalogue().measures)
_roles = st.sampled_from(list(Role))
_kinds = st.sampled_from(list(DebtorKind))


@given(_measures, _roles, _kinds)
def test_action_exactly_when_applies(measure: Measure, role: Role, kind: DebtorKind) -> None:
    """applicable_action is None exactly when applies is False, and never empty."""
    actions = applicable_action(measure, role, kind)
    assert (actions is not None) is applies(measure, role, kind)
    assert actions is None or len(actions) > 0


@given(_measures, _roles.filter(lambda role: role is not Role.DEBTOR), _kinds)
def test_officer_hits(measure: Measure, role: Role, kind: DebtorKind) -> None:
    """Officer hits need an organisation debtor, a role the clause names, and officer_of_debtor."""
    if applies(measure, role, kind):
        assert kind is DebtorKind.ORGANIZATION
        assert role in measure.applies_to
        assert measure.role_link is RoleLink.OFFICER_OF_DEBTOR


@given(_measures, _kinds)
def test_debtor_hits(measure: Measure, kind: DebtorKind) -> None:
    """The debtor itself is reached exactly for the kinds the clause covers."""
    assert applies(measure, Role.DEBTOR, kind) is (kind in measure.debtor_kinds)
