"""Writing parsed records: idempotent upserts that never lose what is already archived.

Rules kept here, in one place:
- saving the same records twice changes nothing (no timestamps move unless content does);
- an entry whose content changed keeps its previous version in `entry_revisions`;
- a body shown cut short (list pages) never overwrites a complete body from the entry page, and
  completing a cut body is not an edit;
- a comment that became deleted/screened/frozen updates its state but keeps the text already
  archived; a collapsed header never blanks a body;
- raw responses are kept compressed in `pages` so parsers can be re-run offline.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from ..records import (
    CalendarDay,
    CommentRecord,
    EntryRecord,
    JournalInfo,
    ProfileRecord,
    SidebarRecord,
    TagCount,
)

_ENTRY_META_FIELDS = (
    "subject",
    "subject_html",
    "poster",
    "posted_at",
    "userpic_keyword",
    "security",
    "restrictions",
    "mood",
    "music",
    "location",
)


@dataclass
class Changes:
    """What a save did: counts for progress lines and sync_runs."""

    new_entries: int = 0
    changed_entries: int = 0
    new_comments: int = 0
    changed_comments: int = 0

    def add(self, other: Changes) -> None:
        self.new_entries += other.new_entries
        self.changed_entries += other.changed_entries
        self.new_comments += other.new_comments
        self.changed_comments += other.changed_comments


# --- direct upserts -------------------------------------------------------------------------------
#
# The SQL sqlite-utils' upsert()/upsert_all() runs (INSERT ... ON CONFLICT(pk) DO UPDATE SET every
# given column), without its per-call schema introspection (table and view lists, PRAGMA
# table_info) and savepoint: on the hot path (every page saves its raw body, its modules and its
# records) that overhead was most of the archiver's SQLite time. Same semantics: columns not given
# keep their stored values on conflict; a record missing a column another record of the same call
# has writes NULL there, like sqlite-utils does.

_SQL_CACHE: dict[tuple, str] = {}


def _value(v: object) -> object:
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v, default=repr, ensure_ascii=False)
    return v


def _columns(rows: Sequence[dict]) -> tuple[str, ...]:
    cols: dict[str, None] = {}
    for row in rows:
        for key in row:
            cols.setdefault(key, None)
    return tuple(cols)


def _upsert(
    db: sqlite_utils.Database, table: str, rows: Sequence[dict], pk: str | Sequence[str]
) -> None:
    """Insert rows, or update the given columns of rows whose primary key `pk` exists."""
    if not rows:
        return
    if not db.conn.in_transaction:
        with db.atomic():
            _upsert(db, table, rows, pk)
        return
    pks = (pk,) if isinstance(pk, str) else tuple(pk)
    cols = _columns(rows)
    key = ("upsert", table, cols, pks)
    sql = _SQL_CACHE.get(key)
    if sql is None:
        quoted = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c not in pks)
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        conflict = ", ".join(f'"{c}"' for c in pks)
        sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks}) ON CONFLICT({conflict}) {action}'
        _SQL_CACHE[key] = sql
    db.conn.executemany(sql, [tuple(_value(row.get(c)) for c in cols) for row in rows])


def _insert_or_replace(db: sqlite_utils.Database, table: str, rows: Sequence[dict]) -> None:
    """INSERT OR REPLACE rows (sqlite-utils' insert_all(replace=True))."""
    if not rows:
        return
    if not db.conn.in_transaction:
        with db.atomic():
            _insert_or_replace(db, table, rows)
        return
    cols = _columns(rows)
    key = ("replace", table, cols)
    sql = _SQL_CACHE.get(key)
    if sql is None:
        quoted = ", ".join(f'"{c}"' for c in cols)
        sql = f'INSERT OR REPLACE INTO "{table}" ({quoted}) VALUES ({", ".join("?" for _ in cols)})'
        _SQL_CACHE[key] = sql
    db.conn.executemany(sql, [tuple(_value(row.get(c)) for c in cols) for row in rows])


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


def _meta(values: dict) -> tuple:
    return tuple(values.get(f) for f in _ENTRY_META_FIELDS) + (tuple(values.get("tags", ())),)


# --- journals, pages, errors ------------------------------------------------------------------


def save_journal(db: sqlite_utils.Database, info: JournalInfo, root_url: str, now: str) -> None:
    existing = _get(db, "journals", info.name)
    row = {
        "name": info.name,
        "type": info.type or (existing or {}).get("type"),
        "title": info.title if info.title is not None else (existing or {}).get("title"),
        "subtitle": info.subtitle
        if info.subtitle is not None
        else (existing or {}).get("subtitle"),
        "url": root_url,
        "first_archived_at": (existing or {}).get("first_archived_at") or now,
        "last_archived_at": (existing or {}).get("last_archived_at"),
    }
    if existing != row:
        db["journals"].upsert(row, pk="name")


def touch_journal(db: sqlite_utils.Database, journal: str, now: str) -> None:
    db.execute("UPDATE journals SET last_archived_at = ? WHERE name = ?", [now, journal])


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
    _upsert(
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
    db["parse_errors"].upsert(
        {"url": url, "journal": journal, "kind": kind, "error": error[:2000], "at": at}, pk="url"
    )


def clear_parse_error(db: sqlite_utils.Database, url: str) -> None:
    db.execute("DELETE FROM parse_errors WHERE url = ?", [url])


# --- entries ------------------------------------------------------------------------------------


def _get(db: sqlite_utils.Database, table: str, pk) -> dict | None:
    try:
        return db[table].get(pk)
    except sqlite_utils.db.NotFoundError:
        return None


def _existing_entries(db, journal: str, itemids: Sequence[int]) -> dict[int, dict]:
    if not itemids:
        return {}
    marks = ",".join("?" * len(itemids))
    rows = db.execute(
        f"SELECT * FROM entries WHERE journal = ? AND itemid IN ({marks})", [journal, *itemids]
    )
    cols = [d[0] for d in rows.description]
    out = {}
    for r in rows.fetchall():
        row = dict(zip(cols, r))
        out[row["itemid"]] = row
    if out:
        tag_rows = db.execute(
            f"SELECT itemid, tag FROM entry_tags WHERE journal = ? AND itemid IN ({marks}) "
            "ORDER BY rowid",
            [journal, *itemids],
        ).fetchall()
        for itemid, tag in tag_rows:
            out[itemid].setdefault("tags", []).append(tag)
        for row in out.values():
            row["tags"] = tuple(row.get("tags", ()))
    return out


def _next_revision(db, journal: str, itemid: int) -> int:
    row = db.execute(
        "SELECT coalesce(max(revision), 0) FROM entry_revisions WHERE journal = ? AND itemid = ?",
        [journal, itemid],
    ).fetchone()
    return row[0] + 1


def save_entries(
    db: sqlite_utils.Database, journal: str, entries: Iterable[EntryRecord], now: str
) -> Changes:
    """Upsert entries (and their tags) seen on one page."""
    changes = Changes()
    entries = list(entries)
    existing = _existing_entries(db, journal, [e.itemid for e in entries])
    for rec in entries:
        new = {
            "journal": journal,
            "itemid": rec.itemid,
            "url": rec.url,
            "subject": rec.subject,
            "subject_html": rec.subject_html,
            "body_html": rec.body_html,
            "body_text": rec.body_text,
            "poster": rec.poster or journal,
            "posted_at": rec.posted_at,
            "date_text": rec.date_text,
            "userpic_keyword": rec.userpic_keyword,
            "userpic_url": rec.userpic_url,
            "security": rec.security,
            "restrictions": rec.restrictions,
            "mood": rec.mood,
            "music": rec.music,
            "location": rec.location,
            "comment_count": rec.comment_count,
            "body_complete": 0 if rec.has_cut else 1,
            "tags": tuple(rec.tags),
        }
        old = existing.get(rec.itemid)
        if old is None:
            new["first_seen_at"] = now
            new["updated_at"] = now
            new["deleted_at"] = None
            new["content_hash"] = _hash(_meta(new), new["body_html"])
            _write_entry(db, new, tags_changed=True)
            changes.new_entries += 1
            continue
        if new["comment_count"] is None:
            new["comment_count"] = old.get("comment_count")
        keep_old_body = old["body_complete"] and not new["body_complete"]
        if keep_old_body:
            for f in ("body_html", "body_text", "body_complete"):
                new[f] = old[f]
        meta_changed = _meta(new) != _meta(old)
        body_changed = new["body_html"] != old["body_html"] and (
            new["body_complete"] == old["body_complete"]
        )
        new["content_hash"] = _hash(_meta(new), new["body_html"])
        new["first_seen_at"] = old["first_seen_at"]
        new["deleted_at"] = None  # seen again on a page: it exists
        if meta_changed or body_changed:
            _save_revision(db, old, now)
            new["updated_at"] = now
            changes.changed_entries += 1
        else:
            new["updated_at"] = old["updated_at"]
        compare_keys = [k for k in new if k != "tags"]
        if any(new[k] != old.get(k) for k in compare_keys) or new["tags"] != old["tags"]:
            _write_entry(db, new, tags_changed=new["tags"] != old["tags"])
    return changes


def _write_entry(db, row: dict, *, tags_changed: bool) -> None:
    row = dict(row)
    tags = row.pop("tags")
    _upsert(db, "entries", [row], ("journal", "itemid"))
    if tags_changed:
        db.execute(
            "DELETE FROM entry_tags WHERE journal = ? AND itemid = ?",
            [row["journal"], row["itemid"]],
        )
        seen = set()
        unique = [t for t in tags if not (t in seen or seen.add(t))]
        if unique:
            _insert_or_replace(
                db,
                "entry_tags",
                [{"journal": row["journal"], "itemid": row["itemid"], "tag": t} for t in unique],
            )


def _save_revision(db, old: dict, now: str) -> None:
    db["entry_revisions"].insert(
        {
            "journal": old["journal"],
            "itemid": old["itemid"],
            "revision": _next_revision(db, old["journal"], old["itemid"]),
            "subject": old["subject"],
            "subject_html": old["subject_html"],
            "body_html": old["body_html"],
            "body_text": old["body_text"],
            "poster": old["poster"],
            "posted_at": old["posted_at"],
            "userpic_keyword": old["userpic_keyword"],
            "security": old["security"],
            "mood": old["mood"],
            "music": old["music"],
            "location": old["location"],
            "tags": json.dumps(list(old.get("tags", ())), ensure_ascii=False),
            "content_hash": old["content_hash"],
            "captured_at": now,
        },
        pk=("journal", "itemid", "revision"),
    )


def mark_entry_deleted(db: sqlite_utils.Database, journal: str, itemid: int, now: str) -> bool:
    """Tombstone an entry (never remove it). True when it was not marked before."""
    cur = db.execute(
        "UPDATE entries SET deleted_at = ? WHERE journal = ? AND itemid = ? AND deleted_at IS NULL",
        [now, journal, itemid],
    )
    return cur.rowcount > 0


def mark_entry_locked(
    db: sqlite_utils.Database, journal: str, itemid: int, url: str, now: str
) -> None:
    """An entry that answers 'protected' to an anonymous reader: record that it exists."""
    old = _get(db, "entries", (journal, itemid))
    if old is None:
        db["entries"].insert(
            {
                "journal": journal,
                "itemid": itemid,
                "url": url,
                "security": "access",
                "body_complete": 0,
                "first_seen_at": now,
                "updated_at": now,
            },
            pk=("journal", "itemid"),
        )
    elif old.get("security") == "public":
        db.execute(
            "UPDATE entries SET security = 'access', updated_at = ? WHERE journal = ? AND itemid = ?",
            [now, journal, itemid],
        )


# --- comments -----------------------------------------------------------------------------------


def save_comments(
    db: sqlite_utils.Database,
    journal: str,
    itemid: int,
    comments: Iterable[CommentRecord],
    now: str,
) -> Changes:
    """Merge the comments one page shows into what is stored for the entry."""
    changes = Changes()
    cur = db.execute("SELECT * FROM comments WHERE journal = ? AND itemid = ?", [journal, itemid])
    cols = [d[0] for d in cur.description]
    existing = {row[2]: dict(zip(cols, row)) for row in cur.fetchall()}
    rows = []
    for c in comments:
        old = existing.get(c.commentid)
        is_placeholder = not c.full and not c.collapsed
        if old is None:
            row = {
                "journal": journal,
                "itemid": itemid,
                "commentid": c.commentid,
                "parent_commentid": c.parent_commentid,
                "depth": _tree_depth(existing, c.parent_commentid, c.depth),
                "author": c.author,
                "author_kind": c.author_kind,
                "subject": c.subject,
                "subject_html": c.subject_html,
                "body_html": c.body_html,
                "body_text": c.body_text,
                "posted_at": c.posted_at,
                "date_text": c.date_text,
                "state": c.state,
                "userpic_keyword": c.userpic_keyword,
                "edited_text": c.edited_text,
                "first_seen_at": now,
                "updated_at": now,
            }
            existing[c.commentid] = row
            rows.append(row)
            changes.new_comments += 1
            continue
        row = dict(old)
        changed = False
        if c.state != old["state"]:
            row["state"] = c.state
            changed = True
        if c.parent_commentid is not None:
            row["parent_commentid"] = c.parent_commentid
        row["depth"] = _tree_depth(existing, row["parent_commentid"], old["depth"] or c.depth)
        if not is_placeholder:
            # Headers (collapsed) and full comments carry author, subject and date.
            for f in ("author", "author_kind", "subject", "subject_html", "posted_at", "date_text"):
                value = getattr(c, f)
                if value not in (None, "") or f in ("author", "author_kind"):
                    if f in ("author", "author_kind") and c.collapsed and value is None:
                        continue
                    row[f] = value
            if c.userpic_keyword is not None:
                row["userpic_keyword"] = c.userpic_keyword
        if c.full and c.body_html is not None:
            if old["body_html"] is not None and old["body_html"] != c.body_html:
                changed = True
            row["body_html"] = c.body_html
            row["body_text"] = c.body_text
            row["edited_text"] = c.edited_text
        if changed:
            row["updated_at"] = now
            changes.changed_comments += 1
        if row != old:
            existing[c.commentid] = row
            rows.append(row)
    if rows:
        _upsert(db, "comments", rows, ("journal", "commentid"))
    return changes


def _tree_depth(known: dict[int, dict], parent: int | None, fallback: int | None) -> int | None:
    """A comment's depth in the entry's whole tree: its parent's + 1 when the parent is known.
    A ?thread= view numbers depths from its own root, so the depth a page shows is only the
    fallback (a parent not yet stored): the same comment keeps one depth whichever view came
    last."""
    row = known.get(parent) if parent is not None else None
    if row is not None and row.get("depth"):
        return row["depth"] + 1
    return 1 if parent is None and fallback is None else fallback


# --- calendar, tags, profile, modules ---------------------------------------------------------


def save_calendar(
    db: sqlite_utils.Database,
    journal: str,
    days: Iterable[CalendarDay],
    *,
    year: int | None = None,
    month: str | None = None,
) -> None:
    """Per-day counts. A year page (or a month's calendar module) is authoritative for its span:
    stored days of that span that it no longer lists drop to 0 (rows are never removed)."""
    days = list(days)
    listed = {d.day for d in days}
    prefix = f"{year:04d}-" if year is not None else (f"{month}-" if month else None)
    if prefix:
        for (day,) in db.execute(
            "SELECT day FROM calendar WHERE journal = ? AND day LIKE ? AND entry_count > 0",
            [journal, prefix + "%"],
        ).fetchall():
            if day not in listed:
                db.execute(
                    "UPDATE calendar SET entry_count = 0 WHERE journal = ? AND day = ?",
                    [journal, day],
                )
    if days:
        _upsert(
            db,
            "calendar",
            [{"journal": journal, "day": d.day, "entry_count": d.entry_count} for d in days],
            ("journal", "day"),
        )


def save_tags(db: sqlite_utils.Database, journal: str, tags: Iterable[TagCount]) -> None:
    rows = [
        {"journal": journal, "tag": t.tag, "uses": t.uses, "visibility": t.visibility} for t in tags
    ]
    if rows:
        _upsert(db, "tags", rows, ("journal", "tag"))


def save_profile(db: sqlite_utils.Database, journal: str, p: ProfileRecord, now: str) -> None:
    row = {
        "journal": journal,
        "display_name": p.display_name,
        "bio_text": p.bio_text,
        "bio_html": p.bio_html,
        "journal_type": p.journal_type,
        "journal_title": p.journal_title,
        "journal_subtitle": p.journal_subtitle,
        "account_type": p.account_type,
        "created_on": p.created_on,
        "last_updated": p.last_updated,
        "user_number": p.user_number,
        "comments_received": p.comments_received,
        "comments_posted": p.comments_posted,
        "entries_count": p.entries_count,
        "tags_count": p.tags_count,
        "memories_count": p.memories_count,
        "icons_count": p.icons_count,
        "userpic_url": p.userpic_url,
        "birthdate": p.birthdate,
        "location": p.location,
        "website_name": p.website_name,
        "website_url": p.website_url,
        "interests": json.dumps(list(p.interests), ensure_ascii=False),
        "basics": json.dumps(dict(p.basics), ensure_ascii=False),
        "admins": json.dumps(list(p.admins), ensure_ascii=False),
        "moderators": json.dumps(list(p.moderators), ensure_ascii=False),
        "members": json.dumps(list(p.members), ensure_ascii=False),
    }
    old = _get(db, "profiles", journal)
    if old is not None and {k: old.get(k) for k in row} == row:
        return
    row["fetched_at"] = now
    db["profiles"].upsert(row, pk="journal")


def save_page_modules(
    db: sqlite_utils.Database, url: str, journal: str, sidebar: SidebarRecord
) -> None:
    """The sidebar/footer modules of one page (Profile, calendar, Style Credit, cut-tag
    controls, 'Page generated', 'Powered by')."""
    _upsert(
        db,
        "page_modules",
        [
            {
                "url": url,
                "journal": journal,
                "profile_display_name": sidebar.profile_display_name,
                "profile_userpic_keyword": sidebar.profile_userpic_keyword,
                "profile_website_name": sidebar.profile_website_name,
                "profile_website_url": sidebar.profile_website_url,
                "calendar_month": sidebar.calendar_month,
                "calendar_days": json.dumps(
                    {d.day: d.entry_count for d in sidebar.calendar_days}, ensure_ascii=False
                ),
                "style_credit": json.dumps(
                    [list(p) for p in sidebar.style_credit], ensure_ascii=False
                ),
                "cut_tags_text": sidebar.cut_tags_text,
                "page_generated": sidebar.page_generated,
                "page_generated_at": sidebar.page_generated_at,
                "powered_by": sidebar.powered_by,
            }
        ],
        "url",
    )
