"""The crawl's to-do list, kept in the database so a killed run resumes where it stopped.

Rows of `crawl_queue` are (journal, url) with a kind, a priority (lower runs first) and a state
('pending', 'done', 'failed'). Follow-up work is enqueued in the same transaction that stores a
page's records and marks the page done, so after a crash the queue and the data always agree:
at most the one request that was in flight is repeated.

Pseudo-items (url 'plan:…') are planning steps that need no request; they are ordered by
priority like pages, so e.g. day pages are planned only after every year page is read. The
crawl decides kinds and priorities (scraper.crawl.handlers); this module only keeps the rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils


@dataclass(frozen=True)
class QueueItem:
    journal: str
    url: str
    kind: str
    priority: int
    info: dict[str, Any]


class CrawlQueue:
    """Queue operations for one journal."""

    def __init__(self, db: sqlite_utils.Database, journal: str):
        self.db = db
        self.journal = journal

    def add(
        self, url: str, kind: str, priority: int, now: str, info: dict[str, Any] | None = None
    ) -> bool:
        """Enqueue once per crawl: a URL already queued (pending or done) is not added again."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO crawl_queue (journal, url, kind, priority, state, info, added_at)"
            " VALUES (?, ?, ?, ?, 'pending', ?, ?)",
            [
                self.journal,
                url,
                kind,
                priority,
                json.dumps(info or {}, ensure_ascii=False),
                now,
            ],
        )
        return cur.rowcount > 0

    def next(self) -> QueueItem | None:
        row = self.db.execute(
            "SELECT url, kind, priority, info FROM crawl_queue WHERE journal = ? AND state = "
            "'pending' ORDER BY priority, rowid LIMIT 1",
            [self.journal],
        ).fetchone()
        if row is None:
            return None
        return QueueItem(self.journal, row[0], row[1], row[2], json.loads(row[3] or "{}"))

    def finish(
        self, url: str, now: str, *, state: str = "done", info: dict[str, Any] | None = None
    ) -> None:
        """Mark an item done/failed/skipped; `info` is merged into what the item carried."""
        if info is None:
            self.db.execute(
                "UPDATE crawl_queue SET state = ?, done_at = ? WHERE journal = ? AND url = ?",
                [state, now, self.journal, url],
            )
            return
        row = self.db.execute(
            "SELECT info FROM crawl_queue WHERE journal = ? AND url = ?", [self.journal, url]
        ).fetchone()
        merged = {**json.loads((row and row[0]) or "{}"), **info}
        self.db.execute(
            "UPDATE crawl_queue SET state = ?, done_at = ?, info = ? WHERE journal = ? AND url = ?",
            [state, now, json.dumps(merged, ensure_ascii=False), self.journal, url],
        )

    def has(self, url: str) -> bool:
        """True when `url` is queued in this crawl (in any state)."""
        return (
            self.db.execute(
                "SELECT 1 FROM crawl_queue WHERE journal = ? AND url = ?", [self.journal, url]
            ).fetchone()
            is not None
        )

    def pending_by_kind(self) -> dict[str, int]:
        return {
            kind: n
            for kind, n in self.db.execute(
                "SELECT kind, count(*) FROM crawl_queue WHERE journal = ? AND state = 'pending' "
                "GROUP BY kind",
                [self.journal],
            ).fetchall()
        }

    def pending_entry_comments(self) -> dict[int, int]:
        """itemid -> stored comment count, for every entry page still to read."""
        return {
            itemid: count or 0
            for itemid, count in self.db.execute(
                "SELECT e.itemid, e.comment_count FROM crawl_queue q JOIN entries e ON "
                "e.journal = q.journal AND e.itemid = json_extract(q.info, '$.itemid') "
                "WHERE q.journal = ? AND q.state = 'pending' AND q.kind = 'entry'",
                [self.journal],
            ).fetchall()
        }

    def pending_count(self) -> int:
        return self.db.execute(
            "SELECT count(*) FROM crawl_queue WHERE journal = ? AND state = 'pending'",
            [self.journal],
        ).fetchone()[0]

    def is_active(self) -> bool:
        """True when an unfinished crawl (pending or failed items) is stored for the journal."""
        return (
            self.db.execute(
                "SELECT 1 FROM crawl_queue WHERE journal = ? AND state IN ('pending','failed') "
                "LIMIT 1",
                [self.journal],
            ).fetchone()
            is not None
        )

    def has_unfinished(self, *kinds: str) -> bool:
        """True when an item of `kinds` is pending or failed (an unfinished run of those)."""
        marks = ",".join("?" * len(kinds))
        return (
            self.db.execute(
                f"SELECT 1 FROM crawl_queue WHERE journal = ? AND state IN ('pending','failed') "
                f"AND kind IN ({marks}) LIMIT 1",
                [self.journal, *kinds],
            ).fetchone()
            is not None
        )

    def retry_failed(self) -> int:
        cur = self.db.execute(
            "UPDATE crawl_queue SET state = 'pending' WHERE journal = ? AND state = 'failed'",
            [self.journal],
        )
        return cur.rowcount

    def reset(self) -> None:
        """Start a new crawl: forget the previous crawl's items."""
        self.db.execute("DELETE FROM crawl_queue WHERE journal = ?", [self.journal])

    def done_items(self, *kinds: str) -> list[QueueItem]:
        marks = ",".join("?" * len(kinds))
        rows = self.db.execute(
            f"SELECT url, kind, priority, info FROM crawl_queue WHERE journal = ? AND state = "
            f"'done' AND kind IN ({marks}) ORDER BY rowid",
            [self.journal, *kinds],
        ).fetchall()
        return [QueueItem(self.journal, r[0], r[1], r[2], json.loads(r[3] or "{}")) for r in rows]

    def failed_count(self) -> int:
        return self.db.execute(
            "SELECT count(*) FROM crawl_queue WHERE journal = ? AND state = 'failed'",
            [self.journal],
        ).fetchone()[0]

    def unfinished_itemids(self, *kinds: str) -> set[int]:
        """The entries (info itemid) with items of `kinds` not done: pending, failed or skipped."""
        marks = ",".join("?" * len(kinds))
        return {
            r[0]
            for r in self.db.execute(
                f"SELECT json_extract(info, '$.itemid') FROM crawl_queue WHERE journal = ? AND "
                f"kind IN ({marks}) AND state != 'done'",
                [self.journal, *kinds],
            ).fetchall()
        }
