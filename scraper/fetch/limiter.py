"""A token-bucket rate limiter that keeps dwarchive under Dreamwidth's anonymous request budget.

Dreamwidth allows an anonymous IP a bucket of 30 requests refilled at 0.5/s (30 per 60 s). Our
bucket holds `burst` tokens refilled at `rate_per_minute`/60 per second, so in any window of T
seconds at most `burst + rate*T/60` requests pass: with the defaults (24/min, burst 4) that is at
most 28 in any 60 s, for any run length, leaving room for the user's own browser.

After a 429 the fetcher calls `block_until(deadline)` (nothing passes before Retry-After has run
out) and `slow_down()` (the rate is reduced for the rest of the run and bursts stop).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from .clock import Clock, SystemClock

# Tolerance for float rounding when tokens refill to exactly 1.0.
_EPS = 1e-9

WaitCallback = Callable[[float, str], None]
"""Called before each sleep with (seconds, reason), reason 'rate' or 'retry-after'."""


@dataclass
class LimiterStats:
    acquired: int = 0  # tokens handed out
    waits: int = 0  # sleeps taken
    waited: float = 0.0  # seconds slept in total
    slowdowns: int = 0  # slow_down() calls that lowered the rate


class TokenBucket:
    """Token bucket: `burst` tokens, refilled at `rate_per_minute` per minute.

    `rate_per_minute` 0 or None disables rate limiting (benches on loopback); a Retry-After
    deadline set with `block_until` is honoured even then. Thread-safe: callers sharing one bucket
    (one per IP, whatever the number of journals) are served one at a time.
    """

    def __init__(
        self,
        rate_per_minute: float | None = 24,
        burst: int = 4,
        clock: Clock | None = None,
    ) -> None:
        if rate_per_minute is not None and rate_per_minute < 0:
            raise ValueError(f"rate_per_minute must be >= 0, got {rate_per_minute}")
        if burst < 1:
            raise ValueError(f"burst must be >= 1, got {burst}")
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._rate: float | None = float(rate_per_minute) if rate_per_minute else None
        self._burst = burst
        self._tokens = float(burst)
        self._last = self._clock.monotonic()
        self._blocked_until = float("-inf")
        self._lock = threading.Lock()
        self.stats = LimiterStats()

    # --- properties -----------------------------------------------------------------------

    @property
    def rate(self) -> float | None:
        """Current rate in requests per minute; None when limiting is disabled."""
        return self._rate

    @property
    def burst(self) -> int:
        return self._burst

    @property
    def clock(self) -> Clock:
        return self._clock

    def blocked_for(self) -> float:
        """Seconds left before a Retry-After deadline set with block_until (0 when none)."""
        return max(0.0, self._blocked_until - self._clock.monotonic())

    # --- operations -----------------------------------------------------------------------

    def acquire(self, on_wait: WaitCallback | None = None) -> float:
        """Take one token, sleeping through the clock as long as needed; return seconds waited."""
        with self._lock:
            waited = 0.0
            while True:
                now = self._clock.monotonic()
                self._refill(now)
                if now < self._blocked_until:
                    wait, reason = self._blocked_until - now, "retry-after"
                elif self._rate is None:
                    break
                elif self._tokens >= 1.0 - _EPS:
                    self._tokens = max(0.0, self._tokens - 1.0)
                    break
                else:
                    wait, reason = (1.0 - self._tokens) * 60.0 / self._rate, "rate"
                if on_wait is not None:
                    on_wait(wait, reason)
                self._clock.sleep(wait)
                self.stats.waits += 1
                self.stats.waited += wait
                waited += wait
            self.stats.acquired += 1
            return waited

    def block_until(self, monotonic_t: float) -> None:
        """Let nothing pass before `monotonic_t` (a Retry-After deadline on the clock's monotonic)."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, monotonic_t)

    def slow_down(self, factor: float = 0.5, floor: float = 2.0) -> float | None:
        """Multiply the rate by `factor` (not below `floor` per minute) for the rest of the run.

        Also stops bursts (burst becomes 1). Returns the new rate; a disabled limiter stays
        disabled (only block_until applies to it).
        """
        if not 0 < factor <= 1:
            raise ValueError(f"factor must be in (0, 1], got {factor}")
        with self._lock:
            if self._rate is None:
                return None
            self._refill(self._clock.monotonic())
            new = max(self._rate * factor, min(floor, self._rate))
            if new < self._rate:
                self.stats.slowdowns += 1
            self._rate = new
            self._burst = 1
            self._tokens = min(self._tokens, 1.0)
            return new

    # --- internals ------------------------------------------------------------------------

    def _refill(self, now: float) -> None:
        if self._rate is not None and now > self._last:
            self._tokens = min(
                float(self._burst), self._tokens + (now - self._last) * self._rate / 60
            )
        self._last = max(self._last, now)

    def __repr__(self) -> str:
        return f"TokenBucket(rate_per_minute={self._rate}, burst={self._burst})"
