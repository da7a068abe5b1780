"""Token buckets, driven by a fake clock."""

import threading

import pytest

from shixin.auth import Decision, RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_burst_then_refused_with_retry_after(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=2.0, burst=3, clock=clock)
    assert [limiter.allow("public:a") for _ in range(3)] == [True, True, True]
    assert limiter.acquire("public:a") == Decision(False, 0.5)
    clock.now += 0.25
    assert limiter.acquire("public:a") == Decision(False, 0.25)
    clock.now += 0.25
    assert limiter.acquire("public:a") == Decision(True, 0.0)


def test_refill_is_capped_at_burst(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=1.0, burst=2, clock=clock)
    limiter.allow("k")
    clock.now += 3600
    assert [limiter.allow("k") for _ in range(3)] == [True, True, False]


def test_keys_are_independent(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=1.0, burst=1, clock=clock)
    assert limiter.allow("a") and not limiter.allow("a")
    assert limiter.allow("b")


def test_cost(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=10.0, burst=10, clock=clock)
    assert limiter.allow("batch", cost=8)
    refused = limiter.acquire("batch", cost=5)
    assert not refused.allowed and refused.retry_after == pytest.approx(0.3)
    with pytest.raises(ValueError, match="exceeds burst"):
        limiter.acquire("batch", cost=11)


def test_clock_going_backwards_adds_nothing(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=1.0, burst=1, clock=clock)
    assert limiter.allow("k")
    clock.now -= 100
    assert not limiter.allow("k")


def test_memory_is_bounded_least_recent_first(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=1.0, burst=1, clock=clock, max_keys=3)
    for key in "abc":
        limiter.allow(key)
    limiter.allow("a")  # a is now the most recent
    limiter.allow("d")  # evicts b
    assert len(limiter) == 3
    assert not limiter.allow("a") and not limiter.allow("c") and not limiter.allow("d")
    assert limiter.allow("b")  # forgotten, so full again


def test_threads_share_the_budget(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=1.0, burst=500, clock=clock)
    granted = []
    lock = threading.Lock()

    def work() -> None:
        mine = sum(limiter.allow("public:shared") for _ in range(200))
        with lock:
            granted.append(mine)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(granted) == 500


def test_invalid_settings() -> None:
    with pytest.raises(ValueError):
        RateLimiter(rate=0, burst=1)
