"""Numbers one typing slip away from a number whose check character fails.

A failed check character almost always means one mistyped character or two
neighbours swapped. Every number shaped like that which does pass its check is
a candidate for what was meant. With a weighted-sum check modulo a prime, the
one replacement value that fits at a position is solved for, not searched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class Typo:
    """A candidate for the intended number, with the slip that would explain it."""

    number: str
    reason: str


@dataclass(frozen=True, slots=True, eq=False)
class CheckScheme:
    """A weighted-sum check: ``table[sum(weight * values[char]) % len(table)]``.

    Hashed by identity, so its residue groups can be cached: define one per
    standard, at module level.
    """

    values: Mapping[str, int]
    weights: tuple[int, ...]
    table: str

    def check_char(self, body: str) -> str:
        """Return the check character of body (``len(weights)`` characters).

        >>> CheckScheme({d: int(d) for d in "0123456789"}, (1, 1), "0123456789").check_char("12")
        '3'
        """
        total = sum(w * self.values[c] for w, c in zip(self.weights, body, strict=True))
        return self.table[total % len(self.table)]


@cache
def _by_residue(scheme: CheckScheme, alphabet: str) -> dict[int, tuple[str, ...]]:
    modulus = len(scheme.table)
    grouped: dict[int, tuple[str, ...]] = {}
    for char in alphabet:
        residue = scheme.values[char] % modulus
        grouped[residue] = (*grouped.get(residue, ()), char)
    return grouped


@cache
def _inverse(weight: int, modulus: int) -> int:
    return pow(weight, -1, modulus)


def _noun(a: str, b: str) -> str:
    return "digit" if (a + b).isdigit() else "character"


def one_typo_away(
    number: str,
    scheme: CheckScheme,
    alphabets: Sequence[str],
    accept: Callable[[str], bool] | None = None,
) -> list[Typo]:
    """Return the numbers one substitution or one adjacent swap away whose check fits.

    number is a body plus its check character; ``alphabets[i]`` lists what may
    stand at position i (the last entry is for the check character); ``accept``
    filters candidates further. A body holding a character outside the scheme's
    values yields no candidates. Weights must be invertible modulo the table length.

    >>> mod10 = CheckScheme({d: int(d) for d in "0123456789"}, (1, 1), "0123456789")
    >>> [t.reason for t in one_typo_away("125", mod10, ["0123456789"] * 3)]
    ['one digit differs at position 1 (1→3)', 'one digit differs at position 2 (2→4)', \
'one digit differs at position 3 (5→3)']
    """
    values, weights, table = scheme.values, scheme.weights, scheme.table
    size, modulus = len(weights), len(table)
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

    targets = [r for r, c in enumerate(table) if c == check]
    for i, (char, weight, value) in enumerate(zip(body, weights, vals, strict=True)):
        rest = total - weight * value
        groups = _by_residue(scheme, alphabets[i])
        inverse = _inverse(weight, modulus)
        for target in targets:
            for other in groups.get((target - rest) * inverse % modulus, ()):
                if other != char:
                    add(
                        f"{body[:i]}{other}{body[i + 1 :]}{check}",
                        f"one {_noun(char, other)} differs at position {i + 1} ({char}→{other})",
                    )
    right = table[total % modulus]
    if right != check and right in alphabets[size]:
        noun = _noun(check, right)
        add(body + right, f"one {noun} differs at position {size + 1} ({check}→{right})")
    for i in range(size - 1):
        a, b = body[i], body[i + 1]
        if a == b or b not in alphabets[i] or a not in alphabets[i + 1]:
            continue
        swapped = total + (weights[i] - weights[i + 1]) * (vals[i + 1] - vals[i])
        if table[swapped % modulus] == check:
            reason = f"{_noun(a, b)}s {i + 1} and {i + 2} swapped"
            add(f"{body[:i]}{b}{a}{body[i + 2 :]}{check}", reason)
    a, b = body[-1], check
    if (
        a != b
        and b in alphabets[size - 1]
        and b in values
        and a in alphabets[size]
        and table[(total + weights[-1] * (values[b] - vals[-1])) % modulus] == a
    ):
        add(f"{body[:-1]}{b}{a}", f"{_noun(a, b)}s {size} and {size + 1} swapped")
    return found
