"""Saving entries: idempotent upserts, revisions for edits, tombstones for deletions.

- saving the same records twice changes nothing (no timestamps move unless content does);
- an entry whose content changed keeps its previous version in `entry_revisions`;
- a body shown cut short (list pages) never overwrites a complete body from the entry page, and
  completing a cut body is not an edit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

import sqlite_utils

from ..records import EntryRecord
from .rows import Changes, get_row, insert_or_replace, upsert

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


def _hash(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


def _meta(values: dict) -> tuple:
    return tuple(values.get(f) for f in _ENTRY_META_FIELDS) + (tuple(values.get("tags", ())),)


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
    db: sqlite_utils.Database,
    journal: str,
    entries: Iterable[EntryRecord],
    now: str,
    *,
    rendering: str | None = None,
) -> Changes:
    """Upsert entries (and their tags) seen on one page, read from `rendering`'s markup."""
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
            "rendering": rendering,
            "allowmask": rec.allowmask,
            "body_source": rec.body_source,
            "props": json.dumps(rec.props, ensure_ascii=False) if rec.props is not None else None,
            "editor": rec.editor,
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
        for f in _OWNER_FIELDS:  # what only the protocol gives: a page's reading leaves it
            if new[f] is None:
                new[f] = old.get(f)
        keep_old_body = (old["body_complete"] and not new["body_complete"]) or (
            not _has_text(new) and _has_text(old)
        )
        if keep_old_body:
            for f in ("body_html", "body_text", "body_complete"):
                new[f] = old[f]
        other_markup = (new["rendering"] or _FIRST_RENDERING) != (
            old.get("rendering") or _FIRST_RENDERING
        )
        if other_markup:
            _keep_what_it_lacks(new, old)  # a worse reading: the stored fields stand
        if keep_old_body:
            new["rendering"] = old.get("rendering")  # `rendering` names where the body came from
        meta_changed = _meta(new) != _meta(old)
        body_changed = new["body_complete"] == old["body_complete"] and (
            _norm(new["body_text"]) != _norm(old["body_text"])
            if other_markup  # the same text in other markup is not an edit
            else new["body_html"] != old["body_html"]
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


# Readings of a page in one markup that another markup does not show: a change of rendering (a
# journal's new layout, the site style for entry pages, owner mode's protocol) is not an edit.
_FIRST_RENDERING = "core2"  # rows stored before renderings were recorded were core2 readings
_OWNER_FIELDS = ("allowmask", "body_source", "props", "editor")
_FILLABLE = (*_ENTRY_META_FIELDS, "userpic_url", "date_text")


def _has_text(row: dict) -> bool:
    return bool((row.get("body_html") or "").strip())


def _norm(text: object) -> str:
    return " ".join(str(text or "").split())


def _keep_what_it_lacks(new: dict, old: dict) -> None:
    """Fill the fields a reading from other markup leaves empty with the stored values."""
    for f in _FILLABLE:
        if new.get(f) in (None, "") and old.get(f) not in (None, ""):
            new[f] = old[f]
    if not new["tags"] and old.get("tags"):
        new["tags"] = old["tags"]


def _write_entry(db, row: dict, *, tags_changed: bool) -> None:
    row = dict(row)
    tags = row.pop("tags")
    upsert(db, "entries", [row], ("journal", "itemid"))
    if tags_changed:
        db.execute(
            "DELETE FROM entry_tags WHERE journal = ? AND itemid = ?",
            [row["journal"], row["itemid"]],
        )
        unique = list(dict.fromkeys(tags))
        if unique:
            insert_or_replace(
                db,
                "entry_tags",
                [{"journal": row["journal"], "itemid": row["itemid"], "tag": t} for t in unique],
            )


def _save_revision(db, old: dict, now: str) -> None:
    db.table("entry_revisions").insert(
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
    old = get_row(db, "entries", (journal, itemid))
    if old is None:
        db.table("entries").insert(
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
