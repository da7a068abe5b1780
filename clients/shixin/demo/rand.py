"""A ``random.Random`` with cheap integer draws for the generator's hot loop.

``randint``/``randrange``/``choice`` cost about a microsecond each in pure
Python; at a million records that is most of the budget. Scaling ``random()``
is biased by less than 2**-40, which a demo list can afford.
"""

from __future__ import annotations

from collections.abc import Sequence
from random import Random
from typing import TypeVar

__all__ = ["DemoRandom"]

T = TypeVar("T")


class DemoRandom(Random):
    """Seeded like ``Random`` (same seed, same sequence), plus fast draws."""

    def below(self, n: int) -> int:
        """An int in ``[0, n)``."""
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """An int in ``[low, high]``; ``low`` when the range is empty."""
        return low + int(self.random() * (high - low + 1)) if high > low else low

    def item(self, items: Sequence[T]) -> T:
        """A uniformly drawn element."""
        return items[int(self.random() * len(items))]
