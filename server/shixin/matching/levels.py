"""Combining features into a score and a level (definitive or candidate).

The rules, in order:

* **definitive** — the ID number met the record exactly, or after 15→18 or
  organisation-code→USCC conversion, the query's number is valid, a name was
  given and it agrees: score ≥ ``NAME_AGREES`` for a person (equal after
  normalisation, or a Latin spelling of the pinyin), ≥ ``ORG_NAME_AGREES``
  for an organisation (the same core with compatible regions: a region prefix,
  a bracketed city or the legal form written differently or left out).
* **candidate** — everything else that clears ``MIN_SCORE``: an ID match with
  a differing or missing name, an ID typo or masked-form match, or a name
  match where one side has no ID number. A query whose ID number *conflicts*
  with the record's is a candidate only when the name agrees and the birth
  date or region support it — a homonym with a different ID is no hit.
"""

from __future__ import annotations

from dataclasses import dataclass

from shixin.matching.features import Evidence

NAME_AGREES = 0.95
ORG_NAME_AGREES = 0.92
NAME_CANDIDATE = 0.7
MIN_SCORE = 0.45


@dataclass(frozen=True, slots=True)
class Verdict:
    """The combined outcome for one candidate party."""

    level: str
    score: float
    reasons: tuple[str, ...]


def _clip(x: float) -> float:
    return round(max(0.0, min(1.0, x)), 4)


def combine(id_ev: Evidence | None, id_match: str, name_ev: Evidence | None,
            conflict: Evidence | None, extra: list[Evidence], *,
            agree_at: float = NAME_AGREES) -> Verdict | None:
    """Combine evidence; None when the candidate is not worth a reviewer's time.

    ``agree_at`` is the name score from which the name confirms an equal ID
    number (``ORG_NAME_AGREES`` for organisations).

    >>> combine(Evidence(1.0, "id_number exact"), "exact", Evidence(1.0, "name exact"),
    ...         None, []).level
    'definitive'
    >>> combine(None, "", Evidence(1.0, "name exact"), Evidence(0.0, "ID differs"), []) is None
    True
    """
    reasons = [e.reason for e in (id_ev, name_ev, conflict) if e is not None]
    reasons += [e.reason for e in extra]
    bonus = sum(e.score for e in extra)
    if id_ev is not None:
        strong = id_match in ("exact", "legacy", "org_code") and id_ev.score >= 0.98
        if name_ev is None:
            return Verdict("candidate", _clip(0.9 * id_ev.score),
                           (*reasons, "no name given to confirm the identity"))
        if strong and name_ev.score >= agree_at:
            return Verdict("definitive", _clip(min(id_ev.score, name_ev.score)), tuple(reasons))
        score = id_ev.score * (0.45 + 0.45 * name_ev.score) + bonus
        return Verdict("candidate", _clip(score), tuple(reasons)) if score >= MIN_SCORE else None
    if name_ev is None or name_ev.score < NAME_CANDIDATE:
        return None
    if conflict is not None:
        # A homonym with another ID number is reported only with supporting evidence.
        if name_ev.score < 0.85 or bonus < 0.05:
            return None
        score = 0.35 + 0.1 * name_ev.score + bonus
    else:
        score = 0.75 * name_ev.score + bonus
    return Verdict("candidate", _clip(score), tuple(reasons)) if score >= MIN_SCORE else None
