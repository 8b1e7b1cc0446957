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

This module walks the archive and writes the files; the pages are built by html_page.py (frame,
CSS, Content-Security-Policy, paths), html_entry.py (entry pages) and html_index.py (index, tag
and day pages). Their public names are importable from here too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from . import paths
from .html_entry import MAX_NESTING, IndexItem, comments_html, entry_page
from .html_index import day_pages, glance_html, index_page, tag_pages
from .html_page import CSP, csp, entry_path, tag_slug, user_html
from .load import EntryView, ImageCopier, iter_entries, journals


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
