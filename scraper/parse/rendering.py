"""Which S2 rendering printed a journal page: the parsers read three families of markup.

- core2 and the layouts built on it (the 55 layouts that keep core2's markup, and drifting and
  negatives, which rearrange it): `Page::print_wrapper_start` (core2.s2:4010) gives the <body>
  the class `page-VIEW`.
- siteviews (`?style=site`, `?format=light`, entry pages the owner shows in the site style;
  LJ/S2.pm:93-131, LJ/User/Styles.pm:660-672): `Page::print` (siteviews/layout.s2:22) prints no
  page frame; the site skin's <body> (schemes/lynx.tt `class="lynx"`, celerity, gradation...)
  wraps core2's view bodies (`#entries`, `#archive-day`, `#archive-year`, `#comments`...).
- zesty: its own `Page::print` (zesty/layout.s2:1818) gives the body the class
  `JOURNAL-VIEW` (`$.journal.username-$.view`) and prints none of core2's classes.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING

from .html import classes

if TYPE_CHECKING:
    from .html import ParsedPage


class Rendering(StrEnum):
    CORE2 = "core2"
    SITEVIEWS = "siteviews"
    ZESTY = "zesty"
    OTHER = "other"  # not an S2 journal page (profile, notices, anything else)


# S2 view names (LJ/S2/*Page.pm: $p->{view}) and the page kinds the parsers know them as.
VIEW_KINDS = {
    "entry": "entry",
    "reply": "entry",
    "recent": "recent",
    "day": "day",
    "month": "month",
    "archive": "year",
    "tags": "tags",
}
_ZESTY_BODY = re.compile(r"^([a-z0-9_]{1,64})-(" + "|".join(VIEW_KINDS) + r"|read|network|icons)$")

# core2's own view bodies, which siteviews prints inside the site skin.
SITEVIEWS_BODIES = (
    "#entries, #archive-year, #archive-day, #archive-month, #comments, .tags-container, "
    ".reply-page-wrapper, .entry-wrapper"
)


def zesty_view(body_classes: list[str]) -> tuple[str, str] | None:
    """(journal, view) from zesty's body class `JOURNAL-VIEW`, when that is the body's class."""
    if any(c.startswith("page-") for c in body_classes):
        return None
    for c in body_classes:
        m = _ZESTY_BODY.match(c)
        if m:
            return m.group(1), m.group(2)
    return None


def rendering(page: ParsedPage) -> Rendering:
    body_classes = classes(page.body)
    if any(c.startswith("page-") and len(c) > 5 for c in body_classes):
        return Rendering.CORE2
    if zesty_view(body_classes) is not None:
        return Rendering.ZESTY
    if page.css_first(SITEVIEWS_BODIES) is not None:
        return Rendering.SITEVIEWS
    return Rendering.OTHER
