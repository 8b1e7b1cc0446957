"""Which markup a request gets, and the page functions of each rendering.

`choose_rendering()` follows Dreamwidth: ?format=light, ?style=light and ?style=site give the
system style "siteviews" for every S2 view (LJ::determine_viewing_style, cgi-bin/LJ/Web.pm:823;
LJ::make_journal, cgi-bin/LJ/User/Styles.pm:660-672, format=light/style=light with the lynx site
skin); entry and reply pages also get siteviews when the owner turned off "show entry pages in my
journal style" (cgi-bin/LJ/S2.pm:93-116); otherwise the journal's layout
(`StyleSettings.layout`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..comments import CommentView
from ..model import FakeEntry, FakeJournal
from . import core2, drifting, negatives, siteviews, zesty
from .archive import DayData, RecentData
from .common import PageContext


@dataclass(frozen=True)
class Renderer:
    """The page functions of one rendering."""

    recent: Callable[[PageContext, RecentData], str]
    day: Callable[[PageContext, DayData], str]
    year: Callable[[PageContext, int], str | None]
    month: Callable[[PageContext, int, int], str | None]
    tags: Callable[[PageContext], str]
    entry: Callable[[PageContext, FakeEntry, CommentView], str]
    reply: Callable[[PageContext, FakeEntry], str]


def _renderer(module: object) -> Renderer:
    return Renderer(
        recent=module.recent_page,  # type: ignore[attr-defined]
        day=module.day_page,  # type: ignore[attr-defined]
        year=module.year_page,  # type: ignore[attr-defined]
        month=module.month_page,  # type: ignore[attr-defined]
        tags=module.tags_page,  # type: ignore[attr-defined]
        entry=module.entry_page,  # type: ignore[attr-defined]
        reply=module.reply_page,  # type: ignore[attr-defined]
    )


RENDERERS: dict[str, Renderer] = {
    "core2": _renderer(core2),
    "siteviews": _renderer(siteviews),
    "drifting": _renderer(drifting),
    "negatives": _renderer(negatives),
    "zesty": _renderer(zesty),
}


def viewing_style(args: dict[str, str]) -> str:
    """LJ::determine_viewing_style for a logged-out reader: "original", "mine", "site" or
    "light" (a valid ?format= wins over ?style=)."""
    style = "original"
    if args.get("style") in ("light", "site", "mine", "original"):
        style = args["style"]
    if args.get("format") == "light":
        style = "light"
    return style


def choose_rendering(
    journal: FakeJournal, args: dict[str, str], entry_view: bool, ctx: PageContext
) -> PageContext:
    """The page context for one S2 view, with its rendering, style arguments and skin set."""
    stylearg = viewing_style(args)
    if stylearg in ("site", "light"):
        return replace(
            ctx,
            rendering="siteviews",
            style_args=siteviews.viewing_style_args(args),
            skin="lynx" if stylearg == "light" else "celerity",
            style_override=siteviews.siteviews_style(ctx),
        )
    if entry_view and not journal.style.entry_pages_in_journal_style:
        return replace(
            ctx,
            rendering="siteviews",
            style_args=siteviews.viewing_style_args(args),
            skin="celerity",
            style_override=siteviews.siteviews_style(ctx),
        )
    layout = journal.style.layout if journal.style.layout in RENDERERS else "core2"
    return replace(ctx, rendering=layout)


def renderer(ctx: PageContext) -> Renderer:
    return RENDERERS[ctx.rendering]
