"""Pages in the Negatives layout (styles/negatives/layout.s2), over core2 for what it keeps.

What Negatives changes, with the source lines:

* Page::print (negatives:1041-1093): div#header (h1#title, h2#subtitle, module section "two"),
  div#primary (the body and div.floatclear), div#secondary (the view's navigation in
  div#page-navigation-top except on year and month pages, then module section "one"), div#footer
  (module section "three", and an unclosed <div>), div#body-footer. Body classes as core2's with
  layout_type "two-columns-right" (negatives:45).
* Modules (negatives:178-184): navlinks in the header, the calendar (horizontal,
  module_calendar_opts_type) in the footer, the rest of core2's in the sidebar, "Powered by"
  among them; no time module.
* Page::print_entry (negatives:859-886): div.header > userpic, div.subject ("&raquo;", metatypes,
  h3.entry-title) and div.datetime wrapping "(" poster, core2's span.datetime ")"; then the body,
  metadata, tags and div.footer (interaction links, then management links) straight inside
  div.entry > div.inner; the reply container "topcomment" after it.
* EntryPage::print_comment (negatives:996-1037): userpic, div.datetime > a[title=Permalink]
  around core2's span.datetime, "<br />", poster, h4.comment-title, "<br />", the text, then
  div.footer with the interaction links: no div.header/.contents. print_comments and
  print_comment_partial are core2's.
* DayPage::print_body (negatives:981-990): only the entries (or the "no entries" text).
* YearPage::print_body / print_month and YearWeek::print (negatives:890-945): div.entry >
  div.subject with the year links, then in <center> one table per month inside div.entry, each
  day a td.entry with the day number and, on days with entries, a link with the count; no
  #archive-year or .year.
* MonthPage::print_body (negatives:947-979).
"""

from __future__ import annotations

from ..comments import CommentView, ShownComment
from ..model import FakeComment, FakeEntry
from .archive import (
    DayData,
    RecentData,
    _recent_nav,
    day_nav,
    day_title,
    entry_summary_items,
    month_days,
    month_head,
    recent_body,
    recent_title,
    subject_list,
    tags_body,
    valid_month,
    valid_year,
    year_head,
    year_links,
    year_months,
)
from .comments import (
    WRAPPER_END,
    _interaction_links,
    _poster,
    _subject,
    _wrapper_start,
    comment_reply_container,
    comment_section,
    comment_text,
    comment_userpic,
    summary_items,
    time_display,
)
from .common import (
    PageContext,
    body_class,
    calendar_weeks,
    global_title,
    head_content,
    head_title,
    meta_tags,
    module_calendar_horizontal,
    module_credit,
    module_cuttagcontrols,
    module_navlinks,
    module_pagesummary,
    module_powered,
    module_section,
    module_syndicate,
    module_tags,
    module_userprofile,
    plain_subject,
    stylesheet_link,
    userpic_div,
    wrapper_end,
)
from .dates import DAYS_SHORT, format_month, ordinal
from .entry import (
    ENTRY_WRAPPER_END,
    body_html,
    datetime_html,
    entry_wrapper_start,
    interaction_links,
    list_interaction_links,
    management_links,
    metadata_html,
    metatypes_html,
    poster_html,
    reply_container,
    subject_html,
    tags_html,
)

LAYOUT_TYPE = "two-columns-right"  # negatives:45


# --- frame ----------------------------------------------------------------------------------


def page_frame(
    ctx: PageContext,
    view: str,
    view_title: str,
    body: str,
    summary: list[str] | None = None,
    head: str = "",
    navigation: str = "",
) -> str:
    """Page::print (negatives:1041-1093); `navigation` is the view's print_navigation()."""
    main = (
        module_userprofile(ctx)
        + module_syndicate(ctx)
        + module_tags(ctx)
        + module_pagesummary(summary or [])
        + module_powered(ctx)
        + module_credit(ctx)
        + module_cuttagcontrols()
    )
    nav = ""
    if view not in ("archive", "month"):
        nav = "<div id='page-navigation-top' class='page-navigation'>\n" + navigation + "</div>\n"
    return (
        '<!DOCTYPE html>\n    <html lang="en">\n    <head>\n'
        + meta_tags()
        + head
        + stylesheet_link(ctx)
        + head_title(ctx, view_title)
        + "</head>\n"
        + f'<body class="{body_class(ctx, view, LAYOUT_TYPE)}">\n'
        + '<div id="header">\n'
        + global_title(ctx)
        + module_section("two", module_navlinks(ctx, view))
        + "</div>\n"
        + '<div id="primary">\n'
        + body
        + '<div class="floatclear">.</div>\n</div>\n'
        + '<div id="secondary">\n'
        + nav
        + module_section("one", main)
        + "</div>\n"
        + '<div id="footer">\n'
        + module_section("three", module_calendar_horizontal(ctx))
        + "<div>\n"
        + '<div id="body-footer">\n<div class="page-top"><a href="#">Top of page</a></div></div>\n'
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
    """Page::print_entry (negatives:859-886)."""
    raquo = "&raquo;"
    if not ctx.style.all_entrysubjects and not entry.subject and view != "month":
        raquo = ""
    if view == "entry" and comments is not None:
        links = interaction_links(ctx, entry, comments.top_level_total, "topcomment")
    elif view == "reply":
        links = list_interaction_links(ctx, entry, postlink=False, target="")
    else:
        links = list_interaction_links(ctx, entry)
    return (
        entry_wrapper_start(ctx, entry, parity)
        + '<div class="header">'
        + userpic_div(ctx, entry.poster, entry.userpic_keyword, 100)
        + f'<div class="subject">{raquo}'
        + metatypes_html(ctx, entry)
        + subject_html(ctx, entry, view)
        + "</div>\n"
        + '<div class="datetime">('
        + poster_html(ctx, entry, view)
        + " "
        + datetime_html(ctx, entry, view)
        + ")</div>\n"
        + "</div>\n"
        + body_html(ctx, entry, view)
        + metadata_html(ctx, entry)
        + tags_html(ctx, entry, view)
        + '<div class="footer">\n'
        + links
        + (management_links(ctx, entry, text=True) if view in ("entry", "reply") else "")
        + "</div>\n"
        + reply_container("topcomment")
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
    """EntryPage::print_comment (negatives:996-1037)."""
    link = f"{ctx.url(f'/{entry.itemid}.html')}?thread={node.commentid}#cmt{node.commentid}"
    return (
        _wrapper_start(entry, comment, node, parity)
        + comment_userpic(ctx, comment)
        + f"<div class='datetime'><a href='{link}' title='Permalink'>\n"
        + time_display(ctx, entry, comment)
        + "</a>\n</div>"
        + "<br />\n\n"
        + _poster(ctx, comment)
        + _subject(ctx, entry, comment, node)
        + "<br />\n"
        + comment_text(ctx, entry, comment)
        + '<div class="footer">\n'
        + _interaction_links(ctx, entry, comment, node, view)
        + "</div>\n"
        + comment_reply_container(node)
        + WRAPPER_END
    )


# --- views ----------------------------------------------------------------------------------


def recent_page(ctx: PageContext, data: RecentData) -> str:
    """RecentPage: core2's print_body with Negatives' entries; its navigation also goes to the
    sidebar (negatives:1075-1078)."""
    return page_frame(
        ctx,
        "recent",
        recent_title(data),
        recent_body(ctx, data, list_entry),
        entry_summary_items(ctx, data.entries),
        head_content(ctx, data.noindex, data.head),
        _recent_nav("", data.back, data.forward),
    )


def day_page(ctx: PageContext, data: DayData) -> str:
    """DayPage::print_body (negatives:981-990)."""
    body = "" if data.entries else "There were no entries on this day.\n"
    parities = ("odd", "even")
    body += "".join(list_entry(ctx, e, "day", parities[n % 2]) for n, e in enumerate(data.entries))
    return page_frame(
        ctx,
        "day",
        day_title(ctx, data),
        body,
        entry_summary_items(ctx, data.entries),
        head_content(ctx, False, data.head),
        day_nav(ctx, "", data),
    )


def year_week_rows(ctx: PageContext, year: int, month: int, counts: dict[int, int]) -> str:
    """YearWeek::print (negatives:928-945)."""
    out = ""
    for lead, days, trail in calendar_weeks(year, month):
        out += '<tr valign="top" style="height: 2em;">\n'
        if lead:
            out += f'<td class="emptyday" colspan="{lead}">&nbsp;</td>\n'
        for day in days:
            out += f'<td class="entry" width="14%">\n<div style="text-align: right;">{day}</div>\n'
            n = counts.get(day, 0)
            if n:
                url = f"{ctx.base}/{year:04d}/{month:02d}/{day:02d}/"
                out += f'<div style="text-align: center;"><a href="{url}">{n}</a></div>\n'
            out += "</td>\n"
        if trail:
            out += f'<td colspan="{trail}">&nbsp;</td>\n'
        out += "</tr>"
    return out


def year_month(ctx: PageContext, year: int, month: int, counts: dict[int, int]) -> str:
    """YearPage::print_month (negatives:908-924)."""
    heads = "".join(f"<th>{DAYS_SHORT[d]}</th>\n" for d in range(1, 8))
    return (
        '<br /><div class="entry"><table summary="Monthly calendar with links to each day\'s '
        'entries" style="width: 100%; border-collapse: collapse;">\n\n'
        '       <tr><th class="comments" colspan="7" style="text-align: center;">'
        + format_month(year, month)
        + "</th></tr>\n"
        + heads
        + "</tr>\n"
        + year_week_rows(ctx, year, month, counts)
        + '<tr><td class="comments" colspan="7" style="text-align: center;">\n'
        f'        &laquo; <a href="{ctx.base}/{year:04d}/{month:02d}/">View Subjects</a> '
        "&raquo;</td></tr>\n" + "</table></div>"
    )


def year_page(ctx: PageContext, year: int) -> str | None:
    """YearPage::print_body (negatives:890-906)."""
    if not valid_year(year):
        return None
    body = (
        '<div class="entry">\n'
        + '<div class="subject">'
        + year_links(ctx, year)
        + "</div>\n"
        + "<center>\n"
        + "".join(year_month(ctx, year, m, counts) for m, counts in year_months(ctx, year))
        + "</center>\n"
        + "</div>\n"
    )
    return page_frame(
        ctx, "archive", str(year), body, None, head_content(ctx, False, year_head(ctx, year))
    )


def month_page(ctx: PageContext, year: int, month: int) -> str | None:
    """MonthPage::print_body (negatives:947-979)."""
    if not valid_month(year, month):
        return None
    index = ctx.journal.index
    prev, nxt = index.neighbour_months(year, month)
    label = format_month(year, month)
    body = '<div class="entry">\n' + f'<div class="subject">{label}</div>\n'
    body += f"<form method='post' action='{ctx.site_root}go'><center>"
    body += (
        f"<input type='hidden' name='redir_user' value='{ctx.journal.name}' />\n"
        "<input type='hidden' name='redir_vhost' value='users' />\n"
        "<input type='hidden' name='redir_type' value='monthview' />\n"
    )
    if prev:
        body += f"[<a href='{ctx.base}/{prev[0]:04d}/{prev[1]:02d}/'>&lt;&lt;&lt;</a>]\n"
    if len(index.sorted_months) > 1:
        body += "<select name='redir_key'>\n"
        for oy, om in index.sorted_months:
            sel = " selected='selected'" if (oy, om) == (year, month) else ""
            body += f"<option value='{oy:04d}{om:02d}'{sel}>{format_month(oy, om)}</option>\n"
        body += "</select>\n<input type='submit' value='View' />\n"
    if nxt:
        body += f"\n[<a href='{ctx.base}/{nxt[0]:04d}/{nxt[1]:02d}/'>&gt;&gt;&gt;</a>]\n"
    body += "</center></form>"
    for when, entries in month_days(ctx, year, month):
        body += (
            "<div class='subject'>\n"
            f'<a href="{ctx.base}/{year:04d}/{month:02d}/{when.day:02d}/">'
            f"{ordinal(when.day)} {label}</a></div>\n"
            "<div style='margin-left: 20px;'>\n" + subject_list(ctx, entries) + "</div>\n<br />\n\n"
        )
    body += "</div>\n"
    return page_frame(
        ctx, "month", label, body, None, head_content(ctx, False, month_head(ctx, year, month))
    )


def tags_page(ctx: PageContext) -> str:
    return page_frame(ctx, "tags", "Tags", tags_body(ctx), None, head_content(ctx))


def entry_page(ctx: PageContext, entry: FakeEntry, comments: CommentView) -> str:
    """core2's EntryPage::print_body with Negatives' print_entry and print_comment."""
    body = entry_html(ctx, entry, "entry", "odd", comments)
    if entry.comments_enabled:
        body += comment_section(ctx, entry, comments, full_comment)
    title = plain_subject(entry.subject) or "(no subject)"
    return page_frame(
        ctx, "entry", title, body, summary_items(ctx, entry, comments), head_content(ctx)
    )


def reply_page(ctx: PageContext, entry: FakeEntry) -> str:
    """core2's ReplyPage::print_body (core2.s2:6637) with Negatives' print_entry."""
    if not entry.comments_enabled:
        body = "<h2>Comments Disabled:</h2><p>Comments have been disabled for this post.</p>"
    else:
        body = entry_html(ctx, entry, "reply", "odd") + (
            f"<form method='post' action='{ctx.site_root}talkpost_do' id='postform'></form>"
        )
    title = (plain_subject(entry.subject) or "(no subject)") + " (Reply)"
    return page_frame(ctx, "reply", title, body, [], head_content(ctx))
