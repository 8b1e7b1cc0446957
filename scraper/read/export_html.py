"""Static HTML export: a small site that works offline, straight from the file system.

Layout (every link relative, CSS inline, no scripts):

    index.html                          the journal at a glance (posting heat map per year,
                                        entries and comments per month, tag cloud), then the
                                        entries by month, newest month first
    tags/index.html, tags/<slug>.html   every tag, and each tag's entries
    days/<journal>/<YYYY-MM-DD>.html    the entries of one day
    entries/<journal>/<itemid>.html     one entry (with links to the previous and next entry and
                                        its day), earlier versions, threaded comments
    images/<sha256>.<ext>               locally stored images (when `archive --images` ran)

Archived HTML (entry and comment bodies) was written by the journal and its commenters, so it
goes through the allow-list sanitiser (sanitize.py): no refresh, base, forms, frames, scripts,
overlays or remote loads; images point at their local copies or become links (unless
`remote_images=True`). Every page also carries a Content-Security-Policy that forbids scripts,
plugins, frames, fonts, connections, form submission and `<base>`, and loads images only from
the export itself (`CSP`). Comment threads nest visually `MAX_NESTING` levels deep; deeper replies
are listed in order at that level and name the comment they answer (the page stays linear in
size whatever the depth).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

from . import paths
from .load import EntryView, ImageCopier, iter_entries, journals
from .pictures import heatmap_svg, monthly_svg, tag_cloud
from .sanitize import ImageSrc, absolute_url, clean_html
from .threads import CommentNode, walk_threads

MAX_NESTING = 25

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
.entry-body,.comment-body{overflow-wrap:anywhere;overflow:hidden}
nav.sequence{display:flex;justify-content:space-between;gap:1em;margin:2em 0 1em}
.glance svg{max-width:100%;height:auto;display:block;margin:.3em 0 1em}
.glance svg text{font:9px sans-serif;fill:#666}.glance svg .base{stroke:#bbb}
.glance svg.heatmap text.year{font:bold 11px sans-serif;fill:#333}
.stats{font:14px sans-serif;color:#444}
.tag-cloud{font-family:sans-serif;line-height:2}.tag-cloud a{margin-right:.5em;text-decoration:none}
.tag-cloud .t1{font-size:.8em}.tag-cloud .t2{font-size:1em}.tag-cloud .t3{font-size:1.25em}
.tag-cloud .t4{font-size:1.55em}.tag-cloud .t5{font-size:1.9em;font-weight:bold}
"""


def csp(remote_images: bool = False) -> str:
    """The pages' Content-Security-Policy: nothing runs, nothing is submitted, no `<base>`;
    images only from the export itself (and http/https when remote images were asked for)."""
    images = "'self' file:" + (" http: https:" if remote_images else "")
    return (
        f"default-src 'none'; img-src {images}; style-src 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'"
    )


CSP = csp()


def page(title: str, body: str, root: str, *, remote_images: bool = False) -> str:
    """A complete page; `root` is the relative path from the page to the export root."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp(remote_images)}">'
        '<meta name="referrer" content="no-referrer">'
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
    return f"entries/{paths.journal(journal)}/{paths.itemid(itemid)}.html"


def day_path(journal: str, day: str) -> str:
    return f"days/{paths.journal(journal)}/{paths.day(day)}.html"


def user_html(
    html: str | None,
    base_url: str | None,
    image_src: ImageSrc | dict[str, str] | None = None,
    *,
    remote_images: bool = False,
) -> str:
    """Archived HTML made safe to embed (sanitize.clean_html); `image_src` maps an image URL to
    its local copy (a function, or a dict)."""
    resolve = image_src.get if isinstance(image_src, dict) else image_src
    return clean_html(html, base_url, resolve, remote_images=remote_images)


# --- entry pages ----------------------------------------------------------------------------------


def _tag_links(tags: Iterable[str], root: str) -> str:
    links = "".join(f'<a href="{root}tags/{quote(tag_slug(t))}.html">{escape(t)}</a>' for t in tags)
    return f'<p class="tags">{links}</p>' if links else ""


def _entry_meta(e: dict) -> str:
    bits = [f'<span class="journal">{escape(str(e["journal"]))}</span>']
    if e.get("poster") and e["poster"] != e["journal"]:
        bits.append(f"posted by {escape(str(e['poster']))}")
    bits.append(
        f"<time>{escape(_when(e.get('posted_at') or e.get('date_text')) or 'undated')}</time>"
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
    when = escape(_when(str(row.get("posted_at") or row.get("date_text") or "")))
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


# --- index, tag and day pages ---------------------------------------------------------------------


def _entry_item(item: IndexItem, root: str, show_journal: bool) -> str:
    journal = f"{escape(item.journal)}: " if show_journal else ""
    comments = f" ({item.comments})" if item.comments else ""
    return (
        f'<li><span class="date">{escape(item.day or "")}</span>{journal}'
        f'<a href="{root}{entry_path(item.journal, item.itemid)}">'
        f"{escape(item.title)}</a>{comments}</li>"
    )


def glance_html(journal: str, title: str | None, items: list[IndexItem], root: str = "") -> str:
    """The pictures of one journal: numbers, heat maps (newest year first), months, tags."""
    days: Counter[str] = Counter(i.day for i in items if i.day)
    entry_months: Counter[str] = Counter(i.day[:7] for i in items if i.day)
    comment_months: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for item in items:
        comment_months.update(dict(item.comment_months))
        tags.update(item.tags)
    comments = sum(i.comments for i in items)
    dated = sorted(days)
    span = f" · {dated[0]} to {dated[-1]}" if dated else ""
    heading = "At a glance: " + escape(journal) + (f" · {escape(title)}" if title else "")
    parts = [
        (
            f'<section class="glance" data-journal="{escape(journal)}"><h2 class="glance">{heading}'
            "</h2>"
        ),
        (
            f'<p class="stats">{len(items)} entries · {comments} comments{span} · '
            f"{len(tags)} tags</p>"
        ),
    ]
    for year in sorted({int(d[:4]) for d in dated}, reverse=True):
        in_year = {d: n for d, n in days.items() if d.startswith(f"{year:04d}-")}
        parts.append(heatmap_svg(year, in_year, lambda d: f"{root}{day_path(journal, d)}"))
    parts.append(monthly_svg(entry_months, comment_months))
    parts.append(tag_cloud(tags, lambda t: f"{root}tags/{quote(tag_slug(t))}.html"))
    parts.append("</section>")
    return "".join(parts)


def index_page(
    summaries: list[IndexItem],
    show_journal: bool,
    titles: dict[str, str | None] | None = None,
) -> str:
    titles = titles or {}
    by_journal: dict[str, list[IndexItem]] = defaultdict(list)
    by_month: dict[str, list[IndexItem]] = defaultdict(list)
    for item in summaries:
        by_journal[item.journal].append(item)
        by_month[item.month].append(item)
    glance = "".join(glance_html(j, titles.get(j), items) for j, items in by_journal.items())
    sections = [
        f'<h2 class="month" id="m{escape(month)}">{escape(month)}</h2><ul class="entries">'
        + "".join(_entry_item(v, "", show_journal) for v in by_month[month])
        + "</ul>"
        for month in sorted(by_month, reverse=True)
    ]
    months = " ".join(
        f'<a href="#m{escape(m)}">{escape(m)}</a>' for m in sorted(by_month, reverse=True)
    )
    heading = titles.get(next(iter(by_journal), ""), None) if len(by_journal) == 1 else None
    body = (
        f"<h1>{escape(heading or 'Journal archive')}</h1>{glance}"
        f'<h2 id="by-month">Entries by month</h2><p class="meta">{months}</p>' + "".join(sections)
    )
    return page(heading or "Entries by month", body, "")


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


def day_pages(summaries: list[IndexItem], show_journal: bool) -> dict[str, str]:
    """Path under the export root -> page, one per journal and day with entries, each linking
    to the previous and next day with entries."""
    by_day: dict[tuple[str, str], list[IndexItem]] = defaultdict(list)
    for item in summaries:
        if item.day:
            by_day[(item.journal, item.day)].append(item)
    pages = {}
    keys = sorted(by_day)
    for n, (journal, day) in enumerate(keys):
        root = "../../"
        links = []
        if n > 0 and keys[n - 1][0] == journal:
            before = keys[n - 1][1]
            links.append(f'<a rel="prev" href="{root}{day_path(journal, before)}">← {before}</a>')
        if n + 1 < len(keys) and keys[n + 1][0] == journal:
            after = keys[n + 1][1]
            links.append(f'<a rel="next" href="{root}{day_path(journal, after)}">{after} →</a>')
        items = "".join(_entry_item(i, root, show_journal) for i in by_day[(journal, day)])
        body = (
            f"<h1>{escape(journal)}: {day}</h1>"
            f'<ul class="entries">{items}</ul><nav class="sequence">{"".join(links)}</nav>'
        )
        pages[day_path(journal, day)] = page(f"{journal}: {day}", body, root)
    return pages


# --- the site -------------------------------------------------------------------------------------


def _with_neighbours(
    views: Iterator[EntryView],
) -> Iterator[tuple[EntryView, IndexItem, IndexItem | None, IndexItem | None]]:
    """Each entry with the previous and next entry of the same journal (one entry read ahead)."""
    pending: tuple[EntryView, IndexItem] | None = None
    prev: IndexItem | None = None
    for view in views:
        item = IndexItem.of(view)
        if pending is not None:
            same = pending[1].journal == item.journal
            yield pending[0], pending[1], prev, item if same else None
            prev = pending[1] if same else None
        pending = (view, item)
    if pending is not None:
        yield pending[0], pending[1], prev, None


def export_html(
    conn: sqlite3.Connection,
    out_dir: Path,
    journal: str | None = None,
    *,
    remote_images: bool = False,
) -> int:
    """Write the site; returns the number of entry pages."""
    out = paths.OutDir(out_dir)
    copier = ImageCopier(conn, out)
    image_src = copier.resolver(prefix="../../")
    summaries: list[IndexItem] = []
    for view, item, prev, nxt in _with_neighbours(iter_entries(conn, journal)):
        text = entry_page(view, image_src, prev=prev, next=nxt, remote_images=remote_images)
        out.write_text(entry_path(view.journal, view.itemid), text)
        summaries.append(item)
    show_journal = len({v.journal for v in summaries}) > 1
    titles = {str(j["name"]): j.get("title") for j in journals(conn, journal)}
    out.write_text("index.html", index_page(summaries, show_journal, titles))
    for name, text in tag_pages(summaries, show_journal).items():
        out.write_text(f"tags/{name}", text)
    for name, text in day_pages(summaries, show_journal).items():
        out.write_text(name, text)
    return len(summaries)


__all__ = [
    "CSP",
    "MAX_NESTING",
    "IndexItem",
    "comments_html",
    "csp",
    "day_pages",
    "entry_page",
    "export_html",
    "glance_html",
    "index_page",
    "tag_slug",
    "user_html",
]
