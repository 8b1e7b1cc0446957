"""The commit step of a crawl: one transaction per page for its records, raw response,
follow-up work and 'done' mark, so a killed run resumes without losing or repeating work.

A crawl handler describes what a page means as plain values (the record classes below and
`QueuedWork`); `commit` writes them. It is the only place the crawl writes to the database
(together with scraper.store.runs for run records).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from ..records import (
    CalendarDay,
    CommentRecord,
    EntryRecord,
    JournalInfo,
    ProfileRecord,
    SidebarRecord,
)
from .comments import save_comments
from .entries import mark_entry_deleted, mark_entry_locked, save_entries
from .journal import (
    save_calendar,
    save_journal,
    save_page_modules,
    save_profile,
    save_tags,
    set_journal_type,
)
from .owner import (
    derive_calendar_and_tags,
    recount_comments,
    save_moods,
    save_owner_state,
    set_comment_states,
)
from .pages import clear_parse_error, record_parse_error, save_page
from .queue import CrawlQueue
from .rows import Changes, upsert

# --- what a page can mean: one class per kind of write ------------------------------------------


@dataclass(frozen=True)
class RawPage:
    """A response as fetched, kept in `pages` so it can be re-parsed offline."""

    url: str
    kind: str
    status: int
    fetched_at: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class SaveJournal:
    info: JournalInfo
    root_url: str


@dataclass(frozen=True)
class SaveEntries:
    entries: tuple[EntryRecord, ...]
    rendering: str | None = None  # the markup they were read from (core2, siteviews, ...)


@dataclass(frozen=True)
class SaveComments:
    itemid: int
    comments: tuple[CommentRecord, ...]


@dataclass(frozen=True)
class SaveSidebar:
    """A page's sidebar modules, and the journal's tags when the tags module lists them all."""

    url: str
    sidebar: SidebarRecord


@dataclass(frozen=True)
class SaveCalendar:
    """Per-day counts; authoritative for a whole `year` or `month` ('YYYY-MM') when given."""

    days: tuple[CalendarDay, ...]
    year: int | None = None
    month: str | None = None


@dataclass(frozen=True)
class SaveProfile:
    profile: ProfileRecord


@dataclass(frozen=True)
class MarkEntryDeleted:
    itemid: int


@dataclass(frozen=True)
class MarkEntryLocked:
    itemid: int
    url: str


@dataclass(frozen=True)
class MarkCommentsDeleted:
    """Comments no longer shown on an entry read in full: deleted (or screened) since."""

    itemid: int
    commentids: tuple[int, ...]


@dataclass(frozen=True)
class SetCommentStates:
    """Owner mode: the comment export's state letters (A/S/D/F) by jtalkid."""

    states: Mapping[int, str]


@dataclass(frozen=True)
class SaveMoods:
    """Owner mode: the site's mood list (entries picked from it carry only the mood's id)."""

    moods: Mapping[int, str]


@dataclass(frozen=True)
class FinishOwnerSync:
    """Owner mode, after the protocol calls: where the sync stopped; and what the anonymous
    pages would show (calendar counts, tags, comment counts), derived from what was stored."""

    cursor: Mapping[str, Any] | None
    comment_maxid: int


@dataclass(frozen=True)
class FeedItem:
    """One entry as the journal's feed listed it."""

    itemid: int
    url: str | None
    title: str | None
    published: str | None
    updated: str | None
    reply_count: int | None


@dataclass(frozen=True)
class SaveFeed:
    items: tuple[FeedItem, ...]


Record = (
    SaveJournal
    | SaveEntries
    | SaveComments
    | SaveSidebar
    | SaveCalendar
    | SaveProfile
    | MarkEntryDeleted
    | MarkEntryLocked
    | MarkCommentsDeleted
    | SaveFeed
    | SetCommentStates
    | SaveMoods
    | FinishOwnerSync
)


@dataclass(frozen=True)
class QueuedWork:
    """A follow-up item for the crawl queue."""

    url: str
    kind: str
    priority: int
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Done:
    """How the item that was processed ends: its state and what to remember about it."""

    url: str
    state: str = "done"
    info: dict[str, Any] | None = None


@dataclass(frozen=True)
class ParseProblem:
    url: str
    kind: str
    error: str


@dataclass(frozen=True)
class Commit:
    """Everything one processed item writes, applied in one transaction in this order."""

    records: Sequence[Record] = ()
    raw: RawPage | None = None
    robots: RawPage | None = None  # the journal's robots.txt, kept with the first page it let by
    restart: QueuedWork | None = None  # a new crawl: forget the old queue, this item first
    follow_ups: Sequence[QueuedWork] = ()
    done: Done | None = None
    parse_problem: ParseProblem | None = None
    parsed_ok: str | None = None  # a URL that now reads: its old parse problem is cleared


@dataclass(frozen=True)
class Committed:
    """What a commit did: the records' changes, and the follow-ups that were new to the queue."""

    changes: Changes
    enqueued: tuple[QueuedWork, ...] = ()


def commit(db: sqlite_utils.Database, journal: str | None, work: Commit, now: str) -> Committed:
    """Apply `work` for `journal` in one transaction."""
    changes = Changes()
    enqueued: list[QueuedWork] = []
    with db.atomic():
        if work.robots is not None:
            _save_raw(db, journal, work.robots)
        if work.raw is not None:
            _save_raw(db, journal, work.raw)
        for record in work.records:
            changes.add(_apply(db, journal, record, now))
        if journal is not None:
            queue = CrawlQueue(db, journal)
            if work.restart is not None:
                queue.reset()
                _enqueue(queue, work.restart, now)
            enqueued = [item for item in work.follow_ups if _enqueue(queue, item, now)]
            if work.done is not None:
                queue.finish(work.done.url, now, state=work.done.state, info=work.done.info)
        if work.parse_problem is not None:
            p = work.parse_problem
            record_parse_error(db, url=p.url, journal=journal, kind=p.kind, error=p.error, at=now)
        if work.parsed_ok is not None:
            clear_parse_error(db, work.parsed_ok)
    return Committed(changes, tuple(enqueued))


def _enqueue(queue: CrawlQueue, item: QueuedWork, now: str) -> bool:
    return queue.add(item.url, item.kind, item.priority, now, item.info)


def _save_raw(db: sqlite_utils.Database, journal: str | None, raw: RawPage) -> None:
    save_page(
        db,
        url=raw.url,
        journal=journal,
        kind=raw.kind,
        status=raw.status,
        fetched_at=raw.fetched_at,
        body=raw.body,
        etag=raw.etag,
        last_modified=raw.last_modified,
        content_type=raw.content_type,
    )


def _apply(db: sqlite_utils.Database, journal: str | None, record: Record, now: str) -> Changes:
    if isinstance(record, SaveJournal):
        save_journal(db, record.info, record.root_url, now)
        return Changes()
    if journal is None:
        raise ValueError(f"{type(record).__name__} needs a journal")
    match record:
        case SaveEntries(entries, rendering):
            return save_entries(db, journal, entries, now, rendering=rendering)
        case SaveComments(itemid, comments):
            return save_comments(db, journal, itemid, comments, now)
        case SaveSidebar(url, sidebar):
            save_page_modules(db, url, journal, sidebar)
            if sidebar.tags and not sidebar.tags_module_limited:
                save_tags(db, journal, sidebar.tags)
        case SaveCalendar(days, year, month):
            save_calendar(db, journal, days, year=year, month=month)
        case SaveProfile(profile):
            save_profile(db, journal, profile, now)
            if profile.journal_type in ("personal", "community"):
                set_journal_type(db, journal, profile.journal_type)
        case MarkEntryDeleted(itemid):
            return Changes(deleted_entries=int(mark_entry_deleted(db, journal, itemid, now)))
        case MarkEntryLocked(itemid, url):
            mark_entry_locked(db, journal, itemid, url, now)
        case MarkCommentsDeleted(itemid, commentids):
            return Changes(changed_comments=_mark_comments_deleted(db, journal, commentids, now))
        case SaveFeed(items):
            _save_feed(db, journal, items, now)
        case SetCommentStates(states):
            return Changes(changed_comments=set_comment_states(db, journal, states, now))
        case SaveMoods(moods):
            save_moods(db, journal, moods)
        case FinishOwnerSync(cursor, comment_maxid):
            save_owner_state(db, journal, cursor, comment_maxid, now)
            recount_comments(db, journal)
            derive_calendar_and_tags(db, journal)
    return Changes()


def _mark_comments_deleted(
    db: sqlite_utils.Database, journal: str, commentids: Sequence[int], now: str
) -> int:
    for cid in commentids:
        db.execute(
            "UPDATE comments SET state = 'deleted', updated_at = ? WHERE journal = ? AND "
            "commentid = ?",
            [now, journal, cid],
        )
    return len(commentids)


def _save_feed(
    db: sqlite_utils.Database, journal: str, items: Sequence[FeedItem], now: str
) -> None:
    upsert(
        db,
        "feed_entries",
        [
            {
                "journal": journal,
                "itemid": i.itemid,
                "url": i.url,
                "title": i.title,
                "published": i.published,
                "updated": i.updated,
                "reply_count": i.reply_count,
                "seen_at": now,
            }
            for i in items
        ],
        ("journal", "itemid"),
    )
