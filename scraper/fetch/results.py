"""What a fetch returns: the response as the crawl sees it, and the fetcher's counters."""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class FetchResult:
    """One fetched response: what was asked for, what came back, and when."""

    url: str  # the URL requested (absolute)
    final_url: str  # after same-host redirects
    status: int
    headers: dict[str, str]  # names lowercased; repeated headers joined with ', '
    body: bytes = field(repr=False)
    fetched_at: str  # ISO 8601 UTC from the fetcher's clock, e.g. '2026-01-01T00:00:00Z'
    etag: str | None
    last_modified: str | None
    elapsed: float  # seconds on the network for this result (all attempts, no waits)
    attempts: int  # 1 unless retried

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str:
        match = _CHARSET_RE.search(self.headers.get("content-type", ""))
        return _codec(match and match.group(1)) or "utf-8"

    @cached_property
    def text(self) -> str:
        """The body decoded per the Content-Type charset (UTF-8 otherwise), errors replaced."""
        return self.body.decode(self.charset, errors="replace")


def _codec(label: str | None) -> str | None:
    """The codec name for a charset label; None when absent or unknown."""
    try:
        return codecs.lookup(label).name if label else None
    except LookupError:
        return None


@dataclass
class FetchStats:
    requests: int = 0  # HTTP exchanges attempted (robots.txt, redirect hops, retries included)
    responses: Counter[int] = field(default_factory=Counter)  # by status code
    retries: int = 0
    waits: int = 0  # sleeps (rate limit, backoff, Retry-After)
    waited: float = 0.0  # seconds slept in total
    rate_limited: int = 0  # 429 responses
    bytes: int = 0  # bytes received on the wire

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["responses"] = dict(sorted(self.responses.items()))
        return data
