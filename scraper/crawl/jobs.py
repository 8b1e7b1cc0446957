"""Archive or sync journals: the fetcher, the database and the crawl put together for one run.

This is where the pipeline is assembled (the CLI only parses options and prints): one run lock
on the database, one rate-limit bucket shared by every journal of the run (same site, same IP),
one `Crawl` per journal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol

import httpx

from ..errors import Blocked, DwArchiveError, RateLimited, StorageError
from ..fetch import Clock, HttpFetcher, TokenBucket, journal_name, journal_root
from ..fetch.urls import api_root_for
from ..store import RunLock, open_database
from .endings import RunSummary
from .owner import OwnerAccess
from .runner import Crawl
from .step import CrawlMode


@dataclass(frozen=True)
class CrawlOptions:
    """How to talk to the site: the options `archive` and `sync` share."""

    contact: str | None = None
    rate: float | None = 24.0  # requests per minute; None: no limiter (loopback test sites only)
    ignore_robots: bool = False
    allow_adult: bool = False
    ignore_cool_down: bool = False
    owner: OwnerAccess | None = None  # owner mode: the account and its API key


class Reporter(Protocol):
    """What a run tells the user: crawl events and fetch events (see scraper.progress)."""

    def __call__(self, kind: str, **info: Any) -> None: ...

    def fetch_event(self, kind: str, **info: Any) -> None: ...


def run_journals(
    targets: list[tuple[str, str | None]],
    db_path: str,
    options: CrawlOptions,
    *,
    printer: Reporter,
    command: str = "archive",
    mode: CrawlMode = CrawlMode.FULL,
    transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
) -> list[RunSummary]:
    """Crawl each (root URL, expected name) under one run lock; returns the run summaries.

    Stops at the first rate-limit or captcha (the whole site is then telling us to wait); other
    per-journal errors are reported and the next journal is tried."""
    summaries: list[RunSummary] = []
    with RunLock(db_path):
        db = open_database(db_path)
        limiter: TokenBucket | None = None
        try:
            for root, name in targets:
                api_root = api_root_for(root) if options.owner is not None else None
                fetcher = HttpFetcher(
                    root,
                    contact=options.contact,
                    rate_per_minute=options.rate,
                    obey_robots=not options.ignore_robots,
                    robots_override_reason="--ignore-robots given (the owner's own journal)"
                    if options.ignore_robots
                    else None,
                    on_event=printer.fetch_event,
                    transport=transport,
                    clock=clock,
                    limiter=limiter,
                    allow_adult_host=options.allow_adult,
                    api_root=api_root,
                )
                limiter = fetcher.limiter  # one bucket for the whole run: same site, same IP
                try:
                    printer("start", command=command, root=root, db=db_path)
                    crawl = Crawl(
                        db,
                        fetcher,
                        root,
                        expected_name=name,
                        allow_adult=options.allow_adult,
                        command=command,
                        mode=mode,
                        ignore_cool_down=options.ignore_cool_down,
                        owner=_owner_for(options.owner, root, name),
                        api_root=api_root,
                        report=printer,
                    )
                    try:
                        summaries.append(crawl.run())
                    except (RateLimited, Blocked, StorageError):
                        raise  # the site, or the disk, says stop for every journal
                    except DwArchiveError as exc:
                        if len(targets) == 1:
                            raise
                        printer("error", url=root, message=str(exc))
                        summaries.append(crawl.summary)
                finally:
                    fetcher.close()
        finally:
            db.close()
    return summaries


def _owner_for(access: OwnerAccess | None, root: str, name: str | None) -> OwnerAccess | None:
    """The owner access for one journal of the run (the account archives that journal)."""
    if access is None:
        return None
    return replace(access, journal=name or journal_name(root) or access.username)


def run_archive(journal: str, db_path: str, options: CrawlOptions, **kw: Any) -> RunSummary:
    """Archive one journal given by name or URL; returns its run summary."""
    root = journal_root(journal)
    return run_journals([(root, journal_name(root))], db_path, options, **kw)[0]
