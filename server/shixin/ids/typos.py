"""Numbers one typing slip away from a number whose check character fails.

A failed check character almost always means one mistyped character or two
neighbours swapped. Every number shaped like that which does pass its check is
a candidate for what was meant; a weighted-sum check character makes each
candidate cost a few integer operations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Typo:
    """A candidate for the intended number, with the slip that would explain it."""

    number: str
    reason: str


def _noun(*chars: str) -> str:
    return "digit" if all(c.isdigit() for c in chars) else "character"


def one_typo_away(
    number: str,
    *,
    alphabets: Sequence[str],
    values: Mapping[str, int],
    weights: Sequence[int],
    check_char: Callable[[int], str],
    accept: Callable[[str], bool] | None = None,
) -> list[Typo]:
    """Return the numbers one substitution or one adjacent swap away whose check fits.

    number is a body of ``len(weights)`` characters plus a check character;
    ``alphabets[i]`` lists what may stand at position i (the last entry is for
    the check character); ``check_char`` maps the weighted sum of the body
    values to the check character; ``accept`` filters candidates further.
    A body holding a character outside ``values`` yields no candidates.

    >>> digits = "0123456789"
    >>> check = lambda total: str(total % 10)
    >>> [t.reason for t in one_typo_away("125", alphabets=[digits] * 3,
    ...     values={d: int(d) for d in digits}, weights=(1, 1), check_char=check)]
    ['one digit differs at position 1 (1→3)', 'one digit differs at position 2 (2→4)', \
'one digit differs at position 3 (5→3)']
    """
    size = len(weights)
    if len(number) != size + 1 or any(c not in values for c in number[:-1]):
        return []
    body, check = number[:-1], number[-1]
    vals = [values[c] for c in body]
    total = sum(w * v for w, v in zip(weights, vals, strict=True))
    found: list[Typo] = []
    seen = {number}

    def add(candidate: str, reason: str) -> None:
        if candidate not in seen and (accept is None or accept(candidate)):
            seen.add(candidate)
            found.append(Typo(candidate, reason))

    for i, (char, weight, value) in enumerate(zip(body, weights, vals, strict=True)):
        for other in alphabets[i]:
            if other != char and check_char(total + weight * (values[other] - value)) == check:
                add(
                    f"{body[:i]}{other}{body[i + 1 :]}{check}",
                    f"one {_noun(char, other)} differs at position {i + 1} ({char}→{other})",
                )
    right = check_char(total)
    if right != check and right in alphabets[size]:
        noun = _noun(check, right)
        add(body + right, f"one {noun} differs at position {size + 1} ({check}→{right})")
    for i in range(size - 1):
        a, b = body[i], body[i + 1]
        if a == b or b not in alphabets[i] or a not in alphabets[i + 1]:
            continue
        swapped = total + (weights[i] - weights[i + 1]) * (vals[i + 1] - vals[i])
        if check_char(swapped) == check:
            reason = f"{_noun(a, b)}s {i + 1} and {i + 2} swapped"
            add(f"{body[:i]}{b}{a}{body[i + 2 :]}{check}", reason)
    a, b = body[-1], check
    if (
        a != b
        and b in alphabets[size - 1]
        and b in values
        and a in alphabets[size]
        and check_char(total + weights[-1] * (values[b] - vals[-1])) == a
    ):
        add(f"{body[:-1]}{b}{a}", f"{_noun(a, b)}s {size} and {size + 1} swapped")
    return found
