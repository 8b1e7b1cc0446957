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
    PageInput,
    attr,
    classes,
    css_all,
    direct_text,
    guarded,
    has_class,
    parse_html,
    parse_page,
    text_of,
)
from .journal import entry_wrappers, parse_journal_info
from .modules import parse_sidebar
from .rendering import Rendering
from .urls import itemid_from_url, query_int

_PAGE_CLASS = re.compile(r"^comment-page-(\d{1,6})$")
_PAGE_OF = re.compile(r"(\d{1,6})\D+?(\d{1,6})")
_MAX_PAGES = 100000


class EntryNotShown(ParseError):
    """An entry page that shows the comments but not the entry: zesty's ?thread= view
    (EntryPage::print_body, zesty/layout.s2:2512). parse_comments reads its comments."""


@guarded
def comment_pager(html: PageInput, url: str | None) -> tuple[int, int]:
    """(page shown, number of pages) from the comment pager; (1, 1) without one.

    core2 ItemRange::print (core2.s2:6562): `div.comment-pages` with `[N]` links and
    `span.comment-page-current`; siteviews (siteviews/layout.s2:51): `ul.pagination` whose
    `li.current` is the page shown; zesty (layout.s2:2415): `div.comment-pagination` with the
    page shown as bare text between the links."""
    tree = parse_html(html)
    current = None
    total = 0
    for pager in css_all(tree, ".comment-pages, .comment-pagination"):
        for a in css_all(pager, "a[href]"):
            p = query_int(attr(a, "href"), "page")
            if p is not None and p < _MAX_PAGES:
                total = max(total, p)
        for n in css_all(pager, ".comment-page-current, .pagination li.current"):
            for c in classes(n):
                m = _PAGE_CLASS.match(c)
                if m:
                    current = current or int(m.group(1))
            digits = re.findall(r"\d{1,6}", text_of(n))
            if current is None and digits:
                current = int(digits[0])
        if has_class(pager, "comment-pagination") and current is None:
            bare = re.findall(r"\d{1,6}", direct_text(pager))
            current = int(bare[0]) if bare else None
        first = pager.css_first("b")
        if first is not None and not has_class(first.parent, "comment-page-current"):
            m = _PAGE_OF.search(text_of(first))
            if m:
                x, y = int(m.group(1)), int(m.group(2))
                if 1 <= x <= y:
                    current = current or x
                    total = max(total, y)
    if current is None:
        current = query_int(url, "page") or 1
    total = max(total, current, 1)
    return current, total


@guarded
def parse_entry_page(html: PageInput, url: str | None = None) -> EntryPage:
    """Entry, comments (with their pager and ?thread= root), sidebar and journal info."""
    tree = parse_page(html)
    journal = parse_journal_info(tree, url)
    if tree.rendering is Rendering.ZESTY:
        from .zesty import zesty_entry_node, zesty_parse_entry
        from .zesty_comments import page_dayfirst

        zesty_node = zesty_entry_node(tree)
        if zesty_node is None:
            if tree.css_first("#comments") is not None and query_int(url, "thread"):
                raise EntryNotShown("zesty ?thread= view: the page shows the comments only")
            raise ParseError("entry page without an entry (zesty div.entry)")
        dayfirst = page_dayfirst(tree)
        entry = zesty_parse_entry(tree, zesty_node, url, journal.name, True, dayfirst)
    else:
        body = tree.body
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
                if (attr(w, "id") or "").endswith(f"-{want}"):
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
        rendering=str(tree.rendering),
    )


def _dayfirst_from(node: Node, posted_at: str | None) -> bool | None:
    date = node.css_first(".datetime .date")
    if date is None or not posted_at:
        return None
    return learn_dayfirst(text_of(date), posted_at[:10])
