"""Static HTML export: a small site that works offline, straight from the file system.

Layout (every link relative, CSS inline, no scripts; a Content-Security-Policy forbids scripts and
frames in the archived HTML too):

    index.html                          entries by month, newest month first
    tags/index.html, tags/<slug>.html   every tag, and each tag's entries
    entries/<journal>/<itemid>.html     one entry, earlier versions, threaded comments
    images/<sha256>.<ext>               locally stored images (when `archive --images` ran)

Archived HTML (entry and comment bodies) is passed through an HTML parser so an unclosed tag in
an old entry cannot break the page around it.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote, urljoin

from selectolax.lexbor import LexborHTMLParser

from .load import EntryView, ImageCopier, entry_image_urls, iter_entries
from .threads import CommentNode, walk_threads

CSS = """
body{font:16px/1.5 Georgia,serif;max-width:46em;margin:1.5em auto;padding:0 1em;color:#222;
background:#fffdf8}
a{color:#1a5b8a}nav{font:14px sans-serif;margin-bottom:1.5em}nav a{margin-right:1em}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}
.meta,.comment header{font:13px sans-serif;color:#666}
.tags a{font:13px sans-serif;background:#eef3f7;padding:0 .4em;border-radius:3px;margin-right:.3em}
.entry-body{margin:1em 0 2em}.entry-body img,.comment-body img{max-width:100%}
.comment{margin:.8em 0;padding:.4em .8em;background:#f6f4ee;border-left:3px solid #c9bfa5}
.replies{margin-left:1.4em}
.state-deleted>.comment-body,.state-screened>.comment-body{color:#888;font-style:italic}
.author{font-weight:bold;color:#333}.userpic{float:right;max-width:100px;margin:0 0 .5em 1em}
ul.entries{list-style:none;padding:0}ul.entries li{margin:.3em 0}
.date{font:13px monospace;color:#666;margin-right:.6em}
details{margin:1em 0;font-size:.95em}pre.revision{white-space:pre-wrap;font:inherit}
"""

CSP = (
    "default-src 'none'; img-src 'self' data: file: http: https:; style-src 'unsafe-inline'; "
    "media-src 'self' file:"
)


def page(title: str, body: str, root: str) -> str:
    """A complete page; `root` is the relative path from the page to the export root."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<nav><a href="{root}index.html">Entries by month</a>'
        f'<a href="{root}tags/index.html">Tags</a></nav>\n{body}\n</body></html>\n'
    )


def _when(value: str | None) -> str:
    """'2024-03-05T10:00' as '2024-03-05 10:00'."""
    return (value or "").replace("T", " ", 1) if value and value[:1].isdigit() else (value or "")


def tag_slug(tag: str) -> str:
    """A file name for a tag: readable where possible, unique always."""
    readable = re.sub(r"[^\w-]+", "-", tag, flags=re.UNICODE).strip("-").lower()[:40]
    digest = hashlib.sha1(tag.encode()).hexdigest()[:8]
    return f"{readable}-{digest}" if readable else digest


def entry_path(journal: str, itemid: int) -> str:
    return f"entries/{re.sub(r'[^A-Za-z0-9_-]', '_', journal)}/{int(itemid)}.html"


def user_html(html: str | None, base_url: str | None, local: dict[str, str]) -> str:
    """Archived HTML made safe to embed: balanced tags, no scripts, local image copies used."""
    if not html:
        return ""
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, iframe, object, embed"):
        node.decompose()
    for node in tree.css("img"):
        url = urljoin(base_url or "", (node.attrs.get("src") or "").strip())
        if url in local:
            node.attrs["src"] = local[url]
            if "srcset" in node.attrs:
                del node.attrs["srcset"]
    return tree.body.inner_html if tree.body is not None else ""


# --- entry pages ----------------------------------------------------------------------------------


def _tag_links(tags: Iterable[str], root: str) -> str:
    links = "".join(f'<a href="{root}tags/{quote(tag_slug(t))}.html">{escape(t)}</a>' for t in tags)
    return f'<p class="tags">{links}</p>' if links else ""


def _entry_meta(e: dict) -> str:
    bits = [f'<span class="journal">{escape(e["journal"])}</span>']
    if e.get("poster") and e["poster"] != e["journal"]:
        bits.append(f"posted by {escape(e['poster'])}")
    bits.append(
        f"<time>{escape(_when(e.get('posted_at') or e.get('date_text')) or 'undated')}</time>"
    )
    for key in ("security", "mood", "music", "location"):
        if e.get(key):
            bits.append(f"{key}: {escape(str(e[key]))}")
    if e.get("deleted_at"):
        bits.append(f"<strong>deleted from the site {escape(e['deleted_at'])}</strong>")
    return '<p class="meta">' + " · ".join(bits) + "</p>"


def _comment_open(node: CommentNode, entry_url: str | None, local: dict[str, str]) -> str:
    row = node.row
    state = row.get("state") or "visible"
    if row.get("author"):
        author = f'<span class="author">{escape(row["author"])}</span>'
    elif row.get("author_kind") == "anonymous":
        author = '<span class="author anonymous">(anonymous)</span>'
    else:  # a deleted or screened placeholder shows no author
        author = ""
    when = escape(_when(row.get("posted_at") or row.get("date_text")))
    subject = f" <strong>{escape(row['subject'])}</strong>" if row.get("subject") else ""
    if row.get("body_html") is not None:
        body = user_html(row["body_html"], entry_url, local)
    else:
        body = (
            f"<em>({escape(state)} comment)</em>"
            if state != "visible"
            else "<em>(not archived)</em>"
        )
    return (
        f'<article class="comment depth-{node.depth} state-{escape(state)}" '
        f'id="cmt{node.commentid}"><header>{author} <time>{when}</time>{subject} '
        f'<a href="#cmt{node.commentid}">#{node.commentid}</a></header>'
        f'<div class="comment-body">{body}</div><div class="replies">'
    )


def comments_html(roots: list[CommentNode], entry_url: str | None, local: dict[str, str]) -> str:
    """Nested <article class="comment"> elements: each reply sits inside its parent's
    .replies (built without recursion, so any depth works)."""
    out: list[str] = []
    stack: list[tuple[bool, CommentNode]] = [(True, n) for n in reversed(roots)]
    while stack:
        opening, node = stack.pop()
        if not opening:
            out.append("</div></article>")
            continue
        out.append(_comment_open(node, entry_url, local))
        stack.append((False, node))
        stack.extend((True, child) for child in reversed(node.children))
    return "".join(out)


def _revisions_html(view: EntryView) -> str:
    if not view.revisions:
        return ""
    items = "".join(
        f"<details><summary>Version {r['revision']} (replaced {escape(r.get('captured_at') or '')})"
        f": {escape(r.get('subject') or '(no subject)')}</summary>"
        f'<pre class="revision">{escape(r.get("body_text") or "")}</pre></details>'
        for r in view.revisions
    )
    return f'<section class="revisions"><h2>Earlier versions</h2>{items}</section>'


def entry_page(view: EntryView, local: dict[str, str]) -> str:
    e = view.entry
    root = "../../"
    title = e.get("subject") or "(no subject)"
    userpic = e.get("userpic_url")
    pic = f'<img class="userpic" src="{escape(local[userpic])}" alt="">' if userpic in local else ""
    body = user_html(e.get("body_html"), e.get("url"), local) or "<em>(body not archived)</em>"
    count = sum(1 for _ in walk_threads(view.comments))
    original = (
        f'<p class="meta"><a href="{escape(e["url"])}">Original</a></p>' if e.get("url") else ""
    )
    parts = [
        f'<article class="entry">{pic}<h1>{escape(title)}</h1>{_entry_meta(e)}',
        _tag_links(view.tags, root),
        f'<div class="entry-body">{body}</div>{original}</article>',
        _revisions_html(view),
        f'<section class="comments" id="comments"><h2>Comments ({count})</h2>'
        f"{comments_html(view.comments, e.get('url'), local)}</section>"
        if count
        else "",
    ]
    return page(f"{e['journal']}: {title}", "\n".join(p for p in parts if p), root)


# --- index pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexItem:
    """What the index pages need of an entry."""

    journal: str
    itemid: int
    subject: str | None
    posted_at: str | None
    tags: tuple[str, ...]
    comments: int

    @classmethod
    def of(cls, view: EntryView) -> IndexItem:
        e = view.entry
        count = sum(1 for _ in walk_threads(view.comments))
        return cls(
            view.journal, view.itemid, e.get("subject"), e.get("posted_at"), tuple(view.tags), count
        )

    @property
    def month(self) -> str:
        return (self.posted_at or "")[:7] or "undated"


def _entry_item(item: IndexItem, root: str, show_journal: bool) -> str:
    journal = f"{escape(item.journal)}: " if show_journal else ""
    comments = f" ({item.comments})" if item.comments else ""
    return (
        f'<li><span class="date">{escape((item.posted_at or "")[:10])}</span>{journal}'
        f'<a href="{root}{entry_path(item.journal, item.itemid)}">'
        f"{escape(item.subject or '(no subject)')}</a>{comments}</li>"
    )


def index_page(summaries: list[IndexItem], show_journal: bool) -> str:
    by_month: dict[str, list[IndexItem]] = defaultdict(list)
    for view in summaries:
        by_month[view.month].append(view)
    sections = [
        f'<h2 id="m{escape(month)}">{escape(month)}</h2><ul class="entries">'
        + "".join(_entry_item(v, "", show_journal) for v in by_month[month])
        + "</ul>"
        for month in sorted(by_month, reverse=True)
    ]
    months = " ".join(
        f'<a href="#m{escape(m)}">{escape(m)}</a>' for m in sorted(by_month, reverse=True)
    )
    body = f'<h1>Entries by month</h1><p class="meta">{months}</p>' + "".join(sections)
    return page("Entries by month", body, "")


def tag_pages(summaries: list[IndexItem], show_journal: bool) -> dict[str, str]:
    """File name under tags/ -> page, including index.html."""
    by_tag: dict[str, list[IndexItem]] = defaultdict(list)
    for view in summaries:
        for tag in view.tags:
            by_tag[tag].append(view)
    pages = {}
    for tag, views in by_tag.items():
        items = "".join(_entry_item(v, "../", show_journal) for v in reversed(views))
        pages[f"{tag_slug(tag)}.html"] = page(
            f"Tag: {tag}", f'<h1>Tag: {escape(tag)}</h1><ul class="entries">{items}</ul>', "../"
        )
    listing = "".join(
        f'<li><a href="{quote(tag_slug(t))}.html">{escape(t)}</a> ({len(by_tag[t])})</li>'
        for t in sorted(by_tag, key=str.casefold)
    )
    pages["index.html"] = page("Tags", f'<h1>Tags</h1><ul class="entries">{listing}</ul>', "../")
    return pages


# --- the site -------------------------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def export_html(conn: sqlite3.Connection, out_dir: Path, journal: str | None = None) -> int:
    """Write the site; returns the number of entry pages."""
    out_dir = Path(out_dir)
    copier = ImageCopier(conn, out_dir)
    summaries: list[IndexItem] = []
    for view in iter_entries(conn, journal):
        local = copier.local_map(entry_image_urls(view), prefix="../../")
        _write(out_dir / entry_path(view.journal, view.itemid), entry_page(view, local))
        summaries.append(IndexItem.of(view))
    show_journal = len({v.journal for v in summaries}) > 1
    _write(out_dir / "index.html", index_page(summaries, show_journal))
    for name, text in tag_pages(summaries, show_journal).items():
        _write(out_dir / "tags" / name, text)
    return len(summaries)


__all__ = ["comments_html", "entry_page", "export_html", "tag_slug", "user_html"]
