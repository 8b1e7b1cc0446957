"""One entry's page of the HTML export: the entry, its earlier versions, its comments threaded
(nested `MAX_NESTING` levels deep, deeper replies listed in order at that level), and links to
the previous and next entry and to its day. `IndexItem` is what the other pages need of an entry.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from .html_page import day_path, display_time, entry_path, page, tag_slug, user_html
from .load import EntryView
from .sanitize import ImageSrc, absolute_url
from .threads import CommentNode, walk_threads

MAX_NESTING = 25


def _tag_links(tags: Iterable[str], root: str) -> str:
    links = "".join(f'<a href="{root}tags/{quote(tag_slug(t))}.html">{escape(t)}</a>' for t in tags)
    return f'<p class="tags">{links}</p>' if links else ""


def _entry_meta(e: dict) -> str:
    bits = [f'<span class="journal">{escape(str(e["journal"]))}</span>']
    if e.get("poster") and e["poster"] != e["journal"]:
        bits.append(f"posted by {escape(str(e['poster']))}")
    bits.append(
        f"<time>{escape(display_time(e.get('posted_at') or e.get('date_text')) or 'undated')}</time>"
    )
    for key in ("security", "mood", "music", "location"):
        if e.get(key):
            bits.append(f"{key}: {escape(str(e[key]))}")
    if e.get("deleted_at"):
        bits.append(f"<strong>deleted from the site {escape(str(e['deleted_at']))}</strong>")
    return '<p class="meta">' + " · ".join(bits) + "</p>"


@dataclass(frozen=True)
class _Render:
    """What every comment of one entry page needs."""

    entry_url: str | None
    image_src: ImageSrc
    remote_images: bool


def _comment_open(node: CommentNode, r: _Render, reply_to: int | None = None) -> str:
    row = node.row
    state = str(row.get("state") or "visible")
    if row.get("author"):
        author = f'<span class="author">{escape(str(row["author"]))}</span>'
    elif row.get("author_kind") == "anonymous":
        author = '<span class="author anonymous">(anonymous)</span>'
    else:  # a deleted or screened placeholder shows no author
        author = ""
    when = escape(display_time(str(row.get("posted_at") or row.get("date_text") or "")))
    subject = f" <strong>{escape(str(row['subject']))}</strong>" if row.get("subject") else ""
    parent = f' reply to <a href="#cmt{reply_to}">#{reply_to}</a>' if reply_to else ""
    if row.get("body_html") is not None:
        body = user_html(
            str(row["body_html"]), r.entry_url, r.image_src, remote_images=r.remote_images
        )
    else:
        body = (
            f"<em>({escape(state)} comment)</em>"
            if state != "visible"
            else "<em>(not archived)</em>"
        )
    css_state = re.sub(r"[^a-z]", "", state.lower())
    return (
        f'<article class="comment depth-{node.depth} state-{css_state}" '
        f'id="cmt{node.commentid}"><header>{author} <time>{when}</time>{subject} '
        f'<a href="#cmt{node.commentid}">#{node.commentid}</a>{parent}</header>'
        f'<div class="comment-body">{body}</div><div class="replies">'
    )


_CLOSE = "</div></article>"


def comments_html(
    roots: list[CommentNode],
    entry_url: str | None,
    image_src: ImageSrc | dict[str, str] | None = None,
    *,
    remote_images: bool = False,
) -> str:
    """Nested <article class="comment"> elements: each reply sits inside its parent's .replies,
    MAX_NESTING levels deep at most (built without recursion, so any depth works)."""
    resolve = image_src.get if isinstance(image_src, dict) else image_src
    r = _Render(entry_url, resolve or (lambda url: None), remote_images)
    out: list[str] = []
    stack: list[tuple[bool, CommentNode]] = [(True, n) for n in reversed(roots)]
    while stack:
        opening, node = stack.pop()
        if not opening:
            out.append(_CLOSE)
            continue
        out.append(_comment_open(node, r))
        if node.depth >= MAX_NESTING:  # deeper replies: in reading order, side by side
            out.extend(
                _comment_open(d, r, d.parent_id) + _CLOSE for d in walk_threads(node.children)
            )
            out.append(_CLOSE)
            continue
        stack.append((False, node))
        stack.extend((True, child) for child in reversed(node.children))
    return "".join(out)


def _revisions_html(view: EntryView) -> str:
    if not view.revisions:
        return ""
    items = "".join(
        f"<details><summary>Version {escape(str(r['revision']))} (replaced "
        f"{escape(str(r.get('captured_at') or ''))}): "
        f"{escape(str(r.get('subject') or '(no subject)'))}</summary>"
        f'<pre class="revision">{escape(str(r.get("body_text") or ""))}</pre></details>'
        for r in view.revisions
    )
    return f'<section class="revisions"><h2>Earlier versions</h2>{items}</section>'


@dataclass(frozen=True)
class IndexItem:
    """What the index, tag and day pages (and an entry's neighbours) need of an entry."""

    journal: str
    itemid: int
    subject: str | None
    posted_at: str | None
    day: str | None
    tags: tuple[str, ...]
    comments: int
    comment_months: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, view: EntryView) -> IndexItem:
        e = view.entry
        months: Counter[str] = Counter()
        count = 0
        for node in walk_threads(view.comments):
            count += 1
            when = str(node.row.get("posted_at") or "")
            if re.fullmatch(r"\d{4}-\d{2}.*", when):
                months[when[:7]] += 1
        subject = e.get("subject")
        return cls(
            view.journal,
            view.itemid,
            None if subject is None else str(subject),
            e.get("posted_at"),
            view.day,
            tuple(view.tags),
            count,
            tuple(sorted(months.items())),
        )

    @property
    def month(self) -> str:
        return (self.day or "")[:7] or "undated"

    @property
    def title(self) -> str:
        return self.subject or "(no subject)"


def _sequence_nav(item: IndexItem, prev: IndexItem | None, nxt: IndexItem | None) -> str:
    root = "../../"
    parts = []
    if prev is not None:
        parts.append(
            f'<a rel="prev" class="prev" href="{root}{entry_path(prev.journal, prev.itemid)}">'
            f"← {escape(prev.title)}</a>"
        )
    else:
        parts.append("<span></span>")
    if item.day:
        parts.append(
            f'<a class="day" href="{root}{day_path(item.journal, item.day)}">{escape(item.day)}</a>'
        )
    if nxt is not None:
        parts.append(
            f'<a rel="next" class="next" href="{root}{entry_path(nxt.journal, nxt.itemid)}">'
            f"{escape(nxt.title)} →</a>"
        )
    else:
        parts.append("<span></span>")
    return f'<nav class="sequence">{"".join(parts)}</nav>'


def entry_page(
    view: EntryView,
    image_src: ImageSrc | dict[str, str] | None = None,
    *,
    prev: IndexItem | None = None,
    next: IndexItem | None = None,
    remote_images: bool = False,
) -> str:
    e = view.entry
    resolve = image_src.get if isinstance(image_src, dict) else image_src
    r = _Render(e.get("url"), resolve or (lambda url: None), remote_images)
    root = "../../"
    item = IndexItem.of(view)
    userpic = absolute_url(e.get("userpic_url"), e.get("url"))
    local_pic = r.image_src(userpic) if userpic else None
    pic = f'<img class="userpic" src="{escape(local_pic)}" alt="">' if local_pic else ""
    body = user_html(e.get("body_html"), r.entry_url, r.image_src, remote_images=remote_images)
    body = body or "<em>(body not archived)</em>"
    original_url = absolute_url(e.get("url"), None)
    original = (
        f'<p class="meta"><a href="{escape(original_url)}" rel="noopener noreferrer nofollow">'
        "Original</a></p>"
        if original_url
        else ""
    )
    sequence = _sequence_nav(item, prev, next)
    parts = [
        f'<article class="entry">{pic}<h1>{escape(item.title)}</h1>{_entry_meta(e)}',
        _tag_links(view.tags, root),
        f'<div class="entry-body">{body}</div>{original}</article>',
        sequence,
        _revisions_html(view),
        f'<section class="comments" id="comments"><h2>Comments ({item.comments})</h2>'
        f"{comments_html(view.comments, r.entry_url, r.image_src, remote_images=remote_images)}"
        "</section>"
        if item.comments
        else "",
    ]
    return page(
        f"{view.journal}: {item.title}",
        "\n".join(p for p in parts if p),
        root,
        remote_images=remote_images,
    )


__all__ = ["MAX_NESTING", "IndexItem", "comments_html", "entry_page"]
