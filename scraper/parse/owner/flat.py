"""Flat transport codec for Dreamwidth's /interface/flat (form POST in, key/value lines out).

The answer is `key\\nvalue\\n` pairs in key order, with CR and LF deleted from every key and value
(DW::Controller::Interface::Flat, cgi-bin/DW/Controller/Interface/Flat.pm:53-59); only
getevents' `events_N_event` keeps its line breaks, because it is URL-encoded first
(LJ::getevents, cgi-bin/LJ/Protocol.pm:4346). Failures are `success=FAIL` with `errmsg`; the
code is recovered from the message (faults.code_for_message).

Trap: the flat `sessiongenerate` and `sessionexpire` wrappers set `success=OK` even after the
call failed (Protocol.pm:4286-4292 and 4309-4315 do not return after setting FAIL), so an
`errmsg` is a failure whatever `success` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from ...errors import ParseError
from .faults import code_for_message, fault_error

CONTENT_TYPE = "application/x-www-form-urlencoded"


def encode_form(mode: str, params: Mapping[str, object]) -> bytes:
    """The POST body for `mode` (values as text; lists are not used by the flat interface)."""
    fields: list[tuple[str, str]] = [("mode", mode)]
    for key, value in params.items():
        if value is None:
            continue
        fields.append((key, str(value)))
    return urlencode(fields).encode("ascii")


def decode_response(body: str | bytes, mode: str | None = None) -> dict[str, str]:
    """The answer's key/value pairs; a failure answer raises its typed ProtocolError."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) % 2:
        raise ParseError("flat answer with an odd number of lines (cut short?)")
    out: dict[str, str] = {}
    for i in range(0, len(lines), 2):
        out[lines[i]] = lines[i + 1]
    if "success" not in out and "errmsg" not in out:
        raise ParseError("not a flat protocol answer (no success line)")
    errmsg = out.get("errmsg")
    if out.get("success") != "OK" or errmsg:
        message = errmsg or "call failed without a message"
        raise fault_error(code_for_message(message), message, mode)
    return out
