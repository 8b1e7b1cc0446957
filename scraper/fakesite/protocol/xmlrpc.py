"""POST /interface/xmlrpc: methods `LJ.XMLRPC.<mode>` over XML-RPC, encoded as Dreamwidth does.

Dispatch follows DW::Controller::Interface::XMLRPC (POST only; any other method is 405) and
LJ::Protocol::xmlrpc_method (cgi-bin/LJ/Protocol.pm:3567-3640): one struct parameter (more is
fault 202), the mode's error as a fault with the three-digit code as faultCode and
error_message() as faultString. XMLRPC::Lite answers faults with HTTP 200 and `text/xml` without
a charset (XMLRPC::Transport::HTTP::CGI make_fault/make_response). Methods outside the
LJ.XMLRPC class are refused like SOAP::Lite's dispatcher does ("Denied access to method ...").

Values are typed the way XMLRPC::Lite's serializer guesses them (XMLRPC::Serializer typelookup,
in priority order): a string containing any byte outside tab, LF, CR and 0x20-0x7F (that is, any
non-ASCII text, sent as UTF-8 bytes) is `<base64>`; one that is all digits (optionally signed)
is `<int>` - with no 32-bit range check, so a 60-bit allowmask is a long `<int>`, and a subject
like "2024" is an int too; a decimal or exponent number is `<double>`; `YYYYMMDDTHH:MM:SS` is a
dateTime; everything else `<string>`; undef is an empty `<value/>`. Only the keys journalname,
fullname, username, poster, postername and name are forced to `<string>` (xmlrpc_method's
lj_types_map). So peers must decode base64 values as UTF-8 text: this is why ljdump-style
clients see Binary values for non-ASCII subjects, events and props.
"""

from __future__ import annotations

import base64
import re
import xmlrpc.client
from typing import Any
from xml.parsers.expat import ExpatError

from .errors import ProtocolError, message
from .modes import do_request, text
from .state import Call, OwnerState

STRING_KEYS = frozenset(["journalname", "fullname", "username", "poster", "postername", "name"])
_NOT_TEXT = re.compile(rb"[^\x09\x0a\x0d\x20-\x7f]")
_INT = re.compile(r"[+-]?\d+\n?\Z")
_DOUBLE = re.compile(
    r"(?:-?(?:\d+(?:\.\d*)?|\.\d+)|([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?)\n?\Z"
)
_DATETIME = re.compile(r"\d{8}T\d\d:\d\d:\d\d\n?\Z")
HEADER = '<?xml version="1.0" encoding="UTF-8"?>'


def _escape(value: str) -> str:
    """SOAP::Utils::encode_data."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#xd;")
    )


def scalar_xml(value: Any) -> str:
    """One scalar, typed by XMLRPC::Lite's rules."""
    if value is None:
        return "<value/>"
    s = text(value)
    raw = s.encode("utf-8")
    if _NOT_TEXT.search(raw):
        return f"<value><base64>{base64.b64encode(raw).decode()}</base64></value>"
    if _INT.match(s):
        return f"<value><int>{s}</int></value>"
    if _DOUBLE.match(s):
        return f"<value><double>{s}</double></value>"
    if _DATETIME.match(s):
        return f"<value><dateTime.iso8601>{s}</dateTime.iso8601></value>"
    return f"<value><string>{_escape(s)}</string></value>"


def value_xml(value: Any, key: str | None = None) -> str:
    if isinstance(value, dict):
        members = "".join(
            f"<member><name>{_escape(str(k))}</name>{value_xml(v, str(k))}</member>"
            for k, v in value.items()
        )
        return f"<value><struct>{members}</struct></value>"
    if isinstance(value, (list, tuple)):
        return (
            "<value><array><data>"
            + "".join(value_xml(v) for v in value)
            + "</data></array></value>"
        )
    if key in STRING_KEYS and value is not None:
        return f"<value><string>{_escape(text(value))}</string></value>"
    return scalar_xml(value)


def response(result: Any) -> bytes:
    body = f"{HEADER}<methodResponse><params><param>{value_xml(result)}</param></params></methodResponse>"
    return body.encode("utf-8")


def fault(code: Any, string: str) -> bytes:
    inner = value_xml({"faultString": string, "faultCode": code})
    return f"{HEADER}<methodResponse><fault>{inner}</fault></methodResponse>".encode()


def _plain(value: Any) -> Any:
    """Request values as Perl sees them: Binary and bytes become text, structures stay."""
    if isinstance(value, xmlrpc.client.Binary):
        return value.data.decode("utf-8", "replace")
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def handle(state: OwnerState, body: bytes, call: Call) -> bytes:
    """The XML-RPC answer (always HTTP 200) to one POST body."""
    try:
        params, method = xmlrpc.client.loads(body, use_builtin_types=True)
    except (ExpatError, xmlrpc.client.ResponseError, ValueError, TypeError) as exc:
        return fault("Client", f"Application failed during request deserialization: {exc}")
    m = re.fullmatch(r"(?:(.*)\.)?(\w+)", method or "")
    if m is None or re.search(r"[:']", method or ""):
        return fault("Server", "Access denied")
    klass = (m.group(1) or "main").replace(".", "::")
    mode = m.group(2)
    if klass != "LJ::XMLRPC":
        return fault("Server", f"Denied access to method ({mode}) in class ({klass})")
    if len(params) > 1:
        return fault(202, message(202))
    req = _plain(params[0]) if params else {}
    if not isinstance(req, dict):
        return fault("Server", f'Can\'t use string ("{text(req)}") as a HASH ref')
    try:
        result = do_request(state, mode, req, call)
    except ProtocolError as exc:
        return fault(str(exc.code)[:3], message(exc.code, exc.detail))
    return response(result)
