"""zesty's comments (styles/zesty/layout.s2), read to the same records as core2's.

A full comment (EntryPage::print_comment, :2273), its replies nested in its `div.nest`:

    div.nest
      div.(state|frozen|screened)#stateTALKID
        div.comment.dwexpcomment#cmtTALKID
          div.left > div.userpic > img
          div.right
            div.header > div.title > h3#tTALKID > a[href=NNN.html?thread=TALKID#cmtTALKID] SUBJ
                       > div.posted "posted by USER at TIME on DATE"            (:1238)
            div.text > div.comment-content TEXT [div.edittime]                  (:1278)
            div.links [parent entry] [link] [parent: ?thread=PARENT] [reply]    (:2247)
      div.nest ... (replies, :2329)

A collapsed comment (print_comment_partial, :2338): `div.nest > div.collapsed-comment >
a.title[href=...?thread=TALKID] SUBJ — span.poster POSTER [screened]`, its replies inside; a
deleted one is `span.title` only, with no id: its id is read from a reply's parent link.
zesty prints no date for a collapsed comment, and the parent of a comment is its enclosing nest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ParseError
from ..records import CommentRecord
from .blocktext import block_text
from .comments import comment_body
from .html import (
    Node,
    ParsedPage,
    attr,
    children,
    classes,
    css_all,
    direct_text,
    has_class,
    in_user_content,
    inner_html,
    outer_html,
    text_of,
)
from .urls import query_int
from .users import ljuser_kind, ljuser_name, ljuser_spans, userpic_keyword
from .zesty import posted_text, resolve_zesty_order, zesty_entry_node, zesty_posted_at

_CMT_ID = re.compile(r"^cmt(\d{1,18})$")
_ANCHOR = re.compile(r"#cmt(\d{1,18})$")
_STATES = {"frozen": "frozen", "screened": "screened"}
NO_SUBJECT = ("(no subject)",)


@dataclass
class _Nest:
    node: Node
    comment: Node | None  # div.dwexpcomment#cmtN of a full comment
    collapsed: Node | None  # div.collapsed-comment of a collapsed one
    cid: int | None = None
    parent_nest: int | None = None  # index of the enclosing nest
    depth: int = 1
    link_parent: int | None = None
    kids: list[int] = field(default_factory=list)


def _thread_id(href: str | None) -> int | None:
    found = query_int(href, "thread")
    if found is None:
        m = _ANCHOR.search(href or "")
        found = int(m.group(1)) if m else None
    return found


def _own_child(node: Node, tag: str, cls: str) -> Node | None:
    """The node's own child <tag class=cls> (a collapsed comment holds its replies' too)."""
    for kid in children(node):
        if (kid.tag or "").lower() == tag and has_class(kid, cls):
            return kid
    return None


def _own_comment(nest: Node) -> tuple[Node | None, Node | None]:
    for kid in children(nest):
        if has_class(kid, "collapsed-comment"):
            return None, kid
        for inner in children(kid):
            if has_class(inner, "dwexpcomment") and _CMT_ID.match(attr(inner, "id") or ""):
                return inner, None
    return None, None


def _nests(tree: ParsedPage) -> list[_Nest]:
    scope = tree.css_first("#comments") or tree.body
    out: list[_Nest] = []
    index: dict[int, int] = {}
    for node in css_all(scope, "div.nest"):
        if in_user_content(node):
            continue
        comment, collapsed = _own_comment(node)
        if comment is None and collapsed is None:
            continue
        nest = _Nest(node, comment, collapsed)
        cur = node.parent
        while cur is not None and cur.is_element_node:
            if cur.mem_id in index:
                nest.parent_nest = index[cur.mem_id]
                nest.depth = out[nest.parent_nest].depth + 1
                out[nest.parent_nest].kids.append(len(out))
                break
            cur = cur.parent
        if comment is not None:
            m = _CMT_ID.match(attr(comment, "id") or "")
            nest.cid = int(m.group(1)) if m else None
            for a in css_all(comment, ".right > .links a[href]"):
                href = attr(a, "href") or ""
                target = _thread_id(href)
                if target is not None and target != nest.cid and "replyto" not in href:
                    nest.link_parent = target
        elif collapsed is not None:
            title = _own_child(collapsed, "a", "title")
            nest.cid = _thread_id(attr(title, "href")) if title is not None else None
        index[node.mem_id] = len(out)
        out.append(nest)
    # a deleted comment shows no id: a reply's Parent link names it
    for nest in out:
        if nest.cid is None:
            for k in nest.kids:
                if out[k].link_parent is not None:
                    nest.cid = out[k].link_parent
                    break
    return out


def page_dayfirst(tree: ParsedPage) -> bool | None:
    """One d/m order for the entry's and the comments' dates on a zesty entry page."""
    texts: list[str] = []
    entry = zesty_entry_node(tree)
    if entry is not None:
        texts.append(posted_text(entry.css_first(".header .posted")))
    nests = _nests(tree)
    position: dict[int, int] = {}
    for i, nest in enumerate(nests):
        if nest.comment is not None:
            position[i] = len(texts)
            texts.append(posted_text(nest.comment.css_first(".header .posted")))
    pairs = [
        (position[n.parent_nest], position[i])
        for i, n in enumerate(nests)
        if n.parent_nest in position and i in position
    ]
    return resolve_zesty_order(texts, pairs)


def _hidden_thread_root(nest: _Nest, thread_view: bool) -> bool:
    """A ?thread= view prints its root full even when it is hidden (EntryPage::
    lay_comment_poster_is_suspended, :2178: not full at depth 1), with no poster, no text and
    '[user is suspended]' where the reply link goes (:2264). So the comment zesty shows
    collapsed as '(no subject) - (anonymous)' reads here as the placeholder it is."""
    comment = nest.comment
    if not thread_view or nest.depth != 1 or comment is None:
        return False
    if has_class(comment.parent, "frozen") or ljuser_spans(comment.css_first(".header .posted")):
        return False
    links = comment.css_first(".right > .links")
    return not any("replyto=" in (attr(a, "href") or "") for a in css_all(links, "a[href]"))


def zesty_comments(tree: ParsedPage) -> list[CommentRecord]:
    nests = _nests(tree)
    dayfirst = page_dayfirst(tree)
    thread_view = zesty_entry_node(tree) is None
    out = []
    for nest in nests:
        if nest.cid is None:
            continue  # a deleted comment none of whose replies names it
        parent = nests[nest.parent_nest].cid if nest.parent_nest is not None else None
        if nest.link_parent is not None:
            parent = nest.link_parent
        if _hidden_thread_root(nest, thread_view):
            out.append(_placeholder(nest, parent, "suspended"))
        elif nest.comment is not None:
            out.append(_full(nest, parent, dayfirst))
        elif nest.collapsed is not None:
            out.append(_collapsed(nest, nest.collapsed, parent))
    return out


def _subject(link: Node | None) -> tuple[str, str]:
    text = text_of(link)
    if not text or text in NO_SUBJECT:
        return "", ""
    return text, inner_html(link).strip()


def _author(node: Node | None) -> tuple[str | None, str | None]:
    users = ljuser_spans(node)
    if users:
        kind = ljuser_kind(users[0])
        return ljuser_name(users[0]), ("openid" if kind == "openid" else "user")
    return None, "anonymous"


def _full(nest: _Nest, parent: int | None, dayfirst: bool | None) -> CommentRecord:
    comment = nest.comment
    assert comment is not None and nest.cid is not None
    state = "visible"
    for c in classes(comment.parent):
        state = _STATES.get(c, state)
    content = comment_body(comment)
    if content is None:
        raise ParseError(f"comment {nest.cid}: a full comment without its text (.comment-content)")
    posted = comment.css_first(".header .posted")
    shown = posted_text(posted)
    posted_at = zesty_posted_at(shown, dayfirst)
    if posted_at is None:
        raise ParseError(f"comment {nest.cid}: full comment without a readable date ({shown})")
    edit = next((k for k in children(content) if has_class(k, "edittime")), None)
    html = inner_html(content)
    if edit is not None:
        eh = outer_html(edit)
        idx = html.rfind(eh)
        if eh and idx >= 0:
            html = html[:idx] + html[idx + len(eh) :]
    subject, subject_html = _subject(comment.css_first(".header .title h3 a[href]"))
    author, kind = _author(posted)
    pic = comment.css_first(".left .userpic img")
    return CommentRecord(
        commentid=nest.cid,
        parent_commentid=parent,
        depth=nest.depth,
        author=author,
        author_kind=kind,
        subject=subject,
        subject_html=subject_html,
        body_html=html.strip(),
        body_text=block_text(content, skip=[edit] if edit is not None else []),
        posted_at=posted_at,
        date_text=text_of(posted),
        state=state,
        full=True,
        collapsed=False,
        userpic_keyword=userpic_keyword(pic),
        edited_text=(text_of(edit) or None) if edit is not None else None,
    )


def _placeholder(nest: _Nest, parent: int | None, state: str) -> CommentRecord:
    assert nest.cid is not None
    return CommentRecord(
        commentid=nest.cid,
        parent_commentid=parent,
        depth=nest.depth,
        author=None,
        author_kind=None,
        subject="",
        subject_html="",
        body_html=None,
        body_text=None,
        posted_at=None,
        date_text=None,
        state=state,
        full=False,
        collapsed=False,
    )


def _collapsed(nest: _Nest, node: Node, parent: int | None) -> CommentRecord:
    assert nest.cid is not None
    link = _own_child(node, "a", "title")
    poster = _own_child(node, "span", "poster")
    if link is None:  # span.title "(deleted comment)"
        state, placeholder = "deleted", True
    elif "[screened]" in direct_text(node):
        # a screened comment: the reader sees no poster (screened_noshow) unless allowed to
        state = "screened"
        placeholder = not ljuser_spans(poster)
    else:
        state, placeholder = "visible", False
    author, kind = (None, None) if placeholder else _author(poster)
    subject, subject_html = ("", "") if placeholder else _subject(link)
    return CommentRecord(
        commentid=nest.cid,
        parent_commentid=parent,
        depth=nest.depth,
        author=author,
        author_kind=kind,
        subject=subject,
        subject_html=subject_html,
        body_html=None,
        body_text=None,
        posted_at=None,
        date_text=None,
        state=state,
        full=False,
        collapsed=not placeholder,
    )
