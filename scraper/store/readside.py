"""Schema version 2, the read side: full-text search, foreign keys, views and the image store.

Everything here is data (FTS_CONFIG, FOREIGN_KEYS, VIEWS, IMAGE_TABLES) applied by one idempotent
function, `ensure_read_side(db)`, which `migrate_2` runs once when an archive is upgraded. Running
it again changes nothing.

- FTS5 indexes on entries and comments, kept current by triggers, so every sync updates search.
  The tokenizer folds case and diacritics for every script (Cyrillic, Greek, ...) and also keeps
  emoji (Unicode category So) as tokens, so "🌻" can be searched for.
- Foreign keys Datasette and other tools can follow (journal -> journals.name on every table that
  names a journal; compound keys from comments/tags/revisions to their entry).
- Views: comment threads with depth, entries with tag lists, edit history, monthly counts.
- Tables for content-addressed images: `blobs` (one row per sha256) and `images` (URL -> blob).
"""

from __future__ import annotations

import sqlite_utils

FTS_TOKENIZE = "unicode61 remove_diacritics 2 categories 'L* N* Co So'"
"""unicode61 folding plus So (emoji and other symbols) as token characters."""

FTS_CONFIG: dict[str, list[str]] = {
    "entries": ["subject", "body_text"],
    "comments": ["subject", "body_text"],
}

FOREIGN_KEYS: list[tuple[str, str | tuple[str, ...], str, str | tuple[str, ...]]] = [
    ("entry_revisions", "journal", "journals", "name"),
    ("entry_revisions", ("journal", "itemid"), "entries", ("journal", "itemid")),
    ("entry_tags", ("journal", "itemid"), "entries", ("journal", "itemid")),
    ("comments", ("journal", "itemid"), "entries", ("journal", "itemid")),
    ("comments", ("journal", "parent_commentid"), "comments", ("journal", "commentid")),
    ("pages", "journal", "journals", "name"),
    ("page_modules", "journal", "journals", "name"),
    ("parse_errors", "journal", "journals", "name"),
    ("sync_runs", "journal", "journals", "name"),
    ("crawl_queue", "journal", "journals", "name"),
    ("feed_entries", "journal", "journals", "name"),
]
"""(table, column(s), other table, other column(s)). Datasette follows the single-column ones."""

INDEXES: list[tuple[str, list[str]]] = [
    ("comments", ["journal", "parent_commentid"]),  # thread walks (comment_threads view)
    ("entry_revisions", ["journal", "itemid"]),
    ("images", ["journal", "status"]),
    ("images", ["sha256"]),
]

IMAGE_TABLES: dict[str, tuple[dict[str, type], str, list[tuple[str, str, str]]]] = {
    "blobs": (
        {
            "sha256": str,
            "content_type": str,
            "size": int,
            "data": bytes,
            "first_url": str,
            "fetched_at": str,
        },
        "sha256",
        [],
    ),
    "images": (
        {
            "url": str,
            "journal": str,
            "sha256": str,
            "status": str,
            "error": str,
            "kind": str,
            "fetched_at": str,
        },
        "url",
        [("journal", "journals", "name"), ("sha256", "blobs", "sha256")],
    ),
}
"""name -> (columns, primary key, foreign keys). images.status: 'ok' | 'error' | 'missing' |
'too_large' | 'not_image'; images.kind: 'entry' | 'userpic'."""

_THREADS_SQL = """
WITH RECURSIVE thread(journal, commentid, root_commentid, depth, path) AS (
  SELECT c.journal, c.commentid, c.commentid, 1, printf('%012d', c.commentid)
  FROM comments c
  WHERE c.parent_commentid IS NULL
     OR NOT EXISTS (SELECT 1 FROM comments p
                    WHERE p.journal = c.journal AND p.commentid = c.parent_commentid)
  UNION ALL
  SELECT c.journal, c.commentid, t.root_commentid, t.depth + 1,
         t.path || '/' || printf('%012d', c.commentid)
  FROM comments c JOIN thread t ON c.journal = t.journal AND c.parent_commentid = t.commentid
  WHERE t.depth < 500
)
SELECT c.journal, c.itemid, e.subject AS entry_subject, c.commentid, c.parent_commentid,
       t.root_commentid, t.depth, t.path AS thread_path, c.author, c.author_kind, c.state,
       c.subject, c.body_text, c.posted_at,
       e.url || '?thread=' || c.commentid || '#cmt' || c.commentid AS url
FROM thread t
JOIN comments c ON c.journal = t.journal AND c.commentid = t.commentid
LEFT JOIN entries e ON e.journal = c.journal AND e.itemid = c.itemid
ORDER BY c.journal, c.itemid, t.path
"""

_ENTRIES_WITH_TAGS_SQL = """
SELECT e.journal, e.itemid, e.posted_at, e.subject, e.url, e.poster, e.security,
       (SELECT json_group_array(tag) FROM
          (SELECT t.tag FROM entry_tags t
           WHERE t.journal = e.journal AND t.itemid = e.itemid ORDER BY t.rowid)) AS tags,
       e.comment_count,
       (SELECT count(*) FROM comments c
        WHERE c.journal = e.journal AND c.itemid = e.itemid) AS comments_stored,
       (SELECT count(*) FROM entry_revisions r
        WHERE r.journal = e.journal AND r.itemid = e.itemid) AS revisions,
       e.mood, e.music, e.location, e.userpic_keyword, e.deleted_at, e.body_text
FROM entries e
ORDER BY e.journal, e.posted_at DESC
"""

_EDIT_HISTORY_SQL = """
SELECT r.journal, r.itemid, r.revision, r.captured_at AS replaced_at,
       r.subject AS old_subject, e.subject AS current_subject,
       r.body_text AS old_body_text, r.tags AS old_tags, r.security AS old_security,
       e.updated_at AS current_updated_at, e.url
FROM entry_revisions r
LEFT JOIN entries e ON e.journal = r.journal AND e.itemid = r.itemid
ORDER BY r.journal, r.itemid, r.revision
"""

_ENTRIES_PER_MONTH_SQL = """
SELECT e.journal, substr(e.posted_at, 1, 7) AS month, count(*) AS entries,
       sum(coalesce(e.comment_count, 0)) AS comments
FROM entries e
WHERE e.posted_at IS NOT NULL AND e.deleted_at IS NULL
GROUP BY e.journal, month
ORDER BY e.journal, month
"""

_TAG_USAGE_SQL = """
SELECT t.journal, t.tag, count(*) AS entries,
       min(e.posted_at) AS first_used, max(e.posted_at) AS last_used
FROM entry_tags t
LEFT JOIN entries e ON e.journal = t.journal AND e.itemid = t.itemid
GROUP BY t.journal, t.tag
ORDER BY t.journal, entries DESC, t.tag
"""

_COMMENTERS_SQL = """
SELECT c.journal, coalesce(c.author, '(anonymous)') AS author, c.author_kind,
       count(*) AS comments, min(c.posted_at) AS first_comment_at,
       max(c.posted_at) AS last_comment_at
FROM comments c
WHERE c.state NOT IN ('deleted')
GROUP BY c.journal, coalesce(c.author, '(anonymous)'), c.author_kind
ORDER BY comments DESC
"""

_IMAGE_FILES_SQL = """
SELECT i.url, i.journal, i.kind, i.status, i.error, i.sha256, b.content_type, b.size,
       i.fetched_at
FROM images i
LEFT JOIN blobs b ON b.sha256 = i.sha256
ORDER BY i.journal, i.url
"""

VIEWS: dict[str, tuple[set[str], str]] = {
    "comment_threads": ({"comments", "entries"}, _THREADS_SQL),
    "entries_with_tags": (
        {"entries", "entry_tags", "comments", "entry_revisions"},
        _ENTRIES_WITH_TAGS_SQL,
    ),
    "entry_edit_history": ({"entry_revisions", "entries"}, _EDIT_HISTORY_SQL),
    "entries_per_month": ({"entries"}, _ENTRIES_PER_MONTH_SQL),
    "tag_usage": ({"entry_tags", "entries"}, _TAG_USAGE_SQL),
    "commenters": ({"comments"}, _COMMENTERS_SQL),
    "image_files": ({"images", "blobs"}, _IMAGE_FILES_SQL),
}
"""name -> (tables it needs, SELECT). Views are replaced on every run, so editing SQL here and
shipping a migration that calls ensure_read_side(db) again is how a view changes."""


def _ensure_image_tables(db: sqlite_utils.Database) -> None:
    for name, (columns, pk, fks) in IMAGE_TABLES.items():
        db.table(name).create(columns, pk=pk, foreign_keys=fks, if_not_exists=True)


def _ensure_foreign_keys(db: sqlite_utils.Database) -> None:
    """Add missing foreign keys (sqlite-utils rewrites each table once, keeping rows and rowids).

    Must run before FTS triggers are created: a table rewrite drops its triggers."""
    missing = [fk for fk in FOREIGN_KEYS if _fk_missing(db, *fk)]
    if missing:  # (add_foreign_keys would VACUUM the whole file even when there is nothing to do)
        db.add_foreign_keys(missing)


def _as_tuple(columns: str | tuple[str, ...]) -> tuple[str, ...]:
    return (columns,) if isinstance(columns, str) else tuple(columns)


def _fk_missing(
    db: sqlite_utils.Database,
    table: str,
    columns: str | tuple[str, ...],
    other: str,
    _other_columns: object,
) -> bool:
    if not (db.table(table).exists() and db.table(other).exists()):
        return False
    existing = {(tuple(fk.columns), fk.other_table) for fk in db.table(table).foreign_keys}
    return (_as_tuple(columns), other) not in existing


def _ensure_indexes(db: sqlite_utils.Database) -> None:
    for table, columns in INDEXES:
        if db.table(table).exists():
            db.table(table).create_index(columns, if_not_exists=True)


def _ensure_fts(db: sqlite_utils.Database) -> None:
    for table, columns in FTS_CONFIG.items():
        db.table(table).enable_fts(
            columns, create_triggers=True, tokenize=FTS_TOKENIZE, replace=True
        )


def _ensure_views(db: sqlite_utils.Database) -> None:
    existing = set(db.table_names())
    for name, (needs, sql) in VIEWS.items():
        if needs <= existing:
            db.create_view(name, sql.strip(), replace=True)


def ensure_read_side(db: sqlite_utils.Database) -> None:
    """Bring an archive's read-side shape up to date; idempotent."""
    _ensure_image_tables(db)
    _ensure_foreign_keys(db)
    _ensure_indexes(db)
    _ensure_fts(db)
    _ensure_views(db)


def migrate_2(db: sqlite_utils.Database) -> None:
    """Schema version 2: search, foreign keys, views, image store."""
    ensure_read_side(db)


__all__ = [
    "FOREIGN_KEYS",
    "FTS_CONFIG",
    "FTS_TOKENIZE",
    "IMAGE_TABLES",
    "VIEWS",
    "ensure_read_side",
    "migrate_2",
]
