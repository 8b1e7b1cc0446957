"""The values a crawl step passes along: the page fetched, what the crawl knows, and what a
handler makes of the page (records to save, follow-up work, how the item ends).

A handler is a function `(page, item, context) -> Step` (or `(item, context) -> Step` for a
planning step that needs no request). It reads the page with the parsers and asks the
`ArchiveView` what is stored; it touches neither HTTP nor SQL. The runner fetches, and the
store's commit step writes the `Step` in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from .. import parse
from ..kinds import ItemState, PageKind
from ..store.commit import Record
from ..store.crawl_view import ArchiveView


def light_view(url: str) -> str:
    """The same page in Dreamwidth's site style: `?format=light` gives siteviews markup for every
    S2 view whatever the journal's layout or custom layers (LJ/User/Styles.pm make_journal)."""
    return url + ("&" if "?" in url else "?") + "format=light"


class CrawlMode(StrEnum):
    FULL = "full"  # walk everything the journal shows
    DEEP = "deep"  # a full walk that also rereads every entry page with comments or cut text
    INCREMENTAL = "incremental"  # the feed and the recent page decide what else to read


@dataclass(frozen=True)
class FetchedPage:
    """A response as a handler sees it (from the network, or from `pages` when re-parsing)."""

    url: str  # the URL the item asked for
    status: int
    text: str

    @cached_property
    def parsed(self) -> parse.ParsedPage:
        """The page parsed once, for every reading of it (kind, notices, records)."""
        return parse.parse_html(self.text)


@dataclass(frozen=True)
class FollowUp:
    """Work a page implies: a URL (or 'plan:…' step) of a kind, with planning data."""

    url: str
    kind: PageKind
    info: dict[str, Any] = field(default_factory=dict)


@dataclass
class Step:
    """What a handler made of one item."""

    records: list[Record] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    info: dict[str, Any] | None = None  # merged into the item's queue row when it ends
    state: ItemState = ItemState.DONE
    keep_raw: bool = True  # store the response in `pages`
    restart: bool = False  # a new full crawl: forget the previous crawl's queue first
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # for the reporter

    @classmethod
    def failed(cls, problem: str, *, keep_raw: bool = True) -> Step:
        """The item failed (the next run retries it); the response is kept when there is one."""
        return cls(info={"error": problem}, state=ItemState.FAILED, keep_raw=keep_raw)

    def follow(self, url: str, kind: PageKind, info: dict[str, Any] | None = None) -> None:
        self.follow_ups.append(FollowUp(url, kind, info or {}))

    def report(self, kind: str, **info: Any) -> None:
        self.events.append((kind, info))


@dataclass
class CrawlContext:
    """What a handler may know besides its page: the journal, the mode and the stored archive."""

    root: str  # the journal's root URL, ending in '/'
    mode: CrawlMode = CrawlMode.FULL
    journal: str | None = None
    view: ArchiveView | None = None  # set once the journal is known
    expected_name: str | None = None  # the name the user asked for
    plan: bool = True  # False when re-parsing: records only, no follow-up work

    @property
    def archive(self) -> ArchiveView:
        if self.view is None:
            raise RuntimeError("the journal is not known yet")
        return self.view

    @property
    def full(self) -> bool:
        return self.mode in (CrawlMode.FULL, CrawlMode.DEEP)

    def url(self, path: str = "") -> str:
        return self.root + path.lstrip("/")

    def entry_url(self, itemid: int, query: str = "") -> str:
        return self.url(f"{itemid}.html") + (f"?{query}" if query else "")

    def day_url(self, day: str) -> str:
        return self.url(day.replace("-", "/") + "/")
