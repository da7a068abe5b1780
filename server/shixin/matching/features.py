"""Matching features: small pure functions returning (score, reason).

Each feature looks at one kind of evidence and says in words what it saw, so
that the reasons reach the API and a reviewer sees why a hit was reported.
The combination into a level lives in ``levels.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shixin.ids import ParsedId

# Strength of each way two ID numbers can meet; see levels.py for their use.
ID_MATCH_STRENGTH = {"exact": 1.0, "legacy": 0.99, "org_code": 0.98, "masked": 0.8, "typo": 0.6}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One feature's verdict: a score in [0, 1] (or an adjustment) and why."""

    score: float
    reason: str


def id_agreement(match: str, reason: str, query_valid: bool) -> Evidence:
    """Evidence from an ID number that met the record through an index key.

    >>> id_agreement("exact", "id_number exact", True)
    Evidence(score=1.0, reason='id_number exact')
    >>> id_agreement("exact", "id_number exact", False).score
    0.6
    """
    strength = ID_MATCH_STRENGTH.get(match, 0.5)
    if not query_valid and match in ("exact", "legacy", "org_code"):
        # Equal numbers that both fail their check character: still a typo.
        strength = ID_MATCH_STRENGTH["typo"]
    return Evidence(strength, reason)


def birth_evidence(query: date | None, listed: date | None) -> Evidence | None:
    """Birth dates from the two ID numbers (or given): a homonym ranking signal.

    >>> birth_evidence(date(1980, 1, 1), date(1980, 1, 1))
    Evidence(score=0.15, reason='same birth date 1980-01-01')
    >>> birth_evidence(date(1980, 1, 1), date(1981, 1, 1)).score
    -0.15
    >>> birth_evidence(None, date(1981, 1, 1)) is None
    True
    """
    if query is None or listed is None:
        return None
    if query == listed:
        return Evidence(0.15, f"same birth date {query.isoformat()}")
    if query.year == listed.year:
        return Evidence(0.0, f"same birth year {query.year}, different day")
    return Evidence(-0.15, f"birth date differs ({query.isoformat()} / {listed.isoformat()})")


def region_evidence(query: str | None, listed: str | None) -> Evidence | None:
    """Region codes (first six ID digits): weak evidence, prefecture level counts a little.

    >>> region_evidence("450202", "450202").reason
    'same region code 450202'
    >>> region_evidence("450202", "450203").score
    0.02
    """
    if not query or not listed:
        return None
    if query == listed:
        return Evidence(0.05, f"same region code {query}")
    if query[:4] == listed[:4]:
        return Evidence(0.02, f"same prefecture {query[:4]}")
    return Evidence(0.0, f"region differs ({query} / {listed})")


def gender_evidence(query: str | None, listed: str | None) -> Evidence | None:
    """Gender ('M'/'F'): disagreement is strong evidence against a homonym.

    >>> gender_evidence("M", "F").score
    -0.2
    >>> gender_evidence("M", "M").reason
    'same gender'
    """
    if not query or not listed:
        return None
    if query == listed:
        return Evidence(0.02, "same gender")
    return Evidence(-0.2, "gender differs")


def normalize_gender(text: str) -> str | None:
    """'男'/'M'/'male' → 'M'; '女'/'F'/'female' → 'F'; anything else → None.

    >>> normalize_gender("男"), normalize_gender("female"), normalize_gender("")
    ('M', 'F', None)
    """
    t = text.strip().lower()
    if t in ("男", "m", "male", "1"):
        return "M"
    if t in ("女", "f", "female", "2"):
        return "F"
    return None


def describe_conflict(query: ParsedId, listed_compact: str) -> Evidence:
    """Both sides carry an ID number and they differ: never definitive."""
    return Evidence(0.0, f"ID number differs ({query.compact} / {listed_compact})")
