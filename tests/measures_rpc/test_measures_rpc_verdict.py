"""judge() agrees with the catalogue's reach rules for every measure, role and kind."""

from __future__ import annotations

import pytest

from shixin.measures import (
    DebtorKind,
    Measure,
    Reach,
    Role,
    applicable_action,
    judge,
    load_catalogue,
)

CATALOGUE = load_catalogue()


@pytest.mark.parametrize("measure", CATALOGUE.measures, ids=lambda m: m.code)
def test_verdict_follows_the_rule(measure: Measure) -> None:
    """applies and actions equal rules.applicable_action; the sentence names the measure."""
    for role in Role:
        for kind in DebtorKind:
            verdict = judge(measure, role, kind)
            actions = applicable_action(measure, role, kind)
            assert verdict.applies is (actions is not None)
            assert verdict.actions == (actions or ())
            assert measure.code in verdict.explanation
            assert verdict.role is role
            gone = judge(measure, role, kind, live=False, state="revoked")
            assert gone.reach is Reach.RECORD_INACTIVE and not gone.applies
            assert "revoked" in gone.explanation


def test_unknown_role_or_kind_is_refused() -> None:
    """Strings outside the vocabularies raise ValueError, not a silent verdict."""
    measure = CATALOGUE.measure("credit.grant")
    with pytest.raises(ValueError):
        judge(measure, "chairman", "person")
    with pytest.raises(ValueError):
        judge(measure, "debtor", "company")
