"""core2's pages (styles/core2.s2) as the layout table in layouts.py calls them.

Every layout that keeps core2's markup (55 of Dreamwidth's 58) prints this; the functions are
thin wrappers over archive.py, entry.py and comments.py, which hold core2's markup.
"""

from __future__ import annotations

from ..comments import CommentView
from ..model import FakeEntry
from .archive import (
    DayData,
    RecentData,
    day_body,
    day_title,
    entry_summary_items,
    month_page,
    recent_body,
    recent_title,
    tags_page,
    year_page,
)
from .comments import comment_section, summary_items
from .common import PageContext, head_content, page_frame, plain_subject
from .entry import entry_html

__all__ = ["day_page", "entry_page", "month_page", "recent_page", "reply_page", "tags_page"]
__all__ += ["year_page"]


def recent_page(ctx: PageContext, data: RecentData) -> str:
    return page_frame(
        ctx,
        "recent",
        recent_title(data),
        recent_body(ctx, data, entry_html),
        entry_summary_items(ctx, data.entries),
        head_content(ctx, data.noindex, data.head),
    )


def day_page(ctx: PageContext, data: DayData) -> str:
    return page_frame(
        ctx,
        "day",
        day_title(ctx, data),
        day_body(ctx, data, entry_html),
        entry_summary_items(ctx, data.entries),
        head_content(ctx, False, data.head),
    )


def entry_page(ctx: PageContext, entry: FakeEntry, comments: CommentView) -> str:
    """EntryPage::print_body (core2.s2:6630): the entry and its comment section."""
    body = entry_html(ctx, entry, "entry", "odd", comments.top_level_total)
    if entry.comments_enabled:
        body += comment_section(ctx, entry, comments)
    title = plain_subject(entry.subject) or "(no subject)"
    summary = summary_items(ctx, entry, comments)
    return page_frame(ctx, "entry", title, body, summary, head_content(ctx))


def reply_page(ctx: PageContext, entry: FakeEntry) -> str:
    body = entry_html(ctx, entry, "entry", "odd", 0)
    title = (plain_subject(entry.subject) or "(no subject)") + " (Reply)"
    return page_frame(ctx, "reply", title, body, [], head_content(ctx))
