"""The duplicate filter: no URL is fetched twice in one run (a repeat is a crawl-layer bug).

URLs are compared normalised (fragment dropped, host lowercased, default port dropped). A call
marks every URL it requests, redirect targets included; a redirect to a URL that an earlier call
fetched is refused, while a call may pass through its own URLs again (retries). A call made with
`allow_repeat` neither checks nor marks.
"""

from __future__ import annotations

from ..errors import DuplicateRequest
from .exchange import Call
from .redirects import Redirect
from .urls import normalize_url


class DuplicateFilter:
    """The normalised URLs fetched so far in this run."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __contains__(self, url: str) -> bool:
        return normalize_url(url) in self._seen

    def add(self, url: str) -> None:
        """Count `url` as fetched (robots.txt, fetched on the side)."""
        self._seen.add(normalize_url(url))

    def check(self, url: str) -> None:
        """DuplicateRequest when `url` was fetched already."""
        if url in self:
            raise DuplicateRequest(f"already fetched in this run: {url}", url=url)

    def mark(self, call: Call, key: str) -> None:
        """`call` requests the normalised URL `key`."""
        call.own.add(key)
        if call.check_dupes:
            self._seen.add(key)

    def check_hop(self, call: Call, redirect: Redirect) -> None:
        """Refuse a redirect to a URL that an earlier call fetched."""
        key = normalize_url(redirect.target)
        if call.check_dupes and key in self._seen and key not in call.own:
            raise DuplicateRequest(
                f"{call.url} redirects to {redirect.target}, already fetched in this run",
                url=call.url,
                status=redirect.status,
            )
