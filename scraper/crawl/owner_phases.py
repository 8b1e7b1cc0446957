"""Owner mode's phases, each a small frozen state machine: syncitems paging (SyncCursor,
SyncItemsPlan), getevents batches (getevents_batches, missing_itemids), comment_meta windows
(CommentMetaPlan) and comment_body windows (CommentBodyPlan).

Pure: no HTTP, no SQL. `next_call()` says what to request (an OwnerCall), `advance(answer)`
returns the next state. How each phase pages, with Dreamwidth's lines, and how OwnerRunPlan
chains them: scraper.crawl.owner_plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ..parse.owner.export import BODY_WINDOW, META_WINDOW, CommentMetaPage
from ..parse.owner.protocol import GETEVENTS_MAX, ProtocolEvent, SyncItem, SyncPage
from .owner_calls import COMMENT_BODY, COMMENT_META, SYNCITEMS, OwnerCall

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
