"""Images over the same fetch stack as pages, under a host policy of their own.

`ImageHosts` says where one journal's images may come from: http(s) on port 80/443 of the
journal's site (its host, the site's main and userpic hosts) and of the hosts its entries embed
images from, at public addresses only; for a journal on loopback, loopback addresses only (any
port). Redirects are checked the same way at every hop. The contact address goes to the journal's
site only; other image hosts get a User-Agent without it.

`ImageFetcher` fetches one image with retries (retry.py), redirects by hand (redirects.py), the
one body reader (body.py) and a polite token bucket per image host, and turns every ending into
an `Outcome`: ok, error (retried next run), missing (404/410), too_large, not_image, or refused
(the policy said no; nothing was requested from that host).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import FetchError, OffHost, TooLarge
from .body import DEFAULT_DEADLINE, DEFAULT_MAX_BYTES
from .clock import Clock, SystemClock
from .exchange import Call, Exchanger, Raw
from .hosts import AddressGuard, Resolver
from .limiter import TokenBucket
from .redirects import Redirect, follow
from .results import FetchStats
from .retry import RetryPolicy, raise_for_retryable
from .urls import is_loopback_root, origin, site_domain
from .useragent import anonymous_user_agent, build_user_agent

WEB_PORTS = frozenset({80, 443})


@dataclass(frozen=True)
class Outcome:
    """What fetching one image gave."""

    status: str  # 'ok' | 'error' | 'missing' | 'too_large' | 'not_image' | 'refused'
    data: bytes | None = None
    content_type: str | None = None
    error: str | None = None


class ImageHosts:
    """Where one journal's images may come from (see the module docstring)."""

    def __init__(
        self,
        root: str | None,
        entry_image_urls: Iterable[str] = (),
        *,
        resolve: Resolver | None = None,
    ) -> None:
        self.root = root
        self.loopback_only = root is not None and is_loopback_root(root)
        self.guard = AddressGuard(loopback_only=self.loopback_only, resolve=resolve)
        self.domain = site_domain(root) if root else None  # 'dreamwidth.org'
        self._journal = self._key(root) if root else None
        self._linked = {self._key(url) for url in entry_image_urls}

    def _key(self, url: str) -> object:
        """Hosts compare by name (ports are 80/443 anyway); on loopback by name and port."""
        _, host, port = origin(url)
        return (host, port) if self.loopback_only else host

    def on_site(self, url: str) -> bool:
        """On the journal's site: the journal's host, or any host of its LJ-family site (the
        main host, the userpic host such as v.dreamwidth.org). Gets the contact."""
        if self._key(url) == self._journal:
            return True
        host = (urlsplit(url).hostname or "").lower()
        return self.domain is not None and host.endswith(f".{self.domain}")

    def check(self, url: str, kind: str = "entry") -> None:
        """OffHost (refused) unless `url` may be fetched as an image of this journal."""
        scheme, host, port = origin(url)
        if scheme not in ("http", "https") or not host:
            raise OffHost(f"{url}: not an http(s) URL; refused", url=url, target=url)
        if not self.loopback_only and port not in WEB_PORTS:
            raise OffHost(f"{url}: port {port} is not 80 or 443; refused", url=url, target=url)
        known = self.on_site(url) or (kind == "entry" and self._key(url) in self._linked)
        if not known:
            what = "the site's hosts" if kind == "userpic" else "a host this journal's entries use"
            raise OffHost(f"{url}: {host} is not {what}; refused", url=url, target=url)
        self.guard.check(url, host)

    def check_redirect(self, call: Call, redirect: Redirect) -> None:
        try:
            self.check(redirect.target)
        except OffHost as exc:
            raise OffHost(
                f"{redirect.requested} redirects to {redirect.target}: {exc}",
                url=redirect.requested,
                status=redirect.status,
                target=redirect.target,
            ) from None


class HostBuckets:
    """One polite token bucket per image host, shared by every journal of a run."""

    def __init__(self, per_host_rate: float | None, clock: Clock) -> None:
        self.per_host_rate = per_host_rate
        self.clock = clock
        self._buckets: dict[str, TokenBucket] = {}

    def for_url(self, url: str) -> TokenBucket:
        host = (urlsplit(url).hostname or "").lower()
        if host not in self._buckets:
            self._buckets[host] = TokenBucket(self.per_host_rate, burst=2, clock=self.clock)
        return self._buckets[host]


class ImageFetcher:
    """GETs one journal's images politely, through the shared fetch stack."""

    def __init__(
        self,
        hosts: ImageHosts,
        *,
        contact: str | None,
        buckets: HostBuckets | None = None,
        per_host_rate: float = 12,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = 30.0,
        max_attempts: int = 3,
        max_retry_after: float = 600.0,
        backoff_max: float = 60.0,
        deadline: float = DEFAULT_DEADLINE,
        on_event: Callable[..., None] | None = None,
    ) -> None:
        self.hosts = hosts
        self.clock: Clock = clock or (buckets.clock if buckets else SystemClock())
        self.buckets = buckets or HostBuckets(per_host_rate, self.clock)
        self.stats = FetchStats()
        self._on_event = on_event
        self._site_agent = build_user_agent(contact)
        self._agent = anonymous_user_agent()
        self._client = httpx.Client(
            headers={"Accept": "image/*"},
            timeout=timeout,
            transport=transport,
            trust_env=not hosts.loopback_only,  # never send loopback traffic through a proxy
            follow_redirects=False,
        )
        self._exchanger = Exchanger(
            self._client,
            clock=self.clock,
            stats=self.stats,
            emit=self._emit,
            limiter_for=self.buckets.for_url,
            max_bytes=max_bytes,
            deadline=deadline,
            prepare=self._set_user_agent,
        )
        self._retry = RetryPolicy(
            clock=self.clock,
            stats=self.stats,
            emit=self._emit,
            limiter_for=self.buckets.for_url,
            max_attempts=max_attempts,
            max_retry_after=max_retry_after,
            backoff_max=backoff_max,
        )

    def fetch(self, url: str, kind: str = "entry") -> Outcome:
        """Fetch one image; every ending is an Outcome, never an exception."""
        try:
            self.hosts.check(url, kind)
            call = Call("GET", url, check_dupes=False)
            raw = self._retry.run(url, lambda: self._attempt(call))
        except OffHost as exc:
            return Outcome("refused", error=str(exc))
        except TooLarge as exc:
            return Outcome("too_large", error=str(exc))
        except FetchError as exc:
            return Outcome("error", error=str(exc)[:500])
        return _outcome(raw)

    def _attempt(self, call: Call) -> Raw:
        call.attempts += 1
        raw = follow(call, self._exchanger.send, self.hosts.check_redirect)
        raise_for_retryable(raw.url, raw.status, raw.headers.get("retry-after"), self.clock)
        return raw

    def _set_user_agent(self, request: httpx.Request) -> None:
        on_site = self.hosts.on_site(str(request.url))
        request.headers["User-Agent"] = self._site_agent if on_site else self._agent

    def _emit(self, kind: str, **info: Any) -> None:
        if self._on_event is not None:
            self._on_event(kind, **info)

    def close(self) -> None:
        self._client.close()


def _outcome(raw: Raw) -> Outcome:
    if raw.status in (404, 410):
        return Outcome("missing", error=f"HTTP {raw.status}")
    if raw.status != 200:
        return Outcome("error", error=f"HTTP {raw.status}")
    content_type = raw.headers.get("content-type", "").split(";")[0].strip().lower()
    if not content_type.startswith("image/"):
        return Outcome("not_image", error=f"not an image ({content_type or 'no content type'})")
    return Outcome("ok", raw.body, content_type)
