"""Secret: a credential (the API key, the ljsession value) that never shows up in output.

`repr()`, `str()` and f-strings of a Secret print a fixed mask, so a Secret that slips into an
error message, a log line, a record or a dataclass repr leaks nothing; code that must send the
value (a request body, the session cookie) asks for it explicitly with `reveal()`. `redact()`
removes secret values from text that is about to be stored (raw protocol responses).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "[redacted]"


class Secret:
    """A credential. Compares by value; prints as a mask."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        if not isinstance(value, str):
            raise TypeError("Secret holds a str")
        self._value = value

    def reveal(self) -> str:
        """The value itself: only for the request body or cookie that must carry it."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self):  # pickling would write the value out: refuse
        raise TypeError("a Secret cannot be pickled")


def _forms(value: str) -> set[str]:
    """The spellings a value can take in a stored response or request."""
    forms = {value, html.escape(value, quote=True), quote(value, safe=""), quote_plus(value)}
    forms.add(base64.b64encode(value.encode("utf-8", errors="replace")).decode("ascii"))
    return {f for f in forms if f}


def redact(text: str, secrets: Iterable[Secret | str | None]) -> str:
    """`text` with every occurrence of the secrets (raw, HTML-escaped, URL-encoded, base64)
    replaced by the mask. Empty or very short values (under 6 characters) are ignored: masking
    them would garble unrelated text, and no real key or session is that short."""
    out = text
    values = []
    for s in secrets:
        if s is None:
            continue
        value = s.reveal() if isinstance(s, Secret) else s
        if len(value) >= 6:
            values.append(value)
    for value in values:
        for form in sorted(_forms(value), key=len, reverse=True):
            out = out.replace(form, MASK)
    return out
