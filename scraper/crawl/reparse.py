"""Re-parse stored raw pages with the current parsers: offline, no request made.

A parser fix repairs old archives: every page kept in `pages` is parsed again and its records
saved with the same idempotent upserts a crawl uses (so unchanged records stay untouched, and
changes made by the fix are recorded like edits would be). Parse errors are recorded per URL,
and cleared for pages that now parse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlite_utils

from .. import parse
from ..errors import ParseError
from ..store import save

# Listings before entry pages, so a complete body from an entry page is the last word.
_ORDER = {"recent": 0, "skip": 1, "day": 2, "year": 3, "entry": 4, "comments": 5, "profile": 6}


@dataclass
class ReparseSummary:
    pages: int = 0
    parsed: int = 0
    errors: int = 0
    skipped: int = 0
    changes: save.Changes = field(default_factory=save.Changes)
    error_urls: list[str] = field(default_factory=list)


def reparse(
    db: sqlite_utils.Database,
    now: str,
    *,
    journal: str | None = None,
    report: Callable[..., None] = lambda *a, **k: None,
) -> ReparseSummary:
    summary = ReparseSummary()
    where, params = ("WHERE journal = ?", [journal]) if journal else ("", [])
    rows = db.execute(
        f"SELECT url, journal, kind, status FROM pages {where} ORDER BY url", params
    ).fetchall()
    rows.sort(key=lambda r: (_ORDER.get(r[2], 9), r[0]))
    for url, jname, kind, status in rows:
        summary.pages += 1
        if status != 200 or kind not in _ORDER or not jname:
            summary.skipped += 1
            continue
        body = db.execute("SELECT body FROM pages WHERE url = ?", [url]).fetchone()[0]
        text = save.page_body({"body": body}).decode("utf-8", "replace")
        try:
            with db.atomic():
                _apply(db, jname, kind, url, text, now, summary)
                save.clear_parse_error(db, url)
            summary.parsed += 1
        except ParseError as exc:
            summary.errors += 1
            summary.error_urls.append(url)
            with db.atomic():
                save.record_parse_error(
                    db, url=url, journal=jname, kind=kind, error=str(exc), at=now
                )
            report("parse-error", url=url, message=str(exc))
        if summary.pages % 500 == 0:
            report("reparse-progress", pages=summary.pages, total=len(rows))
    return summary


def _apply(db, journal: str, kind: str, url: str, text: str, now: str, s: ReparseSummary) -> None:
    if kind in ("recent", "skip", "day"):
        listing = parse.parse_listing_page(text, url)
        s.changes.add(save.save_entries(db, journal, listing.entries, now))
        save.save_page_modules(db, url, journal, listing.sidebar)
    elif kind == "year":
        page = parse.parse_year_page(text, url)
        save.save_calendar(db, journal, page.days, year=page.year)
    elif kind in ("entry", "comments"):
        page = parse.parse_entry_page(text, url)
        s.changes.add(save.save_entries(db, journal, [page.entry], now))
        s.changes.add(save.save_comments(db, journal, page.entry.itemid, page.comments, now))
        save.save_page_modules(db, url, journal, page.sidebar)
    elif kind == "profile":
        save.save_profile(db, journal, parse.parse_profile_page(text, url), now)
