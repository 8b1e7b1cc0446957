"""Pages with many full entries: recent (/, /?skip=N), tag (/tag/NAME) and day (/YYYY/MM/DD/).

core2 RecentPage::print_body (core2.s2:5664) and DayPage::print_body (:6172) print the entries
(`div.entry-wrapper`, Page::print_entry) inside `#entries` / `#archive-day`, between
`.navigation` blocks (RecentPage::print_navigation :5698, DayPage::print_navigation :6208);
siteviews prints the same bodies inside the site skin; drifting and negatives print a day's entries
without those containers (drifting/layout.s2:1341, negatives/layout.s2:981), negatives its
navigation in #secondary. zesty is read by zesty.py.

Never silent: every entry the page links to (a NNN.html link in the entries area, outside the
sidebar) must be inside an entry that parsed; an entry that does not parse fails the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import ParseError
from ..records import ListingPage, Navigation
from .dates import date_readings, learn_dayfirst, parse_datetime_text
from .entry import parse_entry
from .html import (
    Node,
    PageInput,
    ParsedPage,
    attr,
    classes,
    css_all,
    guarded,
    in_user_content,
    inside_any,
    parse_page,
    text_of,
)
from .journal import entry_wrappers, parse_journal_info
from .modules import parse_sidebar
from .rendering import Rendering
from .urls import day_from_url, query_int, tag_from_url

# Entry permalinks (NNN.html); Lexbor matches the suffix, the parsers check the rest.
ENTRY_LINKS = 'a[href*=".html"]'


def _kind(tree: ParsedPage, url: str | None, body_cls: list[str]) -> str:
    if day_from_url(url):
        return "day"
    if tag_from_url(url):
        return "tag"
    if "page-day" in body_cls or tree.css_first("#archive-day") is not None:
        return "day"
    return "recent"


def navigation(scope: Node | ParsedPage | None) -> Navigation:
    """back/forward links of the page's .navigation blocks (li.page-back / li.page-forward)."""
    back = forward = None
    for nav in css_all(scope, ".navigation"):
        if in_user_content(nav):
            continue
        if back is None:
            a = nav.css_first(".page-back a[href]")
            if a is not None:
                back = attr(a, "href")
        if forward is None:
            a = nav.css_first(".page-forward a[href]")
            if a is not None:
                forward = attr(a, "href")
    return Navigation(back_url=back, forward_url=forward, skip_back=query_int(back, "skip"))


_PERMALINK = re.compile(r"/(\d{1,18})\.html(?:[?#]|$)")


def check_entry_links(
    area: Node | None, entries: list[Node], itemids: set[int], skip: Callable[[], list[Node]]
) -> None:
    """Refuse a listing that links an entry (NNN.html) that did not parse, outside the entries
    that did (their text may link any entry). `skip` gives the areas that are not entries
    (sidebar modules and other page chrome), looked up only when needed."""
    inside: set[int] | None = None
    for a in css_all(area, ENTRY_LINKS):
        m = _PERMALINK.search(attr(a, "href") or "")
        if m is None or int(m.group(1)) in itemids:
            continue
        if inside is None:
            inside = {n.mem_id for n in entries} | {n.mem_id for n in skip()}
        if inside_any(a, inside):
            continue
        if entries:
            raise ParseError(f"listing links entry {m.group(1)} outside the entries that parsed")
        raise ParseError(f"listing links entry {m.group(1)} but no entry parsed")


@guarded
def parse_listing_page(html: PageInput, url: str | None = None) -> ListingPage:
    """A recent, tag or day page: every entry shown, navigation, day, sidebar, journal info."""
    tree = parse_page(html)
    if tree.rendering is Rendering.ZESTY:
        from .zesty import zesty_listing

        return zesty_listing(tree, url)
    body = tree.body
    body_cls = classes(body)
    journal = parse_journal_info(tree, url)
    primary = tree.css_first("#primary")
    scope = primary if primary is not None else body
    wrappers = entry_wrappers(scope)
    kind = _kind(tree, url, body_cls)

    container = None
    for sel in ("#entries", "#archive-day", ".day"):
        container = tree.css_first(sel)
        if container is not None:
            break
    if (
        not wrappers
        and container is None
        and not any(c in body_cls for c in ("page-recent", "page-day", "page-read"))
    ):
        raise ParseError("not a listing page: no entries and no #entries / #archive-day block")

    entries = []
    dayfirst = None
    seen = set()
    for w in wrappers:
        e = parse_entry(w, url, journal.name)
        if e.itemid in seen:
            continue
        seen.add(e.itemid)
        entries.append(e)
        if dayfirst is None and e.posted_at:
            date = w.css_first(".datetime .date")
            if date is not None:
                dayfirst = learn_dayfirst(text_of(date), e.posted_at[:10])
    area = tree.css_first("#entries") or tree.css_first("#archive-day") or scope
    check_entry_links(area, wrappers, seen, lambda: css_all(scope, ".module"))

    day = None
    if kind == "day":
        day = day_from_url(url)
        if day is None:
            dates = {e.posted_at[:10] for e in entries if e.posted_at}
            if len(dates) == 1:
                day = dates.pop()
        if day is None:
            h = tree.css_first(".day-date") or tree.css_first(".day-title")
            if h is not None and date_readings(text_of(h)):
                value = parse_datetime_text(text_of(h), dayfirst)
                day = value[:10] if value else None

    return ListingPage(
        journal=journal,
        kind=kind,
        entries=tuple(entries),
        navigation=navigation(tree),
        day=day,
        sidebar=parse_sidebar(tree, dayfirst),
        tag=tag_from_url(url) if kind == "tag" else None,
        rendering=str(tree.rendering),
    )
