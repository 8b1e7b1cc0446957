"""The one body reader: a response streamed under a size cap and a total deadline, checked whole.

* Size: a Content-Length over the cap is refused before reading; a body without one is cut off
  as soon as it passes the cap (decoded size: a small gzip cannot smuggle a large page in).
* Truncation: fewer bytes than Content-Length announced, or the connection failing mid-body, is
  a transient failure (retried).
* Time: besides httpx's per-read timeout, a response must be complete within `deadline` seconds
  of the request on the fetcher's clock; a server dripping a byte every few seconds is abandoned
  at the first read after the deadline (a transient failure). A silent server is caught by the
  per-read timeout, so a response is given up at most one read timeout after its deadline.
* Charset: a page whose bytes are not valid in the charset its Content-Type declares is refused
  (`check_charset`, applied to journal pages by the page fetcher).
"""

from __future__ import annotations

import httpx

from ..errors import FetchError, TooLarge
from .clock import Clock
from .results import _CHARSET_RE, _codec
from .retry import Transient

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_DEADLINE = 120.0


class Deadline:
    """A total time budget for one response, measured on the injected clock."""

    def __init__(self, clock: Clock, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError(f"deadline must be > 0 seconds, got {seconds}")
        self.clock = clock
        self.seconds = seconds
        self.started = clock.monotonic()

    def check(self, url: str, status: int | None = None) -> None:
        """Transient when the budget is spent."""
        spent = self.clock.monotonic() - self.started
        if spent > self.seconds:
            raise Transient(
                f"no complete response within {self.seconds:g} s (abandoned after {spent:.0f} s: "
                "the server sends too slowly)",
                url=url,
                status=status,
            )


def content_length(headers: httpx.Headers) -> int | None:
    """The announced body length, None when absent or unreadable."""
    value = headers.get("content-length")
    if value is None:
        return None
    value = value.split(",", 1)[0].strip()
    return int(value) if value.isdigit() else None


def read_body(
    response: httpx.Response,
    *,
    url: str,
    method: str,
    max_bytes: int,
    deadline: Deadline,
) -> bytes:
    """Read a streamed response's body under the cap and the deadline.

    Raises TooLarge (not retried) or Transient (truncated, timed out, past the deadline)."""
    status = response.status_code
    # A transport may hand over a body it has already read (httpx.MockTransport does):
    # then there is no wire count and nothing can have been truncated on the way.
    preloaded = response.is_stream_consumed
    expected = content_length(response.headers)
    if expected is not None and expected > max_bytes:
        raise TooLarge(
            f"{url}: response of {expected} bytes is over the {max_bytes}-byte cap",
            url=url,
            status=status,
        )
    deadline.check(url, status)
    chunks: list[bytes] = []
    total = 0
    try:
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > max_bytes:
                raise TooLarge(
                    f"{url}: response is over the {max_bytes}-byte cap", url=url, status=status
                )
            chunks.append(chunk)
            deadline.check(url, status)
    except httpx.TimeoutException as exc:
        raise Transient(f"timed out reading the body ({describe(exc)})", url=url) from exc
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise Transient(f"truncated body ({describe(exc)})", url=url) from exc
    bodiless = method == "HEAD" or status in (204, 304) or status < 200
    short = expected is not None and response.num_bytes_downloaded < expected
    if short and not bodiless and not preloaded:
        raise Transient(
            f"truncated body: {response.num_bytes_downloaded} of {expected} bytes",
            url=url,
            status=status,
        )
    return b"".join(chunks)


_DECODED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
)


def check_charset(url: str, status: int, headers: dict[str, str], body: bytes) -> None:
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


def describe(exc: Exception) -> str:
    """A short text for an httpx error: its class and message."""
    text = str(exc).strip()
    name = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({name}{': ' + text if text else ''})"
    return f"{name}: {text}" if text else name
