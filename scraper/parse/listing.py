"""Pages with many full entries: recent (/, /?skip=N), tag (/tag/NAME) and day (/YYYY/MM/DD/)."""

from __future__ import annotations

from ..errors import ParseError
from ..records import ListingPage, Navigation
from .dates import date_readings, learn_dayfirst, parse_datetime_text
from .entry import parse_entry
from .html import (
    Node,
    Tree,
    attr,
    classes,
    css_all,
    day_from_url,
    guarded,
    in_user_content,
    parse_page,
    query_int,
    tag_from_url,
    text_of,
)
from .journal import entry_wrappers, parse_journal_info
from .modules import parse_sidebar


def _kind(url: str | None, body_cls: list[str]) -> str:
    if day_from_url(url):
        return "day"
    if tag_from_url(url):
        return "tag"
    if "page-day" in body_cls:
        return "day"
    return "recent"


def navigation(scope: Node | None) -> Navigation:
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


@guarded
def parse_listing_page(html: str | Tree, url: str | None = None) -> ListingPage:
    """A recent, tag or day page: every entry shown, navigation, day, sidebar, journal info."""
    tree = parse_page(html)
    body = tree.body
    body_cls = classes(body)
    journal = parse_journal_info(tree, url)
    primary = tree.css_first("#primary")
    scope = primary if primary is not None else body
    wrappers = entry_wrappers(scope)
    kind = _kind(url, body_cls)

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
        try:
            e = parse_entry(w, url, journal.name)
        except ParseError:
            continue
        if e.itemid in seen:
            continue
        seen.add(e.itemid)
        entries.append(e)
        if dayfirst is None and e.posted_at:
            date = w.css_first(".datetime .date")
            if date is not None:
                dayfirst = learn_dayfirst(text_of(date), e.posted_at[:10])

    day = None
    if kind == "day":
        day = day_from_url(url)
        if day is None:
            dates = {e.posted_at[:10] for e in entries if e.posted_at}
            if len(dates) == 1:
                day = dates.pop()
        if day is None:
            h = tree.css_first(".day-date")
            if h is not None:
                readings = date_readings(text_of(h))
                if readings:
                    value = parse_datetime_text(text_of(h), dayfirst)
                    day = value[:10] if value else None

    tag = tag_from_url(url) if kind == "tag" else None
    nav = navigation(container if container is not None else scope)
    return ListingPage(
        journal=journal,
        kind=kind,
        entries=tuple(entries),
        navigation=nav,
        day=day,
        sidebar=parse_sidebar(tree, dayfirst),
        tag=tag,
    )
