"""Dreamwidth protocol calls used by owner mode: request bodies in, typed answers out.

Calls: sessiongenerate, sessionexpire, syncitems, getevents (cgi-bin/LJ/Protocol.pm). Each
builder returns a ProtocolRequest (path, body, content type, and a secret-free `record_key`
naming the call); each parser takes the answer's text from either interface (XML-RPC or flat,
told apart by the text itself, so stored answers re-parse offline) and returns plain frozen
dataclasses. Faults raise the typed errors of scraper.errors (ApiKeyRefused for 101, ...).

Why XML-RPC by default (and for sessiongenerate in particular): its faults carry the numeric
code (Protocol.pm:3591-3595), while the flat interface only sends a message and its
sessiongenerate wrapper answers success=OK with an empty session even when the key was refused
(Protocol.pm:4281-4296). The flat codecs are kept for completeness and for stored answers.

Every call authenticates with auth_method=clear and the API key as `password`
(LJ::Protocol::authenticate, Protocol.pm:3472-3543, accepts API keys since 2020); `ver=1` (with
ver 0 non-ASCII entries fail with 207, Protocol.pm:2625-2645).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from ...errors import ParseError
from .calls import (
    FLAT,
    XMLRPC,
    Credentials,
    ProtocolRequest,
    auth_params,
    decode_answer,
    interface_of,
    protocol_request,
    text_value,
    to_int,
)
from .secret import Secret

__all__ = [
    "FLAT",
    "GETEVENTS_MAX",
    "SYNCITEMS_PAGE",
    "XMLRPC",
    "Credentials",
    "ProtocolEvent",
    "ProtocolRequest",
    "Session",
    "SyncItem",
    "SyncPage",
    "getevents_request",
    "interface_of",
    "login_request",
    "parse_getevents",
    "parse_moods",
    "parse_sessionexpire",
    "parse_sessiongenerate",
    "parse_syncitems",
    "session_id",
    "sessionexpire_request",
    "sessiongenerate_request",
    "syncitems_request",
    "to_int",
]

GETEVENTS_MAX = 100  # selecttype=multiple: more gives error 209 (Protocol.pm:2495-2505)
SYNCITEMS_PAGE = 500  # syncitems answers at most 500 items (Protocol.pm:3103, $LIMIT)

_SESSION = re.compile(r"^v\d+:u(\d+):s(\d+):")
_ITEM = re.compile(r"^([LC])-(\d{1,18})$")
_TIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def sessiongenerate_request(
    creds: Credentials, *, interface: str = XMLRPC, expiration: str = "short"
) -> ProtocolRequest:
    """Log in once: a session (`ljsession` cookie value). `short` lasts 1.5 days."""
    params = auth_params(creds, interface)
    params["expiration"] = "long" if expiration == "long" else "short"
    return protocol_request("sessiongenerate", params, interface, "")


def login_request(creds: Credentials, *, interface: str = XMLRPC) -> ProtocolRequest:
    """`login` asking for the site's mood list (getmoods=0: every mood; Protocol.pm login):
    entries picked from the list carry only `current_moodid`."""
    params = auth_params(creds, interface)
    params["getmoods"] = 0
    return protocol_request("login", params, interface, "&getmoods=0")


def session_id(session: Secret) -> int | None:
    """The session number inside an ljsession value (`v1:u<userid>:s<sessid>:...`)."""
    m = _SESSION.match(session.reveal())
    return int(m.group(2)) if m else None


def sessionexpire_request(
    creds: Credentials, session: Secret, *, interface: str = XMLRPC
) -> ProtocolRequest | None:
    """End our own session only (never `expireall`: that would log the owner out of their
    browsers too). None when the session value has no recognisable session number."""
    sessid = session_id(session)
    if sessid is None:
        return None
    params = auth_params(creds, interface)
    if interface == XMLRPC:
        params["expire"] = [sessid]
    else:
        params[f"expire_id_{sessid}"] = 1
    return protocol_request("sessionexpire", params, interface, "")


def syncitems_request(
    creds: Credentials, lastsync: str | None, *, interface: str = XMLRPC
) -> ProtocolRequest:
    """Items (entries created/edited, comment changes) after `lastsync`, oldest first."""
    if lastsync is not None and not _TIME.match(lastsync):
        raise ValueError(f"lastsync must be 'YYYY-MM-DD HH:MM:SS', not {lastsync!r}")
    params = auth_params(creds, interface)
    if lastsync is not None:
        params["lastsync"] = lastsync
    if creds.usejournal:
        params["usejournal"] = creds.usejournal
    return protocol_request("syncitems", params, interface, f"&lastsync={lastsync or ''}")


def compact_ids(ids: Sequence[int]) -> str:
    """'1-3,7,9-10' for [1, 2, 3, 7, 9, 10] (sorted, for record keys)."""
    out: list[str] = []
    ordered = sorted(set(ids))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ",".join(out)


def getevents_request(
    creds: Credentials, itemids: Sequence[int], *, interface: str = XMLRPC
) -> ProtocolRequest:
    """Entries by jitemid (selecttype=multiple), 1 to 100 of them, with props and tags,
    Unix line endings (Protocol.pm:2311-2700)."""
    ids = sorted({int(i) for i in itemids})
    if not ids or len(ids) > GETEVENTS_MAX:
        raise ValueError(f"getevents takes 1 to {GETEVENTS_MAX} itemids, not {len(ids)}")
    if ids[0] < 1:
        raise ValueError("itemids are positive")
    params = auth_params(creds, interface)
    params.update(
        selecttype="multiple",
        itemids=",".join(str(i) for i in ids),
        lineendings="unix",
    )
    if creds.usejournal:
        params["usejournal"] = creds.usejournal
    return protocol_request("getevents", params, interface, f"&itemids={compact_ids(ids)}")


# --- answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """A logged-in session. `value` is the ljsession cookie value (a Secret)."""

    value: Secret
    session_id: int | None
    userid: int | None


@dataclass(frozen=True)
class SyncItem:
    item: str  # 'L-123' (entry) or 'C-123' (its comments changed)
    kind: str  # 'L' | 'C'
    jitemid: int
    action: str  # 'create' | 'update'
    time: str  # 'YYYY-MM-DD HH:MM:SS', server time


@dataclass(frozen=True)
class SyncPage:
    items: tuple[SyncItem, ...]  # oldest first, as sent
    count: int
    total: int  # items after the lastsync sent, this page included

    @property
    def complete(self) -> bool:
        """This page holds every remaining item."""
        return self.count >= self.total


@dataclass(frozen=True)
class ProtocolEvent:
    """One entry as getevents returns it (fields as sent; absent ones None/'')."""

    jitemid: int
    anum: int
    eventtime: str  # as typed by the poster, journal-local, 'YYYY-MM-DD HH:MM:SS'
    logtime: str | None  # server time of posting
    security: str  # 'public' | 'private' | 'usemask' (as sent; absent = public)
    allowmask: int | None
    poster: str | None  # only when it differs from the journal (communities)
    url: str | None
    subject: str
    event: str  # the raw markup, exactly as returned
    props: dict[str, str | None] = field(hash=False)
    converted_with_loss: bool = False

    @property
    def ditemid(self) -> int:
        """The public item number (NNN of NNN.html): jitemid * 256 + anum."""
        return self.jitemid * 256 + self.anum


def parse_sessiongenerate(body: str | bytes) -> Session:
    """The session from a sessiongenerate answer. Errors never include the answer's text."""
    _, data = decode_answer(body, "sessiongenerate")
    value = text_value(data.get("ljsession")).strip()
    if not value:
        raise ParseError("sessiongenerate answered without a session")
    m = _SESSION.match(value)
    return Session(
        value=Secret(value),
        session_id=int(m.group(2)) if m else None,
        userid=int(m.group(1)) if m else None,
    )


def parse_moods(body: str | bytes) -> dict[int, str]:
    """mood id -> name from a `login` answer with getmoods (XML-RPC `moods`, flat mood_N_*)."""
    interface, data = decode_answer(body, "login")
    out: dict[int, str] = {}
    if interface == XMLRPC:
        for mood in data.get("moods") or ():
            if isinstance(mood, dict) and mood.get("id") is not None and mood.get("name"):
                out[to_int(mood["id"], "mood id")] = text_value(mood["name"])
        return out
    count = to_int(data.get("mood_count") or 0, "mood_count")
    for n in range(1, count + 1):
        mood_id, name = data.get(f"mood_{n}_id"), data.get(f"mood_{n}_name")
        if mood_id is not None and name:
            out[to_int(mood_id, "mood id")] = text_value(name)
    return out


def parse_sessionexpire(body: str | bytes) -> None:
    """Raises the typed error when the expiry failed; nothing to return otherwise."""
    decode_answer(body, "sessionexpire")


def _sync_item(item: str, action: str, time: str) -> SyncItem:
    m = _ITEM.match(item.strip())
    if not m:
        raise ParseError(f"syncitems: bad item {item[:40]!r}")
    time = time.strip()
    if not _TIME.match(time):
        raise ParseError(f"syncitems: bad time {time[:40]!r}")
    return SyncItem(
        item=item.strip(), kind=m.group(1), jitemid=int(m.group(2)), action=action, time=time
    )


def parse_syncitems(body: str | bytes) -> SyncPage:
    interface, data = decode_answer(body, "syncitems")
    items: list[SyncItem] = []
    if interface == XMLRPC:
        raw = data.get("syncitems") or []
        if not isinstance(raw, list):
            raise ParseError("syncitems: 'syncitems' is not a list")
        for entry in raw:
            if not isinstance(entry, dict):
                raise ParseError("syncitems: an item is not a struct")
            items.append(
                _sync_item(
                    text_value(entry.get("item")),
                    text_value(entry.get("action")),
                    text_value(entry.get("time")),
                )
            )
        count = to_int(data.get("count", len(items)), "syncitems count")
        total = to_int(data.get("total", len(items)), "syncitems total")
    else:
        count = to_int(data.get("sync_count", "0"), "sync_count")
        total = to_int(data.get("sync_total", "0"), "sync_total")
        for n in range(1, count + 1):
            items.append(
                _sync_item(
                    data.get(f"sync_{n}_item", ""),
                    data.get(f"sync_{n}_action", ""),
                    data.get(f"sync_{n}_time", ""),
                )
            )
    if count != len(items):
        raise ParseError(f"syncitems: count {count} but {len(items)} items")
    return SyncPage(items=tuple(items), count=count, total=total)


def _event(fields: Mapping[str, Any], props: Mapping[str, Any], event_text: str) -> ProtocolEvent:
    jitemid = to_int(fields.get("itemid"), "getevents itemid")
    security = text_value(fields.get("security")).strip() or "public"
    allowmask = None
    if fields.get("allowmask") not in (None, ""):
        allowmask = to_int(fields.get("allowmask"), "getevents allowmask")
    poster = text_value(fields.get("poster")).strip() or None
    return ProtocolEvent(
        jitemid=jitemid,
        anum=to_int(fields.get("anum", "0"), "getevents anum"),
        eventtime=text_value(fields.get("eventtime")).strip(),
        logtime=text_value(fields.get("logtime")).strip() or None,
        security=security,
        allowmask=allowmask,
        poster=poster,
        url=text_value(fields.get("url")).strip() or None,
        subject=text_value(fields.get("subject")),
        event=event_text,
        props={str(k): (None if v is None else text_value(v)) for k, v in props.items()},
        converted_with_loss=text_value(fields.get("converted_with_loss")).strip() not in ("", "0"),
    )


def parse_getevents(body: str | bytes) -> tuple[ProtocolEvent, ...]:
    """The entries of a getevents answer, in the order sent."""
    interface, data = decode_answer(body, "getevents")
    out: list[ProtocolEvent] = []
    if interface == XMLRPC:
        raw = data.get("events") or []
        if not isinstance(raw, list):
            raise ParseError("getevents: 'events' is not a list")
        for evt in raw:
            if not isinstance(evt, dict):
                raise ParseError("getevents: an event is not a struct")
            props = evt.get("props") or {}
            if not isinstance(props, dict):
                raise ParseError("getevents: props is not a struct")
            out.append(_event(evt, props, text_value(evt.get("event"))))
        return tuple(out)
    count = to_int(data.get("events_count", "0"), "events_count")
    props_by_item: dict[str, dict[str, str]] = {}
    for n in range(1, to_int(data.get("prop_count", "0"), "prop_count") + 1):
        owner = data.get(f"prop_{n}_itemid", "").strip()
        name = data.get(f"prop_{n}_name")
        if name is None:
            raise ParseError(f"getevents: prop {n} without a name")
        props_by_item.setdefault(owner, {})[name] = data.get(f"prop_{n}_value", "")
    for n in range(1, count + 1):
        prefix = f"events_{n}_"
        fields = {k[len(prefix) :]: v for k, v in data.items() if k.startswith(prefix)}
        if "itemid" not in fields:
            raise ParseError(f"getevents: event {n} without an itemid")
        event_text = unquote_plus(fields.get("event", ""), encoding="utf-8", errors="replace")
        out.append(_event(fields, props_by_item.get(fields["itemid"].strip(), {}), event_text))
    return tuple(out)
