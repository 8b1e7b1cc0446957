"""Full-text search SQL: one FTS5 MATCH over entries (and comments), bm25-ranked, with snippets.

The indexes themselves (`entries_fts`, `comments_fts`, their tokenizer and triggers) are made by
readside.py. A query that is not valid FTS5 raises sqlite3.OperationalError unchanged: deciding
what that means for the user is `scraper.read.search`'s job.
"""

from __future__ import annotations

import sqlite3
from typing import Any

ENTRY_WEIGHTS = (4.0, 1.0)  # bm25 weights: subject, body_text
COMMENT_WEIGHTS = (2.0, 1.0)
SNIPPET_TOKENS = 16

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

HIT_COLUMNS = (
    "kind",
    "journal",
    "itemid",
    "commentid",
    "subject",
    "snippet",
    "date",
    "url",
    "author",
    "rank",
    "deleted",
)
"""The columns of every row `fts_hits` returns, in order."""


def fts_hits(
    conn: sqlite3.Connection,
    fts_query: str,
    *,
    journal: str | None,
    limit: int,
    highlight: tuple[str, str],
    comments: bool,
) -> list[dict[str, Any]]:
    """The best `limit` matches of `fts_query` (FTS5 syntax) among entries, and comments too when
    `comments`, ranked together (lower rank = better, then newest first); matched words in each
    snippet are wrapped in `highlight`."""
    sql = _ENTRY_SQL + (" UNION ALL " + _COMMENT_SQL if comments else "")
    sql = f"SELECT * FROM ({sql}) ORDER BY rank, date DESC LIMIT :limit"
    params = {
        "q": fts_query,
        "journal": journal,
        "limit": limit,
        "start": highlight[0],
        "end": highlight[1],
    }
    return [
        dict(zip(HIT_COLUMNS, row, strict=True)) for row in conn.execute(sql, params).fetchall()
    ]


__all__ = ["COMMENT_WEIGHTS", "ENTRY_WEIGHTS", "HIT_COLUMNS", "SNIPPET_TOKENS", "fts_hits"]
