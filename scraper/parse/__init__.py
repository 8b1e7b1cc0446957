"""Page parsers: pure functions from a page to the records of scraper.records.

    page = parse_html(text)            # once per fetched page: a frozen ParsedPage
    kind = page_kind(page)             # PageKind: 'entry', 'recent', 'day', 'year', ...
    listing = parse_listing_page(page, url)   # or parse_entry_page, parse_year_page, ...

Every public parser takes the page's text or its ParsedPage, reads it by structure (classes,
ids, nesting, link targets) rather than wording or position, and raises only ParseError: a
deliberate one with a one-line reason for a page it cannot read completely, or
InternalParseError (a ParseError subclass) for an exception it did not anticipate. Three
renderings are read (rendering.py): core2 and the layouts built on it (drifting and negatives
included), siteviews (?format=light, ?style=site, site-styled entry pages) and zesty.

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
from .detect import PageKind, page_kind
from .entry import parse_entry
from .entry_page import EntryNotShown, comment_pager, parse_entry_page
from .feed import AtomFeed, FeedEntry, parse_atom, parse_atom_feed
from .html import InternalParseError, ParsedPage, parse_html
from .interstitial import parse_adult_form, parse_interstitial
from .journal import parse_journal_info
from .listing import parse_listing_page
from .modules import parse_sidebar
from .profile import parse_profile_page
from .rendering import Rendering
from .tags import parse_tags_page
from .year import parse_year_page

__all__ = [
    "AtomFeed",
    "DateReading",
    "EntryNotShown",
    "FeedEntry",
    "InternalParseError",
    "PageKind",
    "ParsedPage",
    "Rendering",
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
