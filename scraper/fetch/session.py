"""The owner's session cookie (`ljsession`): sent to the journal's site only, and never shown.

Owner mode logs in through the protocol and gets a session value; with it on every request the
run counts against the per-user bucket. The value goes into the Cookie header of requests to the
journal's origin and the site's main host (`in_scope`), nowhere else (never to image hosts), and
is replaced by `[redacted]` wherever the fetcher could show it: events, warnings, exception
messages and attributes, response headers, repr.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from ..errors import BadSessionCookie, FetchError

SESSION_COOKIE = "ljsession"
REDACTED = "[redacted]"


def _valid_cookie_value(value: str) -> bool:
    """RFC 6265 cookie-octets: visible ASCII without space, DQUOTE, comma, semicolon, backslash."""
    return bool(value) and all("!" <= ch <= "~" and ch not in '",;\\' for ch in value)


class SessionCookie:
    """The session value (or none) and the URLs it may go to."""

    def __init__(self, in_scope: Callable[[str], bool]) -> None:
        self._in_scope = in_scope
        self._value: str | None = None

    @property
    def is_set(self) -> bool:
        return self._value is not None

    def set(self, value: str | None) -> None:
        """Use `value` from now on (None: stop sending a session)."""
        if value is not None and not _valid_cookie_value(value):
            raise BadSessionCookie(
                "the session value from the site is not a plain cookie value; not using it"
            )
        self._value = value

    def add_to(self, request: httpx.Request) -> None:
        """Put the session into `request`'s Cookie header when it goes to the journal's site."""
        if self._value is None or not self._in_scope(str(request.url)):
            return
        existing = [
            part.strip()
            for part in request.headers.get("Cookie", "").split(";")
            if part.strip() and not part.strip().startswith(SESSION_COOKIE + "=")
        ]
        request.headers["Cookie"] = "; ".join([*existing, f"{SESSION_COOKIE}={self._value}"])

    def redact(self, text: str) -> str:
        """`text` with the session value replaced."""
        if self._value is None or self._value not in text:
            return text
        return text.replace(self._value, REDACTED)

    def redact_headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {name: self.redact(value) for name, value in headers.items()}

    def redact_error(self, exc: FetchError) -> FetchError:
        """`exc` with the value removed from its message and URL attributes (in place)."""
        if self._value is None:
            return exc
        exc.args = tuple(self.redact(a) if isinstance(a, str) else a for a in exc.args)
        for name in ("url", "target", "gate_url"):
            value = getattr(exc, name, None)
            if isinstance(value, str):
                setattr(exc, name, self.redact(value))
        return exc

    def __repr__(self) -> str:
        return f"SessionCookie({'set' if self._value is not None else 'unset'})"
