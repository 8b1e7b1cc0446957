"""Page parsers: pure functions from page text to the records of scraper.records.

Every public parser parses its page once (selectolax/Lexbor), reads it by structure (classes, ids,
nesting, link targets) rather than wording or position, and raises only ParseError.

Speed: one Lexbor parse per page plus CSS selectors; no regular expression runs over a whole
page (regexes only see short texts: dates, counts, URLs). Measured on the fake site's pages: an
entry page of 200 KiB with 86 comments ~10 ms, a recent page of 20 entries ~4 ms, a year page
~1 ms, tags and profile pages under 1 ms; the sample entry page ~1 ms.
"""

from __future__ import annotations

from .comments import parse_comments
from .dates import (
    DateReading,
    date_readings,
    learn_dayfirst,
    parse_datetime_text,
    parse_entry_datetime,
    resolve_dayfirst,
)
from .detect import page_kind
from .entry import parse_entry
from .entry_page import comment_pager, parse_entry_page
from .feed import AtomFeed, FeedEntry, parse_atom, parse_atom_feed
from .html import parse_html
from .interstitial import parse_adult_form, parse_interstitial
from .journal import parse_journal_info
from .listing import parse_listing_page
from .modules import parse_sidebar
from .profile import parse_profile_page
from .tags import parse_tags_page
from .year import parse_year_page

__all__ = [
    "AtomFeed",
    "DateReading",
    "FeedEntry",
    "comment_pager",
    "date_readings",
    "learn_dayfirst",
    "page_kind",
    "parse_adult_form",
    "parse_atom",
    "parse_atom_feed",
    "parse_comments",
    "parse_datetime_text",
    "parse_entry",
    "parse_entry_datetime",
    "parse_entry_page",
    "parse_html",
    "parse_interstitial",
    "parse_journal_info",
    "parse_listing_page",
    "parse_profile_page",
    "parse_sidebar",
    "parse_tags_page",
    "parse_year_page",
    "resolve_dayfirst",
]
