"""The comment section of an entry page in core2 markup (EntryPage::print_comment_section).

Takes a `comments.CommentView` (which comments, full or collapsed, on which page) and prints
the pager, the view switcher, the nested `div.comment-thread` structure of
EntryPage::print_comments, full comments (EntryPage::print_comment) and collapsed headers and
placeholders (EntryPage::print_comment_partial), plus the entry page's Page Summary items.
"""

from __future__ import annotations

from datetime import timedelta

from ..comments import CommentView, ShownComment
from ..model import NO_USERPIC, FakeComment, FakeEntry
from .common import PageContext, esc, ljuser, plain_subject, userpic_div
from .dates import format_date, format_time, plural, secs_to_string
from .entry import interaction_links, management_links, permalink

MAX_NESTED_DEPTH = 180
INDENT_LIMIT_MOBILE = 8


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
        return f"{base}?{flat}page={n}#comments"

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
    """CommentNav::print: Flat / Threaded / Top-Level Comments Only links."""
    url = permalink(ctx, entry)
    links = {
        "flat": f'<span class="view-flat"><a href="{url}?view=flat#comments">Flat</a></span>',
        "threaded": f'<span class="view-threaded"><a href="{url}#comments">Threaded</a></span>',
        "top-only": f'<span class="view-top-only"><a href="{url}?view=top-only#comments">'
        "Top-Level Comments Only</a></span>",
    }
    if view.flat:
        inner = links["threaded"] + " | " + links["top-only"]
    elif view.top_only:
        inner = links["threaded"] + " | " + links["flat"]
    else:
        inner = links["flat"] + " | " + links["top-only"]
    return f"<div class='{css}'>{inner}</div>"


def _time_display(
    ctx: PageContext, entry: FakeEntry, comment: FakeComment, edit: bool = False
) -> str:
    style = ctx.journal.style
    moment = comment.edited_at if edit and comment.edited_at else comment.posted_at
    date = format_date(moment, style.comment_date_format)
    main = f"{date} {format_time(moment, style.comment_time_format)} (UTC)"
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
        local_date = format_date(local, style.comment_date_format)
        prefix = "" if local_date == date else local_date + " "
        if not edit:
            tooltip += ", "
        tooltip += (
            f"{prefix}{format_time(local, style.comment_time_format)} ({comment.author}'s time)"
        )
    return (
        '<span class="datetime"><span class="comment-date-text">Date: </span> '
        f'<span title="{esc(tooltip)}">{esc(main)}</span></span>'
    )


def _comment_permalink(ctx: PageContext, entry: FakeEntry, commentid: int) -> str:
    return f"{permalink(ctx, entry)}?thread={commentid}#cmt{commentid}"


def _subject(ctx: PageContext, entry: FakeEntry, comment: FakeComment, node: ShownComment) -> str:
    """Comment::formatted_subject inside h4.comment-title (subjects are escaped text)."""
    prefix = "(frozen) " if node.frozen else ""
    subject, css = esc(comment.subject), ""
    if node.subject_ignored:
        subject = "..."
    if not subject:
        if node.full:
            subject, css = "no subject", ' class=" invisible" '
        else:
            subject = "(no subject)"
    link = _comment_permalink(ctx, entry, node.commentid)
    return f'<h4 class="comment-title">{prefix}<a title="{plain_subject(subject)}" href="{link}"{css}>{subject}</a></h4>'


def _poster(ctx: PageContext, comment: FakeComment) -> str:
    if comment.author is None or comment.author_kind == "anonymous":
        who = '<span class="anonymous">(Anonymous)</span>'
    else:
        who = ljuser(ctx, comment.author, "I" if comment.author_kind == "openid" else None)
    return f'<span class="poster comment-poster"><span class="comment-from-text">From:</span> {who}</span>\n'


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
    url = _comment_permalink(ctx, entry, node.commentid)
    dest = view.thread_root or ""
    js = f"{permalink(ctx, entry)}?thread={node.commentid}&destination_thread={dest}#cmt{node.commentid}"
    if node.hide_children:
        text = plural(node.showable_children, "Show 1 comment // Show # comments")
        return f"<a href='{url}' onClick=\"Expander.make(this,'{js}','{node.commentid}', true); return false;\">{text}</a>"
    return f"<a href='{url}' onClick=\"Expander.make(this,'{js}','{node.commentid}'); return false;\">Expand</a>"


def _wants_expand(node: ShownComment) -> bool:
    if not node.full and node.kind != "deleted":
        return True
    return any(not r.full and r.kind != "deleted" for r in node.replies)


def _interaction_links(
    ctx: PageContext, entry: FakeEntry, comment: FakeComment, node: ShownComment, view: CommentView
) -> str:
    cid = node.commentid
    out = '<ul class="comment-interaction-links text-links">'
    out += f'<li class="link commentpermalink"><a href="{_comment_permalink(ctx, entry, cid)}">Link</a></li>\n'
    if node.frozen:
        out += '<li class="frozen first-item">Frozen</li>\n'
    else:
        out += f'<li class="link reply first-item"><a class="cmt_reply" href="{permalink(ctx, entry)}?replyto={cid}">Reply</a></li>\n'
    if node.parent_id:
        root = f"{ctx.site_root}go?redir_type=threadroot&journal={ctx.journal.name}&talkid={cid}"
        out += f'<li class="link threadroot"><a href="{root}">Thread from start</a></li>\n'
        out += f'<li class="link commentparent"><a href="{_comment_permalink(ctx, entry, node.parent_id)}">Parent</a></li>\n'
    if node.has_children and not view.flat:
        out += f'<li class="link thread"><a href="{_comment_permalink(ctx, entry, cid)}">Thread</a></li>\n'
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


def _full_comment(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    parity: str,
) -> str:
    if (
        comment.author_kind == "anonymous"
        or comment.author is None
        or comment.author_kind == "openid"
    ):
        pic = '<div class="userpic"></div>\n'
    else:
        pic = userpic_div(ctx, comment.author, comment.userpic_keyword, 75)
    edit = ""
    if comment.edited_at:
        edit = f"<div class='edittime'><em>Edited {_time_display(ctx, entry, comment, edit=True)}</em></div>"
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


def _partial_comment(
    ctx: PageContext,
    entry: FakeEntry,
    comment: FakeComment,
    node: ShownComment,
    view: CommentView,
    parity: str,
) -> str:
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
            _subject(ctx, entry, comment, node)
            + _poster(ctx, comment)
            + " - "
            + _time_display(ctx, entry, comment)
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


def comments_html(ctx: PageContext, entry: FakeEntry, view: CommentView) -> str:
    """EntryPage::print_comments: nested comment-thread divs, depth-first."""
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
        render = _full_comment if node.full else _partial_comment
        out.append(render(ctx, entry, comment, node, view, parity.next()))
        out.append("</div>")
        if depth >= MAX_NESTED_DEPTH:
            out.append("</div>")
    if prev_depth >= 0 and last_depth <= MAX_NESTED_DEPTH:
        out.append("</div>\n" * max(0, prev_depth - first_depth + 1))
    return "".join(out)


def comment_section(ctx: PageContext, entry: FakeEntry, view: CommentView) -> str:
    """EntryPage::print_comment_section: div#comments with pagers and switchers."""
    has_items = view.top_level_total > 0
    out = "<div id='comments'><div class='inner'>"
    out += pager(ctx, entry, view, "comment-pages toppages")
    if has_items:
        out += view_switcher(ctx, entry, view, "comment-pages toppages")
        out += (
            f'<form style="display: inline;" method="post" action="{ctx.site_root}talkmulti" '
            'name="multiform" id="multiform">\n'
        )
    out += comments_html(ctx, entry, view)
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
