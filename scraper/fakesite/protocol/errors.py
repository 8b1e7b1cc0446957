"""Protocol error codes and messages, as LJ::Protocol reports them (cgi-bin/LJ/Protocol.pm:57-141).

A mode fails with `ProtocolError(code, detail)`. `message()` is LJ::Protocol::error_message
(Protocol.pm:156-171): codes from 200 get "Client error: ", codes from 500 "Server error: ", and a
detail follows after ": ". The flat interface prints it as `errmsg`, XML-RPC as the fault string
with the code as faultCode.
"""

from __future__ import annotations

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
    307: "Selected journal no longer exists.",
    308: "Account is locked and cannot be used.",
    311: "Access temporarily disabled.",
    402: "Your IP address is temporarily banned for exceeding the login failure rate.",
    406: "Client is making repeated requests.  Perhaps it's broken?",
    500: "Internal server error",
    502: "Database temporarily unavailable",
    504: "Protocol mode no longer supported.",
    506: "Journal sync temporarily unavailable.",
}


class ProtocolError(Exception):
    """A protocol mode failed with an LJ::Protocol error code (and an optional detail)."""

    def __init__(self, code: int, detail: str = "") -> None:
        super().__init__(message(code, detail))
        self.code = code
        self.detail = detail

    @property
    def message(self) -> str:
        return message(self.code, self.detail)


def message(code: int, detail: str = "") -> str:
    """LJ::Protocol::error_message."""
    prefix = ""
    if code >= 200:
        prefix = "Client error: "
    if code >= 500:
        prefix = "Server error: "
    text = prefix + MESSAGES.get(code, "BUG: Unknown error code!")
    return f"{text}: {detail}" if detail else text
