"""One HTTP exchange: through the rate limiter, one request out, its body read by the body reader.

Every request of dwarchive (pages, robots.txt, redirect hops, retries, images, protocol POSTs)
goes through `Exchanger.send`: it takes a token from the limiter of the URL's host, builds the
request (never with a Referer; a `prepare` hook adds what a policy needs, such as the session
cookie), streams the response through `body.read_body`, counts it in the stats and reports it as
a 'request' event. Transport failures that are worth retrying become `retry.Transient`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errors import FetchError
from .body import Deadline, describe, read_body
from .clock import Clock
from .limiter import TokenBucket
from .results import FetchStats
from .retry import Transient

Emit = Callable[..., None]


@dataclass
class Call:
    """One get()/post() as asked for, and what its attempts add up to."""

    method: str
    url: str  # absolute, as asked for
    headers: dict[str, str] = field(default_factory=dict)
    data: Mapping[str, str] | None = None  # a form
    content: bytes | None = None  # or a raw body (with content_type)
    content_type: str | None = None
    check_dupes: bool = True
    attempts: int = 0
    elapsed: float = 0.0  # seconds on the network, all attempts
    own: set[str] = field(default_factory=set)  # normalised URLs this call has requested


@dataclass(frozen=True)
class Hop:
    """What one request of a call sends: the call's first URL or a redirect target."""

    method: str
    url: str
    data: Mapping[str, str] | None = None
    content: bytes | None = None


@dataclass(frozen=True)
class Raw:
    """A response as read: final status, headers and the whole body."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes


class Exchanger:
    """Sends one request and reads its response, politely and within bounds."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        clock: Clock,
        stats: FetchStats,
        emit: Emit,
        limiter_for: Callable[[str], TokenBucket],
        max_bytes: int,
        deadline: float,
        prepare: Callable[[httpx.Request], None] | None = None,
    ) -> None:
        if max_bytes < 1:
            raise ValueError(f"max_bytes must be >= 1, got {max_bytes}")
        if deadline <= 0:
            raise ValueError(f"deadline must be > 0 seconds, got {deadline}")
        self.client = client
        self.clock = clock
        self.stats = stats
        self.max_bytes = max_bytes
        self.deadline = deadline
        self._emit = emit
        self._limiter_for = limiter_for
        self._prepare = prepare

    def send(self, call: Call, hop: Hop) -> Raw:
        """One request for `call`; raises Transient, TooLarge or FetchError."""
        self._limiter_for(hop.url).acquire(on_wait=self._on_limiter_wait)
        request = self._build(call, hop)
        deadline = Deadline(self.clock, self.deadline)
        started = time.perf_counter()
        self.stats.requests += 1
        try:
            response = self.client.send(request, stream=True)
        except httpx.HTTPError as exc:
            elapsed = time.perf_counter() - started
            call.elapsed += elapsed
            error = describe(exc)
            self._emit(
                "request", method=hop.method, url=hop.url, status=None, elapsed=elapsed, error=error
            )
            if isinstance(exc, httpx.TransportError) and not isinstance(
                exc, (httpx.UnsupportedProtocol, httpx.LocalProtocolError)
            ):
                raise Transient(error, url=hop.url) from None
            raise FetchError(f"{hop.url}: {error}", url=hop.url) from None
        status = response.status_code
        self.stats.responses[status] += 1
        if status == 429:
            self.stats.rate_limited += 1
        preloaded = response.is_stream_consumed
        failure: dict[str, Any] = {}
        try:
            body = read_body(
                response,
                url=hop.url,
                method=hop.method,
                max_bytes=self.max_bytes,
                deadline=deadline,
            )
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
            self._emit(
                "request",
                method=hop.method,
                url=hop.url,
                status=status,
                elapsed=elapsed,
                **failure,
            )
        return Raw(str(response.url), status, response.headers, body)

    def _build(self, call: Call, hop: Hop) -> httpx.Request:
        headers = dict(call.headers)
        if hop.content is not None and call.content_type:
            headers["Content-Type"] = call.content_type
        request = self.client.build_request(
            hop.method, hop.url, headers=headers, data=hop.data, content=hop.content
        )
        request.headers.pop("Referer", None)  # never: no page tells another where we came from
        if self._prepare is not None:
            self._prepare(request)
        return request

    def _on_limiter_wait(self, seconds: float, reason: str) -> None:
        self.stats.waits += 1
        self.stats.waited += seconds
        self._emit("wait", seconds=seconds, reason=reason)
