"""Protocol faults -> typed errors (scraper.errors), for both the XML-RPC and the flat interface.

XML-RPC faults carry the numeric code (`LJ::Protocol::xmlrpc_method` dies with
`faultcode(substr($error, 0, 3))`, cgi-bin/LJ/Protocol.pm:3591-3595, sent with HTTP 200 by
XMLRPC::Transport::HTTP::CGI::make_fault). The flat interface only sends the text built by
`LJ::Protocol::error_message` ("Client error: " for codes >= 200, "Server error: " for >= 500,
then the message, then ": detail"; Protocol.pm:156-171), so the code is found again from the
message table below (Protocol.pm:57-140, the codes owner mode can meet).
"""

from __future__ import annotations

import re

from ...errors import (
    AccountNotFound,
    ApiKeyRefused,
    JournalAccessDenied,
    LoginBanned,
    ProtocolDisabled,
    ProtocolError,
    ProtocolLimitExceeded,
    RepeatedRequest,
)

# code -> the message LJ::Protocol prints for it (Protocol.pm:57-140).
MESSAGES: dict[int, str] = {
    100: "Invalid username",
    101: "Invalid password",
    105: "Challenge expired",
    200: "Missing required argument(s)",
    201: "Unknown method",
    202: "Too many arguments",
    203: "Invalid argument(s)",
    206: "Invalid destination journal username.",
    207: "Protocol version mismatch",
    208: "Invalid text encoding",
    209: "Parameter out of range",
    300: "Don't have access to requested journal",
    305: "Action forbidden; account is suspended.",
    307: "Selected journal no longer exists.",
    308: "Account is locked and cannot be used.",
    309: "Account is marked as a memorial.",
    311: "Access temporarily disabled.",
    402: "Your IP address is temporarily banned for exceeding the login failure rate.",
    406: "Client is making repeated requests.  Perhaps it's broken?",
    500: "Internal server error",
    501: "Database error",
    502: "Database temporarily unavailable",
    503: "Error obtaining necessary database lock",
    505: "Account data format on server is old and needs to be upgraded.",
    506: "Journal sync temporarily unavailable.",
    507: "Method temporarily disabled; try again later.",
}

_PREFIX = re.compile(r"^(?:Client error|Server error): ")
_SESSION = re.compile(r"v\d+:u\d+:s\d+:\S+")  # an ljsession value, should a message echo one
_MAX_DETAIL = 200


def code_for_message(message: str) -> int | None:
    """The protocol code of a flat-interface `errmsg` (None when it is not a known message)."""
    text = _PREFIX.sub("", message.strip())
    best: int | None = None
    best_len = 0
    for code, known in MESSAGES.items():
        if (text == known or text.startswith(known + ":")) and len(known) > best_len:
            best, best_len = code, len(known)
    return best


def _clean_detail(text: str) -> str:
    text = _SESSION.sub("[redacted]", " ".join(str(text).split()))
    return text[:_MAX_DETAIL]


def fault_error(code: int | None, message: str, mode: str | None = None) -> ProtocolError:
    """The typed error for a protocol fault. Messages are one line and name the call."""
    detail = _clean_detail(message)
    where = f" ({mode})" if mode else ""
    tag = f"Dreamwidth error {code}" if code is not None else "Dreamwidth error"
    if code == 101:
        return ApiKeyRefused(
            f"the API key was refused ({tag}: {detail}); check --user and the key file "
            "(not retried: repeated failed logins ban the IP)",
            code,
            mode,
        )
    if code == 100:
        return AccountNotFound(f"no such account ({tag}: {detail})", code, mode)
    if code == 402:
        return LoginBanned(
            f"this IP is temporarily banned for failed logins ({tag}); try again later",
            code,
            mode,
        )
    if code == 209:
        return ProtocolLimitExceeded(f"request out of range{where} ({tag}: {detail})", code, mode)
    if code == 406:
        return RepeatedRequest(f"repeated request refused{where} ({tag}: {detail})", code, mode)
    if code in (311, 506, 507):
        return ProtocolDisabled(
            f"the site has switched this off for now{where} ({tag}: {detail})", code, mode
        )
    if code in (300, 307):
        return JournalAccessDenied(
            f"no access to that journal{where} ({tag}: {detail})", code, mode
        )
    return ProtocolError(f"protocol call failed{where} ({tag}: {detail})", code, mode)
