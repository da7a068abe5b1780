"""Token-bucket rate limiting per client key (public callers are anonymous and many).

Each key has a bucket holding up to ``burst`` tokens, refilled at ``rate``
tokens per second; a request takes ``cost`` tokens or is refused with the time
until it would succeed (for gRPC's RESOURCE_EXHAUSTED and a retry delay).

Memory is bounded by ``max_keys``: the least recently seen bucket is dropped
first. A dropped bucket comes back full, so an attacker gains burst only by
keeping more than ``max_keys`` keys busy at once; size it above the number of
peers expected within ``burst / rate`` seconds.
"""

import threading
import time
from collections.abc import Callable
from typing import NamedTuple


class Decision(NamedTuple):
    allowed: bool
    retry_after: float
    """Seconds until the same request would be allowed; 0.0 when allowed."""


class RateLimiter:
    """Thread-safe token buckets keyed by client; ``clock`` is injectable for tests."""

    def __init__(
        self,
        rate: float,
        burst: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if rate <= 0 or burst <= 0 or max_keys <= 0:
            raise ValueError("rate, burst and max_keys must be positive")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._max_keys = max_keys
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at); LRU order

    def acquire(self, key: str, cost: float = 1.0) -> Decision:
        """Take ``cost`` tokens from ``key``'s bucket if it has them."""
        if cost > self.burst:
            raise ValueError(f"cost {cost} exceeds burst {self.burst}: it could never pass")
        with self._lock:
            now = self._clock()
            entry = self._buckets.pop(key, None)
            if entry is None:
                tokens = self.burst
            else:
                held, at = entry
                tokens = min(self.burst, held + max(0.0, now - at) * self.rate)
            if tokens >= cost:
                tokens -= cost
                decision = Decision(True, 0.0)
            else:
                decision = Decision(False, (cost - tokens) / self.rate)
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self._max_keys:
                del self._buckets[next(iter(self._buckets))]
            return decision

    def allow(self, key: str, cost: float = 1.0) -> bool:
        """:meth:`acquire` when only the yes/no matters."""
        return self.acquire(key, cost).allowed

    def __len__(self) -> int:
        """Number of keys currently tracked."""
        with self._lock:
            return len(self._buckets)
