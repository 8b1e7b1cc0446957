"""Time for the fetcher: a Clock protocol, the real SystemClock and a FakeClock for tests and benches.

Everything in scraper.fetch that reads the time or sleeps does it through a Clock, so tests inject a
FakeClock whose sleep() advances time instantly and records every sleep for assertions.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Wall-clock time, a monotonic counter and a sleep that the rest of the fetcher uses."""

    def now(self) -> datetime:
        """The current time as a timezone-aware UTC datetime."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards (for deadlines and rates)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block for `seconds` (<= 0: return at once)."""
        ...


class SystemClock:
    """The real clock: datetime.now(UTC), time.monotonic(), time.sleep()."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"


class FakeClock:
    """A clock for tests: sleep() advances time at once and is recorded in `sleeps`.

    `advance(seconds)` moves time forward without recording a sleep (time passing elsewhere).
    Reads are safe from other threads (a loopback test server stamping request arrival times).
    """

    def __init__(
        self,
        start: datetime = datetime(2026, 1, 1, tzinfo=UTC),
        monotonic_start: float = 1000.0,
    ) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock start must be timezone-aware")
        self._start = start.astimezone(UTC)
        self._origin = monotonic_start
        self._t = monotonic_start
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        with self._lock:
            return self._start + timedelta(seconds=self._t - self._origin)

    def monotonic(self) -> float:
        with self._lock:
            return self._t

    def sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"negative sleep: {seconds}")
        if seconds == 0:
            return
        with self._lock:
            self.sleeps.append(seconds)
            self._t += seconds

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"time cannot go backwards: {seconds}")
        with self._lock:
            self._t += seconds

    @property
    def slept(self) -> float:
        """Total seconds slept so far."""
        with self._lock:
            return sum(self.sleeps)

    def __repr__(self) -> str:
        return f"FakeClock(t={self._t - self._origin:.3f}s, sleeps={len(self.sleeps)})"
