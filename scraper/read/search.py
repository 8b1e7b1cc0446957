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

import sqlite_utils

from ..errors import QueryError

ENTRY_WEIGHTS = (4.0, 1.0)  # bm25 weights: subject, body_text
COMMENT_WEIGHTS = (2.0, 1.0)
SNIPPET_TOKENS = 16

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# SQLite messages that mean "the user's query is not valid FTS5", not "the archive is broken".
_SYNTAX_MESSAGES = ("fts5:", "no such column", "unknown special query", "unterminated string")

_ENTRY_SQL = f"""
SELECT 'entry' AS kind, e.journal, e.itemid, NULL AS commentid, e.subject AS subject,
       snippet(entries_fts, -1, :start, :end, '…', {SNIPPET_TOKENS}) AS snippet,
       e.posted_at AS date, e.url AS url, e.poster AS author,
       bm25(entries_fts, {ENTRY_WEIGHTS[0]}, {ENTRY_WEIGHTS[1]}) AS rank,
       e.deleted_at IS NOT NULL AS deleted
FROM entries_fts JOIN entries e ON e.rowid = entries_fts.rowid
WHERE entries_fts MATCH :q AND (:journal IS NULL OR e.journal = :journal)
"""

_COMMENT_SQL = f"""
SELECT 'comment' AS kind, c.journal, c.itemid, c.commentid,
       coalesce(nullif(c.subject, ''), e.subject) AS subject,
       snippet(comments_fts, -1, :start, :end, '…', {SNIPPET_TOKENS}) AS snippet,
       c.posted_at AS date,
       e.url || '?thread=' || c.commentid || '#cmt' || c.commentid AS url,
       c.author AS author,
       bm25(comments_fts, {COMMENT_WEIGHTS[0]}, {COMMENT_WEIGHTS[1]}) AS rank,
       c.state = 'deleted' AS deleted
FROM comments_fts JOIN comments c ON c.rowid = comments_fts.rowid
LEFT JOIN entries e ON e.journal = c.journal AND e.itemid = c.itemid
WHERE comments_fts MATCH :q AND (:journal IS NULL OR c.journal = :journal)
"""


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


def _run(conn: sqlite3.Connection, fts_query: str, params: dict, comments: bool) -> list[Hit]:
    sql = _ENTRY_SQL + (" UNION ALL " + _COMMENT_SQL if comments else "")
    sql = f"SELECT * FROM ({sql}) ORDER BY rank, date DESC LIMIT :limit"
    cur = conn.execute(sql, {**params, "q": fts_query})
    return [
        Hit(
            kind=r[0],
            journal=r[1],
            itemid=r[2],
            commentid=r[3],
            subject=r[4],
            snippet=r[5] or "",
            date=r[6],
            url=r[7],
            author=r[8],
            rank=r[9],
            deleted=bool(r[10]),
        )
        for r in cur.fetchall()
    ]


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
    params = {"journal": journal, "limit": limit, "start": highlight[0], "end": highlight[1]}
    try:
        return SearchResult(query, query, _run(conn, query, params, comments))
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
        hits = _run(conn, quoted, params, comments)
    except sqlite3.OperationalError as exc:  # pragma: no cover - quoted words are always valid
        raise QueryError(f"could not search for {query!r}: {exc}") from None
    note = f"not valid search syntax ({reason}); searched for the words {quoted} instead"
    return SearchResult(query, quoted, hits, note)


__all__ = ["Hit", "SearchResult", "quote_words", "search"]
