"""An entry permalink page (NNN.html, ?page=N, ?thread=N, ?view=flat) -> EntryPage."""

from __future__ import annotations

import re

from ..errors import ParseError
from ..records import EntryPage
from .comments import parse_comments
from .dates import learn_dayfirst
from .entry import parse_entry
from .html import (
    Node,
    Tree,
    attr,
    classes,
    css_all,
    guarded,
    has_class,
    itemid_from_url,
    parse_page,
    query_int,
    root_of,
    text_of,
)
from .journal import entry_wrappers, parse_journal_info
from .modules import parse_sidebar

_PAGE_CLASS = re.compile(r"^comment-page-(\d+)$")
_PAGE_OF = re.compile(r"(\d+)\D+?(\d+)")


@guarded
def comment_pager(tree: Tree, url: str | None) -> tuple[int, int]:
    """(page shown, number of pages) from the div.comment-pages pager; (1, 1) without one."""
    current = None
    total = 0
    for pager in css_all(root_of(tree), ".comment-pages"):
        for n in css_all(pager, ".comment-page-current"):
            for c in classes(n):
                m = _PAGE_CLASS.match(c)
                if m:
                    current = current or int(m.group(1))
            if current is None:
                digits = re.findall(r"\d+", text_of(n))
                if digits:
                    current = int(digits[0])
        for a in css_all(pager, "a[href]"):
            p = query_int(attr(a, "href"), "page")
            if p is not None and p < 100000:
                total = max(total, p)
        first = pager.css_first("b")
        if first is not None and not has_class(first.parent, "comment-page-current"):
            m = _PAGE_OF.search(text_of(first))
            if m:
                x, y = int(m.group(1)), int(m.group(2))
                if 1 <= x <= y < 100000:
                    current = current or x
                    total = max(total, y)
    if current is None:
        current = query_int(url, "page") or 1
    total = max(total, current, 1)
    return current, total


@guarded
def parse_entry_page(html: str | Tree, url: str | None = None) -> EntryPage:
    """Entry, comments (with their pager and ?thread= root), sidebar and journal info."""
    tree = parse_page(html)
    body = tree.body
    journal = parse_journal_info(tree, url)
    primary = tree.css_first("#primary")
    wrappers = entry_wrappers(primary if primary is not None else body)
    if not wrappers and primary is not None:
        wrappers = entry_wrappers(body)
    if not wrappers:
        raise ParseError("entry page without an entry (.entry-wrapper / div.entry#entry-NNN)")
    want = itemid_from_url(url)
    node: Node = wrappers[0]
    if want is not None:
        for w in wrappers:
            wid = attr(w, "id") or ""
            if wid.endswith(f"-{want}"):
                node = w
                break
    entry = parse_entry(node, url, journal.name)
    dayfirst = _dayfirst_from(node, entry.posted_at)
    sidebar = parse_sidebar(tree, dayfirst)
    comments = parse_comments(tree, url, entry.posted_at, dayfirst, sidebar.page_generated_at)
    page, pages = comment_pager(tree, url)
    return EntryPage(
        journal=journal,
        entry=entry,
        comments=tuple(comments),
        comment_page=page,
        comment_pages=pages,
        thread_root=query_int(url, "thread"),
        sidebar=sidebar,
    )


def _dayfirst_from(node: Node, posted_at: str | None) -> bool | None:
    date = node.css_first(".datetime .date")
    if date is None or not posted_at:
        return None
    return learn_dayfirst(text_of(date), posted_at[:10])
