"""JournalInfo from the frame all S2 journal pages share: <title>, header, body/entry classes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from ..records import JournalInfo
from .html import (
    Node,
    PageInput,
    ParsedPage,
    attr,
    classes,
    css_all,
    guarded,
    norm,
    parse_html,
    text_of,
)
from .rendering import Rendering, zesty_view
from .users import canonical_username, ljuser_kind

_JOURNAL_CLASS = re.compile(r"^journal-([a-z0-9_]+)$")
_TYPE_CLASS = re.compile(r"^journal-type-([A-Z])$")
_TYPES = {"P": "personal", "C": "community", "Y": "feed", "I": "openid"}
_SITE_LABELS = {"www", "m", "v", "p", "s", "stat", "l-stat", "l-userpic", "files"}


def entry_wrappers(scope: Node | None) -> list[Node]:
    """Outermost entry wrappers under scope (user HTML may reuse the class names)."""
    found = css_all(scope, ".entry-wrapper")
    if not found:
        found = [
            n
            for n in css_all(scope, "div.entry, div.sticky-entry")
            if re.match(r"^(?:sticky-)?entry-\d+$", attr(n, "id") or "")
        ]
    out = []
    for n in found:
        outer = True
        for anc in _ancestors(n, scope):
            cls = classes(anc)
            if "entry-wrapper" in cls or "entry-content" in cls or "comment-content" in cls:
                outer = False
                break
        if outer:
            out.append(n)
    return out


def _ancestors(node: Node, stop: Node | None) -> Iterator[Node]:
    stop_id = stop.mem_id if stop is not None else None
    cur = node.parent
    while cur is not None and cur.is_element_node:
        if stop_id is not None and cur.mem_id == stop_id:
            return
        yield cur
        cur = cur.parent


def journal_from_classes(cls: list[str]) -> str | None:
    for c in cls:
        if c.startswith("journal-type-"):
            continue
        m = _JOURNAL_CLASS.match(c)
        if m:
            return m.group(1)
    return None


def type_from_classes(cls: list[str]) -> str | None:
    for c in cls:
        m = _TYPE_CLASS.match(c)
        if m:
            return _TYPES.get(m.group(1))
    return None


def name_from_host(url: str | None) -> str | None:
    """'foo_bar' from https://foo-bar.dreamwidth.org/... (None for IPs and site hosts)."""
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    if not host or re.match(r"^[\d.]+$", host) or host == "localhost" or ":" in host:
        return None
    labels = host.split(".")
    if len(labels) < 3:
        return None
    first = labels[0]
    if first in _SITE_LABELS:
        return None
    return canonical_username(first)


@guarded
def parse_journal_info(html: PageInput, url: str | None = None) -> JournalInfo:
    """Name, type, title, subtitle and root URL of the journal a page belongs to."""
    tree = parse_html(html)
    if tree.rendering is Rendering.ZESTY:
        return _zesty_journal(tree, url)
    root = tree.root
    body = tree.body
    body_cls = classes(body)

    wrappers = entry_wrappers(body if body is not None else root)
    name = None
    jtype = None
    for w in wrappers:
        cls = classes(w)
        name = name or journal_from_classes(cls)
        jtype = jtype or type_from_classes(cls)
        if name and jtype:
            break

    if name is None:
        title = tree.css_first("title")
        t = text_of(title)
        if " | " in t:
            cand = t.split(" | ", 1)[0].strip()
            name = canonical_username(cand)

    h1 = tree.css_first("h1#title")
    link = h1.css_first("a[href]") if h1 is not None else None
    root_url = attr(link, "href") if link is not None else None
    if name is None:
        name = name_from_host(root_url) or name_from_host(url)

    if name is None:
        # Profile module: the icon's alt text starts with the username
        for img in css_all(root, ".module-userprofile .userpic img"):
            alt = attr(img, "alt") or ""
            if ":" in alt:
                name = canonical_username(alt.split(":", 1)[0])
                if name:
                    break

    if jtype is None:
        if "is-member" in body_cls or "non-member" in body_cls:
            jtype = "community"
        elif any(c in body_cls for c in ("logged-in", "logged-out")) and any(
            c.startswith("page-") for c in body_cls
        ):
            jtype = "personal"
    if jtype is None and name:
        for span in css_all(root, f"span[lj\\:user='{name}']"):
            kind = ljuser_kind(span)
            if kind:
                jtype = kind
                break

    subtitle_node = tree.css_first("h2#subtitle")
    return JournalInfo(
        name=name,
        type=jtype,
        title=(text_of(h1) or None) if h1 is not None else None,
        subtitle=(text_of(subtitle_node) or None) if subtitle_node is not None else None,
        url=norm(root_url) or None if root_url else None,
    )


def _zesty_journal(tree: ParsedPage, url: str | None) -> JournalInfo:
    """zesty (layout.s2:1771 lay_header, :1818 Page::print): the journal's username is the body
    class `JOURNAL-VIEW`, its title the header's <h1>; the subtitle shares a <p> with the view
    title, and the page names no journal type (the profile page does)."""
    view = zesty_view(classes(tree.body))
    name = canonical_username(view[0]) if view else None
    h1 = tree.css_first("#header h1")
    return JournalInfo(
        name=name or name_from_host(url), type=None, title=text_of(h1) or None, subtitle=None
    )
