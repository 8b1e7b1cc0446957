"""TokenBucket: stays under Dreamwidth's 30 requests / 60 s for any run length, honours deadlines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.fetch.clock import FakeClock
from scraper.fetch.limiter import TokenBucket

DW_CAPACITY = 30  # Dreamwidth's anonymous bucket: 30 tokens, refilled at 0.5/s
DW_REFILL = 0.5


def max_in_window(times: list[float], window: float = 60.0) -> int:
    """Most timestamps inside any closed window of `window` seconds."""
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] > window + 1e-9:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def dw_bucket_min(times: list[float]) -> float:
    """Simulate Dreamwidth's bucket against our request times: lowest level before a request."""
    tokens, last, lowest = float(DW_CAPACITY), times[0], float(DW_CAPACITY)
    for t in times:
        tokens = min(DW_CAPACITY, tokens + (t - last) * DW_REFILL)
        last = t
        lowest = min(lowest, tokens)
        tokens -= 1
    return lowest


def run(bucket: TokenBucket, clock: FakeClock, n: int) -> list[float]:
    times = []
    for _ in range(n):
        bucket.acquire()
        times.append(clock.monotonic())
    return times


def test_default_rate_never_exceeds_dreamwidth_budget_and_achieves_configured_rate():
    clock = FakeClock()
    bucket = TokenBucket(clock=clock)  # defaults: 24/min, burst 4
    assert bucket.rate == 24 and bucket.burst == 4
    times = run(bucket, clock, 3000)  # about 2 h of simulated crawling
    assert max_in_window(times) <= 30
    assert max_in_window(times) == 28  # burst 4 + 24 refilled within the same minute
    assert dw_bucket_min(times) >= 1  # Dreamwidth's own bucket never runs dry: no 429
    achieved_per_min = (len(times) - bucket.burst) / (times[-1] - times[0]) * 60
    assert 0.95 <= achieved_per_min / 24 <= 1.0 + 1e-9
    assert clock.sleeps and all(s == pytest.approx(2.5) for s in clock.sleeps)


@settings(max_examples=60, deadline=None)
@given(
    rate=st.floats(min_value=1, max_value=24),
    burst=st.integers(min_value=1, max_value=6),
    gaps=st.lists(st.floats(min_value=0, max_value=90), min_size=1, max_size=250),
)
def test_any_pacing_stays_under_burst_plus_rate(rate, burst, gaps):
    clock = FakeClock()
    bucket = TokenBucket(rate, burst=burst, clock=clock)
    times = []
    for gap in gaps:
        clock.advance(gap)  # the caller idles (parsing, storing) between requests
        bucket.acquire()
        times.append(clock.monotonic())
    assert max_in_window(times) <= burst + rate + 1e-6
    if burst <= 6:
        assert max_in_window(times) <= 30
        assert dw_bucket_min(times) >= 1


def test_first_burst_is_free_then_spaced():
    clock = FakeClock()
    bucket = TokenBucket(24, burst=4, clock=clock)
    waited = [bucket.acquire() for _ in range(6)]
    assert waited == [0, 0, 0, 0, pytest.approx(2.5), pytest.approx(2.5)]
    assert bucket.stats.acquired == 6 and bucket.stats.waits == 2
    assert bucket.stats.waited == pytest.approx(5.0)


def test_idle_time_refills_only_up_to_burst():
    clock = FakeClock()
    bucket = TokenBucket(24, burst=4, clock=clock)
    run(bucket, clock, 4)
    clock.advance(3600)
    waits = [bucket.acquire() for _ in range(5)]
    assert waits[:4] == [0, 0, 0, 0] and waits[4] == pytest.approx(2.5)


def test_block_until_holds_everything_back_and_reports_reason():
    clock = FakeClock()
    bucket = TokenBucket(24, burst=4, clock=clock)
    start = clock.monotonic()
    bucket.block_until(start + 7)
    assert bucket.blocked_for() == pytest.approx(7)
    seen = []
    bucket.acquire(on_wait=lambda s, reason: seen.append((s, reason)))
    assert clock.monotonic() >= start + 7
    assert seen == [(pytest.approx(7), "retry-after")]
    assert bucket.blocked_for() == 0
    bucket.block_until(start)  # an earlier deadline never shortens a later one
    assert bucket.acquire() == 0


def test_slow_down_halves_rate_with_floor_and_stops_bursts():
    clock = FakeClock()
    bucket = TokenBucket(24, burst=4, clock=clock)
    assert bucket.slow_down() == 12
    assert bucket.burst == 1
    assert bucket.slow_down() == 6
    assert bucket.slow_down(factor=0.1, floor=3) == 3
    assert bucket.slow_down(floor=3) == 3  # stays at the floor for the run
    assert bucket.stats.slowdowns == 3
    bucket.acquire()
    assert bucket.acquire() == pytest.approx(20)  # 3/min
    with pytest.raises(ValueError):
        bucket.slow_down(factor=0)


def test_slow_down_never_raises_a_rate_already_below_floor():
    bucket = TokenBucket(1, clock=FakeClock())
    assert bucket.slow_down(floor=2) == 1


@pytest.mark.parametrize("rate", [0, None])
def test_disabled_limiter_never_sleeps_but_honours_deadlines(rate):
    clock = FakeClock()
    bucket = TokenBucket(rate, clock=clock)
    assert bucket.rate is None
    assert sum(bucket.acquire() for _ in range(1000)) == 0
    assert clock.sleeps == []
    assert bucket.slow_down() is None
    bucket.block_until(clock.monotonic() + 5)
    assert bucket.acquire() == pytest.approx(5)


def test_bad_arguments():
    with pytest.raises(ValueError):
        TokenBucket(-1)
    with pytest.raises(ValueError):
        TokenBucket(24, burst=0)


def test_fake_clock_records_sleeps_and_moves_wall_time():
    clock = FakeClock()
    t0, m0 = clock.now(), clock.monotonic()
    clock.sleep(1.5)
    clock.sleep(0)  # not recorded
    clock.advance(10)  # not a sleep
    assert clock.sleeps == [1.5] and clock.slept == 1.5
    assert clock.monotonic() - m0 == pytest.approx(11.5)
    assert (clock.now() - t0).total_seconds() == pytest.approx(11.5)
    assert clock.now().tzinfo is not None
    with pytest.raises(ValueError):
        clock.sleep(-1)


def test_system_clock_basics():
    from scraper.fetch.clock import Clock, SystemClock

    clock = SystemClock()
    assert isinstance(clock, Clock) and isinstance(FakeClock(), Clock)
    a = clock.monotonic()
    clock.sleep(0)
    assert clock.monotonic() >= a
    assert clock.now().utcoffset().total_seconds() == 0
