"""Archive or sync journals: the fetcher, the database and the crawl put together for one run.

This is where the pipeline is assembled (the CLI only parses options and prints): one run lock
on the database, one rate-limit bucket shared by every journal of the run (same site, same IP),
one `Crawl` per journal. A first archive that fails before anything was archived leaves no
empty database behind (see `_first_run`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from ..errors import Blocked, DwArchiveError, RateLimited, StorageError
from ..fetch import Clock, HttpFetcher, TokenBucket, journal_name, journal_root
from ..fetch.urls import api_root_for
from ..store import RunLock, open_database
from ..store.lock import lock_path
from ..store.read_queries import archived_anything
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
    owner_only: frozenset[str] | None = None  # owner mode for these journals only (None: all)


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
    with _first_run(db_path):
        db = open_database(db_path)
        limiter: TokenBucket | None = None
        try:
            for root, name in targets:
                owner = _owner_for(options, root, name)
                api_root = api_root_for(root) if owner is not None else None
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
                        owner=owner,
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


def _owner_for(options: CrawlOptions, root: str, name: str | None) -> OwnerAccess | None:
    """The owner access for one journal of the run (the account archives that journal), or None
    for a journal this run reads as an anonymous reader."""
    access = options.owner
    if access is None or (options.owner_only is not None and name not in options.owner_only):
        return None
    return access.for_journal(name or journal_name(root) or access.username)


@contextmanager
def _first_run(db_path: str) -> Iterator[None]:
    """The run lock, plus the first-run rule: when this run creates the database file and fails
    (any exception, Ctrl-C included) before a journal was archived, the file, its -wal/-shm/
    -journal and the lock file are removed, and so are the directories made for them if they are
    left empty. A file that existed before the run is never removed: the check is made under the
    lock, so another run's new file is never taken for ours."""
    path = Path(db_path)
    lock = lock_path(path)
    had_lock = lock.exists()
    new_dirs = [d for d in path.absolute().parents if not d.exists()]  # deepest first
    removed = False
    try:
        with RunLock(path):
            created = not path.exists()
            try:
                yield
            except BaseException:
                if created and path.exists() and not archived_anything(path):
                    with suppress(OSError):  # the run's own error is the one to report
                        for suffix in ("", "-wal", "-shm", "-journal"):
                            Path(f"{path}{suffix}").unlink(missing_ok=True)
                        removed = True
                raise
    finally:
        if removed:  # after the lock is released (Windows cannot delete an open file)
            if not had_lock:
                with suppress(OSError):
                    lock.unlink(missing_ok=True)
            for directory in new_dirs:
                try:
                    directory.rmdir()
                except OSError:  # not empty (or not ours to remove): stop there
                    break


def run_archive(journal: str, db_path: str, options: CrawlOptions, **kw: Any) -> RunSummary:
    """Archive one journal given by name or URL; returns its run summary."""
    root = journal_root(journal)
    return run_journals([(root, journal_name(root))], db_path, options, **kw)[0]
