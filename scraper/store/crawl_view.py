"""What the crawl may ask of the archive while it decides what to fetch: read-only questions.

Handlers (scraper.crawl) never write SQL; they get an `ArchiveView` of one journal and ask it
("is this entry's body complete?", "which comments are stored with text?", "what does the
calendar say?"). Writes go through scraper.store.commit.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from .owner import entry_anums, owner_state, stored_itemid
from .queue import CrawlQueue, QueueItem
from .save import page_body


@dataclass(frozen=True)
class StoredEntryState:
    """What is stored of an entry that decides whether its page must be read again."""

    body_complete: bool
    shown_comments: int  # stored comments an anonymous reader sees (not deleted/screened)
    comments_missing_text: int  # visible/frozen comments stored without their text


class ArchiveView:
    """Read-only questions about one journal's archive (and its crawl queue)."""

    def __init__(self, db: sqlite_utils.Database, journal: str) -> None:
        self.db = db
        self.journal = journal
        self.queue = CrawlQueue(db, journal)

    # --- entries ---------------------------------------------------------------------------

    def entry_state(self, itemid: int) -> StoredEntryState:
        row = self.db.execute(
            "SELECT body_complete FROM entries WHERE journal = ? AND itemid = ?",
            [self.journal, itemid],
        ).fetchone()
        counts = self.db.execute(
            "SELECT sum(CASE WHEN state NOT IN ('deleted','screened') THEN 1 ELSE 0 END), "
            "sum(CASE WHEN state IN ('visible','frozen') AND body_html IS NULL THEN 1 ELSE 0 END)"
            " FROM comments WHERE journal = ? AND itemid = ?",
            [self.journal, itemid],
        ).fetchone()
        return StoredEntryState(
            body_complete=bool(row and row[0]),
            shown_comments=counts[0] or 0,
            comments_missing_text=counts[1] or 0,
        )

    def has_entry(self, itemid: int) -> bool:
        return (
            self.db.execute(
                "SELECT 1 FROM entries WHERE journal = ? AND itemid = ?", [self.journal, itemid]
            ).fetchone()
            is not None
        )

    def public_entry_days(self) -> list[tuple[int, str]]:
        """(itemid, 'YYYY-MM-DD') of every stored, not deleted, public entry with a date."""
        return [
            (itemid, day)
            for itemid, day in self.db.execute(
                "SELECT itemid, substr(posted_at, 1, 10) FROM entries WHERE journal = ? AND "
                "deleted_at IS NULL AND coalesce(security, 'public') = 'public' AND "
                "posted_at IS NOT NULL",
                [self.journal],
            ).fetchall()
        ]

    def public_entries_between(self, after: str, before: str) -> list[int]:
        """Stored public entries posted strictly between two 'YYYY-MM-DDTHH:MM' times."""
        return [
            itemid
            for (itemid,) in self.db.execute(
                "SELECT itemid FROM entries WHERE journal = ? AND deleted_at IS NULL AND "
                "coalesce(security, 'public') = 'public' AND posted_at > ? AND posted_at < ?",
                [self.journal, after, before],
            ).fetchall()
        ]

    def entry_update_times(self) -> dict[int, str]:
        return {
            itemid: updated
            for itemid, updated in self.db.execute(
                "SELECT itemid, updated_at FROM entries WHERE journal = ?", [self.journal]
            ).fetchall()
        }

    # --- comments --------------------------------------------------------------------------

    def comments_with_text(self, itemid: int) -> set[int]:
        return {
            cid
            for (cid,) in self.db.execute(
                "SELECT commentid FROM comments WHERE journal = ? AND itemid = ? AND "
                "body_html IS NOT NULL",
                [self.journal, itemid],
            ).fetchall()
        }

    def shown_comments(self, itemid: int) -> list[int]:
        """Stored comments of an entry that an anonymous reader still sees (not deleted or
        screened)."""
        return [
            cid
            for (cid,) in self.db.execute(
                "SELECT commentid FROM comments WHERE journal = ? AND itemid = ? AND "
                "state NOT IN ('deleted', 'screened')",
                [self.journal, itemid],
            ).fetchall()
        ]

    # --- calendar, profile, feed -----------------------------------------------------------

    def calendar_desc(self) -> list[tuple[str, int]]:
        """(day, entry count) of every day with entries, newest first."""
        return [
            (day, count)
            for day, count in self.db.execute(
                "SELECT day, entry_count FROM calendar WHERE journal = ? AND entry_count > 0 "
                "ORDER BY day DESC",
                [self.journal],
            ).fetchall()
        ]

    def has_profile(self) -> bool:
        return (
            self.db.execute("SELECT 1 FROM profiles WHERE journal = ?", [self.journal]).fetchone()
            is not None
        )

    def has_profile_userpic(self) -> bool:
        """The profile shows an icon: entries without a keyword show the default one."""
        return (
            self.db.execute(
                "SELECT 1 FROM profiles WHERE journal = ? AND userpic_url IS NOT NULL",
                [self.journal],
            ).fetchone()
            is not None
        )

    # --- owner mode ------------------------------------------------------------------------

    def entry_anums(self) -> dict[int, int]:
        return entry_anums(self.db, self.journal)

    def moods(self) -> dict[int, str]:
        state = owner_state(self.db, self.journal)
        return state.moods if state else {}

    def stored_itemid(self, jitemid: int) -> int | None:
        return stored_itemid(self.db, self.journal, jitemid)

    def stored_texts(self, urls: list[str]) -> list[str]:
        """The stored responses at `urls`, as text (those stored)."""
        out = []
        for url in urls:
            page = stored_page(self.db, url)
            if page is not None:
                out.append(page.body.decode("utf-8", "replace"))
        return out

    def feed_updates(self) -> dict[int, str]:
        """itemid -> the <updated> time the feed showed when last read."""
        return {
            itemid: updated
            for itemid, updated in self.db.execute(
                "SELECT itemid, updated FROM feed_entries WHERE journal = ?", [self.journal]
            ).fetchall()
        }

    # --- the queue of this crawl -----------------------------------------------------------

    def is_queued(self, url: str) -> bool:
        return self.queue.has(url)

    def done_items(self, *kinds: str) -> list[QueueItem]:
        return self.queue.done_items(*kinds)

    def unfinished_itemids(self, *kinds: str) -> set[int]:
        return self.queue.unfinished_itemids(*kinds)


# --- questions asked before the journal is known ---------------------------------------------


def journal_at(db: sqlite_utils.Database, root_url: str) -> str | None:
    """The journal last archived from `root_url`, if any."""
    row = db.execute(
        "SELECT name FROM journals WHERE url = ? ORDER BY last_archived_at DESC LIMIT 1",
        [root_url],
    ).fetchone()
    return row[0] if row else None


def journal_url(db: sqlite_utils.Database, journal: str) -> str | None:
    """The root URL a journal was archived from."""
    row = db.execute("SELECT url FROM journals WHERE name = ?", [journal]).fetchone()
    return row[0] if row else None


def validators(db: sqlite_utils.Database, url: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) of the stored 200 response for `url`, for a conditional request."""
    row = db.execute(
        "SELECT etag, last_modified FROM pages WHERE url = ? AND status = 200", [url]
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


@dataclass(frozen=True)
class StoredPage:
    url: str
    journal: str | None
    kind: str
    status: int
    fetched_at: str | None
    body: bytes


def stored_pages(
    db: sqlite_utils.Database, journal: str | None = None
) -> list[tuple[str, str, str, int]]:
    """(url, journal, kind, status) of every stored page (of one journal), without bodies."""
    where, params = ("WHERE journal = ?", [journal]) if journal else ("", [])
    return [
        (r[0], r[1], r[2], r[3])
        for r in db.execute(
            f"SELECT url, journal, kind, status FROM pages {where} ORDER BY url", params
        ).fetchall()
    ]


def stored_page(db: sqlite_utils.Database, url: str) -> StoredPage | None:
    row = db.execute(
        "SELECT url, journal, kind, status, fetched_at, body FROM pages WHERE url = ?", [url]
    ).fetchone()
    if row is None:
        return None
    return StoredPage(row[0], row[1], row[2], row[3], row[4], page_body({"body": row[5]}))
