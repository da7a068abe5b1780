"""Run the variants' queries through a real server and score the answers.

Queries go through ``MatchService.BatchMatch`` (100 rows a message, as the
batch client sends them) with ``max_hits`` 100, so one pass gives both the
first 10 hits a unit sees by default and the wider candidate list.

Per variant:

* **recall@10** — share of queries whose right record is among the first 10
  hits, at the variant's level (a definitive hit where the variant requires
  it); the right record is a live record where the sought identity stands in
  an accepted role (the debtor, or the legal representative for related-person
  queries). **recall@100** the same among all 100.
* **definitive** — share of queries with a definitive hit on the right identity;
  **wrong definitive** — share with a definitive hit on anyone else (must be 0).
* **precision@10** — of all hits in the first 10, the share naming the right
  identity (hits through another of the same person's roles count as right).
* **any hit** — share of queries that returned any hit (for negatives, the
  false-alarm rate a reviewer pays).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from shixin.client import ShixinClient
from shixin.client.batch import ROLE_NAMES
from shixin.client.connection import KINDS
from shixin.v1 import match_service_pb2 as pb
from tests.quality.variants import VARIANTS, Case, Variant
from tests.quality.world import World

__all__ = ["Score", "markdown_table", "run_cases", "score_variant", "text_table"]

MAX_HITS = 100
TOP = 10
ROWS_PER_MESSAGE = 100
PURPOSE = "credit.grant"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the server said about one case, reduced to what scoring needs."""

    case: Case
    hits: tuple[tuple[str, str, bool], ...]
    """(record_id, role, definitive) best first."""
    error: str = ""


@dataclass(frozen=True, slots=True)
class Score:
    """One variant's figures; shares in [0, 1], ``None`` where undefined."""

    variant: Variant
    n: int
    recall_10: float | None
    recall_100: float | None
    definitive: float
    wrong_definitive: float
    precision_10: float | None
    any_hit: float
    errors: int

    def failures(self) -> list[str]:
        """Which floors this variant misses (empty when it meets them all)."""
        v = self.variant
        out = []
        if self.n == 0:
            out.append("no cases could be built")
        if self.errors:
            out.append(f"{self.errors} queries failed")
        if v.level != "negative" and (self.recall_10 or 0.0) < v.min_recall:
            out.append(f"recall@10 {self.recall_10:.3f} < {v.min_recall}")
        if self.wrong_definitive > 0:
            out.append(f"definitive hit on a wrong identity in {self.wrong_definitive:.3f}")
        if v.never_definitive and self.definitive > 0:
            out.append(f"definitive hit where none is allowed in {self.definitive:.3f}")
        if v.max_any_hit is not None and self.any_hit > v.max_any_hit:
            out.append(f"any-hit rate {self.any_hit:.3f} > {v.max_any_hit}")
        return out


def _requests(cases: Sequence[Case]) -> Iterator[pb.BatchMatchRequest]:
    for start in range(0, len(cases), ROWS_PER_MESSAGE):
        rows = [pb.BatchRow(ref=str(start + i), subject=pb.Subject(
                    name=c.name, id_number=c.id_number, kind=KINDS[c.kind]))
                for i, c in enumerate(cases[start : start + ROWS_PER_MESSAGE])]
        yield pb.BatchMatchRequest(rows=rows, max_hits=MAX_HITS,
                                   purpose=PURPOSE if start == 0 else "")


def run_cases(client: ShixinClient, cases: Sequence[Case]) -> list[Outcome]:
    """Ask the server about every case, in order."""
    out: list[Outcome] = []
    results = (r for response in client.batch_match(_requests(cases)) for r in response.results)
    for case, res in zip(cases, results, strict=True):
        hits = tuple((h.record_id, ROLE_NAMES[h.role], h.level == pb.MATCH_LEVEL_DEFINITIVE)
                     for h in res.hits)
        out.append(Outcome(case, hits, res.error if res.status == pb.MATCH_STATUS_ERROR else ""))
    return out


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def score_variant(world: World, variant: Variant, outcomes: Sequence[Outcome]) -> Score:
    """Score one variant's outcomes against the world's truth."""
    found_10 = found_100 = definitive = wrong_def = any_hit = errors = 0
    right_hits = shown_hits = 0
    for o in outcomes:
        if o.error:
            errors += 1
            continue
        target, roles = o.case.target, o.case.roles
        want_definitive = variant.level == "definitive"
        found_rank: int | None = None
        has_def = has_wrong_def = False
        for rank, (rid, role, is_def) in enumerate(o.hits):
            right = bool(target) and target in world.identities.get((rid, role), ())
            if (found_rank is None and right and role in roles and rid in world.live
                    and (is_def or not want_definitive)):
                found_rank = rank
            if is_def:
                has_def = has_def or right
                has_wrong_def = has_wrong_def or not right
            if rank < TOP:
                shown_hits += 1
                right_hits += right
        found_10 += found_rank is not None and found_rank < TOP
        found_100 += found_rank is not None
        definitive += has_def
        wrong_def += has_wrong_def
        any_hit += bool(o.hits)
    n = len(outcomes)
    positive = variant.level != "negative"
    return Score(
        variant=variant, n=n,
        recall_10=_share(found_10, n) if positive else None,
        recall_100=_share(found_100, n) if positive else None,
        definitive=_share(definitive, n), wrong_definitive=_share(wrong_def, n),
        precision_10=_share(right_hits, shown_hits) if shown_hits and positive else None,
        any_hit=_share(any_hit, n), errors=errors)


def evaluate(client: ShixinClient, world: World,
             cases: dict[str, list[Case]]) -> list[Score]:
    """Score every variant (in :data:`VARIANTS` order)."""
    flat = [c for v in VARIANTS for c in cases[v.key]]
    outcomes = run_cases(client, flat)
    scores = []
    start = 0
    for v in VARIANTS:
        mine = outcomes[start : start + len(cases[v.key])]
        start += len(mine)
        scores.append(score_variant(world, v, mine))
    return scores


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def _floor(v: Variant) -> str:
    parts = []
    if v.level != "negative":
        parts.append(f"recall@10 ≥ {100 * v.min_recall:g}" + (" def." if v.level ==
                                                                 "definitive" else ""))
    if v.never_definitive:
        parts.append("never definitive")
    if v.max_any_hit is not None:
        parts.append(f"any hit ≤ {100 * v.max_any_hit:g}")
    parts.append("no wrong definitive")
    return "; ".join(parts)


HEADER = ("variant", "query", "level", "n", "recall@10", "recall@100", "definitive",
          "wrong def.", "precision@10", "any hit", "floor", "ok")


def _row(s: Score) -> tuple[str, ...]:
    return (s.variant.key, s.variant.title, s.variant.level, str(s.n), _pct(s.recall_10),
            _pct(s.recall_100), _pct(s.definitive), _pct(s.wrong_definitive),
            _pct(s.precision_10), _pct(s.any_hit), _floor(s.variant),
            "yes" if not s.failures() else "NO")


def text_table(scores: Sequence[Score]) -> str:
    """A fixed-width table for the terminal (``pytest -s``)."""
    rows = [HEADER, *(_row(s) for s in scores)]
    keep = [0, 2, 3, 4, 5, 6, 7, 8, 9, 11]
    widths = [max(len(r[i]) for r in rows) for i in keep]
    lines = ["  ".join(r[i].ljust(w) for i, w in zip(keep, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def markdown_table(scores: Sequence[Score]) -> str:
    """The same figures as a Markdown table."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in _row(s)) + " |"
              for s in scores]
    return "\n".join(lines)
