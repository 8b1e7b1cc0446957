"""List and archive views in core2 markup: recent (/, ?skip=, /tag/NAME), day, month, year, tags.

Each function returns the full HTML page for a logged-out reader, or None when the URL is not a
page (an invalid date), so the router answers 404. Scrollback, navigation links and page
titles follow LJ::S2::RecentPage/DayPage/MonthPage/YearPage and core2's print_body functions.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from ..comments import shown_count
from ..model import FakeEntry
from .common import (
    PageContext,
    calendar_weeks,
    esc,
    head_content,
    ljuser,
    page_frame,
    plain_subject,
    tag_path,
)
from .dates import DAYS_SHORT, format_date, format_month, ordinal, plural
from .entry import (
    entry_html,
    metatypes_html,
    poster_html,
    subject_html,
    tags_html,
    time_only_html,
)

MIN_YEAR, MAX_YEAR = 1970, 2038


def _parities() -> Iterator[str]:
    while True:
        yield "odd"
        yield "even"


def entry_summary_items(ctx: PageContext, entries: list[FakeEntry]) -> list[str]:
    """Page Summary on recent/day pages: one line per entry (comment count as tooltip)."""
    items = []
    for entry in entries:
        subject = plain_subject(entry.subject) or "<em>(no subject)</em>"
        count = plural(shown_count(entry), "1 comment // # comments")
        line = (
            f'<span class="pagesummary-subject"><a href="#entry-{entry.itemid}" '
            f"title='{count}'>{subject}</a></span>"
        )
        if entry.poster != ctx.journal.name:
            line = f"<span class='pagesummary-poster'>{ljuser(ctx, entry.poster)}</span> - " + line
        items.append(line)
    return items


# Page::print_entry of one layout: (ctx, entry, view, parity) -> html
EntryPrinter = Callable[[PageContext, FakeEntry, str, str], str]


def _entries_block(ctx: PageContext, entries: list[FakeEntry], view: str) -> str:
    parity = _parities()
    return "".join(entry_html(ctx, e, view, next(parity)) for e in entries)


# --- recent ---------------------------------------------------------------------------------


def _recent_nav(css: str, back: tuple[str, int] | None, forward: tuple[str, int] | None) -> str:
    empty = "" if (back or forward) else " empty"
    out = f'\n    <div class="navigation {css}{empty}">\n        <div class="inner">\n    '
    if back or forward:
        out += "<ul>"
        if back:
            out += f'<li class="page-back"><a href="{back[0]}">{plural(back[1], "Previous #")}</a></li>\n'
        if back and forward:
            out += '<li class="page-separator"> | </li>'
        if forward:
            out += f'<li class="page-forward"><a href="{forward[0]}">{plural(forward[1], "Next #")}</a></li>\n'
        out += "</ul>"
    return out + "\n        </div><!-- navigation>inner -->\n    </div><!-- navigation -->\n    "


def _skip_url(ctx: PageContext, skip: int, tag: str | None) -> str:
    args = []
    if skip:
        args.append(f"skip={skip}")
    if tag:
        args.append(f"tag={tag_path(tag)}")
    return ctx.base + "/" + ("?" + "&".join(args) if args else "")


@dataclass
class RecentData:
    """What LJ::S2::RecentPage hands a style: the page's entries and its skip links."""

    entries: list[FakeEntry]
    skip: int
    tag: str | None
    back: tuple[str, int] | None  # (url, count): older entries ("Previous N")
    forward: tuple[str, int] | None  # newer entries ("Next N")
    head: str  # <link rel="prev|next"> lines
    noindex: bool  # ?skip= pages carry the robots meta tags

    @property
    def view(self) -> str:
        """The view name core2's entry helpers take ("tag" is a recent page with a tag)."""
        return "tag" if self.tag is not None else "recent"


def recent_data(ctx: PageContext, skip_arg: str | None, tag: str | None = None) -> RecentData:
    """RecentPage (LJ/S2/RecentPage.pm): newest first, ?skip clamped to MAX_SCROLLBACK - page
    size; skip links keep only tag (and style=mine), never a viewing-style argument
    (RecentPage.pm:150-152, 279-312)."""
    style = ctx.style
    itemshow = style.items_per_page
    maxskip = style.max_scrollback - itemshow
    try:
        skip = int(skip_arg or 0)
    except ValueError:
        skip = 0
    skip = min(max(skip, 0), maxskip)
    pool = ctx.journal.index.recent
    if tag is not None:
        pool = ctx.journal.index.tagged.get(tag, [])
    entries = pool[skip : skip + itemshow + 1]
    is_prev_exist = len(entries) > itemshow
    entries = entries[:itemshow]
    forward = back = None
    head = ""
    if skip:
        forward = (_skip_url(ctx, max(0, skip - itemshow), tag), itemshow)
        head += f'<link rel="next" href="{forward[0]}" />\n'
    if len(entries) == itemshow:
        if skip == maxskip and entries:
            last = entries[-1].posted_at
            back = (ctx.base + f"/{last.year}/{last.month:02d}/{last.day:02d}", itemshow)
        elif is_prev_exist:
            back = (_skip_url(ctx, skip + itemshow, tag), itemshow)
        if back:
            head += f'<link rel="prev" href="{back[0]}" />\n'
    noindex = bool(skip_arg) and skip_arg not in ("0", "")
    return RecentData(entries, skip, tag, back, forward, head, noindex)


def recent_title(data: RecentData) -> str:
    """RecentPage::view_title (core2.s2:3923)."""
    return f"Entries tagged with {esc(data.tag)}" if data.tag is not None else "Recent Entries"


def recent_body(ctx: PageContext, data: RecentData, print_entry: EntryPrinter) -> str:
    """RecentPage::print_body (core2.s2:5664) with a layout's print_entry."""
    parity = _parities()
    return (
        '\n    <div id="entries" class="hfeed">\n        <div class="inner">\n            '
        + _recent_nav("topnav", data.back, data.forward)
        + "".join(print_entry(ctx, e, data.view, next(parity)) for e in data.entries)
        + _recent_nav("bottomnav", data.back, data.forward)
        + "\n        </div><!-- entries>inner-->\n    </div><!-- entries -->\n    "
    )


def recent_page(ctx: PageContext, skip_arg: str | None, tag: str | None = None) -> str:
    """RecentPage in core2."""
    data = recent_data(ctx, skip_arg, tag)
    return page_frame(
        ctx,
        "recent",
        recent_title(data),
        recent_body(ctx, data, entry_html),
        entry_summary_items(ctx, data.entries),
        head_content(ctx, data.noindex, data.head),
    )


# --- day ------------------------------------------------------------------------------------


def _valid_day(year: int, month: int, day: int) -> date | None:
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    if day > _calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def _day_nav(ctx: PageContext, css: str, prev: date | None, nxt: date | None) -> str:
    empty = "empty" if not (prev or nxt) else ""
    out = f'\n    <div class="navigation {css} {empty}">\n        <div class="inner">\n    '
    if prev or nxt:
        out += "<ul>"
    if prev:
        out += f'<li class="page-back"><a href="{ctx.base}/{prev:%Y/%m/%d}">Previous Day</a></li>\n'
    if prev and nxt:
        out += '<li class="page-separator"> | </li>'
    if nxt:
        out += f'<li class="page-forward"><a href="{ctx.base}/{nxt:%Y/%m/%d}">Next Day</a></li>\n'
    if prev or nxt:
        out += "</ul>"
    return out + "\n        </div><!-- navigation>inner -->\n    </div><!-- navigation -->\n    "


@dataclass
class DayData:
    """What LJ::S2::DayPage hands a style: the day's entries and its neighbour days."""

    when: date
    entries: list[FakeEntry]
    prev: date | None
    nxt: date | None
    head: str

    def url(self, ctx: PageContext, day: date) -> str:
        """prev_url / next_url (LJ/S2/DayPage.pm:178-180)."""
        return f"{ctx.base}/{day:%Y/%m/%d}"


def day_data(ctx: PageContext, year: int, month: int, day: int) -> DayData | None:
    """DayPage: every visible entry of one day, oldest first; None for an invalid date."""
    when = _valid_day(year, month, day)
    if when is None:
        return None
    index = ctx.journal.index
    entries = index.day_entries(when)
    prev, nxt = index.neighbour_days(when)
    head = ""
    if prev:
        head += f'<link rel="prev" href="{ctx.base}/{prev:%Y/%m/%d}" />\n'
    if nxt:
        head += f'<link rel="next" href="{ctx.base}/{nxt:%Y/%m/%d}" />\n'
    return DayData(when, entries, prev, nxt, head)


def day_title(ctx: PageContext, data: DayData) -> str:
    """DayPage::view_title (core2.s2:3968): the date in entry_date_format."""
    when = data.when
    return format_date(datetime(when.year, when.month, when.day), ctx.style.entry_date_format)


def day_nav(ctx: PageContext, css: str, data: DayData) -> str:
    """DayPage::print_navigation (core2.s2:6208)."""
    return _day_nav(ctx, css, data.prev, data.nxt)


def day_body(ctx: PageContext, data: DayData, print_entry: EntryPrinter) -> str:
    """DayPage::print_body (core2.s2:6172) with a layout's print_entry."""
    parity = _parities()
    inner = (
        "".join(print_entry(ctx, e, "day", next(parity)) for e in data.entries)
        if data.entries
        else (
            '<div class="text_noentries text_noentries_day">There were no entries on this day.</div>'
        )
    )
    return (
        '\n    <div id="archive-day">\n        <div class="inner">\n            <div id="entries">\n'
        '                <div class="inner">\n                    '
        + day_nav(ctx, "topnav", data)
        + '\n                    <div class="day">\n                        <div class="inner">\n                    '
        + f"<h3 class='day-date'>{day_title(ctx, data)}</h3>"
        + inner
        + "\n                        </div><!-- day>inner -->\n                    </div><!-- day -->\n                    "
        + day_nav(ctx, "bottomnav", data)
        + "\n                </div> <!-- entries>inner -->\n            </div> <!-- entries -->\n"
        "        </div> <!-- archive-day>inner -->\n    </div><!-- archive-day -->\n    "
    )


def day_page(ctx: PageContext, year: int, month: int, day: int) -> str | None:
    """DayPage in core2."""
    data = day_data(ctx, year, month, day)
    if data is None:
        return None
    return page_frame(
        ctx,
        "day",
        day_title(ctx, data),
        day_body(ctx, data, entry_html),
        entry_summary_items(ctx, data.entries),
        head_content(ctx, False, data.head),
    )


# --- month ----------------------------------------------------------------------------------


def month_nav(ctx: PageContext, css: str, year: int, month: int) -> str:
    """MonthPage::print_navigation (core2.s2:6112)."""
    return _month_nav(ctx, css, year, month)


def _month_nav(ctx: PageContext, css: str, year: int, month: int) -> str:
    index = ctx.journal.index
    prev, nxt = index.neighbour_months(year, month)
    empty = "empty" if not (prev or nxt) else ""
    out = (
        f'\n    <div class="navigation {css} {empty}">\n        <div class="inner">\n            <ul>\n'
        f"            <form method='post' action='{ctx.site_root}go'>\n            "
        f"<input type='hidden' name='redir_user' value='{ctx.journal.name}' />\n"
        "<input type='hidden' name='redir_vhost' value='users' />\n"
        "<input type='hidden' name='redir_type' value='monthview' />\n"
    )
    if prev:
        out += f"<li class='month-back'>[<a href='{ctx.base}/{prev[0]:04d}/{prev[1]:02d}/'>&lt;&lt;&lt;</a>]</li>\n"
    if len(index.sorted_months) > 1:
        out += "<li><select name='redir_key'>\n"
        for oy, om in index.sorted_months:
            sel = " selected='selected'" if (oy, om) == (year, month) else ""
            out += f"<option value='{oy:04d}{om:02d}'{sel}>{format_month(oy, om)}</option>"
        out += "</select>\n<input type='submit' value='View' /></li>\n"
    if nxt:
        out += f"\n<li class='month-forward'>[<a href='{ctx.base}/{nxt[0]:04d}/{nxt[1]:02d}/'>&gt;&gt;&gt;</a>]</li>\n"
    return (
        out
        + "\n            </form>\n            </ul>\n        </div><!-- navigation>inner -->\n    </div><!-- navigation -->\n    "
    )


def _subject_list(ctx: PageContext, entries: list[FakeEntry]) -> str:
    """MonthDay::print_subjectlist."""
    out = ""
    for entry in entries:
        out += (
            time_only_html(ctx, entry)
            + poster_html(ctx, entry, "month")
            + metatypes_html(ctx, entry)
        )
        out += subject_html(ctx, entry, "month")
        count = shown_count(entry)
        if count > 0:
            out += f"<span class='overview-commentcount'> - {plural(count, '1 comment // # comments')}</span>"
        out += "<br />\n" + tags_html(ctx, entry, "month") + "<br />\n"
    return out


def valid_month(year: int, month: int) -> bool:
    return 1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR


def month_days(ctx: PageContext, year: int, month: int) -> list[tuple[date, list[FakeEntry]]]:
    """MonthPage's days with entries, in order, with their entries."""
    index = ctx.journal.index
    days = []
    for day in range(1, _calendar.monthrange(year, month)[1] + 1):
        entries = index.day_entries(date(year, month, day))
        if entries:
            days.append((date(year, month, day), entries))
    return days


def month_head(ctx: PageContext, year: int, month: int) -> str:
    """<link rel="prev|next"> of a month page (LJ/S2/MonthPage.pm:185-186)."""
    prev, nxt = ctx.journal.index.neighbour_months(year, month)
    head = ""
    if prev:
        head += f'<link rel="prev" href="{ctx.base}/{prev[0]:04d}/{prev[1]:02d}/" />\n'
    if nxt:
        head += f'<link rel="next" href="{ctx.base}/{nxt[0]:04d}/{nxt[1]:02d}/" />\n'
    return head


def subject_list(ctx: PageContext, entries: list[FakeEntry]) -> str:
    """MonthDay::print_subjectlist (core2.s2:6148)."""
    return _subject_list(ctx, entries)


def month_page(ctx: PageContext, year: int, month: int) -> str | None:
    """MonthPage: every day with entries, with each entry's time, subject and comment count."""
    if not valid_month(year, month):
        return None
    style = ctx.style
    rows = ""
    for when, entries in month_days(ctx, year, month):
        day = when.day
        label = (
            ordinal(day)
            if style.entry_date_format in ("med", "med_day", "long", "long_day")
            else str(day)
        )
        rows += f'<dt><a href="{ctx.base}/{year:04d}/{month:02d}/{day:02d}/">{label}</a></dt>'
        rows += "\n<dd>" + _subject_list(ctx, entries) + "</dd>\n"
    body = (
        '\n    <div id="archive-month">\n        <div class="inner">\n    '
        + _month_nav(ctx, "topnav", year, month)
        + '\n            <div class="month">\n                <div class="inner">\n                    <dl>\n                    '
        + rows
        + "\n                </dl>\n            </div><!-- month>inner -->\n        </div><!-- month -->\n    "
        + _month_nav(ctx, "bottomnav", year, month)
        + "\n        </div><!-- archive-month>inner -->\n    </div><!--archive-month -->\n    "
    )
    return page_frame(
        ctx,
        "month",
        format_month(year, month),
        body,
        None,
        head_content(ctx, False, month_head(ctx, year, month)),
    )


# --- year -----------------------------------------------------------------------------------


def _year_links(ctx: PageContext, css: str, year: int) -> str:
    out = f'\n    <div class="navigation {css}">\n        <div class="inner">\n    '
    out += year_links(ctx, year)
    return out + "\n        </div><!-- navigation>inner -->\n    </div><!-- navigation -->\n    "


def year_weeks(ctx: PageContext, year: int, month: int, counts: dict[int, int]) -> str:
    """YearWeek::print (core2.s2:6037) for every week of a month."""
    weeks = ""
    for lead, days, trail in calendar_weeks(year, month):
        weeks += "<tr>"
        if lead:
            weeks += f'<td class="day-empty" colspan="{lead}">&nbsp;</td>\n'
        for day in days:
            n = counts.get(day, 0)
            if n:
                weeks += (
                    '\n            <td class="day day-has-entries">\n'
                    f'                <span class="label">{day}</span>\n'
                    f'                <p><a href="{ctx.base}/{year:04d}/{month:02d}/{day:02d}/">{n}</a></p>\n'
                    "            </td>\n            "
                )
            else:
                weeks += (
                    '\n            <td class="day">\n'
                    f'                <span class="label">{day}</span>\n            </td>\n            '
                )
        if trail:
            weeks += f'<td class="day-empty" colspan="{trail}">&nbsp;</td>\n'
        weeks += "</tr>"
    return weeks


def _year_month(ctx: PageContext, year: int, month: int, counts: dict[int, int]) -> str:
    label = format_month(year, month)
    weeks = year_weeks(ctx, year, month, counts)
    heads = "".join(f"<th>{DAYS_SHORT[d]}</th>\n" for d in range(1, 8))
    return (
        '\n    <div class="month-wrapper">\n        <div class="separator separator-before"><div class="inner"></div></div>\n'
        '        <div class="month">\n            <div class="inner">\n                <div class="header">\n'
        f'                    <div class="inner">\n                        <h3>{label}</h3>\n'
        "                    </div><!-- header>inner -->\n                </div><!-- header -->\n"
        '                <div class="contents">\n                    <div class="inner">\n'
        '                        <table summary="Monthly calendar with links to each day\'s entries" '
        'class="month" cellspacing="0" cellpadding="0">\n'
        f"                            <caption>{label}</caption>\n                            <thead>\n"
        f"                                <tr>{heads}\n                                </tr>\n"
        f"                            </thead>\n                            <tbody>{weeks}\n"
        "                            </tbody>\n                        </table>\n"
        "                    </div><!-- contents>inner -->\n                </div><!-- contents -->\n"
        '                <div class="footer">\n                    <div class="inner">\n'
        f'                        <a href="{ctx.base}/{year:04d}/{month:02d}/">View Subjects</a>\n'
        "                    </div><!-- footer>inner -->\n                </div><!-- footer -->\n"
        "            </div><!-- month>inner -->\n        </div><!-- month -->\n"
        '        <div class="separator separator-after"><div class="inner"></div></div>\n'
        "    </div><!-- month-wrapper -->\n    "
    )


def year_head(ctx: PageContext, year: int) -> str:
    """<link rel="prev|next"> of a year page (LJ/S2/YearPage.pm:75-78)."""
    index = ctx.journal.index
    head = ""
    if year in index.years:
        pos = index.years.index(year)
        if pos > 0:
            head += f'<link rel="prev" href="{ctx.base}/{index.years[pos - 1]}/" />\n'
        if pos < len(index.years) - 1:
            head += f'<link rel="next" href="{ctx.base}/{index.years[pos + 1]}/" />\n'
    return head


def year_months(ctx: PageContext, year: int) -> list[tuple[int, dict[int, int]]]:
    """The months of a year that have entries (YearMonth.has_entries), with per-day counts."""
    months = ctx.journal.index.months
    return [(m, months[(year, m)]) for m in range(1, 13) if (year, m) in months]


def year_links(ctx: PageContext, year: int) -> str:
    """YearPage::print_year_links (core2.s2:5976)."""
    years = ctx.journal.index.years
    if not years:
        return ""
    out = "<ul>\n"
    for y in years:
        out += (
            f'<li class="active">{y}</li>\n'
            if y == year
            else f'<li><a href="{ctx.base}/{y}/">{y}</a></li>\n'
        )
    return out + "</ul>\n"


def year_nav(ctx: PageContext, css: str, year: int) -> str:
    """YearPage::print_navigation (core2.s2:5962)."""
    return _year_links(ctx, css, year)


def year_body(ctx: PageContext, year: int) -> str:
    """YearPage::print_body (core2.s2:5937)."""
    months = "".join(_year_month(ctx, year, m, counts) for m, counts in year_months(ctx, year))
    return (
        '\n    <div id="archive-year">\n        <div class="inner">\n            '
        + _year_links(ctx, "topnav", year)
        + '\n            <div class="year">\n                <div class="inner">\n                    '
        + months
        + "\n                </div><!-- year>inner -->\n            </div><!-- year -->\n            "
        + _year_links(ctx, "bottomnav", year)
        + "\n        </div><!-- archive-year>inner -->\n    </div><!-- archive-year -->\n    "
    )


def valid_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def year_page(ctx: PageContext, year: int) -> str | None:
    """YearPage: a calendar per month with visible entries; per-day counts link to day pages."""
    if not valid_year(year):
        return None
    return page_frame(
        ctx,
        "archive",
        str(year),
        year_body(ctx, year),
        None,
        head_content(ctx, False, year_head(ctx, year)),
    )


def default_year(ctx: PageContext) -> int:
    """The year /archive shows: the latest year with entries not in the future."""
    years = ctx.journal.index.years
    now = ctx.journal.page_generated.year
    past = [y for y in years if y <= now]
    return past[-1] if past else (years[0] if years else now)


# --- tags -----------------------------------------------------------------------------------


def multilevel_tags(ctx: PageContext, tags: dict[str, int], list_class: str) -> str:
    """print_multilevel_tags with the site's `style='detail-tagcount'` (sic) count spans."""
    out: list[str] = []
    prev: list[str] = []
    open_levels = 0
    item = 'class="visibility-public " '
    for name in sorted(tags):
        tiers = name.split(":")
        show_lower = False
        for pos, tier in enumerate(tiers):
            if pos == len(tiers) - 1:
                url = ctx.url("/tag/" + tag_path(name))
                code = f'<a rel="tag" href="{url}">{esc(tier)}</a> <span style=\'detail-tagcount\'>[{tags[name]}]</span>'
            else:
                code = f'<span class="non-link-tag">{esc(tier)}</span>'
            if len(prev) < pos + 1:
                out.append(f"\n<ul {list_class}><li {item}>{code}")
                open_levels += 1
            elif tier != prev[pos] or show_lower:
                if tier != prev[pos]:
                    remaining = open_levels
                    for _ in prev:
                        if remaining > pos + 1:
                            out.append("</li></ul>")
                            open_levels -= 1
                        remaining -= 1
                    show_lower = True
                if open_levels <= pos:
                    out.append(f"\n<ul {list_class}><li {item}>{code}")
                    open_levels += 1
                else:
                    out.append(f"</li>\n<li {item}>{code}")
        prev = tiers
    for _ in prev:
        if open_levels > 0:
            out.append("</li></ul>")
            open_levels -= 1
    return "".join(out)


def tags_body(ctx: PageContext) -> str:
    """TagsPage::print_body (core2.s2:6726) with the default tags_page_type = "multi"."""
    tags = ctx.journal.index.tags
    return (
        '<div class=\'tags-container\'>\n<div class="inner">\n<div class="header">\n<div class="inner">\n'
        '<h2>Visible Tags</h2></div>\n</div>\n<div class="contents">\n<div class="inner">\n'
        + multilevel_tags(ctx, tags, 'class="ljtaglist tags_multilevel" ')
        + '</div>\n</div>\n<div class="footer">\n<div class="inner">\n</div>\n</div>\n</div>\n</div>\n'
    )


def tags_page(ctx: PageContext) -> str:
    """TagsPage in core2."""
    return page_frame(ctx, "tags", "Tags", tags_body(ctx), None, head_content(ctx))
