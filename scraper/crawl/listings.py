"""Handlers for the pages that list entries and count them: recent, `?skip=` and day pages,
year pages, and the two planning steps that choose which of them to read.

The walk: the recent page names the journal and shows the newest entries; every year page gives
per-day counts; `plan_days` then picks the fewest `/?skip=` and day pages that show every
visible entry; `verify_days` adds a day page for any day still short of its count and, on a full
walk, a permalink check for a stored entry no listing showed any more.
"""

from __future__ import annotations

from typing import Any

from .. import parse
from ..kinds import PageKind
from ..records import EntryRecord, ListingPage
from ..store.commit import SaveCalendar, SaveEntries, SaveSidebar
from ..store.queue import QueueItem
from .page_checks import journal_page_problem
from .plan import plan_listing_cover
from .root import journal_step
from .step import CrawlContext, CrawlMode, FetchedPage, Step


def listing_step(listing: ListingPage, url: str, ctx: CrawlContext, step: Step) -> dict[str, Any]:
    """Add a listing's entries and sidebar to `step`, and the entry pages they need; returns
    the per-day entry ids the page showed (kept in the queue for planning)."""
    step.records.append(SaveEntries(listing.entries, listing.rendering))
    step.records.append(SaveSidebar(url, listing.sidebar))
    days: dict[str, list[int]] = {}
    for rec in listing.entries:
        if rec.posted_at:
            days.setdefault(rec.posted_at[:10], []).append(rec.itemid)
        if ctx.plan and needs_entry_page(rec, ctx):
            info = {"itemid": rec.itemid, "comments": rec.comment_count or 0}
            step.follow(ctx.entry_url(rec.itemid), PageKind.ENTRY, info)
    return {"entries": days}


def needs_entry_page(rec: EntryRecord, ctx: CrawlContext) -> bool:
    """An entry page is read only for what a listing cannot show: cut text, or comments that
    are not all stored with their text."""
    stored = ctx.archive.entry_state(rec.itemid)
    if rec.has_cut and not stored.body_complete:
        return True
    if ctx.mode is CrawlMode.DEEP and (rec.has_cut or rec.comment_count):
        return True
    if not rec.comment_count:
        return False
    return stored.shown_comments != rec.comment_count or stored.comments_missing_text > 0


def handle_root(page: FetchedPage, listing: ListingPage, ctx: CrawlContext, *, new: bool) -> Step:
    """The recent page at the journal's root, in a full walk: it names the journal and plans
    the rest. `new` starts a new crawl (the previous crawl's queue is forgotten)."""
    step = Step(restart=new)
    journal_step(listing, ctx, step)
    info = listing_step(listing, page.url, ctx, step)
    info["page_size"] = len([e for e in listing.entries if not e.sticky])
    info["has_more"] = listing.navigation.skip_back is not None
    years = sorted({int(e.posted_at[:4]) for e in listing.entries if e.posted_at})
    if not years and listing.sidebar.calendar_month:
        years = [int(listing.sidebar.calendar_month[:4])]
    if years:
        step.follow(ctx.url(f"{years[-1]}/"), PageKind.YEAR)
        step.follow("plan:days", PageKind.PLAN_DAYS)
        step.follow("plan:verify-days", PageKind.VERIFY_DAYS)
    step.follow(ctx.url("profile"), PageKind.PROFILE)
    step.info = info
    step.report("journal", journal=listing.journal.name, type=listing.journal.type)
    return step


def handle_listing(page: FetchedPage, item: QueueItem, ctx: CrawlContext) -> Step:
    """A recent, `?skip=` or day page."""
    problem = journal_page_problem(page, {"recent", "day"})
    if problem:
        return Step.failed(problem)
    listing = parse.parse_listing_page(page.parsed, page.url)
    step = Step()
    step.info = listing_step(listing, page.url, ctx, step)
    return step


def handle_year(page: FetchedPage, item: QueueItem, ctx: CrawlContext) -> Step:
    """A year page: per-day counts, and (in a full walk) every other year it links to."""
    problem = journal_page_problem(page, {"year"})
    if problem:
        return Step.failed(problem)
    year = parse.parse_year_page(page.parsed, page.url)
    step = Step()
    step.records.append(SaveCalendar(year.days, year=year.year))
    step.records.append(SaveSidebar(page.url, year.sidebar))
    if ctx.plan and ctx.full:
        for other in year.years:
            step.follow(ctx.url(f"{other}/"), PageKind.YEAR)
    return step


def _seen_by_day(ctx: CrawlContext) -> dict[str, set[int]]:
    """The entries each day's listings showed in this crawl."""
    seen: dict[str, set[int]] = {}
    for done in ctx.archive.done_items(PageKind.RECENT, PageKind.SKIP, PageKind.DAY):
        for day, ids in done.info.get("entries", {}).items():
            seen.setdefault(day, set()).update(ids)
    return seen


def plan_days(item: QueueItem, ctx: CrawlContext) -> Step:
    """After the year pages: the fewest skip and day pages that show every entry."""
    root = next(iter(ctx.archive.done_items(PageKind.RECENT)), None)
    page_size = (root.info.get("page_size") or 0) if root else 0
    has_more = bool(root and root.info.get("has_more"))
    seen = {d: len(ids) for d, ids in _seen_by_day(ctx).items()}
    skips, days = plan_listing_cover(
        ctx.archive.calendar_desc(), seen, page_size if has_more else 0
    )
    step = Step(info={"skips": skips, "days": len(days)})
    for skip in skips:
        step.follow(ctx.url(f"?skip={skip}"), PageKind.SKIP)
    for day in days:
        step.follow(ctx.day_url(day), PageKind.DAY)
    return step


def verify_days(item: QueueItem, ctx: CrawlContext) -> Step:
    """After the listings: any day still short of its calendar count gets its day page; stored
    entries missing from days that were read in full get a permalink check (a definite 404/410
    tombstones them, 403 records them as locked)."""
    seen = _seen_by_day(ctx)
    stored = ctx.archive.public_entry_days()
    if ctx.mode is CrawlMode.INCREMENTAL:
        # an incremental crawl reads only what changed: what is stored counts as seen
        for itemid, day in stored:
            seen.setdefault(day, set()).add(itemid)
    calendar = dict(ctx.archive.calendar_desc())
    step = Step()
    short = [
        ctx.day_url(day)
        for day, count in calendar.items()
        if len(seen.get(day, ())) < count and not ctx.archive.is_queued(ctx.day_url(day))
    ]
    for url in short:
        step.follow(url, PageKind.DAY)
    if short:
        # day pages first, then look again for what they did not show
        step.follow("plan:verify-days-again", PageKind.VERIFY_DAYS)
        step.info = {"added": len(short)}
        return step
    checks = 0
    if ctx.full:
        seen_ids = {i for ids in seen.values() for i in ids}
        for itemid, day in stored:
            # only on days read in full: a listing that failed proves no deletion
            if (
                itemid not in seen_ids
                and len(seen.get(day, ())) >= calendar.get(day, 0)
                and not ctx.archive.is_queued(ctx.entry_url(itemid))
            ):
                step.follow(
                    ctx.entry_url(itemid), PageKind.ENTRY, {"itemid": itemid, "check": True}
                )
                checks += 1
    step.info = {"checks": checks}
    return step
