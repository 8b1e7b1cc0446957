"""The comment section of an entry page in core2 markup (EntryPage::print_comment_section).

Takes a `comments.CommentView` (which comments, full or collapsed, on which page) and prints
the pager, the view switcher, the nested `div.comment-thread` structure of
EntryPage::print_comments, full comments (EntryPage::print_comment) and collapsed headers and
placeholders (EntryPage::print_comment_partial), plus the entry page's Page Summary items.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ..comments import CommentView, ShownComment
from ..model import NO_USERPIC, FakeComment, FakeEntry
from .common import PageContext, esc, ljuser, plain_subject, userpic_div
from .dates import format_date, format_time, plural, secs_to_string
from .entry import interaction_links, management_links, permalink

MAX_NESTED_DEPTH = 180
INDENT_LIMIT_MOBILE = 8


@dataclass(frozen=True)
class CommentLook:
    """The text properties comments are printed with (core2.s2:2596-2602, 3015-3022); layouts
    override some (siteviews/layout.s2:176-180, drifting/layout.s2:269-270)."""

    text_frozen: str = "(frozen)"
    text_comment_from: str = "From:"
    text_comment_date: str = "Date:"
    text_comment_link: str = "Link"
    text_comment_reply: str = "Reply"
    # siteviews/layout.s2:263 Comment::print_poster: no span.comment-from-text
    siteviews_poster: bool = False


CORE2_LOOK = CommentLook()


class _Alternator:
    """S2's alternate(): odd, even, odd ... across one page."""

    def __init__(self) -> None:
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return "odd" if self.count % 2 else "even"


def pager(ctx: PageContext, entry: FakeEntry, view: CommentView, css: str) -> str:
    """ItemRange::print: 'Page 1 of 3' with [n] links; nothing when there is one page."""
    if view.pages <= 1:
        return ""
    flat = "view=flat&" if view.flat else ("view=top-only&" if view.top_only else "")
    base = permalink(ctx, entry)

    def url(n: int) -> str:
        return ctx.with_args(f"{base}?{flat}page={n}#comments")

    out = f'<div class="{css}"><b>Page {view.page} of {view.pages}</b>'
    out += f" <a href='{url(view.page - 1)}'>&lt;&lt</a> " if view.page != 1 else " &lt;&lt "
    for n in range(1, view.pages + 1):
        if n == view.page:
            out += f'<span class="comment-page-{n} comment-page-current"><b>[{n}]</b></span> '
        else:
            out += f"<a href='{url(n)}' class=\"comment-page\"><b>[{n}]</b></a> "
    out += (
        f" <a href='{url(view.page + 1)}'>&gt;&gt</a> " if view.page != view.pages else " &gt;&gt "
    )
    return out + "</div>"


def view_switcher(ctx: PageContext, entry: FakeEntry, view: CommentView, css: str) -> str:
    """CommentNav::print (core2.s2:6601); its url keeps the viewing-style arguments."""
    url = ctx.with_args(permalink(ctx, entry))
    sep = "&" if "?" in url else "?"
    links = {
        "flat": f'<span class="view-flat"><a href="{url}{sep}view=flat#comments">Flat</a></span>',
        "threaded": f'<span class="view-threaded"><a href="{url}#comments">Threaded</a></span>',
        "top-only": f'<span class="view-top-only"><a href="{url}{sep}view=top-only#comments">'
        "Top-Level Comments Only</a></span>",
    }
    if view.flat:
        inner = links["threaded"] + " | " + links["top-only"]
    elif view.top_only:
        inner = links["threaded"] + " | " + links["flat"]
    else:
        inner = links["flat"] + " | " + links["top-only"]
    return f"<div class='{css}'>{inner}</div>"


def time_display(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    date_format: str | None = None,
    time_format: str | None = None,
    edit: bool = False,
    date_text: str = "Date:",
) -> str:
    """Comment::time_display (core2.s2:5832); empty formats mean the style's properties,
    `date_text` is text_comment_date."""
    style = ctx.style
    date_format = date_format or style.comment_date_format
    time_format = time_format or style.comment_time_format
    moment = comment.edited_at if edit and comment.edited_at else comment.posted_at
    date = format_date(moment, date_format)
    main = f"{date} {format_time(moment, time_format)} (UTC)"
    tooltip = ""
    if not edit:
        seconds = int((comment.posted_at - ctx.journal.logtime(entry)).total_seconds())
        tooltip = secs_to_string(max(0, seconds)) + " after journal entry"
    if (
        comment.poster_tz_offset is not None
        and comment.author
        and comment.author_kind != "anonymous"
    ):
        local = moment + timedelta(minutes=comment.poster_tz_offset)
        local_date = format_date(local, date_format)
        prefix = "" if local_date == date else local_date + " "
        if not edit:
            tooltip += ", "
        tooltip += f"{prefix}{format_time(local, time_format)} ({comment.author}'s time)"
    return (
        f'<span class="datetime"><span class="comment-date-text">{date_text} </span> '
        f'<span title="{esc(tooltip)}">{esc(main)}</span></span>'
    )


def _time_display(
    ctx: PageContext, entry: FakeEntry, comment: FakeComment, edit: bool = False
) -> str:
    return time_display(ctx, entry, comment, edit=edit)


def _comment_permalink(ctx: PageContext, entry: FakeEntry, commentid: int) -> str:
    """A comment's permalink_url: no viewing-style arguments (LJ/S2/EntryPage.pm:335)."""
    return f"{permalink(ctx, entry)}?thread={commentid}#cmt{commentid}"


def thread_url(ctx: PageContext, entry: FakeEntry, commentid: int) -> str:
    """parent_url / thread_url / expand_url: ?thread= plus the viewing-style arguments
    (LJ/S2/EntryPage.pm:301, 433, 439)."""
    return ctx.with_args(_comment_permalink(ctx, entry, commentid))


def _subject(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    look: CommentLook = CORE2_LOOK,
    as_text: bool = False,
) -> str:
    """EntryLite::print_subject for a comment (core2.s2:5214): h4.comment-title around
    formatted_subject (LJ/S2.pm:4217); `as_text` is the {"format" => "text"} option, which
    prints a span instead of a link."""
    prefix = f"{look.text_frozen} " if node.frozen else ""
    subject, css = esc(comment.subject), ""
    if node.subject_ignored:
        subject = "..."
    if not subject:
        if node.full:
            subject, css = "no subject", ' class=" invisible" '
        else:
            subject = "(no subject)"
    if as_text:
        return f'<h4 class="comment-title">{prefix}<span {css}>{subject}</span></h4>'
    link = _comment_permalink(ctx, entry, node.commentid)
    return f'<h4 class="comment-title">{prefix}<a title="{plain_subject(subject)}" href="{link}"{css}>{subject}</a></h4>'


def commenter(ctx: PageContext, comment: FakeComment) -> str:
    """The commenter as $poster->as_string(), or None for an anonymous comment."""
    if comment.author is None or comment.author_kind == "anonymous":
        return ""
    return ljuser(ctx, comment.author, "I" if comment.author_kind == "openid" else None)


def _poster(ctx: PageContext, comment: FakeComment, look: CommentLook = CORE2_LOOK) -> str:
    """Comment::print_poster (core2.s2:5091, siteviews/layout.s2:263)."""
    who = commenter(ctx, comment) or '<span class="anonymous">(Anonymous)</span>'
    if look.siteviews_poster:
        return f'<span class="poster comment-poster">{look.text_comment_from} {who}</span>\n'
    return (
        '<span class="poster comment-poster"><span class="comment-from-text">'
        f"{look.text_comment_from}</span> {who}</span>\n"
    )


def _wrapper_start(entry: FakeEntry, comment: FakeComment, node: ShownComment, parity: str) -> str:
    screened = "screened" if node.kind == "screened" else "visible"
    frozen = "frozen" if node.frozen else ""
    deleted = "deleted" if node.kind == "deleted" else ""
    suspended = "from-suspended" if node.kind == "suspended" else ""
    if node.placeholder:
        poster = "poster-hidden"
    elif comment.author is None or comment.author_kind == "anonymous":
        poster = "poster-anonymous"
    else:
        poster = f"poster-{comment.author}"
    author = "entry-author" if (not node.placeholder and comment.author == entry.poster) else ""
    full = "full" if node.full else "partial"
    has_pic = node.full and comment.author_kind == "user" and comment.userpic_keyword != NO_USERPIC
    userpic = "has-userpic" if has_pic else "no-userpic"
    has_subject = node.kind == "screened" or node.frozen or bool(comment.subject)
    subject = "no-subject" if (node.full and not has_subject) else "has-subject"
    return (
        f'<div class="comment-wrapper comment-wrapper-{parity} {screened} {frozen} {deleted} '
        f'{suspended} {poster} {author} {full} {userpic}  {subject}">\n'
        '<div class="separator separator-before"><div class="inner"></div></div>\n'
        f'<div class="comment" id="comment-cmt{node.commentid}">\n<div class="inner">\n'
    )


WRAPPER_END = '</div>\n</div>\n<div class="separator separator-after"><div class="inner"></div></div>\n</div>\n'


def _expand_link(ctx: PageContext, entry: FakeEntry, node: ShownComment, view: CommentView) -> str:
    url = thread_url(ctx, entry, node.commentid)
    dest = view.thread_root or ""
    js = ctx.with_args(
        f"{permalink(ctx, entry)}?thread={node.commentid}&destination_thread={dest}#cmt{node.commentid}"
    )
    if node.hide_children:
        text = plural(node.showable_children, "Show 1 comment // Show # comments")
        return f"<a href='{url}' onClick=\"Expander.make(this,'{js}','{node.commentid}', true); return false;\">{text}</a>"
    return f"<a href='{url}' onClick=\"Expander.make(this,'{js}','{node.commentid}'); return false;\">Expand</a>"


def _wants_expand(node: ShownComment) -> bool:
    if not node.full and node.kind != "deleted":
        return True
    return any(not r.full and r.kind != "deleted" for r in node.replies)


def _interaction_links(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    look: CommentLook = CORE2_LOOK,
) -> str:
    """Comment::print_interaction_links (core2.s2:5488)."""
    cid = node.commentid
    out = '<ul class="comment-interaction-links text-links">'
    out += (
        f'<li class="link commentpermalink"><a href="{_comment_permalink(ctx, entry, cid)}">'
        f"{look.text_comment_link}</a></li>\n"
    )
    if node.frozen:
        out += '<li class="frozen first-item">Frozen</li>\n'
    else:
        reply = ctx.with_args(f"{permalink(ctx, entry)}?replyto={cid}")
        out += (
            f'<li class="link reply first-item"><a class="cmt_reply" href="{esc(reply)}">'
            f"{look.text_comment_reply}</a></li>\n"
        )
    if node.parent_id:
        root = f"{ctx.site_root}go?redir_type=threadroot&journal={ctx.journal.name}&talkid={cid}"
        root += f"&{ctx.style_args}" if ctx.style_args else ""
        out += f'<li class="link threadroot"><a href="{root}">Thread from start</a></li>\n'
        out += f'<li class="link commentparent"><a href="{thread_url(ctx, entry, node.parent_id)}">Parent</a></li>\n'
    if node.has_children and not view.flat:
        out += f'<li class="link thread"><a href="{thread_url(ctx, entry, cid)}">Thread</a></li>\n'
    if _wants_expand(node):
        out += f'<li class="link expand">{_expand_link(ctx, entry, node, view)}</li>\n'
    if node.replies:
        hide = plural(node.showable_children, "Hide 1 comment // Hide # comments")
        show = plural(node.showable_children, "Show 1 comment // Show # comments")
        default = "" if node.hide_children else " cmt_show_hide_default"
        out += (
            f'<li class="link cmt_hide{default}" style="display:none;" id="cmt{cid}_hide">'
            f"<a href='#cmt{cid}' onClick=\"Expander.hideComments(this, '{cid}'); return false;\">{hide}</a></li>\n"
            f'<li class="link cmt_unhide" style="display: none;" id="cmt{cid}_unhide">'
            f"<a href='{_comment_permalink(ctx, entry, cid)}' onClick=\"Expander.unhideComments(this, '{cid}'); return false;\">{show}</a></li>\n"
        )
    return out + "</ul>"


def comment_userpic(ctx: PageContext, comment: FakeComment) -> str:
    """EntryLite::print_userpic for a comment: the div, empty without an icon."""
    if (
        comment.author_kind == "anonymous"
        or comment.author is None
        or comment.author_kind == "openid"
    ):
        return '<div class="userpic"></div>\n'
    return userpic_div(ctx, comment.author, comment.userpic_keyword, 75)


def edit_text(
    ctx: PageContext, entry: FakeEntry, comment: FakeComment, look: CommentLook = CORE2_LOOK
) -> str:
    """Comment::print_edit_text (core2.s2:5164), edit time in the style's formats."""
    if not comment.edited_at:
        return ""
    when = time_display(ctx, entry, comment, edit=True, date_text=look.text_comment_date)
    return f"<div class='edittime'><em>Edited {when}</em></div>"


def comment_text(
    ctx: PageContext, entry: FakeEntry, comment: FakeComment, look: CommentLook = CORE2_LOOK
) -> str:
    """EntryLite::print_text for a comment (core2.s2:5195): div.comment-content."""
    return f'<div class="comment-content">{comment.body_html}{edit_text(ctx, entry, comment, look)}</div>'


def comment_reply_container(node: ShownComment) -> str:
    """Comment::print_reply_container as the fake site prints it."""
    return (
        f'<div id="ljqrtcmt{node.commentid}" data-quickreply-container="cmt{node.commentid}"></div>'
    )


def _full_comment(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    parity: str,
) -> str:
    pic = comment_userpic(ctx, comment)
    edit = edit_text(ctx, entry, comment)
    return (
        _wrapper_start(entry, comment, node, parity)
        + '<div class="header">\n<div class="inner">\n'
        + _subject(ctx, entry, comment, node)
        + _time_display(ctx, entry, comment)
        + "</div>\n</div>\n"
        '<div class="contents">\n<div class="inner">\n'
        + pic
        + _poster(ctx, comment)
        + f'<div class="comment-content">{comment.body_html}{edit}</div>'
        + "</div>\n</div>\n"
        '<div class="footer">\n<div class="inner">\n'
        + _interaction_links(ctx, entry, comment, node, view)
        + f'<div id="ljqrtcmt{node.commentid}" data-quickreply-container="cmt{node.commentid}"></div>'
        + "</div>\n</div>\n"
        + WRAPPER_END
    )


def partial_comment(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    parity: str,
    look: CommentLook = CORE2_LOOK,
) -> str:
    """EntryPage::print_comment_partial (core2.s2:6503): placeholders and collapsed headers
    (subject, poster, " - ", Comment::print_time() in the style's formats, Expand)."""
    out = _wrapper_start(entry, comment, node, parity)
    texts = {
        "deleted": "(deleted comment)",
        "suspended": "(reply from suspended user)",
        "screened": "(screened comment)",
    }
    if node.kind in texts:
        out += texts[node.kind]
        if node.hide_children:
            out += " (" + _expand_link(ctx, entry, node, view) + ")"
    else:
        out += (
            _subject(ctx, entry, comment, node, look)
            + _poster(ctx, comment, look)
            + " - "
            + time_display(ctx, entry, comment, date_text=look.text_comment_date)
        )
        if _wants_expand(node):
            out += " - " + _expand_link(ctx, entry, node, view)
    return out + WRAPPER_END


def _zones(depth: int) -> str:
    if depth <= INDENT_LIMIT_MOBILE:
        return " comment-depth-indent-desktop comment-depth-indent-mobile"
    if depth <= MAX_NESTED_DEPTH:
        return " comment-depth-indent-desktop"
    return " comment-depth-indent-none"


def _partial_comment(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    parity: str,
) -> str:
    return partial_comment(ctx, entry, comment, node, view, parity)


# print_comment / print_comment_partial of one layout: (ctx, entry, comment, node, view, parity)
CommentPrinter = Callable[
    [PageContext, FakeEntry, FakeComment, ShownComment, CommentView, str], str
]


def comments_html(
    ctx: PageContext,
    entry: FakeEntry,
    view: CommentView,
    full: CommentPrinter | None = None,
    partial: CommentPrinter | None = None,
) -> str:
    """EntryPage::print_comments (core2.s2:6363): nested comment-thread divs, depth-first."""
    full = full or _full_comment
    partial = partial or _partial_comment
    by_id = {c.commentid: c for c in entry.comments}
    parity = _Alternator()
    out: list[str] = []
    prev_depth, first_depth, last_depth = -1, -1, 0
    for node in view.walk():
        depth = node.depth
        if depth < MAX_NESTED_DEPTH and prev_depth >= 0:
            out.append("</div>\n" * max(0, prev_depth - depth + 1))
        if depth < MAX_NESTED_DEPTH:
            prev_depth = depth
        if first_depth < 0:
            first_depth = depth
        last_depth = depth
        style = f"margin-left: {(depth - 1) * 25}px; margin-top: 5px;"
        if node.hidden_child:
            style += " display: none;"
        out.append(
            f"<div data-comment-depth='{depth}' style='--comment-depth: {depth}; --comment-indent-limit-mobile: "
            f"{INDENT_LIMIT_MOBILE}' class='comment-thread{_zones(depth)} comment-depth-{'odd' if depth % 2 else 'even'} "
            f"comment-depth-mod5-{depth % 5} comment-depth-{depth}'>\n"
            f"<div id='cmt{node.commentid}' class='dwexpcomment' style='{style}'>\n"
        )
        comment = by_id[node.commentid]
        render = full if node.full else partial
        out.append(render(ctx, entry, comment, node, view, parity.next()))
        out.append("</div>")
        if depth >= MAX_NESTED_DEPTH:
            out.append("</div>")
    if prev_depth >= 0 and last_depth <= MAX_NESTED_DEPTH:
        out.append("</div>\n" * max(0, prev_depth - first_depth + 1))
    return "".join(out)


def comment_section(
    ctx: PageContext,
    entry: FakeEntry,
    view: CommentView,
    full: CommentPrinter | None = None,
    partial: CommentPrinter | None = None,
) -> str:
    """EntryPage::print_comment_section (core2.s2:6336): div#comments with pagers and
    switchers; `full`/`partial` are the layout's print_comment/print_comment_partial."""
    has_items = view.top_level_total > 0
    out = "<div id='comments'><div class='inner'>"
    out += pager(ctx, entry, view, "comment-pages toppages")
    if has_items:
        out += view_switcher(ctx, entry, view, "comment-pages toppages")
        out += (
            f'<form style="display: inline;" method="post" action="{ctx.site_root}talkmulti" '
            'name="multiform" id="multiform">\n'
        )
    out += comments_html(ctx, entry, view, full, partial)
    if has_items:
        out += (
            "<div class='bottomcomment'>"
            + management_links(ctx, entry)
            + interaction_links(ctx, entry, view.top_level_total, "bottomcomment")
            + '<div id="bottomcomment" class="quickreply" style="display: none;"></div></form></div>'
        )
    out += pager(ctx, entry, view, "comment-pages bottompages")
    if has_items:
        out += view_switcher(ctx, entry, view, "comment-pages bottompages")
    return out + "</div></div>"


def _descendants(node: ShownComment) -> int:
    return sum(1 + _descendants(r) for r in node.replies)


def summary_items(ctx: PageContext, entry: FakeEntry, view: CommentView) -> list[str]:
    """Page Summary on an entry page: the page's top-level comments (tooltip counts)."""
    by_id = {c.commentid: c for c in entry.comments}
    items = []
    for node in view.items:
        if node.placeholder:
            continue
        comment = by_id[node.commentid]
        subject = plain_subject(esc(comment.subject)) or "<em>(no subject)</em>"
        count = plural(_descendants(node), "1 response // # responses")
        if comment.author is None or comment.author_kind == "anonymous":
            poster = "(Anonymous)"
        else:
            poster = ljuser(ctx, comment.author, "I" if comment.author_kind == "openid" else None)
        items.append(
            f'<span class="pagesummary-poster">{poster}</span> - <span class="pagesummary-subject">'
            f"<a href=\"#cmt{node.commentid}\" title='{count}'>{subject}</a></span>"
        )
    return items
