"""The year archive (/YYYY/): entry counts for every day with entries, and the years it lists.

Every rendering prints a month as a table whose days with entries link to /YYYY/MM/DD/ with the
entry count as the link text (YearWeek::print): core2 `#archive-year` (core2.s2:5937, :6037;
siteviews keeps it), drifting straight into #primary (drifting/layout.s2:1365), negatives as
tables inside `div.entry` (negatives/layout.s2:890-945), zesty in `div#calendar` with a mini
calendar of the same markup in its footer (zesty/layout.s2:1708, :2693). The year links are
`.navigation` lists (core2.s2:5962), negatives' `div.subject` list, zesty's back/forward arrows
and "Years" box. Sidebar modules (the calendar module links days by day number) are left out.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..records import CalendarDay, YearPage
from .html import (
    Node,
    PageInput,
    ParsedPage,
    attr,
    css_all,
    guarded,
    in_user_content,
    inside_any,
    parse_page,
    text_of,
)
from .journal import parse_journal_info
from .modules import parse_sidebar
from .rendering import Rendering
from .urls import day_from_url, year_from_url

_YEAR_TEXT = re.compile(r"^\d{4}$")
_COUNT_TEXT = re.compile(r"^\d{1,6}$")


def _scope(tree: ParsedPage) -> tuple[Node | None, bool]:
    """(the node holding the year's calendar, whether the page says the year is empty)."""
    if tree.rendering is Rendering.ZESTY:
        calendar = tree.css_first("#calendar")
        # an empty year is zesty's error page (lay_print_errorpage, zesty/layout.s2:1597)
        return calendar, calendar is None and tree.css_first("div.error") is not None
    archive = tree.css_first("#archive-year")
    if archive is not None:
        year = archive.css_first(".year")
        # core2 prints only months with entries: an empty .year is a year without entries
        return archive, year is not None and year.css_first("table") is None
    return tree.css_first("#primary") or tree.body, False


def _skipped(tree: ParsedPage, chrome: str) -> set[int]:
    """Page chrome that is not the year: sidebar modules, and zesty's `chrome`."""
    skip = css_all(tree, ".module")
    if tree.rendering is Rendering.ZESTY:
        skip += css_all(tree, chrome)
    return {n.mem_id for n in skip}


def _years(tree: ParsedPage, skip: set[int]) -> tuple[set[int], int | None]:
    years: set[int] = set()
    active = None
    for a in css_all(tree.body, "a[href]"):
        y = year_from_url(attr(a, "href"))
        if y and not inside_any(a, skip) and not in_user_content(a):
            years.add(y)
    for li in css_all(tree.body, "li.active"):
        t = text_of(li)
        if _YEAR_TEXT.match(t) and not inside_any(li, skip):
            active = active or int(t)
            years.add(int(t))
    return years, active


@guarded
def parse_year_page(html: PageInput, url: str | None = None) -> YearPage:
    tree = parse_page(html)
    scope, empty = _scope(tree)
    # zesty's footer (#extra) has the Years box (:2616) and a mini calendar (:1790)
    years, active = _years(tree, _skipped(tree, "#navi, #header"))
    skip = _skipped(tree, "#extra, #navi, #header")
    year = year_from_url(url) or active

    counts: dict[str, int] = {}
    day_links = 0
    for a in css_all(scope, "td a[href]"):
        day = day_from_url(attr(a, "href"))
        if not day or inside_any(a, skip):
            continue
        day_links += 1
        shown = text_of(a)
        if _COUNT_TEXT.match(shown) and day not in counts:
            counts[day] = int(shown)
    if not counts and not empty:
        if day_links or css_all(scope, "table"):
            raise ParseError("year page without readable days: calendar tables but no day counts")
        raise ParseError("year page without readable days: no calendar found")
    if year is None and counts:
        ys = {int(d[:4]) for d in counts}
        if len(ys) == 1:
            year = ys.pop()
    if year is None:
        raise ParseError("year page without a year (URL /YYYY/ or li.active)")
    years.add(year)
    days = tuple(
        CalendarDay(d, n) for d, n in sorted(counts.items()) if d.startswith(f"{year:04d}-")
    )
    if counts and not days:
        raise ParseError(f"year page for {year} whose calendar shows only other years' days")
    return YearPage(
        journal=parse_journal_info(tree, url),
        year=year,
        days=days,
        years=tuple(sorted(years)),
        sidebar=parse_sidebar(tree),
        rendering=str(tree.rendering),
    )
