"""HTTP glue between FakeSite and the owner endpoints: which paths, which bucket, which answer.

FakeSite calls `remote_userid()` before its rate limit (a valid session cookie puts the request in
that user's bucket) and `respond()` for the protocol paths, on every journal's origin and on the
www host:

* `/interface/flat` (GET or POST; DW::Routing answers other methods 405),
* `/interface/xmlrpc` (POST only),
* `/export_comments` and `/export_comments.bml` (DW::Routing drops the .bml).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

from ..render import Response
from ..render.site import site_page
from . import export, flat, xmlrpc
from .state import OwnerState

FLAT = "/interface/flat"
XMLRPC = "/interface/xmlrpc"
EXPORT = ("/export_comments", "/export_comments.bml")
PATHS = frozenset((FLAT, XMLRPC, *EXPORT))


def handles(path_with_query: str) -> bool:
    return urlsplit(path_with_query).path in PATHS


def remote_userid(state: OwnerState, cookie_header: str | None, ip: str) -> int | None:
    """The user a request's session cookie names, or None (anonymous)."""
    if not cookie_header:
        return None
    call = state.call(ip, cookie_header)
    return call.remote.userid if call.remote is not None else None


def _not_allowed(site_root: str) -> Response:
    text = site_page(site_root, "Error", "<p>Method Not Allowed</p>")
    return Response.html(405, text)


def respond(
    state: OwnerState,
    method: str,
    path_with_query: str,
    headers: Mapping[str, str],
    body: bytes,
    ip: str,
    site_root: str,
) -> Response:
    """The answer to one request for a protocol path."""
    parts = urlsplit(path_with_query)
    header_map = {k: v for k, v in headers.items()}
    lower = {k.lower(): v for k, v in header_map.items()}
    call = state.call(ip, lower.get("cookie"), lower.get("x-lj-auth", ""))
    if parts.path == FLAT:
        if method not in ("GET", "POST"):
            return _not_allowed(site_root)
        form = flat.parse_form(body) if method == "POST" else {}
        payload = flat.render(flat.handle(state, form, call), form)
        return Response(200, payload, [("Content-Type", "text/plain; charset=utf-8")])
    if parts.path == XMLRPC:
        if method != "POST":
            return _not_allowed(site_root)
        return Response(200, xmlrpc.handle(state, body, call), [("Content-Type", "text/xml")])
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    return export.respond(
        state, method, parts.path, query, parts.query, header_map, call, site_root
    )
