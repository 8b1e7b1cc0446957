"""Images in the archive: where entries use them, what is stored (`blobs`, `images`), what failed.

Every SQL statement of `archive --images` and of the exports' local image map lives here;
`scraper.images` decides what to fetch and calls these.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlite_utils

PERMANENT_FAILURES = frozenset({"missing", "too_large", "not_image", "refused"})


def _conn(db: sqlite_utils.Database | sqlite3.Connection) -> sqlite3.Connection:
    return db.conn if isinstance(db, sqlite_utils.Database) else db


def entry_image_sources(
    db: sqlite_utils.Database, journal: str | None
) -> list[tuple[str, str, str | None, str | None]]:
    """(journal, entry url, body_html, userpic_url) of every entry, in journal and item order."""
    where, params = ("WHERE journal = ?", [journal]) if journal else ("", [])
    sql = (
        f"SELECT journal, url, body_html, userpic_url FROM entries {where} ORDER BY journal, itemid"
    )
    return [(j, url, body, pic) for j, url, body, pic in db.execute(sql, params).fetchall()]


def profile_userpics(db: sqlite_utils.Database, journal: str | None) -> list[tuple[str, str]]:
    """(journal, userpic_url) of every profile that shows one."""
    where, params = ("WHERE journal = ?", [journal]) if journal else ("", [])
    sql = f"SELECT journal, userpic_url FROM profiles {where} ORDER BY journal"
    return [(j, url) for j, url in db.execute(sql, params).fetchall() if url]


def journal_urls(db: sqlite_utils.Database) -> dict[str, str]:
    """name -> the journal's root URL on its site."""
    return {name: url for name, url in db.execute("SELECT name, url FROM journals").fetchall()}


def image_states(db: sqlite_utils.Database) -> dict[str, str]:
    """url -> status of every image recorded (an 'ok' whose blob is gone does not count)."""
    rows = db.execute(
        "SELECT i.url, i.status FROM images i "
        "LEFT JOIN blobs b ON b.sha256 = i.sha256 "
        "WHERE (i.status = 'ok' AND b.sha256 IS NOT NULL) OR i.status != 'ok'"
    ).fetchall()
    return {url: status for url, status in rows}


def save_blob(
    db: sqlite_utils.Database,
    *,
    sha256: str,
    content_type: str | None,
    data: bytes,
    first_url: str,
    fetched_at: str,
) -> bool:
    """Store a body once per sha256; True when it was new."""
    cur = db.execute(
        "INSERT OR IGNORE INTO blobs (sha256, content_type, size, data, first_url, fetched_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [sha256, content_type, len(data), data, first_url, fetched_at],
    )
    return cur.rowcount > 0


def save_image(
    db: sqlite_utils.Database,
    *,
    url: str,
    journal: str,
    kind: str,
    sha256: str | None,
    status: str,
    error: str | None,
    fetched_at: str,
) -> None:
    """Record what fetching `url` gave (replacing an earlier record)."""
    db.execute(
        "INSERT INTO images (url, journal, kind, sha256, status, error, fetched_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (url) DO UPDATE SET journal = excluded.journal, kind = excluded.kind, "
        "sha256 = excluded.sha256, status = excluded.status, error = excluded.error, "
        "fetched_at = excluded.fetched_at",
        [url, journal, kind, sha256, status, error, fetched_at],
    )


def image_failures(
    db: sqlite_utils.Database | sqlite3.Connection, journal: str | None = None
) -> list[dict[str, Any]]:
    """Images that could not be fetched (for `status`): url, journal, kind, status, error."""
    where, params = ("AND journal = ?", [journal]) if journal else ("", [])
    cur = _conn(db).execute(
        "SELECT url, journal, kind, status, error, fetched_at FROM images "
        f"WHERE status != 'ok' {where} ORDER BY journal, url",
        params,
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def local_image_map(
    db: sqlite_utils.Database | sqlite3.Connection,
) -> dict[str, tuple[str, str | None]]:
    """URL -> (sha256, content_type) of every image stored locally ({} before any image table)."""
    try:
        rows = (
            _conn(db)
            .execute(
                "SELECT i.url, i.sha256, b.content_type FROM images i "
                "JOIN blobs b ON b.sha256 = i.sha256 WHERE i.status = 'ok'"
            )
            .fetchall()
        )
    except Exception as exc:
        if "no such table" in str(exc):
            return {}
        raise
    return {url: (sha, ctype) for url, sha, ctype in rows}


def blob_data(db: sqlite_utils.Database | sqlite3.Connection, sha256: str) -> object:
    """The stored bytes of one blob (None when there is no such blob; whatever the column holds
    otherwise, for the caller to check)."""
    row = _conn(db).execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
    return None if row is None else row[0]
