"""The one table of page kinds: for each, its place in the crawl order and the handler that reads
it. The crawl (runner.py) and `reparse` both dispatch through it, so a new page kind or source is
added here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..kinds import PageKind
from ..store.queue import QueueItem
from .entry_pages import finalize_comments, handle_entry_page
from .incremental import handle_feed
from .listings import handle_listing, handle_year, plan_days, verify_days
from .owner import finish_owner
from .root import handle_profile
from .step import CrawlContext, FetchedPage, Step

PageHandler = Callable[[FetchedPage, QueueItem, CrawlContext], Step]
PlanHandler = Callable[[QueueItem, CrawlContext], Step]


@dataclass(frozen=True)
class PageHandling:
    """A kind of page: fetched, then read by `handle`."""

    priority: int  # lower runs first
    handle: PageHandler
    reparse: bool = True  # its stored responses are read again by `dwarchive reparse`
    conditional: bool = False  # fetched with the stored ETag / Last-Modified
    optional: bool = False  # the crawl does without it when it cannot be fetched
    light: bool = False  # an S2 view: when it does not read in the journal's own style, the
    # site style (?format=light, the same for every layout and custom layer) is read instead


@dataclass(frozen=True)
class PlanHandling:
    """A planning step: no request, it reads what the crawl stored so far."""

    priority: int
    handle: PlanHandler


@dataclass(frozen=True)
class ProtocolHandling:
    """An owner-mode call of Dreamwidth's protocol: sent through the run's owner session and
    read by owner.handle_protocol (see runner.py)."""

    priority: int


Handling = PageHandling | PlanHandling | ProtocolHandling

# Listings first (they carry most entries), then planning, then entry pages.
HANDLERS: dict[PageKind, Handling] = {
    PageKind.FEED: PageHandling(-10, handle_feed, reparse=False, conditional=True, optional=True),
    PageKind.RECENT: PageHandling(0, handle_listing, light=True),  # the root: see runner.py
    PageKind.YEAR: PageHandling(10, handle_year, light=True),
    PageKind.PLAN_DAYS: PlanHandling(20, plan_days),
    PageKind.SKIP: PageHandling(30, handle_listing, light=True),
    PageKind.DAY: PageHandling(31, handle_listing, light=True),
    PageKind.VERIFY_DAYS: PlanHandling(35, verify_days),
    PageKind.ENTRY: PageHandling(40, handle_entry_page, light=True),
    PageKind.COMMENTS: PageHandling(50, handle_entry_page, light=True),
    PageKind.PROFILE: PageHandling(60, handle_profile),
    # owner mode: protocol calls after the profile (whose icon says what 'no keyword' shows);
    # sent by the runner through the owner session (owner.py), stored by the call's kind
    PageKind.PROTOCOL: ProtocolHandling(62),
    PageKind.FINALIZE: PlanHandling(70, finalize_comments),
    PageKind.OWNER_FINISH: PlanHandling(75, finish_owner),
}


def priority(kind: PageKind) -> int:
    return HANDLERS[kind].priority


def page_handling(kind: str) -> PageHandling | None:
    """The handling of a fetched page kind (None for planning steps and unknown kinds)."""
    try:
        handling = HANDLERS.get(PageKind(kind))
    except ValueError:
        return None
    return handling if isinstance(handling, PageHandling) else None
