"""How a crawl item ends: committed with its records, raw response, follow-ups and done mark
(and the journal's robots.txt the first time a page is stored), then reported: the events its
handler asked for, the counts, and the progress estimate. Also the two endings that are not a
handler's: a page that could not be fetched, and one no parser could read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import sqlite_utils

from ..errors import AdultContentGate, FetchError, ParseError, RobotsDisallowed
from ..fetch import Fetcher, FetchResult
from ..kinds import ItemState, PageKind, RunOutcome
from ..store.commit import Commit, Committed, Done, ParseProblem, commit
from ..store.queue import QueueItem
from ..store.rows import Changes
from .estimate import ProgressTracker
from .handlers import PageHandling
from .site_state import SiteState
from .source import raw_of
from .step import CrawlContext


@dataclass
class RunSummary:
    journal: str | None = None
    outcome: RunOutcome = RunOutcome.RUNNING
    message: str = ""
    requests: int = 0
    pages: int = 0
    changes: Changes = field(default_factory=Changes)
    failed: int = 0
    parse_errors: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def deleted_entries(self) -> int:
        return self.changes.deleted_entries


class ItemEnds:
    """Commits and reports how each item of one run ended."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        ctx: CrawlContext,
        fetcher: Fetcher,
        site: SiteState,
        summary: RunSummary,
        report: Callable[..., None],
        now: Callable[[], str],
    ) -> None:
        self.db = db
        self.ctx = ctx
        self.fetcher = fetcher
        self.site = site
        self.summary = summary
        self.report = report
        self.now = now
        self.tracker = ProgressTracker(fetcher)
        self.requests_at_start = fetcher.stats.requests

    def unfetched(self, item: QueueItem, handling: PageHandling, exc: FetchError) -> Commit:
        """How an item ends when its page could not be fetched."""
        if handling.optional:
            self.report("warning", message=f"{item.kind} unavailable ({exc}); going on")
            return Commit(done=Done(item.url, info={"error": str(exc)}))
        if isinstance(exc, AdultContentGate | RobotsDisallowed):
            why = (
                f"behind the adult-content notice ({exc}); use --allow-adult"
                if isinstance(exc, AdultContentGate)
                else str(exc)
            )
            self.summary.skipped.append(f"{item.url}: {why}")
            self.report("warning", message=f"skipped {item.url}: {why}")
            return Commit(done=Done(item.url, ItemState.SKIPPED, {"skipped": why}))
        return Commit(done=Done(item.url, ItemState.FAILED, {"error": str(exc)}))

    def unreadable(self, item: QueueItem, result: FetchResult, exc: ParseError) -> Commit:
        """A page its parser cannot read: kept and recorded; failed, not done, so a page
        garbled in transit is fetched again by the next run."""
        self.summary.parse_errors += 1
        self.report("parse-error", url=item.url, message=str(exc))
        return Commit(
            raw=raw_of(result, item.kind),
            done=Done(item.url, ItemState.FAILED, {"parse_error": str(exc)}),
            parse_problem=ParseProblem(item.url, item.kind, str(exc)),
        )

    def finish(
        self,
        kind: PageKind,
        info: dict[str, Any],
        work: Commit,
        *,
        fetched: bool,
        events: Sequence[tuple[str, dict[str, Any]]] = (),
    ) -> None:
        """Commit how an item ended, then tell the reporter (events, counts, progress)."""
        committed = self.commit(work)
        for event, event_info in events:
            self.report(event, **event_info)
        if work.records:
            self.report("counts", changes=self.summary.changes)
        self._progress(kind, info, committed, fetched=fetched)

    def commit(self, work: Commit) -> Committed:
        if work.raw is not None:
            robots = self.site.robots_to_keep()
            if robots is not None:
                work = replace(work, robots=robots)
        committed = commit(self.db, self.ctx.journal, work, self.now())
        if work.robots is not None:
            self.site.robots_kept()
        self.summary.changes.add(committed.changes)
        return committed

    # --- progress --------------------------------------------------------------------------

    def _progress(
        self, kind: PageKind, info: dict[str, Any], committed: Committed, *, fetched: bool
    ) -> None:
        if self.ctx.journal is None:
            return
        new = [(work.kind, work.info) for work in committed.enqueued]
        queue = self.ctx.archive.queue
        estimate = self.tracker.item_done(queue, kind, info, new, fetched=fetched)
        requests = self.fetcher.stats.requests - self.requests_at_start
        self.report("progress", journal=self.ctx.journal, estimate=estimate, requests=requests)
