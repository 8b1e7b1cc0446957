"""Incremental sync: the conditional feed and the recent page decide what else to fetch.

A sync with nothing new costs two requests: the Atom feed (304 when no entry is new or edited)
and the recent page (comment counts and the calendar module show what moved).
"""

from __future__ import annotations

from .. import parse
from ..errors import ParseError
from ..kinds import PageKind
from ..parse import FeedEntry
from ..records import ListingPage
from ..store.commit import FeedItem, SaveCalendar, SaveFeed
from ..store.queue import QueueItem
from ..timestamps import parse_stamp
from .listings import listing_step
from .root import journal_step
from .step import CrawlContext, FetchedPage, Step


def start_sync(ctx: CrawlContext) -> list[tuple[str, PageKind]]:
    """The first items of a new incremental crawl: the feed (conditional), then the recent page."""
    return [(ctx.url("data/atom"), PageKind.FEED), (ctx.root, PageKind.RECENT)]


def handle_feed(page: FetchedPage, item: QueueItem, ctx: CrawlContext) -> Step:
    """The Atom feed: which of its entries are new or edited since the last read."""
    if page.status != 200:
        # 304: nothing new or edited; its stored copy stays (only the fetch time moves)
        return Step(info={"status": page.status, "changed": []}, keep_raw=page.status == 304)
    try:
        feed = parse.parse_atom(page.text)
    except ParseError as exc:
        feed = []
        step = Step()
        step.report("parse-error", url=page.url, message=str(exc))
    else:
        step = Step()
    known = ctx.archive.feed_updates()
    stored = ctx.archive.entry_update_times()
    changed: list[int] = []
    items: list[FeedItem] = []
    for fe in feed:
        if fe.itemid is None:
            continue
        if _is_changed(fe, known, stored):
            changed.append(fe.itemid)
        items.append(
            FeedItem(fe.itemid, fe.url, fe.title, fe.published, fe.updated, fe.reply_count)
        )
    if items:
        step.records.append(SaveFeed(tuple(items)))
    step.info = {"changed": changed}
    return step


def _is_changed(fe: FeedEntry, known: dict[int, str], stored: dict[int, str]) -> bool:
    assert fe.itemid is not None
    if fe.itemid in known:
        return known[fe.itemid] != fe.updated
    # first time in the feed: new, or edited after we stored it
    return fe.itemid not in stored or _later(fe.updated, stored[fe.itemid])


def _later(feed_time: str | None, stamp: str | None) -> bool:
    """True when the feed time is after our stored UTC stamp (both ISO 8601)."""
    a, b = parse_stamp(feed_time), parse_stamp(stamp)
    return a is not None and b is not None and a > b


def _feed_changed(ctx: CrawlContext) -> set[int]:
    return {i for d in ctx.archive.done_items(PageKind.FEED) for i in d.info.get("changed", [])}


def handle_root_sync(page: FetchedPage, listing: ListingPage, ctx: CrawlContext) -> Step:
    """The recent page of an incremental sync decides what else to fetch: entries whose comment
    count moved, edited entries with cut text, days whose calendar count is not matched by
    stored entries, and permalink checks for entries that vanished from between the entries
    shown."""
    feed_changed = _feed_changed(ctx)
    step = Step()
    journal_step(listing, ctx, step)
    step.info = listing_step(listing, page.url, ctx, step)
    for rec in listing.entries:
        if rec.itemid in feed_changed and rec.has_cut:
            step.follow(ctx.entry_url(rec.itemid), PageKind.ENTRY, {"itemid": rec.itemid})
    sidebar = listing.sidebar
    if sidebar.calendar_month and sidebar.calendar_days:
        step.records.append(SaveCalendar(sidebar.calendar_days, month=sidebar.calendar_month))
    shown = [e for e in listing.entries if not e.sticky and e.posted_at]
    shown_ids = {e.itemid for e in listing.entries}
    if len(shown) >= 2:
        lo = min(e.posted_at for e in shown if e.posted_at)
        hi = max(e.posted_at for e in shown if e.posted_at)
        for itemid in ctx.archive.public_entries_between(lo, hi):
            if itemid not in shown_ids:
                step.follow(
                    ctx.entry_url(itemid), PageKind.ENTRY, {"itemid": itemid, "check": True}
                )
    # Feed entries we still do not have (more new entries than one recent page shows): read the
    # calendar of the years concerned and the days it says we lack.
    missing = [i for i in feed_changed if i not in shown_ids and not ctx.archive.has_entry(i)]
    years = sorted({int(e.posted_at[:4]) for e in shown if e.posted_at})
    if missing and years:
        for year in range(years[0], years[-1] + 1):
            step.follow(ctx.url(f"{year}/"), PageKind.YEAR)
    step.follow("plan:verify-days", PageKind.VERIFY_DAYS)
    if not ctx.archive.has_profile():
        step.follow(ctx.url("profile"), PageKind.PROFILE)
    return step
