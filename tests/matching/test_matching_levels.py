"""Combining features into levels: when a hit is definitive, a candidate, or nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shixin.matching.features import ID_MATCH_STRENGTH, Evidence
from shixin.matching.levels import (
    MIN_SCORE,
    NAME_AGREES,
    NAME_CANDIDATE,
    ORG_NAME_AGREES,
    combine,
)

EXACT = Evidence(1.0, "same resident ID")
LEGACY = Evidence(0.99, "same resident ID (15 digits converted)")
ORG_CODE = Evidence(0.98, "same organisation code")
TYPO = Evidence(0.6, "one digit differs")
MASKED = Evidence(0.8, "masked form agrees")
NAME_EXACT = Evidence(1.0, "name exact")
LATIN = Evidence(0.95, "Latin spelling matches pinyin")
SAME_CORE = Evidence(0.92, "same name without region/legal form")
HOMOPHONE = Evidence(0.85, "homophone")
ONE_CHAR = Evidence(0.5, "one character differs")
CONFLICT = Evidence(0.0, "ID number differs")
SAME_BIRTH = Evidence(0.15, "same birth date")
SAME_REGION = Evidence(0.05, "same region code")
OTHER_GENDER = Evidence(-0.2, "gender differs")

scores = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
matches = st.sampled_from(sorted(ID_MATCH_STRENGTH))
extras = st.lists(st.sampled_from([SAME_BIRTH, SAME_REGION, OTHER_GENDER,
                                   Evidence(0.02, "same gender")]), max_size=3)


@pytest.mark.parametrize(("id_ev", "match", "name_ev", "conflict", "extra", "agree_at", "level"), [
    (EXACT, "exact", NAME_EXACT, None, [], NAME_AGREES, "definitive"),
    (LEGACY, "legacy", NAME_EXACT, None, [], NAME_AGREES, "definitive"),
    (ORG_CODE, "org_code", NAME_EXACT, None, [], ORG_NAME_AGREES, "definitive"),
    (EXACT, "exact", LATIN, None, [], NAME_AGREES, "definitive"),
    (EXACT, "exact", SAME_CORE, None, [], ORG_NAME_AGREES, "definitive"),
    (EXACT, "exact", SAME_CORE, None, [], NAME_AGREES, "candidate"),
    (EXACT, "exact", HOMOPHONE, None, [], NAME_AGREES, "candidate"),
    (EXACT, "exact", None, None, [], NAME_AGREES, "candidate"),
    (TYPO, "typo", NAME_EXACT, None, [], NAME_AGREES, "candidate"),
    (MASKED, "masked", NAME_EXACT, None, [], NAME_AGREES, "candidate"),
    (Evidence(0.6, "identical number, though invalid"), "exact", NAME_EXACT, None, [],
     NAME_AGREES, "candidate"),
    (None, "", NAME_EXACT, None, [], NAME_AGREES, "candidate"),
    (None, "", HOMOPHONE, None, [], NAME_AGREES, "candidate"),
    (None, "", ONE_CHAR, None, [], NAME_AGREES, None),
    (None, "", NAME_EXACT, CONFLICT, [], NAME_AGREES, None),
    (None, "", NAME_EXACT, CONFLICT, [SAME_REGION], NAME_AGREES, "candidate"),
    (None, "", NAME_EXACT, CONFLICT, [SAME_BIRTH], NAME_AGREES, "candidate"),
    (None, "", HOMOPHONE, CONFLICT, [SAME_BIRTH], NAME_AGREES, "candidate"),
    (None, "", NAME_EXACT, CONFLICT, [SAME_BIRTH, OTHER_GENDER], NAME_AGREES, None),
    (None, "", None, None, [SAME_BIRTH], NAME_AGREES, None),
])
def test_combine_table(id_ev: Evidence | None, match: str, name_ev: Evidence | None,
                       conflict: Evidence | None, extra: list[Evidence], agree_at: float,
                       level: str | None) -> None:
    """The level each combination of evidence earns (None: not worth a reviewer's time)."""
    verdict = combine(id_ev, match, name_ev, conflict, extra, agree_at=agree_at)
    assert (verdict.level if verdict else None) == level


def test_every_piece_of_evidence_becomes_a_reason() -> None:
    """The reviewer sees why: each feature's reason is in the verdict, in order."""
    verdict = combine(None, "", HOMOPHONE, CONFLICT, [SAME_BIRTH, SAME_REGION])
    assert verdict is not None
    assert verdict.reasons == ("homophone", "ID number differs", "same birth date",
                               "same region code")


def test_id_without_name_says_the_name_is_missing() -> None:
    """An ID match with no name to confirm it says so in its reasons."""
    verdict = combine(EXACT, "exact", None, None, [])
    assert verdict is not None
    assert verdict.reasons[-1] == "no name given to confirm the identity"


@given(st.one_of(st.none(), st.builds(Evidence, scores, st.just("id"))), matches,
       st.one_of(st.none(), st.builds(Evidence, scores, st.just("name"))),
       st.one_of(st.none(), st.just(CONFLICT)), extras,
       st.sampled_from([NAME_AGREES, ORG_NAME_AGREES]))
def test_combine_invariants(id_ev: Evidence | None, match: str, name_ev: Evidence | None,
                            conflict: Evidence | None, extra: list[Evidence],
                            agree_at: float) -> None:
    """Scores stay in [0, 1]; definitive needs a strong ID meeting and an agreeing name."""
    verdict = combine(id_ev, match, name_ev, conflict, extra, agree_at=agree_at)
    if verdict is None:
        return
    assert 0.0 <= verdict.score <= 1.0
    assert verdict.level in ("definitive", "candidate")
    if verdict.level == "definitive":
        assert id_ev is not None and id_ev.score >= 0.98
        assert match in ("exact", "legacy", "org_code")
        assert name_ev is not None and name_ev.score >= agree_at
    if id_ev is None:
        assert name_ev is not None and name_ev.score >= NAME_CANDIDATE
        assert verdict.score >= MIN_SCORE


@given(matches, scores, scores)
def test_a_better_name_never_lowers_the_level(match: str, low: float, high: float) -> None:
    """With the same ID evidence, a higher name score never gives a weaker level."""
    low, high = sorted((low, high))
    id_ev = Evidence(ID_MATCH_STRENGTH[match], "id")
    rank = {None: 0, "candidate": 1, "definitive": 2}
    worse = combine(id_ev, match, Evidence(low, "n"), None, [])
    better = combine(id_ev, match, Evidence(high, "n"), None, [])
    assert rank[better.level if better else None] >= rank[worse.level if worse else None]


@given(scores, extras)
def test_no_id_evidence_is_never_definitive(name: float, extra: list[Evidence]) -> None:
    """A name alone, however close, is at most a candidate; with a conflicting ID too."""
    for conflict in (None, CONFLICT):
        verdict = combine(None, "", Evidence(name, "n"), conflict, extra)
        assert verdict is None or verdict.level == "candidate"
