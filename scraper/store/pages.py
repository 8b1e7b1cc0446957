"""Raw responses and parse problems: what was fetched, kept so parsers can be re-run offline."""

from __future__ import annotations

import hashlib
import zlib

import sqlite_utils

from .rows import upsert


def save_page(
    db: sqlite_utils.Database,
    *,
    url: str,
    journal: str | None,
    kind: str,
    status: int,
    fetched_at: str,
    body: bytes,
    etag: str | None = None,
    last_modified: str | None = None,
    content_type: str | None = None,
) -> None:
    """Keep a raw response (zlib-compressed) so a parser fix can be applied without refetching.

    A 304 keeps the stored body and only refreshes the fetch time."""
    if status == 304:
        db.execute("UPDATE pages SET fetched_at = ? WHERE url = ?", [fetched_at, url])
        return
    upsert(
        db,
        "pages",
        [
            {
                "url": url,
                "journal": journal,
                "kind": kind,
                "status": status,
                "fetched_at": fetched_at,
                "etag": etag,
                "last_modified": last_modified,
                "content_type": content_type,
                "sha256": hashlib.sha256(body).hexdigest(),
                "body": zlib.compress(body, 6),
            }
        ],
        "url",
    )


def page_body(row: dict) -> bytes:
    """The raw bytes of a `pages` row."""
    return zlib.decompress(row["body"]) if row.get("body") is not None else b""


def record_parse_error(
    db: sqlite_utils.Database, *, url: str, journal: str | None, kind: str, error: str, at: str
) -> None:
    db.table("parse_errors").upsert(
        {"url": url, "journal": journal, "kind": kind, "error": error[:2000], "at": at}, pk="url"
    )


def clear_parse_error(db: sqlite_utils.Database, url: str) -> None:
    db.execute("DELETE FROM parse_errors WHERE url = ?", [url])
