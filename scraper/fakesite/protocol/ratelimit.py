"""The logged-in rate limit: one bucket of 100 requests per 60 s for each user.

Plack::Middleware::DW::RateLimit (cgi-bin/Plack/Middleware/DW/RateLimit.pm:28-83) picks the
bucket by the session cookie alone: a request whose cookies resolve to a user goes into
`authenticated_requests` (100/60s, keyed by userid), every other request into
`anonymous_requests` (30/60s, keyed by IP; the fake site's `RateLimit`). Both are DW::RateLimit's
leaky bucket (cgi-bin/DW/RateLimit.pm:55-111): a full bucket as burst, refill max/interval per
second, 429 with `Retry-After: 60` when it holds less than one token. Requests authenticated by
password or API key but without the cookie stay anonymous.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..faults import RateLimit

USER_CAPACITY = 100
USER_INTERVAL = 60


class UserBuckets:
    """One RateLimit per userid, created on first use, sharing the injected clock."""

    def __init__(
        self,
        clock: Callable[[], float] | None = None,
        capacity: int = USER_CAPACITY,
        refill_per_second: float = USER_CAPACITY / USER_INTERVAL,
        interval: int = USER_INTERVAL,
    ) -> None:
        self.clock = clock or time.time
        self.capacity = capacity
        self.refill = refill_per_second
        self.interval = interval
        self._buckets: dict[int, RateLimit] = {}
        self._lock = threading.Lock()

    def bucket(self, userid: int) -> RateLimit:
        with self._lock:
            bucket = self._buckets.get(userid)
            if bucket is None:
                bucket = RateLimit(self.clock, self.capacity, self.refill, self.interval)
                self._buckets[userid] = bucket
            return bucket

    def allow(self, userid: int) -> bool:
        return self.bucket(userid).allow()

    @property
    def refused(self) -> int:
        with self._lock:
            return sum(b.refused for b in self._buckets.values())

    @property
    def retry_after(self) -> int:
        return self.interval
