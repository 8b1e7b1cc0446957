"""The Fetcher interface: what the crawl needs from the network layer, as a typed Protocol.

The HTTP client (`fetch.client.HttpFetcher`) implements it, and so can a test's fake. The crawl
depends only on this: it asks for pages and reads counters; every network policy (rate limit,
retries, redirects, robots.txt, size cap) lives behind it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from .clock import Clock
from .results import FetchResult, FetchStats
from .robots import RobotsRules


@runtime_checkable
class Fetcher(Protocol):
    """Polite, bounded requests to one journal's site."""

    clock: Clock  # the fetcher's time source (wall clock and monotonic), injected in tests
    stats: FetchStats  # counters since the fetcher was made
    robots: RobotsRules | None  # the journal's robots.txt once read (the crawl may preload it)

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allow_repeat: bool = False,
    ) -> FetchResult:
        """GET a page of the journal's site (absolute, or relative to the journal's root)."""
        ...

    def post(
        self,
        url: str,
        data: Mapping[str, str] | None = None,
        *,
        content: bytes | str | None = None,
        content_type: str | None = None,
    ) -> FetchResult:
        """POST a form or a raw body: the adult-content gate (when the user opted in), or the
        site's protocol endpoints (owner mode)."""
        ...

    def set_session_cookie(self, value: str | None) -> None:
        """Send Dreamwidth's `ljsession` cookie (owner mode) to the site from now on; None stops."""
        ...

    def held_back_for(self) -> float:
        """Seconds the site asked us to wait (a 429's Retry-After) that have not yet passed."""
        ...

    def pace(self) -> float | None:
        """Seconds between requests the rate limit allows now (None: no limit)."""
        ...

    def close(self) -> None: ...
