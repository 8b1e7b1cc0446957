"""Comments of an entry page (threaded, flat, ?thread= and ?page= views) -> CommentRecord list.

core2 (EntryPage::print_comments) prints each comment as
`div.comment-thread[data-comment-depth] > div#cmtN.dwexpcomment > div.comment-wrapper >
div.comment#comment-cmtN`
and keeps a comment's thread div open around its replies, so threading is read from the nesting
(with the explicit Parent link `?thread=P` winning when a full comment has one, and the depth
sequence as fallback past the 180-level nesting limit).
"""

from __future__ import annotations

import re

from ..records import CommentRecord
from .dates import choose_reading, date_readings, day_after, day_before, resolve_dayfirst
from .entry import subject_parts
from .html import (
    Node,
    Tree,
    ancestors,
    attr,
    block_text,
    children,
    classes,
    css_all,
    guarded,
    has_class,
    in_user_content,
    inner_html,
    ljuser_kind,
    ljuser_name,
    ljuser_spans,
    outer_html,
    own_first,
    parse_html,
    query_int,
    root_of,
    text_of,
    userpic_keyword,
)

_CMT_ID = re.compile(r"^(?:comment-)?cmt(\d{1,18})$")
_DEPTH_CLASS = re.compile(r"^comment-depth-(\d+)$")
_MARGIN = re.compile(r"margin-left:\s*(\d+)px")
PLACEHOLDER_TEXTS = {
    "(deleted comment)": "deleted",
    "(reply from suspended user)": "suspended",
    "(screened comment)": "screened",
}


def _comment_scope(tree: Tree) -> Node | None:
    scope = tree.css_first("#comments")
    if scope is not None:
        return scope
    return root_of(tree)


def _depth(thread: Node | None, dwexp: Node | None) -> int | None:
    if thread is not None:
        d = attr(thread, "data-comment-depth")
        if d and d.strip().isdigit():
            return int(d.strip())
        for c in classes(thread):
            m = _DEPTH_CLASS.match(c)
            if m:
                return int(m.group(1))
    if dwexp is not None:
        m = _MARGIN.search(attr(dwexp, "style") or "")
        if m:
            return int(m.group(1)) // 25 + 1
    return None


def _date_text(comment: Node) -> str | None:
    dt = own_first(comment, ".datetime")
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


def _author(comment: Node, wrapper_cls: list[str]) -> tuple[str | None, str | None]:
    poster = own_first(comment, ".comment-poster")
    if poster is not None:
        users = ljuser_spans(poster)
        if users:
            name = ljuser_name(users[0])
            kind = ljuser_kind(users[0])
            return name, ("openid" if kind == "openid" else "user")
        if poster.css_first(".anonymous") is not None:
            return None, "anonymous"
    if "poster-anonymous" in wrapper_cls:
        return None, "anonymous"
    return None, None


@guarded
def parse_comments(
    tree: Tree | str,
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
    tree = parse_html(tree)
    scope = _comment_scope(tree)
    if scope is None:
        return []

    # 1. the comments, in document order, by id
    order: list[int] = []
    nodes: dict[int, dict] = {}
    for n in css_all(scope, "[id]"):
        m = _CMT_ID.match(attr(n, "id") or "")
        if not m:
            continue
        if in_user_content(n, scope):
            continue
        cid = int(m.group(1))
        slot = nodes.get(cid)
        if slot is None:
            slot = nodes[cid] = {"dwexp": None, "comment": None}
            order.append(cid)
        key = "comment" if (attr(n, "id") or "").startswith("comment-") else "dwexp"
        if slot[key] is None:
            # a second #cmtN elsewhere (duplicated markup) is ignored
            if key == "comment" and slot["dwexp"] is not None and not _is_in(n, slot["dwexp"]):
                continue
            slot[key] = n

    raw = []
    thread_owner: dict[int, int] = {}  # mem_id of a comment-thread div -> the comment it holds
    for cid in order:
        slot = nodes[cid]
        dwexp, comment = slot["dwexp"], slot["comment"]
        body_root = comment if comment is not None else dwexp
        anchor = dwexp if dwexp is not None else comment
        # thread div and nesting parent
        thread = None
        outer_thread = None
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

        # wrapper with the state classes
        wrapper = None
        for n in [body_root, *ancestors(body_root, dwexp.parent if dwexp is not None else None)]:
            if has_class(n, "comment-wrapper"):
                wrapper = n
                break
        if wrapper is None and dwexp is not None:
            wrapper = own_first(dwexp, ".comment-wrapper")
        wcls = classes(wrapper if wrapper is not None else body_root)

        # explicit parent link (full comments, flat view)
        link_parent = None
        for li in css_all(body_root, ".commentparent"):
            if in_user_content(li, body_root):
                continue
            a = li.css_first("a[href]") or li
            link_parent = query_int(attr(a, "href"), "thread")
            if link_parent is None:
                href = attr(a, "href") or ""
                m = re.search(r"#cmt(\d+)$", href)
                link_parent = int(m.group(1)) if m else None
            break

        content = None
        for c in css_all(body_root, ".comment-content"):
            if in_user_content(c, body_root):
                continue
            content = c
            break

        raw.append(
            {
                "cid": cid,
                "depth": depth,
                "nest_parent": nest_parent,
                "link_parent": link_parent,
                "wcls": wcls,
                "body_root": body_root,
                "content": content,
            }
        )

    # 2. parents: explicit link, else nesting, else the depth sequence
    last_at_depth: dict[int, int] = {}
    depth_of: dict[int, int] = {}
    for r in raw:
        d = r["depth"]
        parent = r["link_parent"]
        if parent is None:
            np_ = r["nest_parent"]
            if np_ is not None and (depth_of.get(np_) is None or depth_of[np_] == d - 1):
                parent = np_
            elif d > 1:
                parent = last_at_depth.get(d - 1)
        if parent == r["cid"]:
            parent = None
        r["parent"] = parent
        depth_of[r["cid"]] = d
        last_at_depth[d] = r["cid"]
        for deeper in [k for k in last_at_depth if k > d]:
            del last_at_depth[deeper]

    # 3. dates, resolved per page
    date_texts = [_date_text(r["body_root"]) for r in raw]
    index = {r["cid"]: i for i, r in enumerate(raw)}
    pairs = [(index[r["parent"]], i) for i, r in enumerate(raw) if r["parent"] in index]
    dayfirst = resolve_dayfirst(
        date_texts,
        not_before=day_before(entry_date),
        hint=dayfirst_hint,
        not_after=day_after(generated_at),
        near=entry_date,
        pairs=pairs,
    )

    out = []
    for r, date_text in zip(raw, date_texts):
        out.append(_record(r, date_text, dayfirst))
    return out


def _is_in(node: Node, container: Node) -> bool:
    cid = container.mem_id
    return any(a.mem_id == cid for a in ancestors(node))


def _record(r: dict, date_text: str | None, dayfirst: bool | None) -> CommentRecord:
    body_root: Node = r["body_root"]
    wcls: list[str] = r["wcls"]
    content: Node | None = r["content"]

    if "deleted" in wcls:
        state = "deleted"
    elif "from-suspended" in wcls:
        state = "suspended"
    elif "screened" in wcls:
        state = "screened"
    elif "frozen" in wcls:
        state = "frozen"
    else:
        state = "visible"

    if "full" in wcls:
        full = True
    elif "partial" in wcls:
        full = False
    else:
        full = content is not None

    title = own_first(body_root, ".comment-title")
    poster_node = own_first(body_root, ".comment-poster")
    dt_node = own_first(body_root, ".datetime")
    placeholder = False
    if not full:
        bare = text_of(body_root)
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

    if placeholder:
        author, kind = None, None
    else:
        author, kind = _author(body_root, wcls)
    subject, subject_html = subject_parts(title, wcls) if not placeholder else ("", "")

    body_html = body_text = edited = None
    if full and content is not None:
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
    elif full:
        body_html, body_text = "", ""

    posted_at = None
    if date_text:
        readings = date_readings(date_text)
        if readings:
            posted_at = choose_reading(readings, dayfirst).value

    pic = own_first(body_root, ".userpic img")
    return CommentRecord(
        commentid=r["cid"],
        parent_commentid=r["parent"],
        depth=r["depth"],
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
