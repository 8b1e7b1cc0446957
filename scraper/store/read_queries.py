"""The read side's SQL: what the exports, the Datasette metadata and the read-only commands ask of
an archive (full-text search is in fulltext.py, images in images.py).

Every function takes a DB-API connection (the read-only one from `open_reader` included), runs
its statements and returns plain rows (dicts keyed by column name); `scraper.read` turns them into
what it shows. Nothing here writes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from typing import Any

from ..errors import DwArchiveError
from .pages import page_body

Row = dict[str, Any]


def _rows(cursor: sqlite3.Cursor) -> list[Row]:
    """Every row of an executed statement, as dicts."""
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def _each_row(cursor: sqlite3.Cursor) -> Iterator[Row]:
    """The rows of an executed statement as dicts, one at a time (for tables of any size)."""
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(columns, values, strict=True))


def _where_journal(journal: str | None, column: str = "journal") -> tuple[str, list[str]]:
    return (f"WHERE {column} = ?", [journal]) if journal else ("", [])


# --- the archive's version and journals -----------------------------------------------------------


def schema_version(conn: sqlite3.Connection) -> int:
    """The file's `PRAGMA user_version`: the last migration applied."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def has_journal(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the archive holds a journal called `name`."""
    row = conn.execute("SELECT 1 FROM journals WHERE name = ?", [name]).fetchone()
    return row is not None


def journal_rows(conn: sqlite3.Connection, journal: str | None = None) -> list[Row]:
    """`journals` rows: the one named, or all by name."""
    if journal:
        return _rows(conn.execute("SELECT * FROM journals WHERE name = ?", [journal]))
    return _rows(conn.execute("SELECT * FROM journals ORDER BY name"))


# --- entries with their tags, revisions and comments ----------------------------------------------


def entry_rows(conn: sqlite3.Connection, journal: str | None = None) -> list[Row]:
    """`entries` rows, journal by journal, oldest first (undated ones by item number)."""
    where, params = _where_journal(journal)
    sql = f"SELECT * FROM entries {where} ORDER BY journal, posted_at, itemid"
    return _rows(conn.execute(sql, params))


def entry_tag_rows(conn: sqlite3.Connection, journal: str | None = None) -> list[Row]:
    """`entry_tags` rows in the order they were stored (each entry's tags in its own order)."""
    where, params = _where_journal(journal)
    return _rows(conn.execute(f"SELECT * FROM entry_tags {where} ORDER BY rowid", params))


def revision_rows(conn: sqlite3.Connection, journal: str | None = None) -> list[Row]:
    """`entry_revisions` rows, each entry's oldest version first."""
    where, params = _where_journal(journal)
    sql = f"SELECT * FROM entry_revisions {where} ORDER BY journal, itemid, revision"
    return _rows(conn.execute(sql, params))


def comment_rows(conn: sqlite3.Connection, journal: str, itemid: int) -> list[Row]:
    """Every `comments` row of one entry (in storage order; threads are built from them)."""
    sql = "SELECT * FROM comments WHERE journal = ? AND itemid = ?"
    return _rows(conn.execute(sql, [journal, itemid]))


# --- raw responses (the WARC export) --------------------------------------------------------------


def stored_pages(conn: sqlite3.Connection, journal: str | None = None) -> Iterator[Row]:
    """`pages` rows in fetch order, `body` decompressed; read one at a time."""
    where, params = _where_journal(journal)
    sql = f"SELECT * FROM pages {where} ORDER BY fetched_at, url"
    for row in _each_row(conn.execute(sql, params)):
        yield {**row, "body": page_body(row)}


def stored_image_responses(conn: sqlite3.Connection, journal: str | None = None) -> Iterator[Row]:
    """Every stored image as a response row (url, fetched_at, content_type, body, status 200),
    by URL; nothing for an archive from before schema 2, which has no image tables."""
    where, params = ("AND i.journal = ?", [journal]) if journal else ("", [])
    try:
        cursor = conn.execute(
            "SELECT i.url, i.fetched_at, b.content_type, b.data AS body, 200 AS status "
            "FROM images i JOIN blobs b ON b.sha256 = i.sha256 "
            f"WHERE i.status = 'ok' {where} ORDER BY i.url",
            params,
        )
    except sqlite3.OperationalError:
        return
    yield from _each_row(cursor)


# --- the schema as the file has it ----------------------------------------------------------------


def database_columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """table/view name -> column names, read from a connection (FTS tables left out)."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' ORDER BY name"
        ).fetchall()
    ]
    return {n: [r[1] for r in conn.execute(f"PRAGMA table_info([{n}])").fetchall()] for n in names}


def fts_table_names(conn: sqlite3.Connection) -> list[str]:
    """The full-text (FTS5) virtual tables, by name (their shadow tables left out)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%USING FTS5%' ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


__all__ = [
    "comment_rows",
    "database_columns",
    "entry_rows",
    "entry_tag_rows",
    "fts_table_names",
    "has_journal",
    "journal_rows",
    "revision_rows",
    "schema_version",
    "stored_image_responses",
    "stored_pages",
]


def archived_anything(path: str | os.PathLike[str]) -> bool:
    """Whether the archive at `path` holds a journal (True too when that cannot be read: keep)."""
    from .database import open_reader

    try:
        conn = open_reader(path)
        try:
            return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM journals)").fetchone()[0])
        finally:
            conn.close()
    except (DwArchiveError, sqlite3.Error):
        return True
