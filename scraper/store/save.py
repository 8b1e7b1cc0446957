"""The store's write API: every function that saves parsed records or raw responses.

Rules kept by the modules behind it (entries.py, comments.py, journal.py, pages.py):
- saving the same records twice changes nothing (no timestamps move unless content does);
- an entry whose content changed keeps its previous version in `entry_revisions`;
- a body shown cut short (list pages) never overwrites a complete body from the entry page, and
  completing a cut body is not an edit;
- a comment that became deleted/screened/frozen updates its state but keeps the text already
  archived; a collapsed header never blanks a body;
- raw responses are kept compressed in `pages` so parsers can be re-run offline.
"""

from __future__ import annotations

from .comments import save_comments
from .entries import mark_entry_deleted, mark_entry_locked, save_entries
from .journal import (
    save_calendar,
    save_journal,
    save_page_modules,
    save_profile,
    save_tags,
    set_journal_type,
    touch_journal,
)
from .pages import clear_parse_error, page_body, record_parse_error, save_page
from .rows import Changes

__all__ = [
    "Changes",
    "clear_parse_error",
    "mark_entry_deleted",
    "mark_entry_locked",
    "page_body",
    "record_parse_error",
    "save_calendar",
    "save_comments",
    "save_entries",
    "save_journal",
    "save_page",
    "save_page_modules",
    "save_profile",
    "save_tags",
    "set_journal_type",
    "touch_journal",
]
