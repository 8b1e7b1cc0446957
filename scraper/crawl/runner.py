"""The crawl loop: take the next queued item, fetch it, let its handler read it, commit the result.

One `Crawl` archives one journal through a `Fetcher` into the database. The recent page at the
journal's root starts a crawl (or an incremental sync starts with the feed); every later item
comes from the queue kept in the database, in the order of the handler table, so a killed run
resumes where it stopped. Each item's records, raw response, follow-ups and done mark are
committed in one transaction (scraper.store.commit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import sqlite_utils

from ..errors import (
    Blocked,
    DwArchiveError,
    FetchError,
    NotAJournal,
    OwnerModeError,
    PageTooComplex,
    ParseError,
    RateLimited,
)
from ..fetch import Fetcher, FetchResult
from ..kinds import ItemState, PageKind, RunOutcome
from ..records import JournalInfo
from ..store import runs
from ..store.commit import (
    Commit,
    Done,
    QueuedWork,
    Record,
    SaveJournal,
    SaveMoods,
)
from ..store.crawl_view import ArchiveView, journal_at
from ..store.owner import owner_state
from ..store.queue import CrawlQueue, QueueItem
from ..timestamps import utc_now
from .endings import ItemEnds, RunSummary
from .handlers import HANDLERS, PageHandling, PlanHandling, ProtocolHandling, priority
from .incremental import handle_root_sync, start_sync
from .listings import handle_root
from .owner import (
    API_KEY_ENV,
    RAW_KINDS,
    OwnerAccess,
    OwnerSession,
    first_call,
    handle_protocol,
    planned_call,
)
from .root import read_root
from .site_state import SiteState
from .source import PageSource, page_of, raw_of
from .step import CrawlContext, CrawlMode, Step

Reporter = Callable[..., None]


def _no_report(*_args: Any, **_info: Any) -> None:
    return None


class Crawl:
    """Archive one journal into `db` through `fetcher`."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        fetcher: Fetcher,
        root_url: str,
        *,
        expected_name: str | None = None,
        allow_adult: bool = False,
        command: str = "archive",
        mode: CrawlMode | str = CrawlMode.FULL,
        ignore_cool_down: bool = False,
        owner: OwnerAccess | None = None,
        api_root: str | None = None,
        now: Callable[[], str] = utc_now,
        report: Reporter = _no_report,
    ) -> None:
        self.db = db
        self.fetcher = fetcher
        self.allow_adult = allow_adult
        self.command = command
        self.now = now
        self.report = report
        root = root_url if root_url.endswith("/") else root_url + "/"
        self.ctx = CrawlContext(root=root, mode=CrawlMode(mode), expected_name=expected_name)
        self.site = SiteState(
            db, fetcher, root, now, ignore_cool_down=ignore_cool_down, report=report
        )
        self.source = PageSource(db, fetcher, root, allow_adult=allow_adult, report=report)
        self.owner = owner  # owner mode: the protocol with an API key
        self.api_root = api_root or root
        self.session: OwnerSession | None = None
        self.summary = RunSummary()
        self.ends = ItemEnds(db, self.ctx, fetcher, self.site, self.summary, report, now)
        self._run_id: int | None = None

    @property
    def root(self) -> str:
        return self.ctx.root

    @property
    def journal(self) -> str | None:
        return self.ctx.journal

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> RunSummary:
        self.ends.requests_at_start = self.fetcher.stats.requests
        self.site.check_cool_down()
        self.site.preload_robots()
        try:
            self._crawl()
        except (RateLimited, Blocked) as exc:
            blocked = isinstance(exc, Blocked)
            self._end(RunOutcome.BLOCKED if blocked else RunOutcome.RATE_LIMITED, str(exc))
            self.site.remember_cool_down(exc)
            raise
        except DwArchiveError as exc:
            self._end(RunOutcome.ERROR, str(exc))
            raise
        except BaseException as exc:  # KeyboardInterrupt included: keep the record honest
            self._end(RunOutcome.ERROR, f"{type(exc).__name__}: {exc}")
            raise
        return self.summary

    def _crawl(self) -> None:
        if self.owner is not None:
            with OwnerSession(self.fetcher, self.owner, self.api_root, self.report) as session:
                self.session = session
                self._crawl_owner(session)
            self._finish_outcome()
            return
        known = journal_at(self.db, self.root)
        resumed = False
        if known:
            self._set_journal(known)
            queue = CrawlQueue(self.db, known)
            if queue.is_active():
                with self.db.atomic():
                    queue.retry_failed()
                resumed = True
        self._run_id = runs.start_run(self.db, self.journal, self.command, self.now())
        if resumed:
            self.report("resume", journal=self.journal, pending=self._queue().pending_count())
        elif self.ctx.mode is CrawlMode.INCREMENTAL and known:
            first = [QueuedWork(url, kind, priority(kind)) for url, kind in start_sync(self.ctx)]
            self.ends.commit(Commit(restart=first[0], follow_ups=first[1:]))
        else:
            self._process(None)
        while (item := self._queue().next()) is not None:
            self._process(item)
        self._finish_outcome()

    def _crawl_owner(self, session: OwnerSession) -> None:
        """Owner mode: resume the protocol calls of an unfinished run, or start them."""
        assert self.owner is not None and session.session is not None
        name = self.owner.journal
        self._set_journal(name)
        queue = self._queue()
        resumed = queue.has_unfinished(PageKind.PROTOCOL, PageKind.OWNER_FINISH)
        if resumed:
            with self.db.atomic():
                queue.retry_failed()
        self._run_id = runs.start_run(self.db, name, self.command, self.now())
        if resumed:
            self.report("resume", journal=name, pending=queue.pending_count())
        else:
            state = owner_state(self.db, name)
            plan = first_call(
                state.cursor if state and self.ctx.mode is CrawlMode.INCREMENTAL else None,
                state.comment_maxid if state and self.ctx.mode is CrawlMode.INCREMENTAL else 0,
                session.session,
            )
            later = [
                QueuedWork(
                    "plan:owner-finish", PageKind.OWNER_FINISH, priority(PageKind.OWNER_FINISH)
                )
            ]
            if self.ctx.full or not self.ctx.archive.has_profile():
                later.append(
                    QueuedWork(
                        self.ctx.url("profile"), PageKind.PROFILE, priority(PageKind.PROFILE)
                    )
                )
            first = QueuedWork(
                "owner:1", PageKind.PROTOCOL, priority(PageKind.PROTOCOL), {"plan": plan, "n": 1}
            )
            records: list[Record] = [SaveJournal(JournalInfo(name, None), self.root)]
            if self.ctx.full or not self.ctx.archive.moods():
                records.append(SaveMoods(session.moods()))
            self.ends.commit(Commit(records=records, restart=first, follow_ups=later))
            self.report("journal", journal=name, type="owner mode")
        while (item := queue.next()) is not None:
            self._process(item)

    def _process_protocol(self, item: QueueItem) -> None:
        """One owner-mode call: send it, read its answer, queue the next one."""
        if self.session is None:
            raise OwnerModeError(
                "this archive has unfinished owner-mode work: run it with --api-key-file (or "
                f"{API_KEY_ENV}) to finish it"
            )
        kind, info = PageKind.PROTOCOL, item.info
        call = planned_call(item)
        try:
            request, result = self.session.call(call)
        except (RateLimited, Blocked):
            raise
        except FetchError as exc:  # the next run tries this call again
            failed = Commit(done=Done(item.url, ItemState.FAILED, {"error": str(exc)}))
            self.ends.finish(kind, info, failed, fetched=False)
            return
        self.source.fetched(item.url, result)
        address = self.session.url(request.record_key)
        raw = raw_of(result, RAW_KINDS[call.kind], url=address)
        try:
            if result.status != 200:
                raise ParseError(f"{call.kind}: the site answered HTTP {result.status}")
            step = handle_protocol(page_of(address, result), item, self.ctx, call=call)
        except ParseError as exc:
            self.ends.finish(
                kind, info, replace(self.ends.unreadable(item, result, exc), raw=raw), fetched=True
            )
            return
        work = Commit(
            records=step.records,
            raw=raw,
            follow_ups=[
                QueuedWork(f.url, f.kind, priority(f.kind), f.info) for f in step.follow_ups
            ],
            done=Done(item.url, step.state, step.info),
        )
        self.ends.finish(kind, info, work, fetched=True, events=step.events)

    def _finish_outcome(self) -> None:
        self.summary.failed = self._queue().failed_count()
        if self.summary.failed:
            message = (
                f"{self.summary.failed} page(s) could not be fetched or parsed; run again to "
                "retry them"
            )
            self._end(RunOutcome.INCOMPLETE, message)
        elif self.summary.skipped:
            skipped = self.summary.skipped
            self._end(RunOutcome.INCOMPLETE, f"{len(skipped)} page(s) skipped, e.g. {skipped[0]}")
        else:
            self._end(RunOutcome.COMPLETE, "")

    def _end(self, outcome: RunOutcome, message: str) -> None:
        """Record how the run ended (robots.txt kept too, if no page has stored it yet)."""
        robots = self.site.robots_to_keep()
        if robots is not None:
            self.ends.commit(Commit(robots=robots))
        self.summary.outcome = outcome
        self.summary.message = message
        self.summary.journal = self.journal
        self.summary.pages = self.source.pages
        self.summary.requests = self.fetcher.stats.requests - self.ends.requests_at_start
        if self._run_id is None:
            self._run_id = runs.start_run(self.db, self.journal, self.command, self.now())
        totals = runs.RunTotals(
            self.journal, outcome, message, self.summary.requests, self.summary.changes
        )
        runs.finish_run(
            self.db, self._run_id, totals, self.now(), complete=outcome is RunOutcome.COMPLETE
        )

    def _set_journal(self, name: str) -> None:
        self.ctx.journal = name
        self.ctx.view = ArchiveView(self.db, name)

    def _queue(self) -> CrawlQueue:
        return self.ctx.archive.queue

    # --- items -----------------------------------------------------------------------------

    def _root_step(self, item: QueueItem | None, result: FetchResult) -> tuple[Step, FetchResult]:
        """The root says whose journal this is, then plans the crawl (or the sync). A root that
        does not read in the journal's style is read in the site style."""
        page = page_of(self.root, result)
        try:
            listing = read_root(page, self.ctx)
        except NotAJournal as exc:
            if result.status != 200 or PageKind.RECENT in self.source.light:
                raise
            light = self.source.fetch_light(self.root)
            if light is None:
                raise
            try:
                listing = read_root(page_of(light.url, light), self.ctx)
            except NotAJournal:
                raise NotAJournal(f"{exc}; in the site style (?format=light) too") from None
            self.source.use_light(PageKind.RECENT, self.root)
            page, result = page_of(light.url, light), light
        assert listing.journal.name is not None
        self._set_journal(listing.journal.name)
        if item is not None and self.ctx.mode is CrawlMode.INCREMENTAL:
            return handle_root_sync(page, listing, self.ctx), result
        return handle_root(page, listing, self.ctx, new=item is None), result

    def _process(self, item: QueueItem | None) -> None:
        """One queued item (None: the root page that starts a new crawl) through to its commit."""
        kind = PageKind(item.kind) if item else PageKind.RECENT
        url = item.url if item else self.root
        info = item.info if item else {}
        if kind is PageKind.RECENT and url == self.root:
            step, result = self._root_step(item, self.source.fetch_root())
        else:
            assert item is not None
            handling = HANDLERS[kind]
            if isinstance(handling, ProtocolHandling):
                self._process_protocol(item)
                return
            if isinstance(handling, PlanHandling):
                result, step = None, handling.handle(item, self.ctx)
            else:
                view = self.source.view(url, kind)
                try:
                    result = self.source.fetch(view, conditional=handling.conditional)
                except (RateLimited, Blocked):
                    raise
                except FetchError as exc:
                    self.ends.finish(
                        kind, info, self.ends.unfetched(item, handling, exc), fetched=False
                    )
                    return
                try:
                    step = handling.handle(page_of(view, result), item, self.ctx)
                except ParseError as exc:
                    read = self._read_light(item, kind, handling, result, exc)
                    if read is None:
                        self.ends.finish(
                            kind, info, self.ends.unreadable(item, result, exc), fetched=True
                        )
                        return
                    step, result = read
        restart = QueuedWork(url, kind, priority(kind)) if step.restart else None
        work = Commit(
            records=step.records,
            raw=raw_of(result, kind) if result is not None and step.keep_raw else None,
            restart=restart,
            follow_ups=[
                QueuedWork(f.url, f.kind, priority(f.kind), f.info) for f in step.follow_ups
            ],
            done=Done(url, step.state, step.info),
        )
        self.ends.finish(kind, info, work, fetched=result is not None, events=step.events)

    def _read_light(
        self,
        item: QueueItem,
        kind: PageKind,
        handling: PageHandling,
        result: FetchResult,
        exc: ParseError,
    ) -> tuple[Step, FetchResult] | None:
        """Read an S2 page that did not read in the journal's style in the site style instead;
        None when that is not possible or does not read either."""
        if not handling.light or kind in self.source.light or result.status != 200:
            return None
        if isinstance(exc, PageTooComplex):  # its body is the same in the site style
            return None
        light = self.source.fetch_light(item.url)
        if light is None:
            return None
        try:
            step = handling.handle(page_of(light.url, light), item, self.ctx)
        except ParseError:
            return None
        self.source.use_light(kind, item.url)
        return step, light
