"""The archive crawl: what to fetch, in which order, resumable from the database.

One `Archiver` walks one journal: the recent page first (it names the journal and shows the
newest entries), then every year page (per-day counts), then the fewest `/?skip=` and day pages
that show every visible entry, then entry pages only for entries with comments or cut text, the
comment pages and collapsed threads their full tree needs, and the profile once. Each page's
records, its raw response, the follow-up work it implies and its 'done' mark are committed in one
transaction, so a killed run resumes without losing or repeating work.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlite_utils

from .. import parse
from ..errors import (
    AdultContentGate,
    Blocked,
    DwArchiveError,
    FetchError,
    NotAJournal,
    OffHost,
    ParseError,
    RateLimited,
    RobotsDisallowed,
)
from ..records import EntryRecord
from ..store import save
from .incremental import IncrementalMixin
from .plan import collapsed_threads_to_fetch, plan_listing_cover
from .queue import CrawlQueue, QueueItem
from .site_state import SiteStateMixin


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class RunSummary:
    journal: str | None = None
    outcome: str = "running"  # complete | incomplete | rate-limited | blocked | error
    message: str = ""
    requests: int = 0
    pages: int = 0
    changes: save.Changes = field(default_factory=save.Changes)
    deleted_entries: int = 0
    failed: int = 0
    parse_errors: int = 0
    skipped: list[str] = field(default_factory=list)


Reporter = Callable[..., None]


def _noop(*_a, **_k) -> None:
    return None


class Archiver(SiteStateMixin, IncrementalMixin):
    """Archive one journal into `db` through `fetcher`."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        fetcher,
        root_url: str,
        *,
        expected_name: str | None = None,
        allow_adult: bool = False,
        command: str = "archive",
        mode: str = "full",
        now: Callable[[], str] = utc_now,
        report: Reporter = _noop,
    ):
        if mode not in ("full", "deep", "incremental"):
            raise ValueError(f"unknown crawl mode {mode!r}")
        # 'deep' is a full walk that also rereads every entry page with comments or cut text
        self.deep = mode == "deep"
        self.mode = "full" if mode == "deep" else mode
        self.db = db
        self.fetcher = fetcher
        self.root = root_url if root_url.endswith("/") else root_url + "/"
        self.expected_name = expected_name
        self.allow_adult = allow_adult
        self.command = command
        self.now = now
        self.report = report
        self.summary = RunSummary()
        self.journal: str | None = None
        self.queue: CrawlQueue | None = None
        self._run_id: int | None = None
        self._requests_at_start = 0

    # --- URLs ------------------------------------------------------------------------------

    def url(self, path: str = "") -> str:
        return self.root + path.lstrip("/")

    def entry_url(self, itemid: int, query: str = "") -> str:
        return self.url(f"{itemid}.html") + (f"?{query}" if query else "")

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> RunSummary:
        self._requests_at_start = _requests(self.fetcher)
        self._check_cool_down()
        self._preload_robots()
        try:
            self.journal = self._known_journal()
            resumed = False
            if self.journal:
                self.queue = CrawlQueue(self.db, self.journal)
                if self.queue.is_active():
                    with self.db.atomic():
                        self.queue.retry_failed()
                    resumed = True
            self._start_run_record()
            if resumed:
                self.report("resume", journal=self.journal, pending=self.queue.pending_count())
            elif self.mode == "incremental" and self.journal:
                self._start_incremental()
            else:
                self._process_root()
            while (item := self.queue.next()) is not None:
                self._process(item)
            self.summary.failed = self.queue.failed_count()
            if self.summary.failed:
                self.summary.outcome = "incomplete"
                self.summary.message = (
                    f"{self.summary.failed} page(s) could not be fetched or parsed; run again to "
                    "retry them"
                )
            elif self.summary.skipped:
                self.summary.outcome = "incomplete"
                self.summary.message = (
                    f"{len(self.summary.skipped)} page(s) skipped, e.g. {self.summary.skipped[0]}"
                )
            else:
                self.summary.outcome = "complete"
        except (RateLimited, Blocked) as exc:
            self.summary.outcome = "blocked" if isinstance(exc, Blocked) else "rate-limited"
            self.summary.message = str(exc)
            self._remember_cool_down(exc)
            self._finish_run_record()
            raise
        except DwArchiveError as exc:
            self.summary.outcome = "error"
            self.summary.message = str(exc)
            self._finish_run_record()
            raise
        except BaseException as exc:  # KeyboardInterrupt included: keep the record honest
            self.summary.outcome = "error"
            self.summary.message = f"{type(exc).__name__}: {exc}"
            self._finish_run_record()
            raise
        self._finish_run_record()
        return self.summary

    def _known_journal(self) -> str | None:
        row = self.db.execute(
            "SELECT name FROM journals WHERE url = ? ORDER BY last_archived_at DESC LIMIT 1",
            [self.root],
        ).fetchone()
        if row:
            return row[0]
        return None

    # --- run records -----------------------------------------------------------------------

    def _start_run_record(self) -> None:
        with self.db.atomic():
            table = self.db["sync_runs"]
            table.insert(
                {
                    "journal": self.journal,
                    "command": self.command,
                    "started_at": self.now(),
                    "outcome": "running",
                    "pid": os.getpid(),
                    "requests": 0,
                }
            )
            self._run_id = table.last_pk

    def _finish_run_record(self) -> None:
        self._save_robots()
        self.summary.journal = self.journal
        self.summary.requests = _requests(self.fetcher) - self._requests_at_start
        if self._run_id is None:
            self._start_run_record()
        c = self.summary.changes
        with self.db.atomic():
            self.db["sync_runs"].update(
                self._run_id,
                {
                    "journal": self.journal,
                    "finished_at": self.now(),
                    "outcome": self.summary.outcome,
                    "message": self.summary.message,
                    "requests": self.summary.requests,
                    "new_entries": c.new_entries,
                    "changed_entries": c.changed_entries,
                    "deleted_entries": self.summary.deleted_entries,
                    "new_comments": c.new_comments,
                    "changed_comments": c.changed_comments,
                },
            )
            if self.journal and self.summary.outcome == "complete":
                save.touch_journal(self.db, self.journal, self.now())

    # --- fetching --------------------------------------------------------------------------

    def _fetch(self, url: str):
        try:
            result = self.fetcher.get(url)
        except AdultContentGate as gate:
            if not self.allow_adult:
                raise
            result = self._through_adult_gate(url, gate)
        self.summary.pages += 1
        self.report("page", url=url, status=result.status)
        return result

    def _through_adult_gate(self, url: str, gate: AdultContentGate):
        gate_url = getattr(gate, "gate_url", None) or gate.url
        self.report("warning", message=f"adult-content notice at {gate_url}: confirming (opted in)")
        page = self.fetcher.get(gate_url, allow_repeat=True)
        action, fields = parse.parse_adult_form(page.text, page.final_url or gate_url)
        return self.fetcher.post(action, fields)  # follows the redirect back to the page

    def _save_raw(self, result, kind: str) -> None:
        self._save_robots()  # committed with the first page it let through: a kill repeats neither
        save.save_page(
            self.db,
            url=result.url,
            journal=self.journal,
            kind=kind,
            status=result.status,
            fetched_at=result.fetched_at,
            body=result.body,
            etag=result.etag,
            last_modified=result.last_modified,
            content_type=result.headers.get("content-type"),
        )

    # --- root ------------------------------------------------------------------------------

    def _process_root(self, item: QueueItem | None = None) -> None:
        url = self.root
        try:
            result = self._fetch(url)
        except RobotsDisallowed as exc:
            raise NotAJournal(
                f"{exc} (the journal asks robots not to crawl it; if it is your own journal, "
                "rerun with --ignore-robots)"
            ) from None
        except AdultContentGate:
            raise NotAJournal(
                f"{url} is behind Dreamwidth's adult-content notice; rerun with --allow-adult "
                "to confirm it"
            ) from None
        except OffHost as exc:
            raise NotAJournal(str(exc)) from None
        if result.status in (404, 410):
            raise NotAJournal(f"no journal at {url} (HTTP {result.status})")
        if result.status != 200:
            notice = parse.parse_interstitial(result.text, result.status, url)
            what = notice.message if notice else f"HTTP {result.status}"
            raise NotAJournal(f"{url} is not an archivable journal: {what}")
        kind = parse.page_kind(result.text)
        if kind == "interstitial":
            notice = parse.parse_interstitial(result.text, result.status, url)
            if notice and notice.kind == "captcha":
                raise Blocked(f"captcha page at {url}: stopping (retrying gets IPs banned)", url)
            raise NotAJournal(f"{url} is not a journal: {notice.message if notice else kind}")
        if kind != "recent":
            raise NotAJournal(f"{url} is not a journal's recent-entries page (looks like {kind})")
        try:
            listing = parse.parse_listing_page(result.text, url)
        except ParseError as exc:
            raise NotAJournal(f"{url} does not look like a journal: {exc}") from None
        name = listing.journal.name
        if not name:
            raise NotAJournal(f"{url}: the page does not say whose journal it is")
        if self.expected_name and name.lower() != self.expected_name.lower().replace("-", "_"):
            self.report("warning", message=f"{url} belongs to '{name}', not '{self.expected_name}'")
        self.journal = name
        self.queue = CrawlQueue(self.db, name)
        now = self.now()
        if item is not None and self.mode == "incremental":
            self._process_root_incremental(result, listing, now)
            return
        with self.db.atomic():
            save.save_journal(self.db, listing.journal, self.root, now)
            if item is None:
                self.queue.reset()
                self.queue.add(url, "recent", now)
            self._save_raw(result, "recent")
            info = self._store_listing(listing, url, now)
            info["page_size"] = len([e for e in listing.entries if not e.sticky])
            info["has_more"] = listing.navigation.skip_back is not None
            years = sorted({int(e.posted_at[:4]) for e in listing.entries if e.posted_at})
            if not years and listing.sidebar.calendar_month:
                years = [int(listing.sidebar.calendar_month[:4])]
            if years:
                self.queue.add(self.url(f"{years[-1]}/"), "year", now)
                self.queue.add("plan:days", "plan_days", now)
                self.queue.add("plan:verify-days", "verify_days", now)
            self.queue.add(self.url("profile"), "profile", now)
            self.queue.finish(url, now, info=info)
        self.report("journal", journal=name, type=listing.journal.type)

    # --- generic item processing ------------------------------------------------------------

    def _process(self, item: QueueItem) -> None:
        if item.kind == "recent" and item.url == self.root:
            self._process_root(item)
            return
        if item.kind == "feed":
            self._process_feed_item(item)
            return
        handler = {
            "recent": self._process_listing,
            "skip": self._process_listing,
            "day": self._process_listing,
            "year": self._process_year,
            "plan_days": self._plan_days,
            "verify_days": self._verify_days,
            "entry": self._process_entry_page,
            "comments": self._process_entry_page,
            "profile": self._process_profile,
            "finalize": self._finalize_comments,
        }[item.kind]
        if item.url.startswith("plan:"):
            handler(item)
            return
        try:
            result = self._fetch(item.url)
        except (RateLimited, Blocked):
            raise
        except AdultContentGate as exc:
            self._skip(item, f"behind the adult-content notice ({exc}); use --allow-adult")
            return
        except RobotsDisallowed as exc:
            self._skip(item, str(exc))
            return
        except FetchError as exc:
            self._fail(item, str(exc))
            return
        try:
            handler(item, result)
        except ParseError as exc:
            self.summary.parse_errors += 1
            self.report("parse-error", url=item.url, message=str(exc))
            now = self.now()
            with self.db.atomic():
                self._save_raw(result, item.kind)
                save.record_parse_error(
                    self.db,
                    url=item.url,
                    journal=self.journal,
                    kind=item.kind,
                    error=str(exc),
                    at=now,
                )
                # failed, not done: a page garbled in transit is fetched again by the next run
                self.queue.finish(item.url, now, state="failed", info={"parse_error": str(exc)})

    def _fail(self, item: QueueItem, problem: str, result=None) -> None:
        """Mark an item failed (the next run retries it), keeping the raw response if any."""
        with self.db.atomic():
            if result is not None:
                self._save_raw(result, item.kind)
            self.queue.finish(item.url, self.now(), state="failed", info={"error": problem})
        self.report("error", message=f"{item.url}: {problem}")

    def _skip(self, item: QueueItem, why: str) -> None:
        self.summary.skipped.append(f"{item.url}: {why}")
        self.report("warning", message=f"skipped {item.url}: {why}")
        with self.db.atomic():
            self.queue.finish(item.url, self.now(), state="skipped", info={"skipped": why})

    def _check_journal_page(self, result, item: QueueItem, expect: set[str]) -> str | None:
        """Return an error text when the response is not the page kind expected."""
        if result.status != 200:
            return f"HTTP {result.status}"
        kind = parse.page_kind(result.text)
        if kind == "interstitial":
            notice = parse.parse_interstitial(result.text, result.status, item.url)
            if notice and notice.kind == "captcha":
                raise Blocked(f"captcha page at {item.url}: stopping", item.url)
            return notice.message if notice else "interstitial page"
        if kind not in expect:
            raise ParseError(f"expected a {'/'.join(sorted(expect))} page, got {kind}")
        return None

    # --- listings --------------------------------------------------------------------------

    def _store_listing(self, listing, url: str, now: str) -> dict:
        """Save the entries and modules of a listing page; enqueue entry pages they need."""
        changes = save.save_entries(self.db, self.journal, listing.entries, now)
        self.summary.changes.add(changes)
        self._save_sidebar(url, listing.sidebar)
        days: dict[str, list[int]] = {}
        for rec in listing.entries:
            if rec.posted_at:
                days.setdefault(rec.posted_at[:10], []).append(rec.itemid)
            if self._needs_entry_page(rec):
                self.queue.add(self.entry_url(rec.itemid), "entry", now, {"itemid": rec.itemid})
        self.report("counts", changes=self.summary.changes)
        return {"entries": days}

    def _save_sidebar(self, url: str, sidebar) -> None:
        save.save_page_modules(self.db, url, self.journal, sidebar)
        if sidebar.tags and not sidebar.tags_module_limited:
            save.save_tags(self.db, self.journal, sidebar.tags)

    def _needs_entry_page(self, rec: EntryRecord) -> bool:
        row = self.db.execute(
            "SELECT body_complete FROM entries WHERE journal = ? AND itemid = ?",
            [self.journal, rec.itemid],
        ).fetchone()
        if rec.has_cut and not (row and row[0]):
            return True
        if self.deep and (rec.has_cut or rec.comment_count):
            return True
        if not rec.comment_count:
            return False
        have = self.db.execute(
            "SELECT sum(CASE WHEN state NOT IN ('deleted','screened') THEN 1 ELSE 0 END), "
            "sum(CASE WHEN state IN ('visible','frozen') AND body_html IS NULL THEN 1 ELSE 0 END)"
            " FROM comments WHERE journal = ? AND itemid = ?",
            [self.journal, rec.itemid],
        ).fetchone()
        shown, missing = have[0] or 0, have[1] or 0
        return shown != rec.comment_count or missing > 0

    def _process_listing(self, item: QueueItem, result) -> None:
        problem = self._check_journal_page(result, item, {"recent", "day"})
        now = self.now()
        if problem:
            self._fail(item, problem, result)
            return
        listing = parse.parse_listing_page(result.text, item.url)
        with self.db.atomic():
            self._save_raw(result, item.kind)
            info = self._store_listing(listing, item.url, now)
            self.queue.finish(item.url, now, info=info)

    def _process_year(self, item: QueueItem, result) -> None:
        problem = self._check_journal_page(result, item, {"year"})
        now = self.now()
        if problem:
            self._fail(item, problem, result)
            return
        page = parse.parse_year_page(result.text, item.url)
        with self.db.atomic():
            self._save_raw(result, "year")
            save.save_calendar(self.db, self.journal, page.days, year=page.year)
            self._save_sidebar(item.url, page.sidebar)
            if self.mode == "full":
                for year in page.years:
                    self.queue.add(self.url(f"{year}/"), "year", now)
            self.queue.finish(item.url, now)

    def _seen_by_day(self) -> dict[str, set[int]]:
        seen: dict[str, set[int]] = {}
        for done in self.queue.done_items("recent", "skip", "day"):
            for day, ids in done.info.get("entries", {}).items():
                seen.setdefault(day, set()).update(ids)
        return seen

    def _calendar_desc(self) -> list[tuple[str, int]]:
        return [
            (d, c)
            for d, c in self.db.execute(
                "SELECT day, entry_count FROM calendar WHERE journal = ? AND entry_count > 0 "
                "ORDER BY day DESC",
                [self.journal],
            ).fetchall()
        ]

    def _plan_days(self, item: QueueItem) -> None:
        now = self.now()
        root = next(iter(self.queue.done_items("recent")), None)
        page_size = (root.info.get("page_size") or 0) if root else 0
        has_more = bool(root and root.info.get("has_more"))
        seen = {d: len(ids) for d, ids in self._seen_by_day().items()}
        skips, days = plan_listing_cover(self._calendar_desc(), seen, page_size if has_more else 0)
        with self.db.atomic():
            for skip in skips:
                self.queue.add(self.url(f"?skip={skip}"), "skip", now)
            for day in days:
                self.queue.add(self.url(day.replace("-", "/") + "/"), "day", now)
            self.queue.finish(item.url, now, info={"skips": skips, "days": len(days)})

    def _verify_days(self, item: QueueItem) -> None:
        """After listings: any day still short of its calendar count gets its day page; stored
        entries missing from days that were read in full get a permalink check (a definite
        404/410 tombstones them, 403 records them as locked)."""
        now = self.now()
        seen = self._seen_by_day()
        if self.mode == "incremental":
            # an incremental crawl reads only what changed: what is stored counts as seen
            for itemid, day in self.db.execute(
                "SELECT itemid, substr(posted_at, 1, 10) FROM entries WHERE journal = ? AND "
                "deleted_at IS NULL AND coalesce(security, 'public') = 'public'",
                [self.journal],
            ).fetchall():
                seen.setdefault(day, set()).add(itemid)
        calendar = dict(self._calendar_desc())
        added = checks = 0
        with self.db.atomic():
            for day, count in calendar.items():
                if len(seen.get(day, ())) < count:
                    added += self.queue.add(self.url(day.replace("-", "/") + "/"), "day", now)
            if self.mode == "full" and not added:
                seen_ids = {i for ids in seen.values() for i in ids}
                for itemid, day in self.db.execute(
                    "SELECT itemid, substr(posted_at, 1, 10) FROM entries WHERE journal = ? AND "
                    "deleted_at IS NULL AND coalesce(security, 'public') = 'public' AND "
                    "posted_at IS NOT NULL",
                    [self.journal],
                ).fetchall():
                    # only on days read in full: a listing that failed proves no deletion
                    if itemid not in seen_ids and len(seen.get(day, ())) >= calendar.get(day, 0):
                        checks += self._enqueue_existence_check(itemid, now)
            if added:
                # day pages first, then look again for what they did not show
                self.queue.finish(item.url, now, info={"added": added})
                self.queue.add("plan:verify-days-again", "verify_days", now)
            else:
                self.queue.finish(item.url, now, info={"checks": checks})

    def _enqueue_existence_check(self, itemid: int, now: str) -> int:
        return int(
            self.queue.add(self.entry_url(itemid), "entry", now, {"itemid": itemid, "check": True})
        )

    # --- entry pages and comments ------------------------------------------------------------

    def _process_entry_page(self, item: QueueItem, result) -> None:
        now = self.now()
        itemid = item.info.get("itemid")
        if result.status in (403, 404, 410) and itemid is not None:
            # an account-status page (suspended/deleted/purged journal or poster) says nothing
            # about this entry: neither tombstone nor lock it
            notice = parse.parse_interstitial(result.text, None, item.url)
            if notice is not None and notice.kind in ("suspended", "deleted", "purged"):
                problem = f"HTTP {result.status}: {notice.message[:200]}"
                self._fail(item, problem)
                return
            if not item.info.get("check"):
                # listed as public in this crawl: a 403/404 now is a glitch or a change since;
                # retried, and an entry really gone is tombstoned by the next crawl's check
                problem = f"HTTP {result.status} for an entry its listing showed"
                self._fail(item, problem)
                return
        if result.status in (404, 410) and itemid is not None:
            with self.db.atomic():
                self._save_raw(result, item.kind)
                if item.kind == "entry" and save.mark_entry_deleted(
                    self.db, self.journal, itemid, now
                ):
                    self.summary.deleted_entries += 1
                self.queue.finish(item.url, now, info={"status": result.status})
            return
        if result.status == 403 and itemid is not None:
            with self.db.atomic():
                self._save_raw(result, item.kind)
                save.mark_entry_locked(self.db, self.journal, itemid, self.entry_url(itemid), now)
                self.queue.finish(item.url, now, info={"status": 403})
            return
        problem = self._check_journal_page(result, item, {"entry"})
        if problem:
            self._fail(item, problem, result)
            return
        page = parse.parse_entry_page(result.text, item.url)
        itemid = page.entry.itemid
        with self.db.atomic():
            self._save_raw(result, item.kind)
            changes = save.save_entries(self.db, self.journal, [page.entry], now)
            changes.add(save.save_comments(self.db, self.journal, itemid, page.comments, now))
            self.summary.changes.add(changes)
            self._save_sidebar(item.url, page.sidebar)
            if page.thread_root is None and page.comment_page == 1:
                for p in range(2, page.comment_pages + 1):
                    self.queue.add(
                        self.entry_url(itemid, f"page={p}"), "comments", now, {"itemid": itemid}
                    )
            stored = {
                cid
                for (cid,) in self.db.execute(
                    "SELECT commentid FROM comments WHERE journal = ? AND itemid = ? AND "
                    "body_html IS NOT NULL",
                    [self.journal, itemid],
                ).fetchall()
            }
            for cid in collapsed_threads_to_fetch(page.comments, stored):
                self.queue.add(
                    self.entry_url(itemid, f"thread={cid}"), "comments", now, {"itemid": itemid}
                )
            self.queue.add("plan:finalize-comments", "finalize", now)
            self.queue.finish(
                item.url,
                now,
                info={"itemid": itemid, "comments": [c.commentid for c in page.comments]},
            )
        self.report("counts", changes=self.summary.changes)

    def _finalize_comments(self, item: QueueItem) -> None:
        """Comments no longer shown at all on an entry whose every comment page was read in
        this crawl were deleted (or screened) since: mark them 'deleted', keeping their text."""
        now = self.now()
        pages: dict[int, list[QueueItem]] = {}
        for done in self.queue.done_items("entry", "comments"):
            if "comments" in done.info:
                pages.setdefault(done.info["itemid"], []).append(done)
        incomplete = {
            r[0]
            for r in self.db.execute(
                "SELECT json_extract(info, '$.itemid') FROM crawl_queue WHERE journal = ? AND "
                "kind IN ('entry','comments') AND state != 'done'",
                [self.journal],
            ).fetchall()
        }
        marked = 0
        with self.db.atomic():
            for itemid, items in pages.items():
                if itemid in incomplete or not any(
                    "page=" not in i.url and "thread=" not in i.url for i in items
                ):
                    continue
                seen = {cid for i in items for cid in i.info["comments"]}
                for (cid,) in self.db.execute(
                    "SELECT commentid FROM comments WHERE journal = ? AND itemid = ? AND "
                    "state NOT IN ('deleted', 'screened')",
                    [self.journal, itemid],
                ).fetchall():
                    if cid not in seen:
                        self.db.execute(
                            "UPDATE comments SET state = 'deleted', updated_at = ? WHERE "
                            "journal = ? AND commentid = ?",
                            [now, self.journal, cid],
                        )
                        marked += 1
            self.summary.changes.changed_comments += marked
            self.queue.finish(item.url, now, info={"marked_deleted": marked})

    # --- profile ----------------------------------------------------------------------------

    def _process_profile(self, item: QueueItem, result) -> None:
        now = self.now()
        if result.status != 200:
            with self.db.atomic():
                self._save_raw(result, "profile")
                self.queue.finish(item.url, now, info={"status": result.status})
            self.report("warning", message=f"profile not available (HTTP {result.status})")
            return
        profile = parse.parse_profile_page(result.text, item.url)
        with self.db.atomic():
            self._save_raw(result, "profile")
            save.save_profile(self.db, self.journal, profile, now)
            if profile.journal_type in ("personal", "community"):
                self.db.execute(
                    "UPDATE journals SET type = ? WHERE name = ? AND type IS NULL",
                    [profile.journal_type, self.journal],
                )
            self.queue.finish(item.url, now)


def _requests(fetcher) -> int:
    stats = getattr(fetcher, "stats", None)
    if stats is None:
        return 0
    if isinstance(stats, dict):
        return int(stats.get("requests", 0))
    return int(getattr(stats, "requests", 0))
