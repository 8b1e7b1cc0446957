"""HttpFetcher: polite, bounded HTTP to one journal's site, assembled from one policy per module.

A request goes through, in order: the scope (scope.py: which origins and paths may be asked
for), the duplicate filter (dupes.py), a Retry-After hold, robots.txt (robots.py), then the retry
policy (retry.py) around redirects followed by hand (redirects.py, every hop checked by the scope,
robots.txt and the duplicate filter), each request sent by the exchanger (exchange.py: rate limit,
no Referer, the session cookie, the one body reader of body.py with its size cap and deadline).
A page's body must be valid in its declared charset. The User-Agent names the contact
(useragent.py); the owner's session cookie (session.py) is never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC
from typing import Any, Self
from urllib.parse import urljoin

import httpx

from ..errors import FetchError, RateLimited
from .body import DEFAULT_DEADLINE, DEFAULT_MAX_BYTES, check_charset
from .clock import Clock, SystemClock
from .dupes import DuplicateFilter
from .exchange import Call, Exchanger, Raw
from .limiter import TokenBucket
from .redirects import HopCheck, Redirect, follow
from .results import FetchResult, FetchStats
from .retry import RetryPolicy, raise_for_retryable
from .robots import RobotsPolicy, RobotsRules
from .scope import JournalScope
from .session import SessionCookie
from .urls import is_loopback_root, journal_root
from .useragent import CONTACT_ENV, build_user_agent, check_contact

DEFAULT_TIMEOUT = httpx.Timeout(30, connect=10)  # read when a Fetcher is made (tests shorten it)

EventHandler = Callable[..., None]
"""on_event(kind, **info). Kinds and their info:

'request' (method, url, status, elapsed[, error]) one HTTP exchange (status None when it failed);
'wait' (seconds, reason) before sleeping, reason 'rate' | 'retry' | 'retry-after';
'retry' (url, attempt, error) an attempt failed and will be retried;
'warning' (message) something the user should read (no contact, robots override).
"""


class HttpFetcher:
    """Fetch pages of the journal at `root_url`, politely and within bounds.

    Only the root's scheme+host+port is requested, plus on the site's main host (`api_root`,
    see urls.api_root_for) the protocol endpoints when `api_root` is given, and the gate paths
    of an adult-content notice the site sent us to when `allow_adult_host` is set. Dreamwidth
    limits per IP, not per journal: when one run archives several journals, pass them all the
    same `limiter=TokenBucket(...)`. One Fetcher is meant for one thread.
    """

    def __init__(
        self,
        root_url: str,
        *,
        contact: str | None,
        rate_per_minute: float | None = 24,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_attempts: int = 5,
        max_retry_after: float = 900,
        obey_robots: bool = True,
        robots_override_reason: str | None = None,
        on_event: EventHandler | None = None,
        limiter: TokenBucket | None = None,
        allow_adult_host: bool = False,
        backoff_max: float = 60.0,
        deadline: float = DEFAULT_DEADLINE,
        api_root: str | None = None,
    ) -> None:
        self.root = journal_root(root_url)
        if limiter is not None:
            self.limiter = limiter
            self.clock: Clock = clock if clock is not None else limiter.clock
        else:
            self.clock = clock if clock is not None else SystemClock()
            self.limiter = TokenBucket(rate_per_minute, clock=self.clock)
        self.contact = check_contact(contact)
        self.user_agent = build_user_agent(self.contact)
        self.max_retry_after = max_retry_after
        self.stats = FetchStats()
        self.warnings: list[str] = []
        self._on_event = on_event
        self.scope = JournalScope(self.root, api_root=api_root, allow_adult=allow_adult_host)
        self.session = SessionCookie(self.scope.on_site)
        self._dupes = DuplicateFilter()
        self._client = httpx.Client(
            transport=transport,
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            follow_redirects=False,
            headers={"User-Agent": self.user_agent},
            trust_env=not is_loopback_root(self.root),  # no proxy for loopback test traffic
        )
        self._exchanger = Exchanger(
            self._client,
            clock=self.clock,
            stats=self.stats,
            emit=self._emit,
            limiter_for=lambda url: self.limiter,
            max_bytes=max_bytes,
            deadline=deadline,
            prepare=self.session.add_to,
        )
        self._retry = RetryPolicy(
            clock=self.clock,
            stats=self.stats,
            emit=self._emit,
            limiter_for=lambda url: self.limiter,
            max_attempts=max_attempts,
            max_retry_after=max_retry_after,
            backoff_max=backoff_max,
        )
        self._robots = RobotsPolicy(
            self.root,
            self.user_agent,
            load=self._load_robots,
            warn=self._warn,
            obey=obey_robots,
            override_reason=robots_override_reason,
        )
        if self.contact is None:
            self._warn(
                "no contact address given: Dreamwidth's bot policy asks bots to name one in the "
                f"User-Agent; pass --contact EMAIL or set {CONTACT_ENV}"
            )

    # --- public API -----------------------------------------------------------------------

    @property
    def robots(self) -> RobotsRules | None:
        """The journal's robots.txt once read; the crawl may preload a cached copy."""
        return self._robots.rules

    @robots.setter
    def robots(self, rules: RobotsRules | None) -> None:
        self._robots.rules = rules

    @property
    def api_root(self) -> str | None:
        return self.scope.api_root

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        allow_repeat: bool = False,
    ) -> FetchResult:
        """GET `url` (absolute, or relative to the root).

        Returns the result for 2xx, 304 and final 4xx other than 429; raises FetchError after
        retries for timeouts, connection errors, truncated or too slow bodies and 5xx, FetchError
        for an HTML/XML body not valid in its charset, RobotsUnreadable, RateLimited, Blocked
        (captcha), AdultContentGate (`.gate_url`), OffHost (`.target` for redirects), TooLarge,
        RobotsDisallowed, DuplicateRequest (unless `allow_repeat`).
        """
        with self._redacted_errors():
            absolute = self._absolute(url)
            self.scope.check_get(absolute)
            if not allow_repeat:
                self._dupes.check(absolute)
            self._check_not_held_back(absolute)
            self._check_robots(absolute)
            headers: dict[str, str] = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            call = Call("GET", absolute, headers, check_dupes=not allow_repeat)
            return self._run(call, etag=etag, last_modified=last_modified)

    def post(
        self,
        url: str,
        data: Mapping[str, str] | None = None,
        *,
        content: bytes | str | None = None,
        content_type: str | None = None,
    ) -> FetchResult:
        """POST a form (`data`) or a raw body (`content` with `content_type`, e.g. text/xml).

        To the journal's origin, to the protocol endpoints of `api_root`, or (after the user
        opted in and the site sent us there) to an adult-content gate; a redirect is followed
        as a GET. Retried on transient failures like a GET. Cookies stay in the client's jar.
        """
        if data is not None and content is not None:
            raise ValueError("post() takes a form (data) or a raw body (content), not both")
        with self._redacted_errors():
            absolute = self._absolute(url)
            self.scope.check_post(absolute)
            self._check_not_held_back(absolute)
            body = content.encode("utf-8") if isinstance(content, str) else content
            call = Call(
                "POST",
                absolute,
                data=dict(data) if data is not None else None,
                content=body,
                content_type=content_type,
                check_dupes=False,
            )
            return self._run(call)

    def set_session_cookie(self, value: str | None) -> None:
        """Send `ljsession=value` with every request to the journal's site (None: stop)."""
        self.session.set(value)

    def held_back_for(self) -> float:
        """Seconds a 429's Retry-After still holds every request back."""
        return self.limiter.blocked_for()

    def pace(self) -> float | None:
        """Seconds between requests the rate limit allows now (None: no limit)."""
        rate = self.limiter.rate
        return 60.0 / rate if rate else None

    def has_fetched(self, url: str) -> bool:
        """True when `url` (normalised) was already requested by this fetcher."""
        return self._absolute(url) in self._dupes

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"HttpFetcher({self.root!r}, rate={self.limiter.rate})"

    # --- checks before any request --------------------------------------------------------

    def _absolute(self, url: str) -> str:
        return urljoin(self.root, url.strip())

    def _check_not_held_back(self, url: str) -> None:
        remaining = self.limiter.blocked_for()
        if remaining > self.max_retry_after:
            raise RateLimited(
                f"still rate limited for {remaining:.0f} s (longer than {self.max_retry_after:g} s); "
                "try again later",
                url=url,
                status=429,
            )

    def _check_robots(self, url: str) -> None:
        if self.scope.in_journal(url):
            self._robots.check(url)

    def _load_robots(self, robots_url: str) -> FetchResult:
        self._dupes.add(robots_url)
        call = Call("GET", robots_url, check_dupes=False)
        return self._run(call, check_hop=self.scope.check_robots_redirect)

    # --- one call: retries around redirects around exchanges ------------------------------

    def _run(
        self,
        call: Call,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        check_hop: HopCheck | None = None,
    ) -> FetchResult:
        hop_check = check_hop or self._check_page_hop

        def attempt() -> Raw:
            call.attempts += 1
            raw = follow(call, self._exchanger.send, hop_check, self._dupes.mark)
            raise_for_retryable(raw.url, raw.status, raw.headers.get("retry-after"), self.clock)
            return raw

        raw = self._retry.run(call.url, attempt)
        return self._result(call, raw, etag, last_modified)

    def _check_page_hop(self, call: Call, redirect: Redirect) -> None:
        self.scope.check_redirect(call, redirect)
        self._check_robots(redirect.target)
        self._dupes.check_hop(call, redirect)

    def _result(
        self, call: Call, raw: Raw, etag: str | None, last_modified: str | None
    ) -> FetchResult:
        headers = self.session.redact_headers(
            {name.lower(): value for name, value in raw.headers.items()}
        )
        check_charset(call.url, raw.status, headers, raw.body)
        new_etag = headers.get("etag")
        new_last_modified = headers.get("last-modified")
        if raw.status == 304:  # a 304 may leave the validators out: the ones sent still hold
            new_etag = new_etag or etag
            new_last_modified = new_last_modified or last_modified
        now = self.clock.now().astimezone(UTC)
        return FetchResult(
            url=call.url,
            final_url=raw.url,
            status=raw.status,
            headers=headers,
            body=raw.body,
            fetched_at=now.isoformat(timespec="seconds").replace("+00:00", "Z"),
            etag=new_etag,
            last_modified=new_last_modified,
            elapsed=call.elapsed,
            attempts=call.attempts,
        )

    @contextmanager
    def _redacted_errors(self) -> Iterator[None]:
        """Errors leave without the session value (in messages and URL attributes)."""
        try:
            yield
        except FetchError as exc:
            raise self.session.redact_error(exc) from None

    # --- events ---------------------------------------------------------------------------

    def _warn(self, message: str) -> None:
        message = self.session.redact(message)
        self.warnings.append(message)
        self._emit("warning", message=message)

    def _emit(self, kind: str, **info: Any) -> None:
        if self._on_event is not None:
            info = {k: self.session.redact(v) if isinstance(v, str) else v for k, v in info.items()}
            self._on_event(kind, **info)
