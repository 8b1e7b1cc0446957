"""The Fetcher: polite, bounded HTTP requests to one journal's host.

It owns every network policy of dwarchive and nothing else (no HTML, no SQL): one keep-alive
httpx client with a User-Agent naming a contact, a token-bucket rate limit shared by every request
(robots.txt, redirects and retries included), Retry-After honoured as a minimum, retries with
exponential backoff and jitter for transient failures, redirects followed by hand so a captcha or
adult-content gate or a move to another host is reported instead of followed, robots.txt (one
that cannot be read for server or network errors stops the crawl, RFC 9309), a size cap, a body
that is not valid in its declared charset refused, and a guarantee that no URL is fetched twice
in one run.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any, Self
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_never,
    wait_exponential_jitter,
)

from .. import __version__
from ..errors import (
    AdultContentGate,
    Blocked,
    DuplicateRequest,
    FetchError,
    OffHost,
    RateLimited,
    RobotsDisallowed,
    TooLarge,
)
from .clock import Clock, SystemClock
from .limiter import TokenBucket
from .results import _CHARSET_RE, FetchResult, FetchStats, _codec
from .retry_after import parse_retry_after
from .robots import RobotsRules
from .urls import (
    LOOPBACK_HOSTS,
    NON_JOURNAL_LABELS,
    journal_root,
    lj_family_split,
    normalize_url,
    origin,
    same_origin,
)

CONTACT_ENV = "DWARCHIVE_CONTACT"
DEFAULT_TIMEOUT = httpx.Timeout(30, connect=10)  # read when a Fetcher is made (tests shorten it)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_RETRY_AFTER = 60.0  # what Dreamwidth sends, and our assumption when a 429 has none
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CAPTCHA_PATH = "/captcha"
ADULT_GATE_PATHS = ("/journal/adult_concepts", "/journal/adult_explicit")
NO_CONTACT = "no contact given"

EventHandler = Callable[..., None]
"""on_event(kind, **info). Kinds and their info:

'request' (method, url, status, elapsed[, error]) one HTTP exchange (status None when it failed);
'wait' (seconds, reason) before sleeping, reason 'rate' | 'retry' | 'retry-after';
'retry' (url, attempt, error) an attempt failed and will be retried;
'warning' (message) something the user should read (no contact, robots override).
"""


def contact_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    """The contact address from $DWARCHIVE_CONTACT, None when unset or blank."""
    env = os.environ if environ is None else environ
    value = (env.get(CONTACT_ENV) or "").strip()
    return value or None


def build_user_agent(contact: str | None) -> str:
    """`dwarchive/VERSION (+CONTACT)`, or `(+no contact given)` without one."""
    contact = (contact or "").strip()
    if any(ch in contact for ch in "\r\n\x00()"):
        raise ValueError(f"contact must be a plain e-mail address or URL, got {contact!r}")
    return f"dwarchive/{__version__} (+{contact or NO_CONTACT})"


# --- results and counters ---------------------------------------------------------------------

# --- internal control flow (never leaves this module) -----------------------------------------


class _Transient(FetchError):
    """A failure worth retrying: timeout, connection error, truncated body, 5xx."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message, status=status)
        self.retry_after = retry_after


class _TooManyRequests(FetchError):
    """A 429; the limiter is told to hold everything back for `retry_after` seconds."""

    def __init__(self, retry_after: float):
        super().__init__(f"HTTP 429, Retry-After {retry_after:g} s", status=429)
        self.retry_after = retry_after


@dataclass
class _Call:
    """One get()/post() with its counters across attempts."""

    method: str
    url: str
    headers: dict[str, str]
    data: dict[str, str] | None = None
    check_dupes: bool = True
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 0
    n429: int = 0
    transient: int = 0
    elapsed: float = 0.0
    own: set[str] = field(default_factory=set)  # normalised URLs this call has requested


@dataclass
class _Raw:
    url: str
    status: int
    headers: httpx.Headers
    body: bytes


# --- the fetcher ------------------------------------------------------------------------------


class HttpFetcher:
    """Fetch pages of the journal at `root_url`, politely and within bounds.

    Only the root's scheme+host+port is ever requested (plus, after an explicit opt-in with
    `allow_adult_host=True`, the host of an adult-content gate it was redirected to). Dreamwidth
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
    ) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {max_attempts}")
        if max_bytes < 1:
            raise ValueError(f"max_bytes must be >= 1, got {max_bytes}")
        self.root = journal_root(root_url)
        if limiter is not None:
            self.limiter = limiter
            self.clock: Clock = clock if clock is not None else limiter.clock
        else:
            self.clock = clock if clock is not None else SystemClock()
            self.limiter = TokenBucket(rate_per_minute, clock=self.clock)
        self.contact = (contact or "").strip() or None
        self.user_agent = build_user_agent(self.contact)
        self.max_bytes = max_bytes
        self.max_attempts = max_attempts
        self.max_retry_after = max_retry_after
        self.obey_robots = obey_robots
        self.robots_override_reason = robots_override_reason
        self.allow_adult_host = allow_adult_host
        self.stats = FetchStats()
        self.warnings: list[str] = []
        self.robots: RobotsRules | None = None  # loaded on the first journal request
        self._robots_failure: FetchError | None = None  # robots.txt could not be read
        self._on_event = on_event
        self._seen: set[str] = set()
        self._gate_origins: set[tuple[str, str, int | None]] = set()
        self._robots_override_warned = False
        self._backoff = wait_exponential_jitter(multiplier=1, max=backoff_max, jitter=1)
        loopback = (urlsplit(self.root).hostname or "") in LOOPBACK_HOSTS
        self._client = httpx.Client(
            transport=transport,
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            follow_redirects=False,
            headers={"User-Agent": self.user_agent},
            trust_env=not loopback,  # never send loopback test traffic through a proxy
        )
        if self.contact is None:
            self._warn(
                "no contact address given: Dreamwidth's bot policy asks bots to name one in the "
                f"User-Agent; pass --contact EMAIL or set {CONTACT_ENV}"
            )

    # --- public API -----------------------------------------------------------------------

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
        retries for timeouts, connection errors, truncated bodies and 5xx, FetchError for an
        HTML/XML body not valid in its charset or a robots.txt lost to errors, RateLimited, Blocked
        (captcha), AdultContentGate (`.gate_url`), OffHost (`.target` for redirects), TooLarge,
        RobotsDisallowed, DuplicateRequest (unless `allow_repeat`).
        """
        absolute = self._absolute(url)
        self._check_may_request(absolute)
        key = normalize_url(absolute)
        if not allow_repeat and key in self._seen:
            raise DuplicateRequest(f"already fetched in this run: {absolute}", url=absolute)
        self._check_not_held_back(absolute)
        if self._in_journal(absolute):
            self._check_robots(absolute)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        call = _Call(
            "GET",
            absolute,
            headers,
            check_dupes=not allow_repeat,
            etag=etag,
            last_modified=last_modified,
        )
        return self._run(call)

    def post(self, url: str, data: Mapping[str, str]) -> FetchResult:
        """POST a form to an adult-content gate, then follow its redirect back to the journal.

        Allowed only when the caller set `allow_adult_host` and only to the host of a gate this
        fetcher has been redirected to. Cookies stay in the client's jar for later requests.
        """
        absolute = self._absolute(url)
        if not self.allow_adult_host:
            raise OffHost(
                f"refusing to POST to {absolute}: posting is only for the adult-content gate "
                "and the user did not opt in",
                url=absolute,
            )
        if origin(absolute) not in self._gate_origins:
            raise OffHost(
                f"refusing to POST to {absolute}: not the host of an adult-content gate "
                "this journal redirected to",
                url=absolute,
            )
        self._check_not_held_back(absolute)
        call = _Call("POST", absolute, {}, data=dict(data), check_dupes=False)
        return self._run(call)

    def held_back_for(self) -> float:
        """Seconds a 429's Retry-After still holds every request back."""
        return self.limiter.blocked_for()

    def pace(self) -> float | None:
        """Seconds between requests the rate limit allows now (None: no limit)."""
        rate = self.limiter.rate
        return 60.0 / rate if rate else None

    def has_fetched(self, url: str) -> bool:
        """True when `url` (normalised) was already requested by this fetcher."""
        return normalize_url(self._absolute(url)) in self._seen

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

    def _in_journal(self, url: str) -> bool:
        """On the root's origin and under its path (site pages of a test host are not)."""
        root_path = urlsplit(self.root).path or "/"
        return same_origin(url, self.root) and (urlsplit(url).path or "/").startswith(root_path)

    def _may_request(self, url: str) -> bool:
        if same_origin(url, self.root):
            return True
        return self.allow_adult_host and origin(url) in self._gate_origins

    def _check_may_request(self, url: str) -> None:
        if not self._may_request(url):
            scheme, host, port = origin(self.root)
            raise OffHost(
                f"refusing to fetch {url}: not on the journal's host {scheme}://{host}:{port}",
                url=url,
            )

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
        if self.robots is None:
            self.robots = self._load_robots()
        if self.robots.can_fetch(url, self.user_agent):
            return
        if self.obey_robots:
            raise RobotsDisallowed(
                f"robots.txt of {self.root} disallows {url}: the journal asks not to be archived "
                "by robots",
                url=url,
            )
        if not self._robots_override_warned:
            self._robots_override_warned = True
            reason = self.robots_override_reason or "no reason given"
            self._warn(f"robots.txt disallows {url} (and maybe more); overridden: {reason}")

    def _load_robots(self) -> RobotsRules:
        robots_url = urljoin(self.root, "robots.txt")
        self._seen.add(normalize_url(robots_url))
        if self._robots_failure is not None:
            raise self._robots_failure
        try:
            result = self._run(_Call("GET", robots_url, {}, check_dupes=False))
        except (RateLimited, Blocked):
            raise
        except (OffHost, AdultContentGate):
            return RobotsRules.allow_all(self.root)  # unavailable, like a 4xx (RFC 9309 2.3.1.3)
        except FetchError as exc:
            # RFC 9309 2.3.1.4: a robots.txt unreachable through server or network errors means
            # "disallow everything" for now; remembered, so later pages fail without a request
            self._robots_failure = FetchError(
                f"robots.txt of {self.root} could not be read ({exc}); not crawling without it, "
                "try again later",
                url=robots_url,
                status=exc.status,
            )
            raise self._robots_failure from None
        if result.ok:
            return RobotsRules(result.text, self.root)
        return RobotsRules.allow_all(self.root)

    # --- attempts and retries -------------------------------------------------------------

    def _run(self, call: _Call) -> FetchResult:
        retrying = Retrying(
            retry=retry_if_exception_type((_Transient, _TooManyRequests)),
            stop=stop_never,  # _attempt decides when to give up (429s and failures count apart)
            wait=self._retry_wait,
            sleep=self._retry_sleep,
            before_sleep=functools.partial(self._before_retry, call),
            reraise=True,
        )
        return retrying(self._attempt, call)

    def _attempt(self, call: _Call) -> FetchResult:
        call.attempts += 1
        try:
            raw = self._follow(call)
        except _TooManyRequests as exc:
            call.n429 += 1
            self.stats.rate_limited += 1
            self.limiter.block_until(self.clock.monotonic() + exc.retry_after)
            self.limiter.slow_down()
            if exc.retry_after > self.max_retry_after:
                raise RateLimited(
                    f"{call.url}: rate limited (HTTP 429); the site asks to wait "
                    f"{exc.retry_after:.0f} s, longer than {self.max_retry_after:g} s; "
                    "try again later",
                    url=call.url,
                    status=429,
                ) from None
            if call.n429 >= self.max_attempts:
                raise RateLimited(
                    f"{call.url}: still rate limited (HTTP 429) after {call.n429} attempts; "
                    "try again later",
                    url=call.url,
                    status=429,
                ) from None
            raise
        except _Transient as exc:
            call.transient += 1
            if exc.retry_after is not None:
                if exc.retry_after > self.max_retry_after:
                    raise FetchError(
                        f"{call.url}: {exc} and asked to wait {exc.retry_after:.0f} s; "
                        "try again later",
                        url=call.url,
                        status=exc.status,
                    ) from None
                self.limiter.block_until(self.clock.monotonic() + exc.retry_after)
            if call.transient >= self.max_attempts:
                raise FetchError(
                    f"{call.url}: {exc} (gave up after {call.attempts} attempts)",
                    url=call.url,
                    status=exc.status,
                ) from None
            raise
        return self._result(call, raw)

    def _retry_wait(self, retry_state: RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, _TooManyRequests):
            return 0.0  # the limiter holds the next request back until Retry-After has passed
        return float(self._backoff(retry_state))

    def _retry_sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self.stats.waits += 1
        self.stats.waited += seconds
        self._emit("wait", seconds=seconds, reason="retry")
        self.clock.sleep(seconds)

    def _before_retry(self, call: _Call, retry_state: RetryCallState) -> None:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        self.stats.retries += 1
        self._emit("retry", url=call.url, attempt=call.attempts, error=str(exc))

    # --- one attempt: requests and redirects ----------------------------------------------

    def _follow(self, call: _Call) -> _Raw:
        method, url, data = call.method, urldefrag(call.url).url, call.data
        chain = [normalize_url(url)]
        self._mark(call, chain[0])
        for _ in range(MAX_REDIRECTS + 1):
            raw = self._exchange(call, method, url, data)
            location = raw.headers.get("location")
            if raw.status in REDIRECT_STATUSES and location:
                target = urldefrag(urljoin(url, location.strip())).url
                self._check_redirect(call, url, target, raw.status)
                key = normalize_url(target)
                if key in chain:
                    raise FetchError(
                        f"{call.url}: redirect loop via {target}", url=call.url, status=raw.status
                    )
                if call.check_dupes and key in self._seen and key not in call.own:
                    raise DuplicateRequest(
                        f"{call.url} redirects to {target}, already fetched in this run",
                        url=call.url,
                        status=raw.status,
                    )
                chain.append(key)
                self._mark(call, key)
                if method == "POST" and (
                    raw.status in (301, 302, 303) or origin(target) not in self._gate_origins
                ):  # form data goes to the gate only, never on to the journal
                    method, data = "GET", None
                url = target
                continue
            if raw.status == 429:
                seconds = parse_retry_after(raw.headers.get("retry-after"), self.clock.now())
                raise _TooManyRequests(DEFAULT_RETRY_AFTER if seconds is None else seconds)
            if raw.status >= 500:
                raise _Transient(
                    f"HTTP {raw.status}",
                    status=raw.status,
                    retry_after=parse_retry_after(raw.headers.get("retry-after"), self.clock.now()),
                )
            return raw
        raise FetchError(
            f"{call.url}: more than {MAX_REDIRECTS} redirects", url=call.url, status=raw.status
        )

    def _mark(self, call: _Call, key: str) -> None:
        call.own.add(key)
        if call.check_dupes:
            self._seen.add(key)

    def _check_redirect(self, call: _Call, current: str, target: str, status: int) -> None:
        path = urlsplit(target).path or "/"
        if path.startswith(CAPTCHA_PATH):
            raise Blocked(
                f"{call.url}: the site answered with a captcha ({target}); stopping, because "
                "retrying a captcha gets the IP banned; try again later",
                url=call.url,
                status=status,
            )
        if path.startswith(ADULT_GATE_PATHS):
            self._gate_origins.add(origin(target))
            gate = AdultContentGate(
                f"{call.url}: behind the adult-content interstitial ({target}); not clicked "
                "through unless asked to",
                url=call.url,
                status=status,
            )
            gate.gate_url = target  # type: ignore[attr-defined]
            raise gate
        if self._may_request(target):
            return
        off = OffHost(
            self._off_host_message(call.url, current, target), url=call.url, status=status
        )
        off.target = target  # type: ignore[attr-defined]
        raise off

    @staticmethod
    def _off_host_message(requested: str, current: str, target: str) -> str:
        here = lj_family_split(urlsplit(current).hostname or "")
        there = lj_family_split(urlsplit(target).hostname or "")
        if (
            here is not None
            and there is not None
            and here[1] == there[1]
            and here[0] != there[0]
            and there[0] not in NON_JOURNAL_LABELS
        ):
            return (
                f"journal renamed: now at https://{there[0]}.{there[1]}/ ({requested} -> {target})"
            )
        return f"{requested} redirects off the journal's host to {target}: refused"

    def _exchange(self, call: _Call, method: str, url: str, data: dict[str, str] | None) -> _Raw:
        """One HTTP request through the limiter, body streamed under the size cap."""
        self.limiter.acquire(on_wait=self._on_limiter_wait)
        request = self._client.build_request(method, url, headers=call.headers, data=data)
        started = time.perf_counter()
        self.stats.requests += 1
        try:
            response = self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            elapsed = time.perf_counter() - started
            call.elapsed += elapsed
            error = _describe(exc)
            self._emit("request", method=method, url=url, status=None, elapsed=elapsed, error=error)
            if isinstance(exc, httpx.TransportError) and not isinstance(
                exc, (httpx.UnsupportedProtocol, httpx.LocalProtocolError)
            ):
                raise _Transient(error) from exc
            raise FetchError(f"{url}: {error}", url=url) from exc
        status = response.status_code
        self.stats.responses[status] += 1
        # A transport may hand over a body it has already read (httpx.MockTransport does):
        # then there is no wire count and nothing can have been truncated on the way.
        preloaded = response.is_stream_consumed
        failure: dict[str, str] = {}
        try:
            body = self._read_body(method, url, response, preloaded)
        except FetchError as exc:
            failure["error"] = str(exc)
            raise
        finally:
            response.close()
            self.stats.bytes += (
                len(response.content) if preloaded else response.num_bytes_downloaded
            )
            elapsed = time.perf_counter() - started
            call.elapsed += elapsed
            self._emit("request", method=method, url=url, status=status, elapsed=elapsed, **failure)
        return _Raw(str(response.url), status, response.headers, body)

    def _read_body(self, method: str, url: str, response: httpx.Response, preloaded: bool) -> bytes:
        status = response.status_code
        expected = _content_length(response.headers)
        if expected is not None and expected > self.max_bytes:
            raise TooLarge(
                f"{url}: response of {expected} bytes is over the {self.max_bytes}-byte cap",
                url=url,
                status=status,
            )
        chunks: list[bytes] = []
        total = 0
        try:
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > self.max_bytes:
                    raise TooLarge(
                        f"{url}: response is over the {self.max_bytes}-byte cap",
                        url=url,
                        status=status,
                    )
                chunks.append(chunk)
        except httpx.TimeoutException as exc:
            raise _Transient(f"timed out reading the body ({_describe(exc)})") from exc
        except (httpx.TransportError, httpx.DecodingError) as exc:
            raise _Transient(f"truncated body ({_describe(exc)})") from exc
        bodiless = method == "HEAD" or status in (204, 304) or status < 200
        short = expected is not None and response.num_bytes_downloaded < expected
        if short and not bodiless and not preloaded:
            raise _Transient(
                f"truncated body: {response.num_bytes_downloaded} of {expected} bytes",
                status=status,
            )
        return b"".join(chunks)

    def _result(self, call: _Call, raw: _Raw) -> FetchResult:
        headers = {name.lower(): value for name, value in raw.headers.items()}
        _check_encoding(call.url, raw.status, headers, raw.body)
        etag = headers.get("etag")
        last_modified = headers.get("last-modified")
        if raw.status == 304:  # a 304 may leave the validators out: the ones sent still hold
            etag = etag or call.etag
            last_modified = last_modified or call.last_modified
        now = self.clock.now().astimezone(UTC)
        return FetchResult(
            url=call.url,
            final_url=raw.url,
            status=raw.status,
            headers=headers,
            body=raw.body,
            fetched_at=now.isoformat(timespec="seconds").replace("+00:00", "Z"),
            etag=etag,
            last_modified=last_modified,
            elapsed=call.elapsed,
            attempts=call.attempts,
        )

    # --- events ---------------------------------------------------------------------------

    def _on_limiter_wait(self, seconds: float, reason: str) -> None:
        self.stats.waits += 1
        self.stats.waited += seconds
        self._emit("wait", seconds=seconds, reason=reason)

    def _warn(self, message: str) -> None:
        self.warnings.append(message)
        self._emit("warning", message=message)

    def _emit(self, kind: str, **info: Any) -> None:
        if self._on_event is not None:
            self._on_event(kind, **info)


_DECODED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
)


def _check_encoding(url: str, status: int, headers: dict[str, str], body: bytes) -> None:
    """A page whose bytes are not valid in the charset it declares was mangled on the way (a
    server or proxy re-encoding it, binary sent as HTML): refused, so its replacement characters
    never overwrite good archived text. Not retried; the page is tried again on the next run."""
    content_type = headers.get("content-type", "")
    if not 200 <= status < 300 or not body:
        return
    if content_type.split(";", 1)[0].strip().lower() not in _DECODED_TYPES:
        return
    match = _CHARSET_RE.search(content_type)
    charset = _codec(match.group(1)) if match else "utf-8"
    if charset is None:
        return  # a charset we do not know: nothing to hold the bytes against
    try:
        body.decode(charset)
    except UnicodeDecodeError as exc:
        raise FetchError(
            f"{url}: the page is not valid {charset} as its Content-Type says (bad byte at "
            f"offset {exc.start}); refused so it cannot garble archived text",
            url=url,
            status=status,
        ) from None


def _content_length(headers: httpx.Headers) -> int | None:
    value = headers.get("content-length")
    if value is None:
        return None
    value = value.split(",", 1)[0].strip()
    return int(value) if value.isdigit() else None


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    name = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({name}{': ' + text if text else ''})"
    return f"{name}: {text}" if text else name
