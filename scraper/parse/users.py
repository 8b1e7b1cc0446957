"""Users as S2 pages print them: ljuser spans (LJ/User/Display.pm ljuser) and icon <img>s
(LJ/Userpic.pm alttext/titletext)."""

from __future__ import annotations

import re

from .html import Node, ancestors, attr, css_all, has_class, norm, text_of

_USERNAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def canonical_username(name: str | None) -> str | None:
    """Dreamwidth's canonical form: lowercase, hyphens as underscores."""
    if not name:
        return None
    name = name.strip()
    if not _USERNAME.match(name):
        return None
    return name.lower().replace("-", "_")


def ljuser_name(span: Node | None) -> str | None:
    """The username of an ljuser span: its lj:user attribute, else its bold text."""
    if span is None:
        return None
    value = attr(span, "lj:user")
    if value:
        return norm(value) or None
    b = span.css_first("b")
    name = text_of(b) if b is not None else text_of(span)
    return name or None


def ljuser_kind(span: Node | None) -> str | None:
    """'personal' | 'community' | 'feed' | 'openid' | None from the ljuser head icon."""
    if span is None:
        return None
    img = span.css_first("img")
    alt = (attr(img, "alt") or "").lower()
    src = (attr(img, "src") or "").lower()
    if "openid" in src or "identity profile" in alt or "openid" in alt:
        return "openid"
    if "community" in src or "comm_staff" in src or "community" in alt:
        return "community"
    if "feed" in src or "syndicated" in alt or "feed" in alt:
        return "feed"
    if "user" in src or "personal" in alt or "staff" in alt:
        return "personal"
    return None


def is_ljuser(node: Node) -> bool:
    return has_class(node, "ljuser") or attr(node, "lj:user") is not None


def ljuser_spans(scope: Node | None) -> list[Node]:
    """Top-level ljuser spans under scope (not ljusers nested in other ljusers)."""
    return [
        span
        for span in css_all(scope, "span.ljuser, span[lj\\:user]")
        if not any(is_ljuser(a) for a in ancestors(span, scope))
    ]


def userpic_keyword(img: Node | None) -> str | None:
    """Keyword of an icon <img>: alt 'USER: [DESCRIPTION] (KEYWORD)' -> KEYWORD ('Default')."""
    if img is None:
        return None
    alt = attr(img, "alt")
    if alt:
        kw = _last_paren_group(alt)
        if kw is not None:
            return kw
    title = attr(img, "title")
    if title:
        t = norm(title)
        if ": " in t:
            t = t.split(": ", 1)[1]
        kw = _last_paren_group(t) if t.startswith("(") and t.endswith(")") else None
        if kw is not None:
            return kw
        if t:
            # 'USER: KEYWORD (DESCRIPTION)' - the keyword comes first
            return t.split(" (", 1)[0].strip() or None
    return None


def _last_paren_group(text: str) -> str | None:
    t = norm(text)
    if not t.endswith(")"):
        return None
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        ch = t[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                inner = t[i + 1 : -1].strip()
                return inner or None
    return None
