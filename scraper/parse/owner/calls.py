"""The plumbing every owner-mode protocol call shares: who calls (Credentials), the request a
call becomes (ProtocolRequest, authenticated with the API key, for XML-RPC or the flat
interface), and answers decoded from either interface (told apart by their text), with the
typed values Dreamwidth's serializer gives (numbers sent as text, beyond 64 bits too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ...errors import ParseError
from . import flat, xmlrpc
from .secret import Secret

XMLRPC = "xmlrpc"
FLAT = "flat"
PATHS = {XMLRPC: "/interface/xmlrpc", FLAT: "/interface/flat"}
CONTENT_TYPES = {XMLRPC: xmlrpc.CONTENT_TYPE, FLAT: flat.CONTENT_TYPE}


@dataclass(frozen=True)
class Credentials:
    """Who calls: the account, its API key, and the journal when it is a community."""

    username: str
    api_key: Secret
    usejournal: str | None = None  # a community the account maintains (check_altusage)

    def __post_init__(self) -> None:
        if not isinstance(self.api_key, Secret):
            raise TypeError("api_key must be a Secret")


@dataclass(frozen=True)
class ProtocolRequest:
    """One POST to the protocol. `content` holds the API key: it is never printed or stored;
    `record_key` names the call without any secret (for the pages table and logs)."""

    mode: str
    interface: str
    path: str
    content_type: str
    record_key: str
    content: bytes = field(repr=False, compare=False)

    def __str__(self) -> str:
        return f"{self.mode} ({self.record_key})"


def auth_params(creds: Credentials, interface: str) -> dict[str, Any]:
    params: dict[str, Any] = {
        ("username" if interface == XMLRPC else "user"): creds.username,
        "auth_method": "clear",
        "password": creds.api_key.reveal(),
        "ver": 1,
    }
    return params


def protocol_request(
    mode: str, params: dict[str, Any], interface: str, key: str
) -> ProtocolRequest:
    if interface == XMLRPC:
        content = xmlrpc.encode_call(mode, params)
    elif interface == FLAT:
        content = flat.encode_form(mode, params)
    else:
        raise ValueError(f"unknown protocol interface {interface!r}")
    return ProtocolRequest(
        mode=mode,
        interface=interface,
        path=PATHS[interface],
        content_type=CONTENT_TYPES[interface],
        record_key=f"{PATHS[interface]}?mode={mode}{key}",
        content=content,
    )


def interface_of(body: str | bytes) -> str:
    """Which interface produced a stored answer."""
    head = body[:512]
    text = head.decode("utf-8", errors="replace") if isinstance(head, bytes) else head
    text = text.lstrip()
    return XMLRPC if text.startswith(("<?xml", "<methodResponse")) else FLAT


def decode_answer(body: str | bytes, mode: str) -> tuple[str, Any]:
    interface = interface_of(body)
    if interface == XMLRPC:
        value = xmlrpc.decode_response(body, mode)
        if not isinstance(value, dict):
            raise ParseError(f"{mode}: XML-RPC answer is not a struct")
        return interface, value
    return interface, flat.decode_response(body, mode)


def to_int(value: object, what: str) -> int:
    """An integer field sent as text (exact for values beyond 64 bits)."""
    if isinstance(value, bool):
        raise ParseError(f"{what}: not a number")
    if isinstance(value, int):
        return value
    text = str(value).strip() if value is not None else ""
    if re.fullmatch(r"[+-]?\d{1,40}", text):
        return int(text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ParseError(f"{what}: not a number ({text[:40]!r})") from None
    if number != number.to_integral_value() or not number.is_finite():
        raise ParseError(f"{what}: not an integer ({text[:40]!r})")
    return int(number)


def text_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value)
