"""Redirects, followed by hand so that every hop is checked before it is requested.

`follow` sends a call's request and, while the answer is a redirect, asks `check_hop` about the
target (the caller's policies: captcha, adult gate, hosts, robots.txt, duplicates; each raises to
refuse), refuses loops and more than MAX_REDIRECTS hops, and sends the next request. Form data
goes on only with a 307/308 to the same origin; otherwise the next hop is a plain GET.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin

from ..errors import FetchError
from .exchange import Call, Hop, Raw
from .urls import normalize_url, same_origin

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Redirect:
    """One redirect about to be followed."""

    requested: str  # the URL the call asked for
    current: str  # the URL that answered with the redirect
    target: str  # where it points (absolute, no fragment)
    status: int


Send = Callable[[Call, Hop], Raw]
HopCheck = Callable[[Call, Redirect], None]
Mark = Callable[[Call, str], None]


def _noop_mark(call: Call, key: str) -> None:
    call.own.add(key)


def follow(call: Call, send: Send, check_hop: HopCheck, mark: Mark = _noop_mark) -> Raw:
    """The final (non-redirect) response to `call`, every hop checked before it is requested.

    `mark(call, key)` is told of every normalised URL requested (the duplicate filter)."""
    hop = Hop(call.method, urldefrag(call.url).url, call.data, call.content)
    chain = [normalize_url(hop.url)]
    mark(call, chain[0])
    for _ in range(MAX_REDIRECTS + 1):
        raw = send(call, hop)
        location = raw.headers.get("location")
        if raw.status not in REDIRECT_STATUSES or not location:
            return raw
        target = urldefrag(urljoin(hop.url, location.strip())).url
        check_hop(call, Redirect(call.url, hop.url, target, raw.status))
        key = normalize_url(target)
        if key in chain:
            raise FetchError(
                f"{call.url}: redirect loop via {target}", url=call.url, status=raw.status
            )
        chain.append(key)
        mark(call, key)
        hop = _next_hop(hop, target, raw.status)
    raise FetchError(
        f"{call.url}: more than {MAX_REDIRECTS} redirects", url=call.url, status=raw.status
    )


def _next_hop(hop: Hop, target: str, status: int) -> Hop:
    keeps_body = status in (307, 308) and same_origin(target, hop.url)
    if hop.method in ("GET", "HEAD") or keeps_body:
        return Hop(hop.method, target, hop.data, hop.content)
    return Hop("GET", target)  # form data goes where it was sent, never on to another origin
