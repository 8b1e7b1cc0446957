"""Re-parse stored raw pages with the current parsers: offline, no request made.

A parser fix repairs old archives: every page kept in `pages` is read again by the same handler
the crawl uses (scraper.crawl.handlers, planning switched off) and its records committed with the
same idempotent saves (so unchanged records stay untouched, and changes made by the fix are
recorded like edits would be). Parse errors are recorded per URL, and cleared for pages that now
parse. Pages are read in crawl order, so a complete body from an entry page is the last word.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from ..errors import ParseError
from ..kinds import ItemState, PageKind
from ..store.commit import Commit, ParseProblem, commit
from ..store.crawl_view import ArchiveView, journal_url, stored_page, stored_pages
from ..store.queue import QueueItem
from ..store.rows import Changes
from .handlers import page_handling
from .owner import records_from_answers
from .step import CrawlContext, FetchedPage

OWNER_ANSWERS = (PageKind.GETEVENTS, PageKind.COMMENT_META, PageKind.COMMENT_BODY)


@dataclass
class ReparseSummary:
    pages: int = 0
    parsed: int = 0
    errors: int = 0
    skipped: int = 0
    changes: Changes = field(default_factory=Changes)
    error_urls: list[str] = field(default_factory=list)


def _no_report(*_args: Any, **_info: Any) -> None:
    return None


def reparse(
    db: sqlite_utils.Database,
    now: str,
    *,
    journal: str | None = None,
    report: Callable[..., None] = _no_report,
) -> ReparseSummary:
    summary = ReparseSummary()
    rows = stored_pages(db, journal)

    def order(row: tuple[str, str, str, int]) -> tuple[int, str]:
        handling = page_handling(row[2])
        return (handling.priority if handling else 1_000, row[0])

    rows.sort(key=order)
    for url, jname, kind, status in rows:
        summary.pages += 1
        handling = page_handling(kind)
        if status != 200 or handling is None or not handling.reparse or not jname:
            summary.skipped += 1
            continue
        stored = stored_page(db, url)
        assert stored is not None
        page = FetchedPage(url, status, stored.body.decode("utf-8", "replace"))
        ctx = CrawlContext(root="", journal=jname, view=ArchiveView(db, jname), plan=False)
        item = QueueItem(jname, url, kind, handling.priority, {})
        try:
            step = handling.handle(page, item, ctx)
            if step.state is not ItemState.DONE:
                raise ParseError(str((step.info or {}).get("error", "the page does not read")))
        except ParseError as exc:
            summary.errors += 1
            summary.error_urls.append(url)
            commit(db, jname, Commit(parse_problem=ParseProblem(url, kind, str(exc))), now)
            report("parse-error", url=url, message=str(exc))
        else:
            done = commit(db, jname, Commit(records=step.records, parsed_ok=url), now)
            summary.changes.add(done.changes)
            summary.parsed += 1
        if summary.pages % 500 == 0:
            report("reparse-progress", pages=summary.pages, total=len(rows))
    _reparse_owner_answers(db, now, rows, summary, report)
    return summary


def _reparse_owner_answers(
    db: sqlite_utils.Database,
    now: str,
    rows: list[tuple[str, str, str, int]],
    summary: ReparseSummary,
    report: Callable[..., None],
) -> None:
    """Owner mode's stored answers, journal by journal (comments need every window at once)."""
    answers: dict[str, dict[str, list[str]]] = {}
    for url, jname, kind, status in rows:
        if kind in OWNER_ANSWERS and status == 200 and jname:
            answers.setdefault(jname, {}).setdefault(kind, []).append(url)
    for jname, by_kind in answers.items():
        view = ArchiveView(db, jname)
        root = journal_url(db, jname) or ""
        ctx = CrawlContext(root=root, journal=jname, view=view, plan=False)
        texts = {k: view.stored_texts(sorted(urls)) for k, urls in by_kind.items()}
        urls = [u for group in by_kind.values() for u in group]
        try:
            records = records_from_answers(
                ctx,
                texts.get(PageKind.GETEVENTS, []),
                texts.get(PageKind.COMMENT_META, []),
                texts.get(PageKind.COMMENT_BODY, []),
            )
        except ParseError as exc:
            summary.errors += len(urls)
            summary.error_urls += urls
            report("parse-error", url=urls[0], message=str(exc))
            continue
        done = commit(db, jname, Commit(records=records), now)
        summary.changes.add(done.changes)
        summary.parsed += len(urls)
        summary.skipped -= len(urls)
