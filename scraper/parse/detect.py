"""What kind of page a fetched HTML text is, from body classes and structure."""

from __future__ import annotations

from enum import StrEnum

from ..errors import ParseError
from .html import PageInput, classes, guarded, parse_html
from .interstitial import parse_interstitial
from .rendering import VIEW_KINDS, zesty_view


class PageKind(StrEnum):
    ENTRY = "entry"
    RECENT = "recent"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    TAGS = "tags"
    PROFILE = "profile"
    INTERSTITIAL = "interstitial"
    UNKNOWN = "unknown"


KINDS = tuple(k.value for k in PageKind)

# core2 Page::print_wrapper_start (core2.s2:4010): <body class="page-VIEW ...">
_BODY_KINDS = {f"page-{view}": PageKind(kind) for view, kind in VIEW_KINDS.items()}
_BODY_KINDS["page-year"] = PageKind.YEAR

# Without body classes (siteviews: the site skin's <body>), core2's view bodies tell the view
# (core2.s2 YearPage/DayPage/MonthPage/TagsPage/RecentPage::print_body, EntryPage comments;
# siteviews/layout.s2:435 ReplyPage::print_body).
_STRUCTURE = (
    ("#archive-year", PageKind.YEAR),
    ("#archive-day", PageKind.DAY),
    ("#archive-month", PageKind.MONTH),
    (".tags-container", PageKind.TAGS),
    ("#comments", PageKind.ENTRY),
    (".reply-page-wrapper", PageKind.ENTRY),
    ("#entries", PageKind.RECENT),
)


@guarded
def page_kind(html: PageInput) -> PageKind:
    """entry | recent | day | month | year | tags | profile | interstitial | unknown.

    A text that cannot be read as a page is 'unknown'. (A PageKind is a str: compare it with
    the plain words.)
    """
    try:
        page = parse_html(html)
    except ParseError:
        return PageKind.UNKNOWN
    body_classes = classes(page.body)
    for c in body_classes:
        kind = _BODY_KINDS.get(c)
        if kind is not None:
            return kind
    zesty = zesty_view(body_classes)
    if zesty is not None:
        view_kind = VIEW_KINDS.get(zesty[1])
        return PageKind(view_kind) if view_kind else PageKind.UNKNOWN
    if page.css_first("#profile_page") is not None:
        return PageKind.PROFILE
    if parse_interstitial(page) is not None:
        return PageKind.INTERSTITIAL
    for selector, kind in _STRUCTURE:
        if page.css_first(selector) is not None:
            return kind
    return PageKind.UNKNOWN
