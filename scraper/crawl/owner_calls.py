"""Owner mode's calls: the kinds (sessiongenerate, syncitems, getevents, comment_meta,
comment_body, sessionexpire), one planned call (OwnerCall), and the request it becomes
(planned_request -> PlannedRequest: a protocol POST or a comment export GET).

Pure: no HTTP. The phases that choose the calls are in scraper.crawl.owner_phases, their order
in scraper.crawl.owner_plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..parse.owner.export import export_path
from ..parse.owner.protocol import (
    FLAT,
    XMLRPC,
    Credentials,
    getevents_request,
    sessionexpire_request,
    sessiongenerate_request,
    syncitems_request,
)
from ..parse.owner.secret import Secret

SESSION = "sessiongenerate"
SYNCITEMS = "syncitems"
GETEVENTS = "getevents"
COMMENT_META = "comment_meta"
COMMENT_BODY = "comment_body"
EXPIRE = "sessionexpire"


@dataclass(frozen=True)
class OwnerCall:
    """One planned call; turn it into a request with `planned_request`."""

    kind: str  # SESSION | SYNCITEMS | GETEVENTS | COMMENT_META | COMMENT_BODY | EXPIRE
    lastsync: str | None = None  # SYNCITEMS
    itemids: tuple[int, ...] = ()  # GETEVENTS (jitemids)
    startid: int = 0  # COMMENT_META / COMMENT_BODY
    numitems: int = 0  # COMMENT_META / COMMENT_BODY


@dataclass(frozen=True)
class PlannedRequest:
    """What to send: POST `content` to `path` (protocol) or GET `path` (export), on the site's
    protocol origin. `content` holds the API key and is never printed; `record_key` names the
    call without secrets (for the pages table and logs)."""

    method: str  # 'POST' | 'GET'
    path: str
    content_type: str | None
    record_key: str
    content: bytes | None = field(default=None, repr=False, compare=False)


def planned_request(
    call: OwnerCall,
    creds: Credentials,
    *,
    session: Secret | None = None,
    interface: str = XMLRPC,
) -> PlannedRequest | None:
    """The request for a call (None for EXPIRE when the session has no id to expire).
    Export calls ask for the community in `creds.usejournal` with authas."""
    if interface not in (XMLRPC, FLAT):
        raise ValueError(f"unknown interface {interface!r}")
    if call.kind in (COMMENT_META, COMMENT_BODY):
        path = export_path(call.kind, call.startid, call.numitems or None, authas=creds.usejournal)
        return PlannedRequest(method="GET", path=path, content_type=None, record_key=path)
    if call.kind == SESSION:
        req = sessiongenerate_request(creds, interface=interface)
    elif call.kind == SYNCITEMS:
        req = syncitems_request(creds, call.lastsync, interface=interface)
    elif call.kind == GETEVENTS:
        req = getevents_request(creds, call.itemids, interface=interface)
    elif call.kind == EXPIRE:
        if session is None:
            return None
        expire = sessionexpire_request(creds, session, interface=interface)
        if expire is None:
            return None
        req = expire
    else:
        raise ValueError(f"unknown call kind {call.kind!r}")
    return PlannedRequest(
        method="POST",
        path=req.path,
        content_type=req.content_type,
        record_key=req.record_key,
        content=req.content,
    )
