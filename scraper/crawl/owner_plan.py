"""Owner-mode request planning: which calls, in which order, with which paging state.

Pure: no HTTP, no SQL. Each phase is a small frozen state machine driven by parsed answers
(scraper.parse.owner): `next_call()` says what to request, `advance(answer)` returns the next
state. States are JSON-able (`to_dict` / `from_dict`), so the crawl can keep them in its to-do
list and a killed run resumes where it stopped. `OwnerRunPlan` chains the phases:

    sessiongenerate -> syncitems* -> getevents* -> comment_meta* -> comment_body* -> sessionexpire

- syncitems (LJ::Protocol::syncitems, cgi-bin/LJ/Protocol.pm:3083-3152): at most 500 items an
  answer, oldest first, items strictly after `lastsync`; loop until count == total. Items that
  share the second of a page's last item may lie beyond the cut, so the next call asks from
  that second minus one and the repeats are dropped; `lastsync` values only ever grow, so the
  same value is never sent twice (the 406 loop guard, Protocol.pm:2458-2484, counts three).
  A page whose items all share one second cannot be paged by time: the plan steps past that
  second and records it in `overflow`; entries are then fetched by id: a sweep of 1..highest
  id seen, then batches above it until one comes back empty.
- getevents: the entry ids (L- items) in sorted batches of 100 (selecttype=multiple).
- comment_meta: windows from startid 0, following `nextid` until the answer has none.
- comment_body: windows of 1,000 ids from just above the last known maxid, stepping by 1,000
  whatever a window holds (id gaps give empty windows) until past maxid; nothing when maxid is
  0 or absent. Every window advances, so the loop ends.
- Incremental runs start syncitems at the stored SyncCursor (minus one second, repeats of items
  already seen at that second dropped), re-read comment meta for states, and fetch bodies only
  for ids above the stored maxid.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from ..parse.owner.export import BODY_WINDOW, META_WINDOW, CommentMetaPage, export_path
from ..parse.owner.protocol import (
    FLAT,
    GETEVENTS_MAX,
    SYNCITEMS_PAGE,
    XMLRPC,
    Credentials,
    ProtocolEvent,
    Session,
    SyncItem,
    SyncPage,
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
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def _second_before(time: str) -> str | None:
    """'YYYY-MM-DD HH:MM:SS' one second earlier (None for times Python cannot read)."""
    try:
        moment = datetime.strptime(time, _TIME_FORMAT)
    except ValueError:
        return None
    if moment == datetime.min:
        return None
    return (moment - timedelta(seconds=1)).strftime(_TIME_FORMAT)


# --- calls -----------------------------------------------------------------------------------


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


# --- syncitems -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncCursor:
    """Where the last complete sync stopped: the newest item time seen and the items seen at
    exactly that second (so the next run can re-ask that second and drop what it knows)."""

    lastsync: str
    at_lastsync: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncItemsPlan:
    send: str | None = None  # lastsync of the next call; None = from the beginning
    newest: str | None = None  # greatest item time seen
    at_newest: tuple[str, ...] = ()  # items seen at that second
    done: bool = False
    sent: tuple[str | None, ...] = ()  # every lastsync sent so far, in order
    overflow: tuple[str, ...] = ()  # seconds holding a full page of ties (may miss items)
    stalled: bool = False  # the server stopped making progress (ended early)

    @classmethod
    def start(cls, cursor: SyncCursor | None = None) -> SyncItemsPlan:
        if cursor is None:
            return cls()
        before = _second_before(cursor.lastsync)
        if before is None:
            return cls(send=cursor.lastsync, newest=cursor.lastsync)
        return cls(
            send=before,
            newest=cursor.lastsync,
            at_newest=tuple(sorted(set(cursor.at_lastsync))),
        )

    def next_call(self) -> OwnerCall | None:
        return None if self.done else OwnerCall(SYNCITEMS, lastsync=self.send)

    def advance(self, page: SyncPage) -> tuple[SyncItemsPlan, tuple[SyncItem, ...]]:
        """The next state and the page's items that are new to this run (repeats of the items
        already seen at the boundary second dropped)."""
        if self.done:
            raise ValueError("syncitems plan is already done")
        items = sorted(page.items, key=lambda i: i.time)
        known = set(self.at_newest)
        fresh = tuple(i for i in items if not (i.time == self.newest and i.item in known))
        newest, at_newest = self.newest, set(self.at_newest)
        for item in items:
            if newest is None or item.time > newest:
                newest, at_newest = item.time, {item.item}
            elif item.time == newest:
                at_newest.add(item.item)
        state = replace(
            self,
            newest=newest,
            at_newest=tuple(sorted(at_newest)),
            sent=(*self.sent, self.send),
        )
        if page.complete or not items:
            return replace(state, done=True), fresh
        if newest is None or (self.send is not None and newest <= self.send):
            return replace(state, done=True, stalled=True), fresh
        candidate = _second_before(newest)
        overflow = self.overflow
        if candidate is None or (self.send is not None and candidate <= self.send):
            candidate = newest  # every item of the page shares one second: step past it
            overflow = (*overflow, newest)
        return replace(state, send=candidate, overflow=overflow), fresh

    @property
    def cursor(self) -> SyncCursor | None:
        if self.newest is None:
            return None
        return SyncCursor(self.newest, self.at_newest)


# --- getevents -------------------------------------------------------------------------------


def getevents_batches(
    jitemids: Iterable[int], size: int = GETEVENTS_MAX
) -> tuple[tuple[int, ...], ...]:
    """Sorted, de-duplicated ids in batches of at most `size` (100: more is error 209)."""
    if not 1 <= size <= GETEVENTS_MAX:
        raise ValueError(f"batch size is 1..{GETEVENTS_MAX}")
    ids = sorted({int(i) for i in jitemids if int(i) > 0})
    return tuple(tuple(ids[i : i + size]) for i in range(0, len(ids), size))


def missing_itemids(requested: Sequence[int], events: Iterable[ProtocolEvent]) -> tuple[int, ...]:
    """Requested jitemids the answer did not include (deleted since, or not readable)."""
    got = {e.jitemid for e in events}
    return tuple(sorted(set(requested) - got))


# --- comments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentMetaPlan:
    startid: int = 0
    numitems: int = META_WINDOW
    done: bool = False
    maxid: int | None = None
    windows: int = 0

    def next_call(self) -> OwnerCall | None:
        if self.done:
            return None
        return OwnerCall(COMMENT_META, startid=self.startid, numitems=self.numitems)

    def advance(self, page: CommentMetaPage) -> CommentMetaPlan:
        if self.done:
            raise ValueError("comment meta plan is already done")
        maxid = page.maxid if page.maxid is not None else self.maxid
        state = replace(self, maxid=maxid, windows=self.windows + 1)
        nextid = page.nextid
        if nextid is None or nextid <= self.startid or (maxid is not None and nextid > maxid):
            return replace(state, done=True)
        return replace(state, startid=nextid)


@dataclass(frozen=True)
class CommentBodyPlan:
    startid: int
    maxid: int
    numitems: int = BODY_WINDOW
    done: bool = False
    windows: int = 0

    @classmethod
    def start(
        cls, maxid: int | None, after: int = 0, numitems: int = BODY_WINDOW
    ) -> CommentBodyPlan:
        """Windows for ids after..maxid (ids start at 1); done at once when there are none."""
        top = maxid or 0
        begin = max(after, 0) + 1
        return cls(startid=begin, maxid=top, numitems=numitems, done=begin > top)

    def next_call(self) -> OwnerCall | None:
        if self.done:
            return None
        return OwnerCall(COMMENT_BODY, startid=self.startid, numitems=self.numitems)

    def advance(self, page: object = None) -> CommentBodyPlan:
        """Step to the next window, whatever this one held."""
        if self.done:
            raise ValueError("comment body plan is already done")
        nxt = self.startid + self.numitems
        return replace(self, startid=nxt, windows=self.windows + 1, done=nxt > self.maxid)


# --- the whole run ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerRunPlan:
    """The calls of one owner-mode archive or sync run, in order."""

    phase: str = SESSION
    sync: SyncItemsPlan = field(default_factory=SyncItemsPlan)
    pending: tuple[int, ...] = ()  # entry jitemids found by syncitems, not yet fetched
    fetched: int = 0  # getevents calls made
    missing: tuple[int, ...] = ()  # reported by syncitems, not returned by getevents (deleted)
    comment_entries: tuple[int, ...] = ()  # jitemids whose comments changed (C- items)
    highest_jitemid: int = 0
    probe_from: int = 0  # after an overflow: ids from here are probed 100 at a time
    meta: CommentMetaPlan = field(default_factory=CommentMetaPlan)
    body: CommentBodyPlan | None = None
    known_maxid: int = 0  # bodies are fetched for ids above this
    comments: bool = True

    @classmethod
    def start(
        cls,
        cursor: SyncCursor | None = None,
        *,
        known_maxid: int = 0,
        meta_from: int = 0,
        comments: bool = True,
    ) -> OwnerRunPlan:
        """A full run (no cursor) or an incremental one (the cursor and maxid of the last run).
        `meta_from` > 0 reads comment meta only from that id (a cheaper check that misses state
        changes of older comments; freezing does not even mark the entry as changed)."""
        return cls(
            sync=SyncItemsPlan.start(cursor),
            meta=CommentMetaPlan(startid=max(meta_from, 0)),
            known_maxid=max(known_maxid, 0),
            comments=comments,
        )

    def next_call(self) -> OwnerCall | None:
        if self.phase == SESSION:
            return OwnerCall(SESSION)
        if self.phase == SYNCITEMS:
            return self.sync.next_call()
        if self.phase == GETEVENTS:
            return OwnerCall(GETEVENTS, itemids=self.pending[:GETEVENTS_MAX])
        if self.phase == COMMENT_META:
            return self.meta.next_call()
        if self.phase == COMMENT_BODY:
            return self.body.next_call() if self.body else None
        if self.phase == EXPIRE:
            return OwnerCall(EXPIRE)
        return None

    @property
    def done(self) -> bool:
        return self.phase == "done"

    def _after_sync(self, state: OwnerRunPlan) -> OwnerRunPlan:
        pending = set(state.pending)
        if state.sync.overflow:
            # entries of the overflowing second that no page showed: sweep every id up to the
            # highest seen, then probe above it until a batch comes back empty (the second's
            # entries have consecutive ids: the per-journal counter, LJ::alloc_user_counter)
            pending.update(range(1, state.highest_jitemid + 1))
            state = replace(state, probe_from=state.highest_jitemid + 1)
        state = replace(state, pending=tuple(sorted(pending)))
        if state.pending:
            return replace(state, phase=GETEVENTS)
        return state._after_entries()

    def _after_entries(self) -> OwnerRunPlan:
        return replace(self, phase=COMMENT_META if self.comments else EXPIRE)

    def advance(self, call: OwnerCall, answer: Any = None) -> OwnerRunPlan:
        """The state after `call` was answered with `answer` (the parsed answer:
        Session, SyncPage, tuple of ProtocolEvent, CommentMetaPage, CommentBodyPage, None)."""
        if call.kind != (self.next_call() or OwnerCall("none")).kind:
            raise ValueError(f"answer for {call.kind} while the plan is at {self.phase}")
        if self.phase == SESSION:
            if not isinstance(answer, Session):
                raise TypeError("sessiongenerate is answered with a Session")
            return replace(self, phase=SYNCITEMS)
        if self.phase == SYNCITEMS:
            sync, fresh = self.sync.advance(answer)
            pending = set(self.pending)
            comment_entries = set(self.comment_entries)
            highest = self.highest_jitemid
            for item in fresh:
                (pending if item.kind == "L" else comment_entries).add(item.jitemid)
                highest = max(highest, item.jitemid)
            state = replace(
                self,
                sync=sync,
                pending=tuple(sorted(pending)),
                comment_entries=tuple(sorted(comment_entries)),
                highest_jitemid=highest,
            )
            return self._after_sync(state) if sync.done else state
        if self.phase == GETEVENTS:
            events = tuple(answer or ())
            asked = call.itemids
            probing = bool(self.probe_from) and bool(asked) and asked[0] >= self.probe_from
            # after an overflow the sweep asks for ids that may never have existed: not 'missing'
            lost = () if self.sync.overflow else missing_itemids(asked, events)
            state = replace(
                self,
                pending=tuple(i for i in self.pending if i not in set(asked)),
                fetched=self.fetched + 1,
                missing=tuple(sorted({*self.missing, *lost})),
            )
            if probing:
                if not events:
                    state = replace(state, probe_from=0)
                else:
                    nxt = asked[-1] + 1
                    state = replace(
                        state, probe_from=nxt, pending=tuple(range(nxt, nxt + GETEVENTS_MAX))
                    )
            elif not state.pending and state.probe_from:
                start = state.probe_from
                state = replace(state, pending=tuple(range(start, start + GETEVENTS_MAX)))
            return state if state.pending else state._after_entries()
        if self.phase == COMMENT_META:
            meta = self.meta.advance(answer)
            state = replace(self, meta=meta)
            if not meta.done:
                return state
            body = CommentBodyPlan.start(meta.maxid, after=self.known_maxid)
            return replace(state, body=body, phase=EXPIRE if body.done else COMMENT_BODY)
        if self.phase == COMMENT_BODY:
            assert self.body is not None
            body = self.body.advance(answer)
            return replace(self, body=body, phase=EXPIRE if body.done else COMMENT_BODY)
        if self.phase == EXPIRE:
            return replace(self, phase="done")
        raise ValueError(f"plan is {self.phase}")

    @property
    def cursor(self) -> SyncCursor | None:
        """What to store for the next incremental run (after this one completed)."""
        return self.sync.cursor

    @property
    def comment_maxid(self) -> int:
        """The comment id this run's bodies reach (store it as the next run's known_maxid)."""
        if self.body is None:
            return self.known_maxid
        return max(self.known_maxid, self.body.maxid)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OwnerRunPlan:
        sync = dict(data["sync"])
        for key in ("at_newest", "sent", "overflow"):
            sync[key] = tuple(sync.get(key) or ())
        body = data.get("body")
        return cls(
            phase=data["phase"],
            sync=SyncItemsPlan(**sync),
            pending=tuple(data.get("pending") or ()),
            fetched=int(data.get("fetched") or 0),
            missing=tuple(data.get("missing") or ()),
            comment_entries=tuple(data.get("comment_entries") or ()),
            highest_jitemid=int(data.get("highest_jitemid") or 0),
            probe_from=int(data.get("probe_from") or 0),
            meta=CommentMetaPlan(**data["meta"]),
            body=CommentBodyPlan(**body) if body else None,
            known_maxid=int(data.get("known_maxid") or 0),
            comments=bool(data.get("comments", True)),
        )


# --- request counts --------------------------------------------------------------------------


def syncitems_calls(items: int) -> int:
    """Fewest syncitems calls for `items` items (one even when there are none)."""
    return max(1, math.ceil(items / SYNCITEMS_PAGE))


def getevents_calls(entries: int) -> int:
    return math.ceil(entries / GETEVENTS_MAX)


def meta_windows(maxid: int | None, start: int = 0) -> int:
    """comment_meta calls from `start`: nextid is sent while startid+10000 <= maxid."""
    top = maxid or 0
    if start > top:
        return 1
    return (top - start) // META_WINDOW + 1


def body_windows(maxid: int | None, after: int = 0) -> int:
    """comment_body calls for ids after..maxid, 1,000 per window."""
    top = maxid or 0
    return 0 if top <= after else math.ceil((top - after) / BODY_WINDOW)


def minimum_requests(
    *,
    sync_items: int,
    entries: int,
    comment_maxid: int | None,
    known_maxid: int = 0,
    comments: bool = True,
) -> int:
    """Fewest requests of an owner-mode run: session + ceil(items/500) syncitems +
    ceil(entries/100) getevents + comment windows (meta from 0, bodies above known_maxid) +
    sessionexpire. `sync_items` counts L- and C- items; `entries` the entries to fetch."""
    total = 1 + syncitems_calls(sync_items) + getevents_calls(entries) + 1
    if comments:
        total += meta_windows(comment_maxid) + body_windows(comment_maxid, known_maxid)
    return total
