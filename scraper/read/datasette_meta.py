"""Datasette metadata for an archive: title, a description of every table, view and column,
facets, sort orders and canned queries, so `datasette data/archive.db -m metadata.json` explains
itself. `dwarchive datasette-metadata` writes it.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import __version__
from ..store.read_queries import database_columns
from .table_docs import COMMON_COLUMNS, TABLES, column_descriptions, is_view

TABLE_OPTIONS: dict[str, dict[str, Any]] = {
    "journals": {"label_column": "name"},
    "entries": {
        "facets": ["journal", "security", "poster"],
        "sort_desc": "posted_at",
        "label_column": "subject",
    },
    "comments": {"facets": ["journal", "state", "author_kind"], "sort_desc": "posted_at"},
    "entry_tags": {"facets": ["tag", "journal"]},
    "entry_revisions": {"facets": ["journal"], "sort_desc": "captured_at"},
    "pages": {"facets": ["kind", "status", "journal"], "sort_desc": "fetched_at"},
    "sync_runs": {"facets": ["outcome", "journal"], "sort_desc": "id"},
    "crawl_queue": {"facets": ["state", "kind"]},
    "images": {"facets": ["status", "kind", "journal"]},
    "comment_threads": {"facets": ["journal", "state", "depth"]},
    "entries_with_tags": {"facets": ["journal", {"array": "tags"}, "security"]},
    "entry_edit_history": {"facets": ["journal"]},
    "commenters": {"facets": ["journal", "author_kind"]},
}

CANNED_QUERIES: dict[str, dict[str, str]] = {
    "journal_months": {  # not the view's name: a canned query would hide the view in Datasette
        "title": "Entries per month",
        "description": "Entries and comments per month (give a journal, or leave empty for all).",
        "sql": "SELECT journal, month, entries, comments FROM entries_per_month\n"
        "WHERE :journal = '' OR journal = :journal\nORDER BY journal, month",
    },
    "most_commented_entries": {
        "title": "Most-commented entries",
        "description": "The 50 entries with the most comments stored.",
        "sql": "SELECT e.journal, e.posted_at, e.subject, e.url, count(c.commentid) AS comments,\n"
        "       e.comment_count AS comments_shown_on_site\n"
        "FROM entries e LEFT JOIN comments c\n"
        "  ON c.journal = e.journal AND c.itemid = e.itemid\n"
        "GROUP BY e.journal, e.itemid\n"
        "ORDER BY comments DESC, e.posted_at DESC\nLIMIT 50",
    },
    "tag_entries": {
        "title": "A tag's entries",
        "description": "Every entry with the given tag, newest first.",
        "sql": "SELECT e.journal, e.posted_at, e.subject, e.url, e.comment_count\n"
        "FROM entry_tags t JOIN entries e\n"
        "  ON e.journal = t.journal AND e.itemid = t.itemid\n"
        "WHERE t.tag = :tag\nORDER BY e.posted_at DESC",
    },
    "search_entries": {
        "title": "Search entries",
        "description": "Full-text search of entry subjects and bodies (SQLite FTS5 syntax: "
        'words, "phrases", prefix*, OR, NOT).',
        "sql": "SELECT e.journal, e.posted_at, e.subject,\n"
        "       snippet(entries_fts, -1, '<b>', '</b>', '…', 16) AS snippet, e.url\n"
        "FROM entries_fts JOIN entries e ON e.rowid = entries_fts.rowid\n"
        "WHERE entries_fts MATCH CASE WHEN trim(:q) = '' THEN '\"\"' ELSE :q END\n"
        "ORDER BY bm25(entries_fts, 4.0, 1.0)\nLIMIT 50",
    },
    "entry_thread": {
        "title": "An entry's comments, threaded",
        "description": "The comments of one entry in reading order with their depth.",
        "sql": "SELECT depth, author, state, subject, body_text, posted_at, url\n"
        "FROM comment_threads\nWHERE journal = :journal AND itemid = :itemid\n"
        "ORDER BY thread_path",
    },
}


def datasette_metadata(
    database: str = "archive", columns: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """The metadata dict for a database called `database` (the file name without .db).

    `columns` (table -> column names, e.g. read from the file) lets the column descriptions cover
    exactly the columns the database has; without them, each table's own columns are described.
    The descriptions are table_docs.py's."""
    tables: dict[str, Any] = {}
    for name, (description, _) in TABLES.items():
        table_columns = (columns or {}).get(name)
        entry: dict[str, Any] = {"description": ("View: " if is_view(name) else "") + description}
        cols = column_descriptions(name, table_columns or None)
        entry["columns"] = {c: d for c, d in cols.items() if d}
        entry.update(copy.deepcopy(TABLE_OPTIONS.get(name, {})))
        tables[name] = entry
    return {
        "title": "dwarchive: journal archive",
        "description": "Dreamwidth-style journals archived by dwarchive: entries, threaded "
        "comments, tags, edit history and raw pages.",
        "source": f"dwarchive {__version__}",
        "databases": {
            database: {
                "description": "One SQLite file holding every archived journal.",
                "tables": tables,
                "queries": copy.deepcopy(CANNED_QUERIES),
            }
        },
    }


__all__ = [
    "CANNED_QUERIES",
    "COMMON_COLUMNS",
    "TABLES",
    "TABLE_OPTIONS",
    "column_descriptions",
    "database_columns",
    "datasette_metadata",
]
