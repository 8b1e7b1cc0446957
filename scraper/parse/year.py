"""The year archive (/YYYY/): entry counts for every day with entries, and the years it lists."""

from __future__ import annotations

import re

from ..errors import ParseError
from ..records import CalendarDay, YearPage
from .html import (
    Tree,
    attr,
    css_all,
    day_from_url,
    first_int,
    guarded,
    has_class,
    in_user_content,
    parse_page,
    text_of,
    year_from_url,
)
from .journal import parse_journal_info
from .modules import parse_sidebar

_YEAR_TEXT = re.compile(r"^\d{4}$")


@guarded
def parse_year_page(html: str | Tree, url: str | None = None) -> YearPage:
    tree = parse_page(html)
    archive = tree.css_first("#archive-year")
    if archive is None:
        years_blocks = css_all(tree.body, ".year")
        archive = years_blocks[0].parent if years_blocks else None
    if archive is None:
        raise ParseError("not a year page: no #archive-year block")

    # years from the navigation: links to /YYYY/ and the active (current) year
    years: set[int] = set()
    active = None
    for nav in css_all(archive, ".navigation"):
        for a in css_all(nav, "a[href]"):
            y = year_from_url(attr(a, "href"))
            if y:
                years.add(y)
        for li in css_all(nav, "li"):
            if has_class(li, "active"):
                t = text_of(li)
                if _YEAR_TEXT.match(t):
                    active = int(t)
                    years.add(active)

    year = year_from_url(url) or active

    counts: dict[str, int] = {}
    cells = css_all(archive, "td.day-has-entries") or css_all(archive, "td")
    for td in cells:
        for a in css_all(td, "a[href]"):
            day = day_from_url(attr(a, "href"))
            if not day or day in counts:
                continue
            n = first_int(text_of(a))
            counts[day] = n if n is not None else 1
    if not counts:
        # other layouts: any day link in the archive body
        for a in css_all(archive, "a[href]"):
            if in_user_content(a):
                continue
            day = day_from_url(attr(a, "href"))
            if day and day not in counts:
                n = first_int(text_of(a))
                if n is not None:
                    counts[day] = n
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
    return YearPage(
        journal=parse_journal_info(tree, url),
        year=year,
        days=days,
        years=tuple(sorted(years)),
        sidebar=parse_sidebar(tree),
    )
