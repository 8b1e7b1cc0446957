"""Failures the fake site can inject, and Dreamwidth's anonymous rate limit.

A `Fault` matches requests by journal and by a regex on the path-with-query, fires at most
`times` times (None: always) and, with `rate`, only on a seeded-random share of the matching
requests. Kinds (extra settings in `params`):

* ``status``    any status code; ``code`` (503), ``retry_after`` (seconds, an HTTP-date string, a
                datetime, or a callable giving one of those when the fault fires), ``body``,
                ``headers``.
* ``reset``     the connection is dropped (TCP RST) without a response.
* ``truncate``  Content-Length promises more than is sent (``keep``: bytes sent, default half).
* ``stall``     the response is held until ``fault.release()`` / ``site.release_stalls()``, the
                client goes away, or ``timeout`` seconds (default 30) pass; then served normally.
* ``drip``      a 200 whose headers come at once and whose body follows one byte every
                ``interval`` seconds (default 20), so no single read times out; ``tick``, a
                callable run before each byte, lets a test move its fake clock instead of waiting.
* ``captcha``   302 to the www host's /captcha?returnto=URL, like DW::Captcha->redirect_url.
* ``adult``     302 to /journal/adult_concepts?ret=URL (``type``: 'concepts' | 'explicit') until
                the reader confirms the interstitial (POST with the ljuniq cookie).
* ``huge``      a 200 page of ``mb`` megabytes (default 5); ``declare`` False leaves out the
                Content-Length (the body then runs until the connection closes).
* ``malformed`` ``mode``: 'garbage' (random bytes), 'latin1' (the page encoded as cp1252 while
                declaring UTF-8), 'binary' (PNG bytes as text/html), 'half' (HTML cut mid-tag).
* ``redirect``  ``to``: a URL, or ``journal``: another served journal (same path); ``code`` 302.

`RateLimit` is the token bucket of DW::RateLimit for anonymous readers: capacity 30, refill
0.5/s, a refused request changes nothing; refusals are 429 with ``Retry-After: 60`` and the
site's body. Its clock is injectable so tests never sleep.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = (
    "status",
    "reset",
    "truncate",
    "stall",
    "drip",
    "captcha",
    "adult",
    "huge",
    "malformed",
    "redirect",
)


@dataclass(eq=False)
class Fault:
    """One injected failure; see the module docstring for kinds and params."""

    kind: str
    path: str | None = None  # regex searched in the path with query; None matches every path
    times: int | None = None  # fire at most this often; None = unlimited
    rate: float | None = None  # fire on this share of matching requests (seeded)
    seed: int = 0
    journal: str | None = None  # only this journal; None = any journal
    params: dict[str, Any] = field(default_factory=dict)
    fired: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        self._pattern = re.compile(self.path) if self.path else None
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self._released = threading.Event()

    def applies(self, journal: str, path_with_query: str) -> bool:
        """Whether this request triggers the fault (counts the firing)."""
        if self.journal is not None and self.journal != journal:
            return False
        if self._pattern is not None and not self._pattern.search(path_with_query):
            return False
        with self._lock:
            if self.times is not None and self.fired >= self.times:
                return False
            if self.rate is not None and self._rng.random() >= self.rate:
                return False
            self.fired += 1
            return True

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    def release(self) -> None:
        """Let stalled responses of this fault go on."""
        self._released.set()

    def wait_released(self, timeout: float) -> bool:
        return self._released.wait(timeout)


class FaultSet:
    """The site's faults, checked in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            faults, self._faults = self._faults, []
        for fault in faults:
            fault.release()

    def release_all(self) -> None:
        with self._lock:
            faults = list(self._faults)
        for fault in faults:
            fault.release()

    def match(
        self, journal: str, path_with_query: str, skip: Callable[[Fault], bool] | None = None
    ) -> Fault | None:
        with self._lock:
            faults = list(self._faults)
        for fault in faults:
            if skip is not None and skip(fault):
                continue
            if fault.applies(journal, path_with_query):
                return fault
        return None

    def __len__(self) -> int:
        return len(self._faults)


class RateLimit:
    """DW::RateLimit's token bucket (anonymous_requests = 30/60s) with an injectable clock."""

    def __init__(
        self,
        clock: Callable[[], float] | None = None,
        capacity: int = 30,
        refill_per_second: float = 0.5,
        interval: int = 60,
    ) -> None:
        self.clock = clock or time.time
        self.capacity = capacity
        self.refill = refill_per_second
        self.interval = interval
        self._level: float | None = None
        self._last = 0.0
        self._lock = threading.Lock()
        self.refused = 0

    def allow(self) -> bool:
        """Take a token; False (and no state change) when the bucket holds less than one."""
        with self._lock:
            now = self.clock()
            if self._level is None or now - self._last >= self.interval:
                level, last = float(self.capacity), now  # memcache entry expired: full bucket
            else:
                level, last = self._level, self._last
            level = min(float(self.capacity), level + (now - last) * self.refill)
            if level < 1:
                self.refused += 1
                return False
            self._level, self._last = level - 1, now
            return True

    @property
    def retry_after(self) -> int:
        return self.interval


def garbage(seed: int, size: int = 4096) -> bytes:
    """Deterministic junk bytes for the 'malformed' fault."""
    return random.Random(seed).randbytes(size)


PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
