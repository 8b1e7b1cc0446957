"""Comments of an entry page (threaded, flat, ?thread= and ?page= views) -> CommentRecord list.

core2 (EntryPage::print_comments, core2.s2:6363) prints each comment as
`div.comment-thread[data-comment-depth] > div#cmtN.dwexpcomment > div.comment-wrapper >
div.comment#comment-cmtN` and keeps a comment's thread div open around its replies, so threading
is read from the nesting (with the explicit Parent link `?thread=P` winning when a full comment has
one, and the depth sequence as fallback past the 180-level nesting limit). siteviews
(siteviews/layout.s2:334) closes every thread div at once: there the depth (`comment-depth-N`,
the margin) and the Parent links give the tree. drifting (drifting/layout.s2:1227) prints a
comment's date, text and links inside an extra `div.comment-content`; the body is print_text's own
`div.comment-content` (core2.s2:5195), told apart from such a wrapper by the comment's chrome
around it. zesty prints comments its own way (zesty_comments.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ParseError
from ..records import CommentRecord
from .blocktext import block_text
from .dates import choose_reading, date_readings, day_after, day_before, resolve_dayfirst
from .entry import subject_parts
from .html import (
    Node,
    PageInput,
    ParsedPage,
    ancestors,
    attr,
    children,
    classes,
    css_all,
    guarded,
    has_class,
    in_user_content,
    inner_html,
    is_inside,
    outer_html,
    outside_all,
    outside_first,
    parse_html,
    text_of,
)
from .rendering import Rendering
from .urls import query_int
from .users import ljuser_kind, ljuser_name, ljuser_spans, userpic_keyword

_CMT_ID = re.compile(r"^(?:comment-)?cmt(\d{1,18})$")
_DEPTH_CLASS = re.compile(r"^comment-depth-(\d+)$")
_MARGIN = re.compile(r"margin-left:\s*(\d+)px")
_CMT_ANCHOR = re.compile(r"#cmt(\d{1,18})$")
PLACEHOLDER_TEXTS = {
    "(deleted comment)": "deleted",
    "(reply from suspended user)": "suspended",
    "(screened comment)": "screened",
}
# What a layout prints around a comment's text but never inside it (core2.s2:5832, :5488, :5091).
_CHROME = "span.datetime, ul.comment-interaction-links, span.comment-poster"


@dataclass
class _Raw:
    cid: int
    depth: int
    nest_parent: int | None
    link_parent: int | None
    wcls: list[str]
    root: Node  # div.comment#comment-cmtN (or the div#cmtN)
    content: Node | None  # print_text's div.comment-content
    parent: int | None = None


def _comment_scope(tree: ParsedPage) -> Node | None:
    return tree.css_first("#comments") or tree.root


def _depth(thread: Node | None, dwexp: Node | None) -> int | None:
    if thread is not None:
        d = (attr(thread, "data-comment-depth") or "").strip()
        if d.isdigit() and len(d) < 7:
            return int(d)
        for c in classes(thread):
            m = _DEPTH_CLASS.match(c)
            if m and len(m.group(1)) < 7:
                return int(m.group(1))
    if dwexp is not None:
        m = _MARGIN.search(attr(dwexp, "style") or "")
        if m and len(m.group(1)) < 9:
            return int(m.group(1)) // 25 + 1
    return None


def comment_body(root: Node) -> Node | None:
    """print_text's div.comment-content in a comment: the outermost one that is not a layout's
    wrapper around the comment's own date, links and poster (drifting/layout.s2:1241)."""
    found = css_all(root, ".comment-content")
    for i, node in enumerate(found):
        inner = next((n for n in found[i + 1 :] if is_inside(n, node)), None)
        if inner is not None and outside_first(node, _CHROME, [inner]) is not None:
            continue
        return node
    return None


def _datetime(comment: Node, body: Node | None) -> Node | None:
    """The comment's span.datetime (Comment::time_display, core2.s2:5832), outside its text (an
    edited comment's text ends with another one, :5183), wherever a layout puts it."""
    return outside_first(comment, "span.datetime", [body]) or outside_first(
        comment, ".datetime", [body]
    )


def _date_text(comment: Node, body: Node | None) -> str | None:
    dt = _datetime(comment, body)
    if dt is None:
        return None
    for kid in children(dt):
        if (kid.tag or "").lower() == "span" and not has_class(kid, "comment-date-text"):
            t = text_of(kid)
            if t:
                return t
    label = dt.css_first(".comment-date-text")
    t = text_of(dt)
    lt = text_of(label) if label is not None else ""
    if lt and t.startswith(lt):
        t = t[len(lt) :].strip()
    return t or None


def _author(comment: Node, body: Node | None, wcls: list[str]) -> tuple[str | None, str | None]:
    poster = outside_first(comment, ".comment-poster", [body])
    if poster is not None:
        users = ljuser_spans(poster)
        if users:
            kind = ljuser_kind(users[0])
            return ljuser_name(users[0]), ("openid" if kind == "openid" else "user")
        if poster.css_first(".anonymous") is not None:
            return None, "anonymous"
    if "poster-anonymous" in wcls:
        return None, "anonymous"
    return None, None


def _collect(scope: Node) -> tuple[list[int], dict[int, dict[str, Node | None]]]:
    """The comments in document order by id: their div#cmtN and div.comment#comment-cmtN."""
    order: list[int] = []
    nodes: dict[int, dict[str, Node | None]] = {}
    for n in css_all(scope, "[id]"):
        node_id = attr(n, "id") or ""
        m = _CMT_ID.match(node_id)
        if not m or in_user_content(n, scope):
            continue
        cid = int(m.group(1))
        slot = nodes.get(cid)
        if slot is None:
            slot = nodes[cid] = {"dwexp": None, "comment": None}
            order.append(cid)
        key = "comment" if node_id.startswith("comment-") else "dwexp"
        if slot[key] is None:
            # a second #cmtN elsewhere (duplicated markup) is ignored
            dwexp = slot["dwexp"]
            if key == "comment" and dwexp is not None and not _is_in(n, dwexp):
                continue
            slot[key] = n
    return order, nodes


def _raw_comments(scope: Node) -> list[_Raw]:
    order, nodes = _collect(scope)
    raw = []
    thread_owner: dict[int, int] = {}  # mem_id of a comment-thread div -> the comment it holds
    for cid in order:
        dwexp, comment = nodes[cid]["dwexp"], nodes[cid]["comment"]
        root = comment if comment is not None else dwexp
        if root is None:  # not reached: a slot is made for a node found
            continue
        anchor = dwexp if dwexp is not None else root
        thread = outer_thread = None
        for anc in ancestors(anchor, None):
            if has_class(anc, "comment-thread"):
                if thread is None:
                    thread = anc
                else:
                    outer_thread = anc
                    break
            if anc.mem_id == scope.mem_id:
                break
        if thread is not None and thread.mem_id not in thread_owner:
            thread_owner[thread.mem_id] = cid
        nest_parent = thread_owner.get(outer_thread.mem_id) if outer_thread is not None else None
        depth = _depth(thread, dwexp)
        if depth is None:
            depth = sum(1 for a in ancestors(anchor, scope) if has_class(a, "comment-thread")) or 1

        # the wrapper with the state classes (Comment::print_wrapper_start, core2.s2:5306)
        wrapper = None
        for n in [root, *ancestors(root, dwexp.parent if dwexp is not None else None)]:
            if has_class(n, "comment-wrapper"):
                wrapper = n
                break
        if wrapper is None and dwexp is not None:
            wrapper = dwexp.css_first(".comment-wrapper")
        body = comment_body(root)

        # the explicit Parent link (full comments, flat view)
        link_parent = None
        for li in outside_all(root, ".commentparent", [body]):
            a = li.css_first("a[href]") or li
            href = attr(a, "href")
            link_parent = query_int(href, "thread")
            if link_parent is None:
                m = _CMT_ANCHOR.search(href or "")
                link_parent = int(m.group(1)) if m else None
            break
        wcls = classes(wrapper if wrapper is not None else root)
        raw.append(_Raw(cid, depth, nest_parent, link_parent, wcls, root, body))
    return raw


def _link_parents(raw: list[_Raw]) -> None:
    """Parents: the explicit link, else the nesting, else the depth sequence."""
    last_at_depth: dict[int, int] = {}
    depth_of: dict[int, int] = {}
    for r in raw:
        d = r.depth
        parent = r.link_parent
        if parent is None:
            np_ = r.nest_parent
            if np_ is not None and (depth_of.get(np_) is None or depth_of[np_] == d - 1):
                parent = np_
            elif d > 1:
                parent = last_at_depth.get(d - 1)
        r.parent = None if parent == r.cid else parent
        depth_of[r.cid] = d
        last_at_depth[d] = r.cid
        for deeper in [k for k in last_at_depth if k > d]:
            del last_at_depth[deeper]


@guarded
def parse_comments(
    html: PageInput,
    page_url: str | None = None,
    entry_date: str | None = None,
    dayfirst_hint: bool | None = None,
    generated_at: str | None = None,
) -> list[CommentRecord]:
    """Every comment (and placeholder) on an entry page, in page order.

    Ambiguous d/m/y comment dates (short vs short_dayfirst) are settled per page: by a number > 12,
    else by the entry's date (`entry_date`), the page's generation time (`generated_at`), replies
    coming after their parents, then `dayfirst_hint`.
    """
    tree = parse_html(html)
    if tree.rendering is Rendering.ZESTY:
        from .zesty_comments import zesty_comments

        return zesty_comments(tree)
    scope = _comment_scope(tree)
    if scope is None:
        return []
    raw = _raw_comments(scope)
    _link_parents(raw)

    date_texts = [_date_text(r.root, r.content) for r in raw]
    index = {r.cid: i for i, r in enumerate(raw)}
    pairs = [(index[r.parent], i) for i, r in enumerate(raw) if r.parent in index]
    dayfirst = resolve_dayfirst(
        date_texts,
        not_before=day_before(entry_date),
        hint=dayfirst_hint,
        not_after=day_after(generated_at),
        near=entry_date,
        pairs=pairs,
    )
    return [_record(r, date_text, dayfirst) for r, date_text in zip(raw, date_texts)]


def _is_in(node: Node, container: Node) -> bool:
    cid = container.mem_id
    return any(a.mem_id == cid for a in ancestors(node))


def _state(wcls: list[str]) -> str:
    for cls, state in (
        ("deleted", "deleted"),
        ("from-suspended", "suspended"),
        ("screened", "screened"),
        ("frozen", "frozen"),
    ):
        if cls in wcls:
            return state
    return "visible"


def _record(r: _Raw, date_text: str | None, dayfirst: bool | None) -> CommentRecord:
    root, wcls, content = r.root, r.wcls, r.content
    state = _state(wcls)
    if "full" in wcls:
        full = True
    elif "partial" in wcls:
        full = False
    else:
        full = content is not None

    title = outside_first(root, ".comment-title", [content])
    poster_node = outside_first(root, ".comment-poster", [content])
    dt_node = _datetime(root, content)
    placeholder = False
    if not full:
        # print_comment_partial (core2.s2:6503): deleted / suspended / screened placeholders
        bare = text_of(root)
        for text, st in PLACEHOLDER_TEXTS.items():
            if bare.startswith(text) and title is None and poster_node is None:
                placeholder = True
                if state == "visible":
                    state = st
        if "poster-hidden" in wcls or state in ("deleted", "suspended"):
            placeholder = True
        if title is None and poster_node is None and dt_node is None:
            placeholder = True
    collapsed = not full and not placeholder

    author, kind = (None, None) if placeholder else _author(root, content, wcls)
    subject, subject_html = ("", "") if placeholder else subject_parts(title, wcls)

    body_html = body_text = edited = None
    if full:
        if content is None:
            raise ParseError(f"comment {r.cid}: a full comment without its text (.comment-content)")
        edit = None
        for kid in children(content):
            if has_class(kid, "edittime"):
                edit = kid
        html = inner_html(content)
        if edit is not None:
            edited = text_of(edit) or None
            eh = outer_html(edit)
            idx = html.rfind(eh) if eh else -1
            if idx >= 0:
                html = html[:idx] + html[idx + len(eh) :]
        body_html = html.strip()
        body_text = block_text(content, skip=[edit] if edit is not None else [])

    posted_at = None
    if date_text:
        readings = date_readings(date_text)
        if readings:
            posted_at = choose_reading(readings, dayfirst).value
    if posted_at is None and not placeholder:
        what = "full comment" if full else "collapsed comment"
        raise ParseError(f"comment {r.cid}: {what} without a readable date ({date_text or 'none'})")

    pic = outside_first(root, ".userpic img", [content])
    return CommentRecord(
        commentid=r.cid,
        parent_commentid=r.parent,
        depth=r.depth,
        author=author,
        author_kind=kind,
        subject=subject,
        subject_html=subject_html,
        body_html=body_html,
        body_text=body_text,
        posted_at=posted_at,
        date_text=date_text,
        state=state,
        full=full,
        collapsed=collapsed,
        userpic_keyword=userpic_keyword(pic),
        edited_text=edited,
    )
