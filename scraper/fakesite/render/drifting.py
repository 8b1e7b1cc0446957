"""Pages in the Drifting layout (styles/drifting/layout.s2), over core2 for what it keeps.

What Drifting changes, with the source lines:

* Page::print (drifting:1146): div#canvas > div#header (div.header-left with h1#title and
  h2#subtitle, no h2#pagetitle) > div#secondary (module section "one") > div#primary (the body,
  then div#footer with module section "two") > div#canvas-footer. Body classes as core2's with
  layout_type "two-columns-left" (drifting:52).
* Modules (drifting:186-200): the sidebar holds calendar, navlinks ("Navigation" header and
  plain links, drifting:1128), page summary, style credit and cut-tag controls; the footer holds
  "Powered by"; no profile, tags, syndicate or time module.
* Page::print_entry (drifting:1193): div.subject (h3.entry-title, metatypes), div
  .friends-color-wrapper (userpic, poster), div.datetime-container with the date always in
  "long_day" format ("Friday, July 4th, 2025", linkified), then the body, metadata, tags, footer
  straight inside div.entry > div.inner: no div.header/.contents/.footer. text_posting_in is ""
  (drifting:271).
* EntryPage::print_comment (drifting:1227): div.subject (h4.comment-title), div.comment-userpic
  (userpic, poster), then div.comment-content wrapping div.datetime-container (the "long_day"
  date), div.comment-text (which holds core2's div.comment-content with the text) and the
  interaction links. text_comment_from and text_comment_date are "" (drifting:269-270).
  print_comments and print_comment_partial are core2's.
* DayPage::print_body (drifting:1341): navigation, h2.day-title (date "long"), the entries,
  navigation; no #archive-day or div.day.
* YearPage::print_body / print_month (drifting:1365-1401): navigation with the year links, then
  per month h2.month-title > a, div.month > table.month-table; no #archive-year or .year.
* MonthPage::print_body (drifting:1405).
"""

from __future__ import annotations

from datetime import date, datetime

from ..comments import CommentView, ShownComment
from ..model import FakeComment, FakeEntry
from .archive import (
    DayData,
    RecentData,
    day_nav,
    entry_summary_items,
    month_days,
    month_head,
    month_nav,
    recent_body,
    recent_title,
    subject_list,
    tags_body,
    valid_month,
    valid_year,
    year_head,
    year_months,
    year_nav,
    year_weeks,
)
from .comments import (
    WRAPPER_END,
    CommentLook,
    _interaction_links,
    _poster,
    _subject,
    _wrapper_start,
    comment_reply_container,
    comment_section,
    comment_text,
    comment_userpic,
    partial_comment,
    summary_items,
    time_display,
)
from .common import (
    NAV_VIEWS,
    PageContext,
    body_class,
    close_module,
    global_title,
    head_content,
    head_title,
    meta_tags,
    module_calendar,
    module_credit,
    module_cuttagcontrols,
    module_list,
    module_pagesummary,
    module_powered,
    module_section,
    open_module,
    plain_subject,
    stylesheet_link,
    userpic_div,
    wrapper_end,
)
from .dates import DAYS_SHORT, format_date, format_month, ordinal
from .entry import (
    ENTRY_WRAPPER_END,
    body_html,
    datetime_html,
    entry_wrapper_start,
    interaction_links,
    list_footer,
    list_interaction_links,
    management_links,
    metadata_html,
    metatypes_html,
    poster_html,
    reply_container,
    subject_html,
    tags_html,
)

LAYOUT_TYPE = "two-columns-left"  # drifting:52
DATE_FORMAT = "long_day"  # print_time("long_day", ""): drifting:1208, :1243
LOOK = CommentLook(text_comment_from="", text_comment_date="")  # drifting:269-270


# --- frame ----------------------------------------------------------------------------------


def module_navlinks(ctx: PageContext) -> str:
    """print_module_navlinks (drifting:1128): "Navigation" header, links without classes."""
    items = []
    for key, label, path in NAV_VIEWS:
        if key == "read" and ctx.journal.is_community:
            label = "Member Posts"
        url = ctx.url(path) if path else f"{ctx.site_root}tools/memories?user={ctx.journal.name}"
        items.append((f"list-item-{key}", f'<a href="{url}">{label}</a>'))
    return open_module("navlinks", "Navigation") + module_list(items) + close_module()


def page_frame(
    ctx: PageContext,
    view: str,
    view_title: str,
    body: str,
    summary: list[str] | None = None,
    head: str = "",
) -> str:
    """Page::print (drifting:1146-1187) with the module sections of drifting:186-200."""
    sidebar = (
        module_calendar(ctx)
        + module_navlinks(ctx)
        + module_pagesummary(summary or [])
        + module_credit(ctx)
        + module_cuttagcontrols()
    )
    return (
        '<!DOCTYPE html>\n    <html lang="en">\n    <head>'
        + meta_tags()
        + head
        + stylesheet_link(ctx)
        + head_title(ctx, view_title)
        + "</head>\n"
        + f'<body class="{body_class(ctx, view, LAYOUT_TYPE)}">\n'
        + '<div id="canvas">\n<div id="header">\n<div class="header-left">\n'
        + global_title(ctx)
        + '</div><div class="header-right"></div>\n</div>\n'
        + '<div id="secondary">\n'
        + module_section("one", sidebar)
        + '</div>\n<div id="primary">\n'
        + body
        + '<div id="footer">\n'
        + module_section("two", module_powered(ctx))
        + "</div>\n</div>\n"
        + '<div id="canvas-footer">\n<div class="page-top"><a href="#">Top of page</a></div></div>\n'
        + "</div>\n"
        + wrapper_end(ctx)
        + "</html>\n"
    )


# --- entries and comments -------------------------------------------------------------------


def entry_html(
    ctx: PageContext,
    entry: FakeEntry,
    view: str,
    parity: str,
    comments: CommentView | None = None,
) -> str:
    """Page::print_entry (drifting:1193-1217)."""
    if view == "entry" and comments is not None:
        # EntryPage::print_entry_footer (drifting:1271)
        footer = (
            management_links(ctx, entry, text=True)
            + interaction_links(ctx, entry, comments.top_level_total, "topcomment")
            + reply_container("topcomment")
        )
    elif view == "reply":
        footer = management_links(ctx, entry, text=True) + list_interaction_links(
            ctx, entry, postlink=False, target=""
        )
    else:
        footer = list_footer(ctx, entry)  # Page::print_entry_footer (drifting:1219)
    return (
        entry_wrapper_start(ctx, entry, parity)
        + '<div class="subject">'
        + subject_html(ctx, entry, view)
        + metatypes_html(ctx, entry)
        + "</div>\n"
        + "<div class='friends-color-wrapper'>\n"
        + userpic_div(ctx, entry.poster, entry.userpic_keyword, 100)
        + poster_html(ctx, entry, view, posting_in="")
        + "</div>\n"
        + '<div class="datetime-container">\n'
        + datetime_html(ctx, entry, view, DATE_FORMAT)
        + "</div>\n"
        + body_html(ctx, entry, view)
        + metadata_html(ctx, entry)
        + tags_html(ctx, entry, view)
        + footer
        + ENTRY_WRAPPER_END
    )


def list_entry(ctx: PageContext, entry: FakeEntry, view: str, parity: str) -> str:
    return entry_html(ctx, entry, view, parity)


def full_comment(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    parity: str,
) -> str:
    """EntryPage::print_comment (drifting:1227-1269)."""
    return (
        _wrapper_start(entry, comment, node, parity)
        + '<div class="subject">'
        + _subject(ctx, entry, comment, node, LOOK)
        + "</div>"
        + "<div class='comment-userpic'>\n"
        + comment_userpic(ctx, comment)
        + _poster(ctx, comment, LOOK)
        + "</div>\n"
        + '<div class="comment-content">\n'
        + '<div class="datetime-container">\n'
        + time_display(ctx, entry, comment, DATE_FORMAT, date_text="")
        + "</div>\n"
        + '<div class="comment-text">\n'
        + comment_text(ctx, entry, comment, LOOK)
        + "</div>\n"
        + _interaction_links(ctx, entry, comment, node, view)
        + comment_reply_container(node)
        + "</div>\n"
        + WRAPPER_END
    )


def collapsed_comment(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    parity: str,
) -> str:
    """core2's EntryPage::print_comment_partial with Drifting's empty From:/Date: texts."""
    return partial_comment(ctx, entry, comment, node, view, parity, LOOK)


# --- views ----------------------------------------------------------------------------------


def recent_page(ctx: PageContext, data: RecentData) -> str:
    """RecentPage: core2's print_body (core2.s2:5664) with Drifting's entries."""
    return page_frame(
        ctx,
        "recent",
        recent_title(data),
        recent_body(ctx, data, list_entry),
        entry_summary_items(ctx, data.entries),
        head_content(ctx, data.noindex, data.head),
    )


def _midnight(when: date) -> datetime:
    return datetime(when.year, when.month, when.day)


def day_page(ctx: PageContext, data: DayData) -> str:
    """DayPage::print_body (drifting:1341-1361)."""
    when = data.when
    if data.entries:
        parities = ("odd", "even")
        inner = "".join(
            list_entry(ctx, e, "day", parities[n % 2]) for n, e in enumerate(data.entries)
        )
    else:
        inner = "There were no entries on this day.\n"
    body = (
        day_nav(ctx, "", data)
        + '<h2 class="day-title">'
        + format_date(_midnight(when), "long")
        + "</h2>\n"
        + inner
        + day_nav(ctx, "", data)
    )
    title = format_date(_midnight(when), ctx.style.entry_date_format)
    return page_frame(
        ctx,
        "day",
        title,
        body,
        entry_summary_items(ctx, data.entries),
        head_content(ctx, False, data.head),
    )


def year_month(ctx: PageContext, year: int, month: int, counts: dict[int, int]) -> str:
    """YearPage::print_month (drifting:1376-1401)."""
    heads = "".join(f"<th>{DAYS_SHORT[d]}</th>" for d in range(1, 8))
    return (
        f"<h2 class=\"month-title\"><a href='{ctx.base}/{year:04d}/{month:02d}/'>\n"
        + format_month(year, month)
        + "</a></h2>\n"
        + "<div class='month'>\n"
        + '<table summary="Monthly calendar with links to each day\'s entries" '
        'class="month-table"><thead>\n'
        + heads
        + "</thead>\n<tbody>\n"
        + year_weeks(ctx, year, month, counts)
        + "</tbody>\n</table>\n</div>\n"
    )


def year_page(ctx: PageContext, year: int) -> str | None:
    """YearPage::print_body (drifting:1365-1374): navigation, then the months."""
    if not valid_year(year):
        return None
    body = year_nav(ctx, "", year) + "".join(
        year_month(ctx, year, m, counts) for m, counts in year_months(ctx, year)
    )
    return page_frame(
        ctx, "archive", str(year), body, None, head_content(ctx, False, year_head(ctx, year))
    )


def month_page(ctx: PageContext, year: int, month: int) -> str | None:
    """MonthPage::print_body (drifting:1405-1430)."""
    if not valid_month(year, month):
        return None
    days = ""
    for when, entries in month_days(ctx, year, month):
        days += (
            '<div class="day-entries">\n'
            f"<h2 class=\"day-title\"><a href='{ctx.base}/{year:04d}/{month:02d}/{when.day:02d}/'>\n"
            f"{ordinal(when.day)}\n</a></h2>\n"
            '<div class="subjectlist">\n' + subject_list(ctx, entries) + "</div>\n</div>\n"
        )
    body = (
        month_nav(ctx, "", year, month)
        + f'<h2 class="month-title">{format_month(year, month)}</h2>\n'
        + '<div class="month-entries">\n'
        + days
        + "</div>\n"
        + month_nav(ctx, "", year, month)
    )
    return page_frame(
        ctx,
        "month",
        format_month(year, month),
        body,
        None,
        head_content(ctx, False, month_head(ctx, year, month)),
    )


def tags_page(ctx: PageContext) -> str:
    return page_frame(ctx, "tags", "Tags", tags_body(ctx), None, head_content(ctx))


def entry_page(ctx: PageContext, entry: FakeEntry, comments: CommentView) -> str:
    """core2's EntryPage::print_body with Drifting's print_entry and print_comment."""
    body = entry_html(ctx, entry, "entry", "odd", comments)
    if entry.comments_enabled:
        body += comment_section(ctx, entry, comments, full_comment, collapsed_comment)
    title = plain_subject(entry.subject) or "(no subject)"
    return page_frame(
        ctx, "entry", title, body, summary_items(ctx, entry, comments), head_content(ctx)
    )


def reply_page(ctx: PageContext, entry: FakeEntry) -> str:
    """ReplyPage::print_body (drifting:1279-1306), replying to the entry."""
    form = (
        f"<form method='post' action='{ctx.site_root}talkpost_do' id='postform'></form>"
        if entry.comments_enabled
        else "Comments have been disabled for this post"
    )
    body = (
        entry_html(ctx, entry, "reply", "odd")
        + '<div id="reply">\n<h2>Reply</h2>\n<div class="reply-form">\n'
        + form
        + "</div>\n</div>\n"
    )
    title = (plain_subject(entry.subject) or "(no subject)") + " (Reply)"
    return page_frame(ctx, "reply", title, body, [], head_content(ctx))
