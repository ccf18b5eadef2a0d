"""Token bucket arithmetic with a controlled clock (the HTTP behaviour is tested on a live server)."""

from __future__ import annotations

from ledgerlens.api.ratelimit import TokenBucketLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill_at_the_configured_rate() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(60, clock)  # one token per second
    decisions = [limiter.hit("a") for _ in range(61)]
    assert all(d.allowed for d in decisions[:60])
    assert [d.remaining for d in decisions[:3]] == [59, 58, 57]
    over = decisions[60]
    assert not over.allowed and over.remaining == 0 and over.retry_after == 1
    assert over.reset_at == int(clock.now) + 60
    clock.now += 1.0
    assert limiter.hit("a").allowed
    assert not limiter.hit("a").allowed


def test_buckets_are_per_key_and_idle_ones_are_pruned() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(2, clock)
    assert limiter.hit("a").allowed and limiter.hit("a").allowed
    assert not limiter.hit("a").allowed
    assert limiter.hit("b").allowed
    clock.now += 61
    for i in range(5000):
        limiter.hit(f"k{i % 3}")
    assert len(limiter) == 3  # "a" and "b" refilled long ago and were dropped


def test_a_flood_of_distinct_tokens_stays_bounded_and_keeps_recent_buckets() -> None:
    clock = Clock()
    limiter = TokenBucketLimiter(10, clock, max_buckets=1000)
    for _ in range(10):
        limiter.hit("regular")
    assert not limiter.hit("regular").allowed
    for i in range(20_000):
        clock.now += 0.0001
        limiter.hit(f"made-up-{i}")
        if i % 1000 == 0:
            assert not limiter.hit("regular").allowed  # recently used: never evicted
    assert len(limiter) <= 1000 + 4096
