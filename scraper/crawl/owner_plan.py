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

The calls and the requests they become are in scraper.crawl.owner_calls, each phase's state
machine in scraper.crawl.owner_phases; this module chains them (OwnerRunPlan) and counts the
fewest requests of a run. Every name of the three is importable from here.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..parse.owner.export import BODY_WINDOW, META_WINDOW
from ..parse.owner.protocol import GETEVENTS_MAX, SYNCITEMS_PAGE, Session
from .owner_calls import (
    COMMENT_BODY,
    COMMENT_META,
    EXPIRE,
    GETEVENTS,
    SESSION,
    SYNCITEMS,
    OwnerCall,
    PlannedRequest,
    planned_request,
)
from .owner_phases import (
    CommentBodyPlan,
    CommentMetaPlan,
    SyncCursor,
    SyncItemsPlan,
    getevents_batches,
    missing_itemids,
)

__all__ = [
    "COMMENT_BODY",
    "COMMENT_META",
    "EXPIRE",
    "GETEVENTS",
    "SESSION",
    "SYNCITEMS",
    "CommentBodyPlan",
    "CommentMetaPlan",
    "OwnerCall",
    "OwnerRunPlan",
    "PlannedRequest",
    "SyncCursor",
    "SyncItemsPlan",
    "body_windows",
    "getevents_batches",
    "getevents_calls",
    "meta_windows",
    "minimum_requests",
    "missing_itemids",
    "planned_request",
    "syncitems_calls",
]


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
