"""What kind of page a fetched HTML text is, from body classes and structure."""

from __future__ import annotations

from .html import Tree, classes, parse_and_keep
from .interstitial import parse_interstitial

_BODY_KINDS = {
    "page-entry": "entry",
    "page-reply": "entry",
    "page-recent": "recent",
    "page-day": "day",
    "page-month": "month",
    "page-archive": "year",
    "page-year": "year",
    "page-tags": "tags",
}

KINDS = ("entry", "recent", "day", "month", "year", "tags", "profile", "interstitial", "unknown")


def page_kind(html: str | Tree) -> str:
    """'entry'|'recent'|'day'|'month'|'year'|'tags'|'profile'|'interstitial'|'unknown'.

    Never raises: a page that cannot be read is 'unknown'.
    """
    try:
        tree = parse_and_keep(html)  # the parser called next for this text reuses the tree
        body = tree.body
        for c in classes(body):
            kind = _BODY_KINDS.get(c)
            if kind:
                return kind
        if tree.css_first("#profile_page") is not None:
            return "profile"
        try:
            interstitial = parse_interstitial(tree)
        except Exception:  # noqa: BLE001 - a page kind never raises
            interstitial = None
        if interstitial is not None:
            return "interstitial"
        checks = (
            ("#archive-year", "year"),
            ("#archive-day", "day"),
            ("#archive-month", "month"),
            (".tags-container", "tags"),
            ("#comments", "entry"),
            ("#entries", "recent"),
        )
        for sel, kind in checks:
            if tree.css_first(sel) is not None:
                return kind
    except Exception:  # noqa: BLE001
        return "unknown"
    return "unknown"
