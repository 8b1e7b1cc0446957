"""Full-text search over the archive: FTS5 MATCH, bm25 ranking, highlighted snippets.

Entries are searched by subject and body (subject matches weigh more); with `comments=True`
comment subjects and bodies are searched too and the hits of both are ranked together. A query
that is not valid FTS5 syntax (a comma, an apostrophe, a stray quote or bracket) is retried with
each of the user's words quoted, and the result says so; with `strict=True` it is a QueryError.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from ..errors import QueryError
from ..store import fulltext

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# SQLite messages that mean "the user's query is not valid FTS5", not "the archive is broken".
_SYNTAX_MESSAGES = ("fts5:", "no such column", "unknown special query", "unterminated string")


@dataclass(frozen=True)
class Hit:
    """One search result: an entry, or a comment (with the URL of its thread)."""

    kind: str  # 'entry' | 'comment'
    journal: str
    itemid: int
    commentid: int | None
    subject: str | None
    snippet: str  # matched words wrapped in the highlight markers
    date: str | None  # posted_at, 'YYYY-MM-DDTHH:MM' as shown on the site
    url: str | None
    author: str | None  # poster of an entry, author of a comment (None: anonymous)
    rank: float  # bm25: lower is a better match
    deleted: bool


@dataclass(frozen=True)
class SearchResult:
    query: str  # as the user typed it
    fts_query: str  # what was given to FTS5
    hits: list[Hit]
    note: str | None = None  # set when the query had to be rewritten


def quote_words(query: str) -> str:
    """Each whitespace-separated word as an FTS5 string: a phrase search for exactly the words."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in query.split())


def _is_syntax_error(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return any(m in message for m in _SYNTAX_MESSAGES)


def _connection(db: sqlite3.Connection | sqlite_utils.Database) -> sqlite3.Connection:
    return db.conn if isinstance(db, sqlite_utils.Database) else db


def _hit(row: dict[str, Any]) -> Hit:
    return Hit(**{**row, "snippet": row["snippet"] or "", "deleted": bool(row["deleted"])})


def _missing_index(exc: sqlite3.OperationalError) -> QueryError:
    return QueryError(
        f"this archive has no search index ({exc}); open it once with this dwarchive version "
        "(any archive or search command upgrades it)"
    )


def search(
    db: sqlite3.Connection | sqlite_utils.Database,
    query: str,
    *,
    journal: str | None = None,
    comments: bool = False,
    limit: int = 20,
    strict: bool = False,
    highlight: tuple[str, str] = ("[", "]"),
) -> SearchResult:
    """Search entries (and comments) for `query`, best matches first."""
    query = _CONTROL.sub(" ", query).strip()
    if not query:
        raise QueryError("nothing to search for: give one or more words")
    if limit < 1:
        raise QueryError(f"--limit must be at least 1 (got {limit})")
    conn = _connection(db)

    def run(fts_query: str) -> list[Hit]:
        rows = fulltext.fts_hits(
            conn, fts_query, journal=journal, limit=limit, highlight=highlight, comments=comments
        )
        return [_hit(row) for row in rows]

    try:
        return SearchResult(query, query, run(query))
    except sqlite3.OperationalError as exc:
        if not _is_syntax_error(exc):
            raise _missing_index(exc) from None
        if strict:
            raise QueryError(
                f"not a valid search query ({exc}); put words in double quotes to search for "
                "them as typed"
            ) from None
        reason = str(exc)
    quoted = quote_words(query)
    try:
        hits = run(quoted)
    except sqlite3.OperationalError as exc:  # pragma: no cover - quoted words are always valid
        raise QueryError(f"could not search for {query!r}: {exc}") from None
    note = f"not valid search syntax ({reason}); searched for the words {quoted} instead"
    return SearchResult(query, quoted, hits, note)


__all__ = ["Hit", "SearchResult", "quote_words", "search"]
