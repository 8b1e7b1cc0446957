"""The database's shape: tables, keys, indexes and versioned migrations.

The schema is dwarchive's public interface (users keep saved queries against it), so every change
is a numbered migration in MIGRATIONS, applied in order and recorded in `PRAGMA user_version`.
`PRAGMA application_id` marks a file as ours: a file without it is refused untouched.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from .readside import migrate_2

APPLICATION_ID = 0x64776172  # b"dwar"

# --- version 1: the archive ------------------------------------------------------------------

_V1_TABLES: dict[str, tuple[dict[str, type], list[str]]] = {
    "journals": (
        {
            "name": str,
            "type": str,
            "title": str,
            "subtitle": str,
            "url": str,
            "first_archived_at": str,
            "last_archived_at": str,
        },
        ["name"],
    ),
    "entries": (
        {
            "journal": str,
            "itemid": int,
            "url": str,
            "subject": str,
            "subject_html": str,
            "body_html": str,
            "body_text": str,
            "poster": str,
            "posted_at": str,
            "date_text": str,
            "userpic_keyword": str,
            "userpic_url": str,
            "security": str,
            "restrictions": str,
            "mood": str,
            "music": str,
            "location": str,
            "comment_count": int,
            "body_complete": int,
            "content_hash": str,
            "first_seen_at": str,
            "updated_at": str,
            "deleted_at": str,
        },
        ["journal", "itemid"],
    ),
    "entry_tags": ({"journal": str, "itemid": int, "tag": str}, ["journal", "itemid", "tag"]),
    "comments": (
        {
            "journal": str,
            "itemid": int,
            "commentid": int,
            "parent_commentid": int,
            "depth": int,
            "author": str,
            "author_kind": str,
            "subject": str,
            "subject_html": str,
            "body_html": str,
            "body_text": str,
            "posted_at": str,
            "date_text": str,
            "state": str,
            "userpic_keyword": str,
            "edited_text": str,
            "first_seen_at": str,
            "updated_at": str,
        },
        ["journal", "commentid"],
    ),
    "profiles": (
        {
            "journal": str,
            "display_name": str,
            "bio_text": str,
            "bio_html": str,
            "journal_type": str,
            "journal_title": str,
            "journal_subtitle": str,
            "account_type": str,
            "created_on": str,
            "last_updated": str,
            "user_number": int,
            "comments_received": int,
            "comments_posted": int,
            "entries_count": int,
            "tags_count": int,
            "memories_count": int,
            "icons_count": int,
            "userpic_url": str,
            "birthdate": str,
            "location": str,
            "website_name": str,
            "website_url": str,
            "interests": str,
            "basics": str,
            "admins": str,
            "moderators": str,
            "members": str,
            "fetched_at": str,
        },
        ["journal"],
    ),
    "calendar": ({"journal": str, "day": str, "entry_count": int}, ["journal", "day"]),
    "tags": ({"journal": str, "tag": str, "uses": int, "visibility": str}, ["journal", "tag"]),
    "page_modules": (
        {
            "url": str,
            "journal": str,
            "profile_display_name": str,
            "profile_userpic_keyword": str,
            "profile_website_name": str,
            "profile_website_url": str,
            "calendar_month": str,
            "calendar_days": str,
            "style_credit": str,
            "cut_tags_text": str,
            "page_generated": str,
            "page_generated_at": str,
            "powered_by": str,
        },
        ["url"],
    ),
    "pages": (
        {
            "url": str,
            "journal": str,
            "kind": str,
            "status": int,
            "fetched_at": str,
            "etag": str,
            "last_modified": str,
            "content_type": str,
            "sha256": str,
            "body": bytes,
        },
        ["url"],
    ),
    "parse_errors": (
        {"url": str, "journal": str, "kind": str, "error": str, "at": str},
        ["url"],
    ),
    "sync_runs": (
        {
            "id": int,
            "journal": str,
            "command": str,
            "started_at": str,
            "finished_at": str,
            "outcome": str,
            "message": str,
            "requests": int,
            "new_entries": int,
            "changed_entries": int,
            "deleted_entries": int,
            "new_comments": int,
            "changed_comments": int,
            "pid": int,
        },
        ["id"],
    ),
    "crawl_queue": (
        {
            "journal": str,
            "url": str,
            "kind": str,
            "priority": int,
            "state": str,
            "info": str,
            "added_at": str,
            "done_at": str,
        },
        ["journal", "url"],
    ),
    "feed_entries": (
        {
            "journal": str,
            "itemid": int,
            "url": str,
            "title": str,
            "published": str,
            "updated": str,
            "reply_count": int,
            "seen_at": str,
        },
        ["journal", "itemid"],
    ),
    "entry_revisions": (
        {
            "journal": str,
            "itemid": int,
            "revision": int,
            "subject": str,
            "subject_html": str,
            "body_html": str,
            "body_text": str,
            "poster": str,
            "posted_at": str,
            "userpic_keyword": str,
            "security": str,
            "mood": str,
            "music": str,
            "location": str,
            "tags": str,
            "content_hash": str,
            "captured_at": str,
        },
        ["journal", "itemid", "revision"],
    ),
}

_V1_NOT_NULL = {
    "entries": {"journal", "itemid"},
    "comments": {"journal", "itemid", "commentid"},
}

_V1_INDEXES: list[tuple[str, list[str]]] = [
    ("entries", ["journal", "posted_at"]),
    ("comments", ["journal", "itemid"]),
    ("entry_tags", ["journal", "tag"]),
    ("crawl_queue", ["journal", "state", "priority"]),
    ("pages", ["journal", "kind"]),
]

_V1_FOREIGN_KEYS: list[tuple[str, str, str, str]] = [
    ("entries", "journal", "journals", "name"),
    ("comments", "journal", "journals", "name"),
    ("entry_tags", "journal", "journals", "name"),
    ("calendar", "journal", "journals", "name"),
    ("profiles", "journal", "journals", "name"),
    ("tags", "journal", "journals", "name"),
]


def _migrate_1(db: sqlite_utils.Database) -> None:
    """Create the archive tables."""
    for name, (columns, pk) in _V1_TABLES.items():
        db.table(name).create(
            columns,
            pk=pk[0] if len(pk) == 1 else tuple(pk),
            not_null=_V1_NOT_NULL.get(name),
            foreign_keys=[(c, t, o) for (tb, c, t, o) in _V1_FOREIGN_KEYS if tb == name],
            if_not_exists=True,
        )
    for table, cols in _V1_INDEXES:
        db.table(table).create_index(cols, if_not_exists=True)


def _migrate_3(db: sqlite_utils.Database) -> None:
    """Remember, across runs, when a host told us to wait (429 Retry-After, captcha)."""
    db.table("host_state").create(
        {"host": str, "not_before": str, "reason": str, "updated_at": str},
        pk="host",
        if_not_exists=True,
    )


# --- version 4: other renderings and owner mode ----------------------------------------------

V4_COLUMNS: dict[str, dict[str, type]] = {
    "entries": {
        "rendering": str,  # which markup the stored reading came from (core2, siteviews, ...)
        "allowmask": int,  # owner mode: custom-filter bits (1 = access list)
        "body_source": str,  # owner mode: the text exactly as the protocol returned it
        "props": str,  # owner mode: every prop as returned (JSON)
        "editor": str,  # owner mode: the format the source is written in
    },
    "comments": {
        "props": str,  # owner mode: talk props without poster_ip and useragent (JSON)
        "body_source": str,
        "editor": str,
    },
}
V4_TABLES: dict[str, tuple[dict[str, type], str]] = {
    "owner_state": (
        {"journal": str, "cursor": str, "comment_maxid": int, "moods": str, "synced_at": str},
        "journal",
    ),
}


def _migrate_4(db: sqlite_utils.Database) -> None:
    """Columns for readings of other renderings and for owner mode (protocol source, props,
    allowmask), and the owner-mode sync cursor."""
    for table, columns in V4_COLUMNS.items():
        have = set(db.table(table).columns_dict)
        for name, kind in columns.items():
            if name not in have:
                db.table(table).add_column(name, kind)
    for table, (columns, pk) in V4_TABLES.items():
        db.table(table).create(columns, pk=pk, if_not_exists=True)


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _migrate_1,
    2: migrate_2,  # full-text search, views, foreign keys, image tables (read side)
    3: _migrate_3,  # host_state: a Retry-After or captcha cool-down outlives the run
    4: _migrate_4,  # renderings and owner mode: entries/comments columns, owner_state
}

SCHEMA_VERSION = max(MIGRATIONS)
