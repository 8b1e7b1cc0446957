"""XML-RPC transport codec for Dreamwidth's /interface/xmlrpc, on the standard library.

Requests are `xmlrpc.client.dumps` of one struct for method `LJ.XMLRPC.<mode>`.

Responses are read with xmlrpc.client's own parser (ExpatParser + Unmarshaller), with one
subclass that keeps scalar values as the text the server sent. Dreamwidth's server (SOAP::Lite's
XMLRPC::Serializer) picks each value's XML-RPC type by looking at it: digits become <int>
(a subject "007" or an allowmask beyond int32 included), number-like text <double>, and any text
with a byte outside printable ASCII <base64> (every non-ASCII subject, body and prop; the UTF-8
bytes base64-encoded). Decoding those as Python ints/floats/bytes would lose leading zeros, the
exactness of large masks and the text itself, so here every scalar comes back as `str`:
numbers as their literal text, base64 decoded to UTF-8 text. Callers convert the few numeric
fields (itemid, anum, allowmask, counts) themselves.
"""

from __future__ import annotations

import base64
import binascii
import xmlrpc.client
from typing import Any

from ...errors import ParseError
from .faults import fault_error

METHOD_PREFIX = "LJ.XMLRPC."
CONTENT_TYPE = "text/xml"


def encode_call(mode: str, params: dict[str, Any]) -> bytes:
    """The request body for `LJ.XMLRPC.<mode>` with one struct argument."""
    text = xmlrpc.client.dumps((params,), methodname=METHOD_PREFIX + mode, encoding="utf-8")
    return text.encode("utf-8")


def decode_text(data: str) -> str:
    """A base64 value as text: UTF-8, undecodable bytes replaced (never raises on bad input)."""
    try:
        raw = base64.b64decode(data.encode("ascii"), validate=False)
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise ParseError(f"bad base64 value in XML-RPC answer ({exc})") from exc
    return raw.decode("utf-8", errors="replace")


def _end_literal(self: xmlrpc.client.Unmarshaller, data: str) -> None:
    self.append(data.strip())
    self._value = False


def _end_base64_text(self: xmlrpc.client.Unmarshaller, data: str) -> None:
    self.append(decode_text(data))
    self._value = False


class _TextUnmarshaller(xmlrpc.client.Unmarshaller):
    """xmlrpc.client's Unmarshaller, with every scalar kept as the text that was sent."""

    dispatch = dict(xmlrpc.client.Unmarshaller.dispatch)  # noqa: RUF012 - the base's own form
    for _tag in ("i1", "i2", "i4", "i8", "int", "biginteger", "double", "float", "bigdecimal"):
        dispatch[_tag] = _end_literal
    dispatch["dateTime.iso8601"] = _end_literal
    dispatch["boolean"] = _end_literal
    dispatch["base64"] = _end_base64_text
    del _tag


def _refuse_dtd(text: str) -> None:
    head = text[:2048].lower()
    if "<!doctype" in head or "<!entity" in head:
        raise ParseError("XML-RPC answer carries a DTD; refused")


def decode_response(body: str | bytes, mode: str | None = None) -> Any:
    """The single value of a methodResponse (a dict for every Dreamwidth call).

    A <fault> becomes the typed ProtocolError for its code (scraper.parse.owner.faults).
    Anything that is not an XML-RPC answer (an HTML error page, cut-short XML) is ParseError."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if "<methodResponse" not in text[:4096]:
        raise ParseError("not an XML-RPC answer (no <methodResponse>)")
    _refuse_dtd(text)
    target = _TextUnmarshaller()
    parser = xmlrpc.client.ExpatParser(target)
    try:
        parser.feed(text.encode("utf-8"))
        parser.close()
        values = target.close()
    except xmlrpc.client.Fault as fault:
        code_text = str(fault.faultCode).strip()
        code = int(code_text) if code_text.isdigit() else None
        raise fault_error(code, str(fault.faultString), mode) from None
    except ParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - expat/Unmarshaller failures of any kind
        raise ParseError(f"unreadable XML-RPC answer ({type(exc).__name__})") from None
    if len(values) != 1:
        raise ParseError(f"XML-RPC answer with {len(values)} values, expected 1")
    return values[0]
