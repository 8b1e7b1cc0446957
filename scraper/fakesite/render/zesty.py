"""Pages in the Zesty layout (styles/zesty/layout.s2), which rewrites nearly every view.

What Zesty prints, with the source lines (whitespace is the S2 source's: its triple-quoted
strings keep their line breaks and indentation):

* Page::print (zesty:1818-1849): <title> "view title [journal title]" (text_html_title, :315),
  <body class="USER-VIEW"> (e.g. "nairiporter-recent", "nairiporter-archive"), div#header
  (h1 journal title, p "subtitle. view title."), div#navi tabs, the body, div#extra (the view's
  extra box, the mini calendar of the latest month) and div#footer. No core2 frame, modules,
  body classes or h1#title.
* Page::lay_print_entry (zesty:1445-1463): div.entry > div.left (div.userpic) + div.right with
  div.header (div.title > h2#entry-ID > a[href=permalink], subject as stored, "(no subject)"
  when empty; div.posted "posted by USER at 08:15pm on 05/11/2024[ under TAG, TAG]"), div.text
  (core2's div.entry-content), div.meta (div.meta-item per mood/music/location, captions
  "Mood::", "Music::", "location:"), div.links ("There are <a>N comments</a> on this entry."
  and "(Reply.)"). No entry-wrapper, no datetime span: the date exists only as that text, in
  posted_time_format "%%hh%%:%%min%%%%a%%m" and posted_date_format "%%dd%%/%%mm%%/%%yyyy%%"
  (zesty:248, :260), whatever the journal's date settings.
* RecentPage (zesty:1866-1912): div.back-forward (div.back / div.forward with arrow links) around
  div#entries. num_items_recent defaults to 10 in this layout (zesty:160).
* DayPage::print_body (zesty:2055): only the entries (no day links, no date heading).
* YearPage (zesty:2616-2711): div.back-forward (only to the adjacent years), div#calendar with
  div.calendar-month > h2.title > a, table.month with td.full.cell (span.day, div.count > a) for
  days with entries.
* MonthPage (zesty:2076-2165): collapsed entries (div.collapsed-entry) under div.new-day dates.
* EntryPage (zesty:2178-2536): the entry (no links footer; div.userpic's class has the source's
  line breaks), div.entry-comments-bar with the count and div.comment-pagination, then
  div#comments with comments nested in div.nest: a full comment is div.state > div.comment
  .dwexpcomment#cmtID > div.left + div.right (div.header > div.title > h3#tID > a, div.posted
  "posted by ... at ... on ...", div.text, div.links "[link] [parent] [reply]"); a collapsed one
  is div.collapsed-comment with only a.title and span.poster (no date), a deleted one
  span.title "(deleted comment)". With ?thread= only the comments are printed, not the entry.
* TagsPage::print_body (zesty:2738): a tag cloud.
"""

from __future__ import annotations

from datetime import datetime

from ..comments import CommentView, ShownComment, shown_count
from ..model import STANDARD_MOODS, FakeComment, FakeEntry
from .archive import (
    DayData,
    RecentData,
    day_title,
    month_days,
    month_head,
    recent_title,
    valid_month,
    valid_year,
    year_head,
    year_months,
)
from .comments import comment_reply_container, comment_text, thread_url
from .common import (
    NAV_VIEWS,
    SITE_NAME,
    PageContext,
    calendar_weeks,
    esc,
    head_content,
    ljuser,
    meta_tags,
    plain_title,
    tag_path,
    userpic_img,
)
from .dates import DAYS_SHORT, apply_pattern, format_date, format_month
from .entry import body_html, nav_url, permalink

POSTED_TIME_FORMAT = "%%hh%%:%%min%%%%a%%m"  # zesty:248
POSTED_DATE_FORMAT = "%%dd%%/%%mm%%/%%yyyy%%"  # zesty:260
VIEW_NAMES = {  # lang_viewname with Zesty's text_view_* (zesty:198-202)
    "recent": "Recent",
    "archive": "Calendar",
    "read": "Read",
    "tags": "Tags",
    "memories": "Memories",
    "userinfo": "Profile",
}


class _Alternate:
    """S2's alternate("odd", "even"): one counter per page, shared by comments and extra boxes
    (LJ/S2.pm:2836)."""

    def __init__(self) -> None:
        self.state = False

    def next(self) -> str:
        self.state = not self.state
        return "odd" if self.state else "even"


# --- frame ----------------------------------------------------------------------------------


def view_name(ctx: PageContext, view: str) -> str:
    if view == "read" and ctx.journal.is_community:
        return "Member Posts"
    return VIEW_NAMES.get(view, "Unknown View")


def global_title(ctx: PageContext) -> str:
    j = ctx.journal
    return esc(j.title or j.display_name)


def lay_header(ctx: PageContext, view_title: str) -> str:
    """Page::lay_header (zesty:1771-1787)."""
    subtitle = f"{view_title}."
    if ctx.journal.subtitle:
        subtitle = f"{esc(ctx.journal.subtitle)}. {view_title}."
    return (
        '\n    <div id="header">\n    '
        f"\n    <h1>{global_title(ctx)}</h1>\n    <p>{subtitle}</p>\n    </div>\n    "
    )


def lay_navigation(ctx: PageContext, view: str) -> str:
    """Page::lay_navigation (zesty:1612-1641): tabs, the current view's unlinked."""
    out = '\n    <div id="navi">\n    <ul>\n    '
    for key, _label, path in NAV_VIEWS:
        name = view_name(ctx, key)
        if key == view:
            out += f'<li id="tab-current"><span>{name}</span></li>\n'
        else:
            url = (
                ctx.url(path) if path else f"{ctx.site_root}tools/memories?user={ctx.journal.name}"
            )
            out += f'<li><a href="{url}"><span>{name}</span></a></li>\n'
    return out + "\n    </ul>\n    </div>\n    "


def extra_box_open(title: str, alt: _Alternate) -> str:
    """Page::lay_print_extra_box_open (zesty:1643-1649), with its mismatched </h3>."""
    return f'\n    <div class="extra-box {alt.next()}">\n    <h2 class="title">{title}</h3>\n    '


def lay_print_week(ctx: PageContext, year: int, month: int, counts: dict[int, int]) -> str:
    """Page::lay_print_week (zesty:1708-1746) for every week of a month."""
    out = ""
    for lead, days, trail in calendar_weeks(year, month):
        out += "\n    <tr>\n    "
        out += '\n            <td class="blank cell">&nbsp;</td>\n            ' * lead
        for day in days:
            n = counts.get(day, 0)
            if n:
                url = f"{ctx.base}/{year:04d}/{month:02d}/{day:02d}/"
                out += (
                    '\n            <td class="full cell">\n'
                    f'                <span class="day">{day}</span>\n'
                    f'                <div class="count"><a href="{url}">{n}</a></div>\n'
                    "            </td>\n            "
                )
            else:
                out += (
                    '\n            <td class="empty cell">\n'
                    f'                <span class="day">{day}</span>\n'
                    '                <div class="count">&nbsp;</div>\n'
                    "            </td>\n            "
                )
        out += '\n            <td class="blank-cell">&nbsp;</td>\n            ' * trail
        out += "\n    </tr>\n    "
    return out


def lay_print_month(ctx: PageContext, year: int, month: int, counts: dict[int, int]) -> str:
    """Page::lay_print_month (zesty:1750-1767)."""
    heads = "".join(f'<th class="weekday">{DAYS_SHORT[d]}</th>' for d in range(1, 8))
    return (
        '\n    <table summary="Monthly calendar with links to each day\'s entries" class="month">'
        "\n    <tr>\n    "
        + heads
        + "\n    </tr>\n    "
        + lay_print_week(ctx, year, month, counts)
        + "\n    </table>\n    "
    )


def mini_calendar(ctx: PageContext, alt: _Alternate) -> str:
    """Page::lay_print_mini_calendar_box (zesty:1790-1797): the latest month with entries."""
    index = ctx.journal.index
    year, month = index.latest_month(ctx.now or ctx.journal.page_generated)
    counts = index.months.get((year, month))
    if not counts:
        return ""
    return (
        extra_box_open(format_month(year, month, "month"), alt)
        + lay_print_month(ctx, year, month, counts)
        + "</div>"
    )


def lay_footer(ctx: PageContext, extra_box: str, alt: _Alternate) -> str:
    """Page::lay_footer (zesty:1799-1815)."""
    return (
        '\n    <div id="extra">\n        '
        + extra_box
        + mini_calendar(ctx, alt)
        + '\n    </div>\n\n    <div id="footer">\n'
        '        <p><span class="top-link"><a href="#header">Top</a></span> '
        '<a href="https://www.dreamwidth.org/customize/advanced/layerbrowse.bml?id=zesty/layout">'
        "Zesty</a>. "
        f'<span id="site-branding">Powered by <a href="{ctx.site_root}">{SITE_NAME}</a></span>'
        "</p>\n    </div>\n    "
    )


def page_frame(
    ctx: PageContext,
    view: str,
    view_title: str,
    body: str,
    head: str,
    alt: _Alternate | None = None,
    extra_box: str = "",
) -> str:
    """Page::print (zesty:1818-1849)."""
    alt = alt or _Alternate()  # the body, printed first, already used it (comments)
    title = f"{plain_title(view_title)} [{global_title(ctx)}]"  # text_html_title "%2 [%1]"
    return (
        f'\n<!DOCTYPE html>\n       <html lang="en">\n<head>\n<title>{title}</title>\n'
        + meta_tags()
        + head
        + '\n<link rel="stylesheet" type="text/css" href="'
        + ctx.url("/res/123/stylesheet?1")
        + '" />\n'
        + f'\n</head>\n<body class="{ctx.journal.name}-{view}">\n    '
        + lay_header(ctx, view_title)
        + lay_navigation(ctx, view)
        + body
        + lay_footer(ctx, extra_box, alt)
        + "\n</body>\n</html>\n"
    )


# --- entries --------------------------------------------------------------------------------


def posted_by(ctx: PageContext, who: str, moment: datetime, tags: str = "") -> str:
    """Page::lay_print_posted_by (zesty:1238-1274)."""
    when = apply_pattern(POSTED_TIME_FORMAT, moment)
    day = apply_pattern(POSTED_DATE_FORMAT, moment)
    if tags:
        return f"posted by {who} at {when} on {day} under {tags}"
    return f"posted by {who} at {when} on {day}"


def entry_tags(ctx: PageContext, entry: FakeEntry) -> str:
    """EntryLite::lay_get_tags (zesty:1203-1217)."""
    return ", ".join(
        f'<a rel="tag" href="{ctx.url("/tag/" + tag_path(t))}">{esc(t)}</a>'
        for t in sorted(entry.tags)
    )


def entry_header(ctx: PageContext, entry: FakeEntry) -> str:
    """Page::lay_print_entry_header (zesty:1403-1417)."""
    subject = entry.subject or "(no subject)"
    security = ""
    if not entry.is_public:
        security = (
            f'<span class="security"><img src="{ctx.img}/silk/entry/locked.png" '
            f'alt="[{entry.security}]" /></span>'
        )
    return (
        '\n    <div class="header">\n    <div class="title">\n'
        f'        <h2 id="entry-{entry.itemid}"><a href="{permalink(ctx, entry)}">{subject}</a></h2>'
        "\n        "
        + security
        + '\n    </div>\n    <div class="posted">'
        + posted_by(ctx, ljuser(ctx, entry.poster), entry.posted_at, entry_tags(ctx, entry))
        + "</div></div>"
    )


def entry_meta(ctx: PageContext, entry: FakeEntry) -> str:
    """Page::lay_print_entry_meta (zesty:1367-1400): one div.meta-item per metadata key."""
    items = []
    for key, value in sorted(
        {"mood": entry.mood, "music": entry.music, "location": entry.location}.items()
    ):
        if not value:
            continue
        caption, shown = key, esc(value)
        if key == "music":
            caption = "Music:"
        elif key == "mood":
            caption = "Mood:"
            if value in STANDARD_MOODS:
                icon = (
                    f'<img src="{ctx.img}/mood/default/{value}.gif" title="" '
                    f'alt="\'{esc(value)}\'" height="15" width="15" />'
                )
                shown = f"{icon} {shown}"
        items.append(
            f'\n        <div class="meta-item"><span class="meta-label">{caption}:</span> '
            f"{shown}</div>\n        "
        )
    if not items:
        return ""
    return '\n    <div class="meta">\n    ' + "".join(items) + "\n    </div>\n    "


def comment_details(ctx: PageContext, entry: FakeEntry, pages: int, read_link: bool) -> str:
    """CommentInfo::lay_get_details (zesty:1298-1336)."""
    count = shown_count(entry) if entry.comments_enabled else 0
    url = ctx.with_args(permalink(ctx, entry))
    if count > 1:
        link = f"{count} comments"
        if read_link:
            link = f'<a href="{url}">{link}</a>'
        text = (
            f"There are {link} over {pages} pages."
            if pages > 1
            else f"There are {link} on this entry."
        )
    elif count == 1:
        link = "1 comment"
        if read_link:
            link = f'<a href="{url}">{link}</a>'
        text = f"There is {link} on this entry."
    else:
        text = "There are no comments on this entry."
    if not entry.comments_enabled:
        text += " Comments are disabled."
    return text


def reply_link(ctx: PageContext, entry: FakeEntry) -> str:
    """Page::lay_print_entry_reply_link (zesty:1344-1349): " (Reply.)"."""
    if not entry.comments_enabled:
        return ""
    url = ctx.with_args(f"{permalink(ctx, entry)}?mode=reply")
    return f' (<a href="{url}">Reply</a>.)'


def entry_text(ctx: PageContext, entry: FakeEntry, view: str) -> str:
    """Page::lay_print_text (zesty:1278-1286) around core2's entry text."""
    return '<div class="text">\n' + body_html(ctx, entry, view) + "</div>\n"


def entry_html(ctx: PageContext, entry: FakeEntry, view: str, parity: str = "") -> str:
    """Page::lay_print_entry (zesty:1445-1463), with EntryPage's left column and footer
    (zesty:2389-2409) on the entry page."""
    if view == "entry":
        pic = (
            '\n    <div class="userpic\n    '
            + (" empty" if entry.userpic_keyword != "" else "")
            + '\n    ">\n    '
            + _entry_pic(entry)
            + "\n    </div>\n    "
        )
        footer = ""
    else:
        css = "userpic" if entry.userpic_keyword != "" else "userpic empty"
        pic = f'\n    <div class="{css}">\n    ' + _entry_pic(entry) + "\n    </div>\n    "
        footer = (
            '\n    <div class="links">\n    '
            + comment_details(ctx, entry, 0, True)
            + (reply_link(ctx, entry) if view != "reply" else "")
            + "\n    </div>\n    "
        )
    return (
        '\n    <div class="entry">\n        <div class="left">\n        '
        + pic
        + '\n        </div>\n        <div class="right">\n        '
        + entry_header(ctx, entry)
        + entry_text(ctx, entry, view)
        + entry_meta(ctx, entry)
        + footer
        + "\n        </div>\n    </div>\n    "
    )


def _entry_pic(entry: FakeEntry) -> str:
    if entry.userpic_keyword == "":
        return ""
    return userpic_img(entry.poster, entry.userpic_keyword, 100)


def back_forward(links: list[tuple[str, str, str, str]]) -> str:
    """lay_back_forward: div.back-forward with (css, url, title, arrow) links."""
    out = '\n    <div class="back-forward">\n    '
    for css, url, title, arrow in links:
        out += (
            f'\n        <div class="{css}">\n'
            f'            <a href="{url}" title="{title}">{arrow}</a>\n'
            "        </div>\n        "
        )
    return out + "\n    </div>\n    "


def error_page(message: str) -> str:
    """Page::lay_print_errorpage (zesty:1597-1604)."""
    return (
        '\n    <div class="error">\n    <h2 class="error-header">No content</h2>\n'
        f"    <p>{message}</p>\n    </div>\n    "
    )


# --- views ----------------------------------------------------------------------------------


def recent_page(ctx: PageContext, data: RecentData) -> str:
    """RecentPage::print_body and lay_back_forward (zesty:1866-1912)."""
    links = []
    if data.back:
        links.append(("back", data.back[0], f"Previous {data.back[1]}", "&larr;"))
    if data.forward:
        links.append(("forward", data.forward[0], f"Next {data.forward[1]}", "&rarr;"))
    nav = back_forward(links) if links else ""
    if data.entries:
        inner = "".join(entry_html(ctx, e, data.view) for e in data.entries)
    else:
        inner = error_page("There are no entries to display.")
    body = nav + '\n    <div id="entries">\n    ' + inner + "\n    </div>\n    " + nav
    # RecentPage::view_title with Zesty's text_view_recent "Recent" (zesty:199)
    title = recent_title(data) if data.tag is not None else VIEW_NAMES["recent"]
    return page_frame(ctx, "recent", title, body, head_content(ctx, data.noindex, data.head))


def day_page(ctx: PageContext, data: DayData) -> str:
    """DayPage::print_body (zesty:2055-2065): the entries only."""
    if data.entries:
        body = "".join(entry_html(ctx, e, "day") for e in data.entries)
    else:
        body = error_page("There were no entries on this day.")
    return page_frame(ctx, "day", day_title(ctx, data), body, head_content(ctx, False, data.head))


def year_page(ctx: PageContext, year: int) -> str | None:
    """YearPage (zesty:2616-2711)."""
    if not valid_year(year):
        return None
    years = ctx.journal.index.years
    nav = ""
    extra = ""
    if len(years) >= 2:
        links = []
        if year - 1 in years:
            links.append(("back", f"{ctx.base}/{year - 1}/", "Previous year.", "&larr;"))
        if year + 1 in years:
            links.append(("forward", f"{ctx.base}/{year + 1}/", "Next year.", "&rarr;"))
        nav = back_forward(links)
        items = "".join(
            f"<li>{y}</li>\n" if y == year else f'<li><a href="{ctx.base}/{y}/">{y}</a></li>\n'
            for y in years
        )
        extra = (
            '\n    <div class="extra-box">\n        <h3 class="title">Years</h3>\n        <ul>\n'
            f"        {items}\n        </ul>\n    </div>\n    "
        )
    months = "".join(
        '\n    <div class="calendar-month">\n'
        f'        <h2 class="title"><a href="{ctx.base}/{year:04d}/{m:02d}/">'
        f"{format_month(year, m, 'month')}</a></h2>\n    "
        + lay_print_month(ctx, year, m, counts)
        + "\n    </div>\n    "
        for m, counts in year_months(ctx, year)
    )
    body = nav + '\n    <div id="calendar">\n    ' + months + "\n    </div>\n    " + nav
    return page_frame(
        ctx, "archive", str(year), body, head_content(ctx, False, year_head(ctx, year)), None, extra
    )


def collapsed_entry(ctx: PageContext, entry: FakeEntry) -> str:
    """Page::lay_print_collapsed_entry (zesty:1488-1554) on a month page."""
    subject = entry.subject or "(no subject)"
    expand = f"{ctx.base}?.id={entry.itemid}#entry-{entry.itemid}"
    out = '<div class="collapsed-entry">\n'
    out += f'<span class="expand"><a href="{expand}" title="Expand this entry.">+</a></span>'
    out += (
        f'<span class="title"><a href="{permalink(ctx, entry)}" title="View this entry.">'
        f"{subject}</a></span>"
    )
    count = shown_count(entry) if entry.comments_enabled else 0
    shown = f"({count})" if count > 0 else ("" if entry.comments_enabled else "(-)")
    out += f' <span class="comments">{shown}</span>'
    if entry.poster != ctx.journal.name:
        out += f' &mdash; <span class="poster">{ljuser(ctx, entry.poster)}</span>'
    return out + "</div>\n"


def month_page(ctx: PageContext, year: int, month: int) -> str | None:
    """MonthPage::print_body (zesty:2142-2165) and its extra box (zesty:2117-2138)."""
    if not valid_month(year, month):
        return None
    index = ctx.journal.index
    prev, nxt = index.neighbour_months(year, month)
    links = []
    if prev:
        links.append(
            ("back", f"{ctx.base}/{prev[0]:04d}/{prev[1]:02d}/", "Previous day.", "&larr;")
        )
    if nxt:
        links.append(("forward", f"{ctx.base}/{nxt[0]:04d}/{nxt[1]:02d}/", "Next day.", "&rarr;"))
    nav = back_forward(links) if links else ""
    days = month_days(ctx, year, month)
    inner = ""
    for when, entries in days:
        label = format_date(datetime(when.year, when.month, when.day), "long")
        inner += f'<div class="new-day">{label}</div>'
        inner += "".join(collapsed_entry(ctx, e) for e in entries)
    body = nav + '\n    <div id="entries">\n    ' + inner + "\n    </div>\n    "
    body += nav if days else error_page("No entries were posted on the selected month.")
    extra = ""
    if index.sorted_months:
        items = "".join(
            f'<li><a href="{ctx.base}/{y:04d}/{m:02d}/">{format_month(y, m, "month")}</a></li>\n'
            for y, m in index.sorted_months
            if y == year
        )
        extra = (
            f'\n    <div class="extra-box">\n        <h3 class="title">{year}</h3>\n        <ul>\n'
            f"    {items}\n        </ul>\n    </div>\n    "
        )
    return page_frame(
        ctx,
        "month",
        format_month(year, month),
        body,
        head_content(ctx, False, month_head(ctx, year, month)),
        None,
        extra,
    )


def tags_page(ctx: PageContext) -> str:
    """TagsPage::print_body (zesty:2738-2796): a tag cloud, font sizes 80%..400%."""
    tags = ctx.journal.index.tags
    highest = max(tags.values(), default=0)
    lowest = min(tags.values(), default=999999)
    spread = highest - lowest
    step = 320 // spread if spread > 0 else 0
    out = (
        '\n    <div id="tag-cloud" class="tags_cloud">\n    <h2 class="invisible">Visible tags</h2>'
    )
    out += "\n    <ul>\n    "
    for name in sorted(tags):
        count = tags[name]
        font = "80%" if highest == lowest else f"{80 + (count - lowest) * step}%"
        out += (
            "\n        <li>\n"
            f'        <a rel="tag" class="used-{count} visible-to-public" '
            f'href="{ctx.url("/tag/" + tag_path(name))}" style="font-size: {font};">{esc(name)}</a>\n'
            f'        <span class ="invisible"> used {count} times</span></li>\n        '
        )
    out += "\n    </ul></div>\n    "
    return page_frame(ctx, "tags", "Tags", out, head_content(ctx))


# --- entry page -----------------------------------------------------------------------------


def _posted_comment(ctx: PageContext, comment: FakeComment, blank: bool) -> str:
    who = "(anonymous)"
    if not blank and comment.author is not None and comment.author_kind != "anonymous":
        who = ljuser(ctx, comment.author, "I" if comment.author_kind == "openid" else None)
    return posted_by(ctx, who, comment.posted_at)


def full_comment(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    alt: _Alternate,
) -> str:
    """EntryPage::print_comment (zesty:2273-2336), the replies nested inside its div.nest.
    A placeholder printed this way (a thread view's collapsed root, zesty:2178) has no subject,
    poster, icon or text."""
    blank = node.placeholder
    cid = node.commentid
    state = "frozen" if node.frozen else ("screened" if node.kind == "screened" else "state")
    subject = "(no subject)" if blank or not comment.subject else esc(comment.subject)
    link = f"{permalink(ctx, entry)}?thread={cid}#cmt{cid}"
    if (
        not blank
        and comment.author_kind == "user"
        and comment.author
        and comment.userpic_keyword != ""
    ):
        pic = (
            f'<div class="userpic">{userpic_img(comment.author, comment.userpic_keyword, 75)}</div>'
        )
    else:
        pic = '<div class="userpic empty">&nbsp;</div>'
    links = '<div class="links">\n'
    if view.thread_root is not None and node.depth == 1:
        links += f'[<a href="{permalink(ctx, entry)}">parent entry</a>] '
    links += f'[<a href="{link}">link</a>] '
    if node.parent_id:
        links += f'[<a href="{thread_url(ctx, entry, node.parent_id)}">parent</a>] '
    if node.frozen:
        links += "[thread is frozen]"
    elif blank:
        links += "[user is suspended]"
    else:
        reply = esc(ctx.with_args(f"{permalink(ctx, entry)}?replyto={cid}"))
        links += f"[<a  href='{reply}' >reply</a>]"
    links += "</div>\n"
    text = (
        '<div class="text">\n'
        + ('<div class="comment-content"></div>' if blank else comment_text(ctx, entry, comment))
        + "</div>\n"
    )
    return (
        '<div class="nest">\n'
        f'\n    <div class="{state}" id="state{cid}">\n'
        f'        <div class="comment dwexpcomment {alt.next()}" id="cmt{cid}">\n'
        '            <div class="left">\n            '
        + pic
        + '\n            </div>\n            <div class="right">\n'
        '                <div class="header">\n                    <div class="title">\n'
        f'                        <h3 id="t{cid}"><a href="{link}">{subject}</a></h2>\n'
        "                        \n                    </div>\n"
        '                    <div class="posted">'
        + _posted_comment(ctx, comment, blank)
        + "</div>\n                </div>\n                "
        + text
        + links
        + "\n\n            </div>\n        </div>\n    </div>\n    "
        + comment_reply_container(node)
        + f'\n    <div id="c-reply-{cid}"></div>\n    '
        + comments_html(ctx, entry, node.replies, view, alt)
        + "</div>"
    )


def collapsed_comment(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    alt: _Alternate,
) -> str:
    """EntryPage::print_comment_partial (zesty:2338-2366): title link and poster, no date."""
    cid = node.commentid
    link = f"{permalink(ctx, entry)}?thread={cid}#cmt{cid}"
    out = '\n    <div class="nest">\n    <div class="collapsed-comment">\n    '
    if node.kind == "deleted":
        out += '<span class="title">(deleted comment)</span>'
    else:
        placeholder = node.placeholder
        subject = "(no subject)" if placeholder or not comment.subject else esc(comment.subject)
        who = "(anonymous)"
        if not placeholder and comment.author is not None and comment.author_kind != "anonymous":
            who = ljuser(ctx, comment.author, "I" if comment.author_kind == "openid" else None)
        screened = " [screened]" if node.kind == "screened" else ""
        out += (
            f'\n        <a class="title" href="{link}">{subject}</a> &mdash; '
            f'<span class="poster">{who}</span>{screened}\n        '
        )
    return (
        out + comments_html(ctx, entry, node.replies, view, alt) + "\n    </div>\n    </div>\n    "
    )


def comments_html(
    ctx: PageContext,
    entry: FakeEntry,
    nodes: list[ShownComment],
    view: CommentView,
    alt: _Alternate,
) -> str:
    """EntryPage::print_comments (zesty:2369-2385): recursive, in document order."""
    by_id = {c.commentid: c for c in entry.comments}
    out = ""
    for node in nodes:
        comment = by_id[node.commentid]
        suspended_root = view.thread_root is not None and not node.full and node.depth == 1
        if node.full or suspended_root:
            out += full_comment(ctx, entry, comment, node, view, alt)
        else:
            out += collapsed_comment(ctx, entry, comment, node, view, alt)
    return out


def comment_pagination(ctx: PageContext, entry: FakeEntry, view: CommentView) -> str:
    """EntryPage::lay_comment_pagination (zesty:2415-2450): the "&larr;" goes to the *last*
    page (url_last), as the source has it."""
    if not entry.comments_enabled or shown_count(entry) == 0 or view.pages <= 1:
        return ""
    flat = "view=flat&" if view.flat else ("view=top-only&" if view.top_only else "")

    def url(n: int) -> str:
        return ctx.with_args(f"{permalink(ctx, entry)}?{flat}page={n}")

    out = '\n    <div class="comment-pagination">\n    '
    if view.page != view.pages:
        out += f'<a href="{url(view.pages)}">&larr;</a>'
    for n in range(1, view.pages + 1):
        out += f" <a href='{url(n)}'>{n}</a> " if n != view.page else f" {n} "
    if view.page < view.pages:
        out += f'<a href="{url(view.page + 1)}">&rarr;</a>'
    return out + "\n    </div>\n    "


def comments_bar(ctx: PageContext, entry: FakeEntry, view: CommentView) -> str:
    """EntryPage::lay_print_entry_comments_bar (zesty:2500-2510)."""
    return (
        '\n    <div class="entry-comments-bar">\n        <span class="comments-title">'
        + comment_details(ctx, entry, view.pages, False)
        + reply_link(ctx, entry)
        + "</span>\n    "
        + comment_pagination(ctx, entry, view)
        + "\n    </div>\n    "
    )


def comments_block(ctx: PageContext, entry: FakeEntry, view: CommentView, alt: _Alternate) -> str:
    """EntryPage::lay_print_comments (zesty:2452-2498)."""
    if not entry.comments_enabled or not view.items:
        return ""
    return (
        '\n        <div id="comments">\n        '
        + comments_html(ctx, entry, view.items, view, alt)
        + "\n        </div>\n        "
    )


def entry_page(ctx: PageContext, entry: FakeEntry, comments: CommentView) -> str:
    """EntryPage::print_body (zesty:2512-2536); a ?thread= view prints only the comments.
    With comments disabled none are loaded (LJ/S2/EntryPage.pm:195-197)."""
    if not entry.comments_enabled:
        comments = CommentView([], 1, 1, comments.page_size, 0, 0, comments.thread_root)
    alt = _Alternate()
    subject = entry.subject or "(no subject)"
    if comments.thread_root is not None:
        body = comments_block(ctx, entry, comments, alt)
        title = f"{subject} : comments"
    else:
        nav = back_forward(
            [
                ("back", nav_url(ctx, entry, "prev"), "Previous Entry", "&larr;"),
                ("forward", nav_url(ctx, entry, "next"), "Next Entry", "&rarr;"),
            ]
        )
        body = (
            nav
            + '\n    <div id="entries">\n        '
            + entry_html(ctx, entry, "entry")
            + "\n    </div>\n    "
            + nav
            + comments_bar(ctx, entry, comments)
            + comments_block(ctx, entry, comments, alt)
        )
        if comments.pages > 1:
            body += comments_bar(ctx, entry, comments)
        title = subject
    return page_frame(ctx, "entry", title, body, head_content(ctx), alt)


def reply_page(ctx: PageContext, entry: FakeEntry) -> str:
    """ReplyPage::print_body (zesty:2581-2605), replying to the entry."""
    body = (
        '\n    <div id="entries">\n    '
        + entry_html(ctx, entry, "reply")
        + '\n    </div>\n    <div id="reply">\n    <h2>Reply</h2>\n    '
        + f"<form method='post' action='{ctx.site_root}talkpost_do' id='postform'></form>"
        + "\n    </div>\n    "
    )
    title = (entry.subject or "(no subject)") + " (Reply)"
    return page_frame(ctx, "reply", title, body, head_content(ctx))
