"""Incremental sync: the conditional feed and the recent page decide what else to fetch.

Mixed into `Archiver` (crawl/archive.py), whose queue, store helpers and URL builders it uses.
A sync with nothing new costs two requests: the Atom feed (304 when no entry is new or edited)
and the recent page (comment counts and the calendar module show what moved).
"""

from __future__ import annotations

from datetime import UTC, datetime

from .. import parse
from ..errors import Blocked, FetchError, ParseError, RateLimited
from ..store import save
from .queue import QueueItem


class IncrementalMixin:
    def _start_incremental(self) -> None:
        """A new incremental crawl: the feed (conditional), then the recent page."""
        now = self.now()
        with self.db.atomic():
            self.queue.reset()
            self.queue.add(self.url("data/atom"), "feed", now)
            self.queue.add(self.root, "recent", now)

    def _stored_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute(
            "SELECT etag, last_modified FROM pages WHERE url = ? AND status = 200", [url]
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def _process_feed_item(self, item: QueueItem) -> None:
        etag, last_modified = self._stored_validators(item.url)
        try:
            result = self.fetcher.get(item.url, etag=etag, last_modified=last_modified)
        except (RateLimited, Blocked):
            raise
        except FetchError as exc:
            # The feed only makes syncs cheaper; without it the recent page still decides.
            self.report("warning", message=f"feed unavailable ({exc}); continuing without it")
            with self.db.atomic():
                self.queue.finish(item.url, self.now(), info={"error": str(exc)})
            return
        self.summary.pages += 1
        self.report("page", url=item.url, status=result.status)
        now = self.now()
        changed: list[int] = []
        if result.status == 200:
            try:
                feed = parse.parse_atom(result.text)
            except ParseError as exc:
                feed = []
                self.report("parse-error", url=item.url, message=str(exc))
            known = {
                r[0]: r[1]
                for r in self.db.execute(
                    "SELECT itemid, updated FROM feed_entries WHERE journal = ?", [self.journal]
                ).fetchall()
            }
            stored = {
                r[0]: r[1]
                for r in self.db.execute(
                    "SELECT itemid, updated_at FROM entries WHERE journal = ?", [self.journal]
                ).fetchall()
            }
            rows = []
            for fe in feed:
                if fe.itemid is None:
                    continue
                if fe.itemid in known:
                    is_changed = known[fe.itemid] != fe.updated
                else:  # first time in the feed: new, or edited after we stored it
                    is_changed = fe.itemid not in stored or _later(fe.updated, stored[fe.itemid])
                if is_changed:
                    changed.append(fe.itemid)
                rows.append(
                    {
                        "journal": self.journal,
                        "itemid": fe.itemid,
                        "url": fe.url,
                        "title": fe.title,
                        "published": fe.published,
                        "updated": fe.updated,
                        "reply_count": fe.reply_count,
                        "seen_at": now,
                    }
                )
            with self.db.atomic():
                self._save_raw(result, "feed")
                if rows:
                    self.db["feed_entries"].upsert_all(rows, pk=("journal", "itemid"))
                self.queue.finish(item.url, now, info={"changed": changed})
        else:
            with self.db.atomic():
                if result.status == 304:
                    self._save_raw(result, "feed")
                self.queue.finish(item.url, now, info={"status": result.status, "changed": []})

    def _feed_changed(self) -> set[int]:
        done = self.queue.done_items("feed")
        return {i for d in done for i in d.info.get("changed", [])}

    def _process_root_incremental(self, result, listing, now: str) -> None:
        """The recent page of an incremental sync decides what else to fetch:
        entries whose comment count moved, edited entries with cut text, days whose calendar
        count is not matched by stored entries, and permalink checks for entries that vanished
        from between the entries shown."""
        feed_changed = self._feed_changed()
        with self.db.atomic():
            save.save_journal(self.db, listing.journal, self.root, now)
            self._save_raw(result, "recent")
            info = self._store_listing(listing, self.root, now)
            for rec in listing.entries:
                if rec.itemid in feed_changed and rec.has_cut:
                    self.queue.add(self.entry_url(rec.itemid), "entry", now, {"itemid": rec.itemid})
            sidebar = listing.sidebar
            if sidebar.calendar_month and sidebar.calendar_days:
                save.save_calendar(
                    self.db, self.journal, sidebar.calendar_days, month=sidebar.calendar_month
                )
            shown = [e for e in listing.entries if not e.sticky and e.posted_at]
            shown_ids = {e.itemid for e in listing.entries}
            if len(shown) >= 2:
                lo = min(e.posted_at for e in shown)
                hi = max(e.posted_at for e in shown)
                for (itemid,) in self.db.execute(
                    "SELECT itemid FROM entries WHERE journal = ? AND deleted_at IS NULL AND "
                    "coalesce(security, 'public') = 'public' AND posted_at > ? AND posted_at < ?",
                    [self.journal, lo, hi],
                ).fetchall():
                    if itemid not in shown_ids:
                        self._enqueue_existence_check(itemid, now)
            # Feed entries we still do not have (more new entries than one recent page shows):
            # read the calendar of the years concerned and the days it says we lack.
            missing = [
                i
                for i in feed_changed
                if self.db.execute(
                    "SELECT 1 FROM entries WHERE journal = ? AND itemid = ?", [self.journal, i]
                ).fetchone()
                is None
            ]
            years = sorted({int(e.posted_at[:4]) for e in shown})
            if missing and years:
                for year in range(years[0], years[-1] + 1):
                    self.queue.add(self.url(f"{year}/"), "year", now)
            self.queue.add("plan:verify-days", "verify_days", now)
            if not self.db.execute(
                "SELECT 1 FROM profiles WHERE journal = ?", [self.journal]
            ).fetchone():
                self.queue.add(self.url("profile"), "profile", now)
            self.queue.finish(self.root, now, info=info)


def _later(w3c: str | None, stamp: str | None) -> bool:
    """True when the feed time `w3c` is after our stored UTC stamp (both ISO-8601 UTC)."""
    if not w3c or not stamp:
        return False
    try:
        a = datetime.fromisoformat(w3c)
        b = datetime.fromisoformat(stamp)
    except ValueError:
        return False
    if a.tzinfo is None:
        a = a.replace(tzinfo=UTC)
    if b.tzinfo is None:
        b = b.replace(tzinfo=UTC)
    return a > b
