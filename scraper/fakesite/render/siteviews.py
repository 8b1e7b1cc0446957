"""Pages in Dreamwidth's system style "siteviews" (styles/siteviews/layout.s2), inside a site skin.

LJ::make_journal (cgi-bin/LJ/User/Styles.pm:660-672) renders every S2 view asked with
?format=light, ?style=light or ?style=site in siteviews, whatever the journal's layout, and
LJ::S2::make_journal (cgi-bin/LJ/S2.pm:93-116) does so for entry and reply pages when the owner
turned off "show entry pages in my journal style". The output then goes through the site scheme
(DW::Controller::Journal, DW::Template->render_string): lynx for format=light / style=light,
otherwise the default scheme (celerity here).

What siteviews changes, with the source lines:

* Page::print (siteviews:22) prints no frame at all: print_head goes to the scheme's <head>,
  print_title only sets the window title (siteviews:37, :460-475), then print_body. So there is no
  body class from Page::print_wrapper_start, no h1#title, no sidebar modules.
* Page::print_entry (siteviews:200): header > inner > userpic, div.poster-info (poster, ISO date);
  header > div.action-box (management links); div.currents (metadata, tags "Entry tags:"); then
  div > div.contents.usercontent > div.inner with metatypes, subject and body; then the footer.
* Dates: entry_date_format "iso" (siteviews:175); print_entry passes timefmt "short" to an
  anonymous reader (Page.timeformat24 is false); the properties entry_time_format and
  comment_time_format are "short_24" (siteviews:183-184), used where a function takes "".
* EntryPage::print_comments (siteviews:334) is flat: every comment is its own
  div.comment-thread.comment-depth-N closed at once, depth shown only by class and margin.
* EntryPage::print_comment (siteviews:361): header > userpic + div.comment-info (subject as text,
  poster, date, "(link)"), then div.contents.usercontent > div.comment-content, then the footer.
* ItemRange::print (siteviews:51) is a ul.pagination in a div.action-box.
* Links: comment pages, parent/thread/expand links, read/reply/permalink links of CommentInfo and
  cut links keep the viewing-style argument (LJ/S2/EntryPage.pm:61, 301, 433-439, 556-560, 643;
  LJ/S2.pm:2209-2214; LJ/Entry.pm:748-750); a comment's own permalink does not
  (EntryPage.pm:335), nor do ?skip= links (RecentPage.pm:150-152, 279-312).
"""

from __future__ import annotations

from ..comments import CommentView, ShownComment, shown_count
from ..model import FakeComment, FakeEntry
from .archive import (
    DayData,
    RecentData,
    day_body,
    day_title,
    month_days,
    month_head,
    month_nav,
    recent_body,
    recent_title,
    tags_body,
    valid_month,
    valid_year,
    year_body,
    year_head,
)
from .comments import (
    WRAPPER_END,
    CommentLook,
    _interaction_links,
    _subject,
    _wrapper_start,
    comment_reply_container,
    comment_text,
    comment_userpic,
    commenter,
    partial_comment,
    time_display,
    view_switcher,
)
from .common import (
    PageContext,
    SiteviewsStyle,
    esc,
    head_content,
    ljuser,
    plain_subject,
    plain_title,
    userpic_div,
)
from .dates import format_month, ordinal, plural
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
    permalink,
    readlink,
    reply_container,
    subject_html,
    tags_html,
    time_only_html,
)
from .site import lynx_page, site_page

# Text properties siteviews sets (siteviews/layout.s2:173-184).
TEXT_POST_COMMENT = "Post a new comment"
TEXT_TAGS = "Entry tags:"
LOOK = CommentLook(
    text_frozen="(frozen comment)",
    text_comment_from="",
    text_comment_date="",
    text_comment_link="Thread",
    text_comment_reply="Reply to this",
    siteviews_poster=True,
)
# Page::print_entry / EntryPage::print_comment pass this time format to a logged-out reader
# ($this.timeformat24 ? "short_24" : "short", siteviews/layout.s2:210, :372).
PRINT_TIME_FORMAT = "short"

VIEWING_STYLE_KEYS = ("format", "style", "s2id", "fallback")
_VALID = {
    "style": {"light", "site", "mine", "original"},
    "format": {"light"},
    "fallback": {"s2", "bml"},
}


def siteviews_style(ctx: PageContext) -> SiteviewsStyle:
    return SiteviewsStyle(max_scrollback=ctx.journal.style.max_scrollback)


def viewing_style_args(args: dict[str, str]) -> str:
    """LJ::viewing_style_args (cgi-bin/LJ/Web.pm:847-889): the valid s2id/style/format/fallback
    arguments as "key=value" joined by "&" (in a fixed order here; Perl's is hash order)."""
    out = []
    for key in VIEWING_STYLE_KEYS:
        value = args.get(key, "")
        if not value:
            continue
        if key == "s2id" and not value.isdigit():
            continue
        if key != "s2id" and value not in _VALID[key]:
            continue
        out.append(f"{key}={value}")
    return "&".join(out)


# --- frame ----------------------------------------------------------------------------------


def page(ctx: PageContext, windowtitle: str, head: str, body: str) -> str:
    """The siteviews output inside the site skin: Page::print (siteviews:22) hands the scheme the
    captured head, the window title and the body."""
    title = plain_title(windowtitle)
    if ctx.skin == "lynx":
        return lynx_page(ctx.site_root, title, head, body)
    return site_page(ctx.site_root, "", body, title, head)


def user_title(ctx: PageContext, view_title: str) -> str:
    """EntryPage/ReplyPage/MonthPage::print_title (siteviews:460-475): "user | view title"."""
    return f"{ctx.journal.name} | {view_title}"


# --- entries --------------------------------------------------------------------------------


def display_name(ctx: PageContext, user: str) -> str:
    """UserLite.name: the journal's display name (other users' names are not modelled)."""
    return ctx.journal.display_name if user == ctx.journal.name else user


def poster_html(ctx: PageContext, entry: FakeEntry, view: str) -> str:
    """Entry::print_poster (siteviews:244): "Name (user) wrote[ in journal]" on entry and reply
    pages, the poster of a community entry elsewhere; class "empty" on personal list pages."""
    journal = ctx.journal
    list_view = view in ("recent", "tag", "month", "day")
    empty = "empty" if list_view and not journal.is_community else ""
    inner = ""
    if view in ("entry", "reply"):
        inner = f"{esc(display_name(ctx, entry.poster))} ({ljuser(ctx, entry.poster)}) wrote"
        if entry.poster != journal.name:
            inner += " in " + ljuser(ctx, journal.name)
    elif entry.poster != journal.name:
        inner = ljuser(ctx, entry.poster)
    return f'<span class="poster entry-poster {empty}">{inner}</span>'


def item_range(ctx: PageContext, entry: FakeEntry, view: CommentView, css: str) -> str:
    """ItemRange::print (siteviews:51): "Page N of M" and a ul.pagination; nothing for one page.
    Page URLs keep the viewing-style argument (LJ/S2/EntryPage.pm:555-561)."""
    if view.pages <= 1:
        return ""
    flat = "view=flat&" if view.flat else ("view=top-only&" if view.top_only else "")
    base = permalink(ctx, entry)

    def url(n: int) -> str:
        return ctx.with_args(f"{base}?{flat}page={n}#comments")

    current, total = view.page, view.pages
    out = f'<div class="{css} action-box"><div class="inner">'
    out += f'<p style="font-weight: bolder; margin: 0 0 .5em 0;">Page {current} of {total}</p>'
    out += '<ul class="pagination">'
    if current != 1:
        out += f"<li class='page-prev arrow'><a href='{url(current - 1)}'>&laquo;</a></li> "
    else:
        out += "<li class='page-prev arrow disabled'>&laquo;</li> "
    out += '<ul class="pages">'
    for n in range(1, total + 1):
        css_n = "current" if n == current else ""
        out += f"<li class='{css_n}'><a href='{url(n)}'>{n}</a></li> "
    out += "</ul>"
    if current != total:
        out += f"<li class='page-next arrow'><a href='{url(current + 1)}'>&raquo;</a></li> "
    else:
        out += "<li class='page-next arrow disabled'>&raquo;</li>"
    return out + "</ul></div></div>"


def entry_footer(
    ctx: PageContext, entry: FakeEntry, view: str, comments: CommentView | None
) -> str:
    """EntryPage::print_entry_footer (siteviews:296) on the entry page; elsewhere core2's
    Page::print_entry_footer (core2.s2:5153) with text_post_comment "Post a new comment"."""
    if view == "entry" and comments is not None:
        return (
            '<hr class="above-entry-interaction-links" />\n    <div class="comment-pages-wrapper">'
            + item_range(ctx, entry, comments, "comment-pages toppages comment-page-list")
            + "</div>"
            + interaction_links(
                ctx, entry, comments.top_level_total, "topcomment", TEXT_POST_COMMENT
            )
        )
    if view == "reply":
        # Entry::print_interaction_links on a ReplyPage: CommentInfo::print() with the read link
        # and without the post link (LJ/S2/EntryPage.pm:664-665).
        return (
            management_links(ctx, entry)
            + list_interaction_links(ctx, entry, postlink=False, target="")
            + reply_container("-reply")
        )
    return list_footer(ctx, entry, TEXT_POST_COMMENT)


def entry_html(
    ctx: PageContext,
    entry: FakeEntry,
    view: str,
    parity: str,
    comments: CommentView | None = None,
) -> str:
    """Page::print_entry (siteviews/layout.s2:200-241)."""
    actions = management_links(ctx, entry) if view in ("entry", "reply") else ""
    return (
        entry_wrapper_start(ctx, entry, parity)
        + '<div class="header">\n<div class="inner">\n'
        + userpic_div(ctx, entry.poster, entry.userpic_keyword, 100)
        + '<div class="poster-info">\n'
        + poster_html(ctx, entry, view)
        + datetime_html(ctx, entry, view, "iso", PRINT_TIME_FORMAT)
        + "</div>\n</div>\n"
        + '<div class="action-box">\n<div class="inner">\n'
        + actions
        + "</div>\n</div>\n</div>\n"
        + '<div class="currents">\n'
        + metadata_html(ctx, entry)
        + tags_html(ctx, entry, view, TEXT_TAGS)
        + "</div>\n"
        + '<div>\n<div class="contents usercontent">\n<div class="inner">\n'
        + metatypes_html(ctx, entry)
        + subject_html(ctx, entry, view)
        + body_html(ctx, entry, view)
        + "</div>\n</div>\n</div>\n"
        + '<div class="footer">\n<div class="inner">\n'
        + entry_footer(ctx, entry, view, comments)
        + "</div>\n</div>\n"
        + ENTRY_WRAPPER_END
    )


def list_entry(ctx: PageContext, entry: FakeEntry, view: str, parity: str) -> str:
    return entry_html(ctx, entry, view, parity)


# --- comments -------------------------------------------------------------------------------


def comment_poster(ctx: PageContext, comment: FakeComment) -> str:
    """Comment::print_poster on an EntryPage (siteviews/layout.s2:285-294)."""
    who = commenter(ctx, comment) or '<span class="anonymous">(Anonymous)</span>'
    return f'<span class="poster comment-poster"> {who}</span>\n'


def full_comment(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    parity: str,
) -> str:
    """EntryPage::print_comment (siteviews/layout.s2:361-400)."""
    return (
        _wrapper_start(entry, comment, node, parity)
        + '<div class="header">\n<div class="inner">\n'
        + comment_userpic(ctx, comment)
        + '<div class="comment-info">\n'
        + _subject(ctx, entry, comment, node, LOOK, as_text=True)
        + comment_poster(ctx, comment)
        + time_display(ctx, entry, comment, "iso", PRINT_TIME_FORMAT, date_text="")
        + f'<span class="commentpermalink">(<a href="{permalink(ctx, entry)}?thread='
        f'{node.commentid}#cmt{node.commentid}">link</a>)</span>\n'
        + "</div>\n</div>\n</div>\n"
        + '<div class="contents usercontent">\n<div class="inner">\n'
        + comment_text(ctx, entry, comment, LOOK)
        + "</div>\n</div>\n"
        + '<div class="footer">\n<div class="inner">\n'
        + _interaction_links(ctx, entry, comment, node, view, LOOK)
        + comment_reply_container(node)
        + "</div>\n</div>\n"
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
    """core2's EntryPage::print_comment_partial (core2.s2:6503) with siteviews' texts."""
    return partial_comment(ctx, entry, comment, node, view, parity, LOOK)


def comments_html(ctx: PageContext, entry: FakeEntry, view: CommentView) -> str:
    """EntryPage::print_comments (siteviews/layout.s2:334-359): one flat list."""
    by_id = {c.commentid: c for c in entry.comments}
    out: list[str] = []
    for count, node in enumerate(view.walk(), start=1):
        depth = node.depth
        odd = "odd" if depth % 2 else "even"
        hidden = " display: none;" if node.hidden_child else ""
        out.append(
            f"<div class='comment-thread comment-depth-{odd} comment-depth-{depth}'>\n"
            f"<div id='cmt{node.commentid}' class='dwexpcomment' "
            f"style='margin-left: {(depth - 1) * 25}px; margin-top: 5px;{hidden}'>\n"
        )
        render = full_comment if node.full else collapsed_comment
        out.append(
            render(ctx, entry, by_id[node.commentid], node, view, "odd" if count % 2 else "even")
        )
        out.append("</div></div>")
    return "".join(out)


def comment_section(ctx: PageContext, entry: FakeEntry, view: CommentView) -> str:
    """EntryPage::print_comment_section (siteviews/layout.s2:304-332)."""
    has_items = view.top_level_total > 0
    out = "<div id='comments'><div class='inner'>"
    out += view_switcher(ctx, entry, view, "comment-pages toppages")
    out += reply_container("topcomment")
    out += comments_html(ctx, entry, view)
    if has_items:
        out += (
            "<div class='bottomcomment'>"
            '<hr class="below-entry-interaction-links" />'
            + interaction_links(
                ctx, entry, view.top_level_total, "bottomcomment", TEXT_POST_COMMENT
            )
            + "</div>"
        )
        out += view_switcher(ctx, entry, view, "comment-pages bottompages")
        out += reply_container("bottomcomment")
    out += '<div class="commment-pages-wrapper">'
    out += item_range(ctx, entry, view, "comment-pages bottompages comment-page-list")
    return out + "</div></div></div>"


# --- views ----------------------------------------------------------------------------------


def recent_page(ctx: PageContext, data: RecentData) -> str:
    """RecentPage in siteviews: core2's RecentPage::print_body (core2.s2:5664)."""
    return page(
        ctx,
        recent_title(data),
        head_content(ctx, data.noindex, data.head),
        recent_body(ctx, data, list_entry),
    )


def day_page(ctx: PageContext, data: DayData) -> str:
    """DayPage in siteviews: core2's DayPage::print_body (core2.s2:6172), ISO date title."""
    return page(
        ctx,
        day_title(ctx, data),
        head_content(ctx, False, data.head),
        day_body(ctx, data, list_entry),
    )


def year_page(ctx: PageContext, year: int) -> str | None:
    """YearPage in siteviews: core2's YearPage::print_body (core2.s2:5937)."""
    if not valid_year(year):
        return None
    return page(
        ctx, str(year), head_content(ctx, False, year_head(ctx, year)), year_body(ctx, year)
    )


def subject_list(ctx: PageContext, entries: list[FakeEntry]) -> str:
    """MonthDay::print_subjectlist (siteviews/layout.s2:512-532)."""
    out = ""
    for entry in entries:
        out += time_only_html(ctx, entry)
        out += poster_html(ctx, entry, "month")
        out += subject_html(ctx, entry, "month")
        out += metatypes_html(ctx, entry)
        count = shown_count(entry)
        if count > 0:
            out += " - " + plural(count, "1 comment // # comments")
        out += "<br />\n" + tags_html(ctx, entry, "month", TEXT_TAGS) + "<br />\n"
    return out


def month_page(ctx: PageContext, year: int, month: int) -> str | None:
    """MonthPage::print_body (siteviews/layout.s2:477-510)."""
    if not valid_month(year, month):
        return None
    rows = ""
    for when, entries in month_days(ctx, year, month):
        rows += f'<dt><a href="{ctx.base}/{year:04d}/{month:02d}/{when.day:02d}/"><b>'
        rows += ordinal(when.day) + "</b></a></dt>"
        rows += "\n<dd>" + subject_list(ctx, entries) + "</dd>\n"
    body = (
        '\n    <div id="archive-month">\n        <div class="inner">\n    '
        + month_nav(ctx, "highlight-box", year, month)
        + '\n            <div class="month">\n                <div class="inner">\n'
        "                    <dl>\n                    "
        + rows
        + "\n                </dl>\n            </div><!-- month>inner -->\n"
        "        </div><!-- month -->\n\n        </div><!-- archive-month>inner -->\n"
        "    </div><!--archive-month -->\n    "
    )
    title = user_title(ctx, format_month(year, month))
    return page(ctx, title, head_content(ctx, False, month_head(ctx, year, month)), body)


def tags_page(ctx: PageContext) -> str:
    """TagsPage in siteviews: core2's TagsPage::print_body."""
    return page(ctx, "Tags", head_content(ctx), tags_body(ctx))


def entry_page(ctx: PageContext, entry: FakeEntry, comments: CommentView) -> str:
    """EntryPage in siteviews: core2's EntryPage::print_body (core2.s2:6630) with siteviews'
    print_entry and print_comment_section, which is printed even without comments; with
    comments disabled none are loaded (LJ/S2/EntryPage.pm:195-197)."""
    if not entry.comments_enabled:
        comments = CommentView([], 1, 1, comments.page_size, 0, 0, None)
    body = entry_html(ctx, entry, "entry", "odd", comments) + comment_section(ctx, entry, comments)
    title = user_title(ctx, plain_subject(entry.subject) or "(no subject)")
    return page(ctx, title, head_content(ctx), body)


def reply_page(ctx: PageContext, entry: FakeEntry) -> str:
    """ReplyPage::print_body (siteviews/layout.s2:435-458), replying to the entry."""
    if not entry.comments_enabled:
        body = (
            '<div class="reply-page-wrapper"><h2>Comments Disabled:</h2>'
            "<p>Comments have been disabled for this post.</p>"
        )
    else:
        body = (
            '<div class="reply-page-wrapper">'
            + entry_html(ctx, entry, "reply", "odd")
            + '<hr style="margin: 1em 0;"><div class="readlink"> ('
            + readlink(ctx, entry, shown_count(entry))
            + ") </div>\n<h1>Post a comment in response:</h1>"
            + f"<form method='post' action='{ctx.site_root}talkpost_do' id='postform'></form>"
            + "</div>"
        )
    title = user_title(ctx, (plain_subject(entry.subject) or "(no subject)") + " (Reply)")
    return page(ctx, title, head_content(ctx), body)
