"""Saving comments: merge what one page shows into what is stored for the entry.

A comment that became deleted/screened/frozen updates its state but keeps the text already
archived; a collapsed header never blanks a body; depths are the whole tree's, whichever view
(page, thread) showed the comment last.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from ..records import CommentRecord
from .rows import Changes, upsert


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
    existing: dict[int, dict[str, Any]] = {row[2]: dict(zip(cols, row)) for row in cur.fetchall()}
    rows: list[dict[str, Any]] = []
    for c in comments:
        old = existing.get(c.commentid)
        is_placeholder = not c.full and not c.collapsed
        if old is None:
            row: dict[str, Any] = {
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
                **_owner_fields(c),
                "first_seen_at": now,
                "updated_at": now,
            }
            existing[c.commentid] = row
            rows.append(row)
            changes.new_comments += 1
            changes.comment_texts += c.body_html is not None
            continue
        row = dict(old)
        changed = False
        if c.state != old["state"] and not _cannot_tell(c, old):
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
            changes.comment_texts += old["body_html"] is None
            row["body_html"] = c.body_html
            row["body_text"] = c.body_text
            row["edited_text"] = c.edited_text
        for f, value in _owner_fields(c).items():  # a page's reading leaves them as they are
            if value is not None:
                row[f] = value
        if changed:
            row["updated_at"] = now
            changes.changed_comments += 1
        if row != old:
            existing[c.commentid] = row
            rows.append(row)
    if rows:
        upsert(db, "comments", rows, ("journal", "commentid"))
    return changes


def _owner_fields(c: CommentRecord) -> dict[str, Any]:
    """What only owner mode's comment export gives: props (no IP, no user agent), the source."""
    props = json.dumps(c.props, ensure_ascii=False, sort_keys=True) if c.props is not None else None
    return {"props": props, "body_source": c.body_source, "editor": c.editor}


def export_hides_suspension(new_state: str, stored_state: str) -> bool:
    """Owner mode's comment export shows a comment from a suspended user as deleted
    (Export.pm): such a reading leaves a comment stored as 'suspended' as it is."""
    return new_state == "deleted" and stored_state == "suspended"


def _cannot_tell(c: CommentRecord, old: dict[str, Any]) -> bool:
    """A reading whose state says nothing about the stored one's:

    * a collapsed header that reads 'visible' for a comment stored as frozen or from a suspended
      user: some layouts (zesty) mark neither on a collapsed comment;
    * owner mode's 'deleted' for a comment stored as from a suspended user: the comment export
      shows both as deleted (Export.pm), the page tells them apart."""
    if c.props is not None and export_hides_suspension(c.state, old["state"]):
        return True
    return c.collapsed and c.state == "visible" and old["state"] in ("frozen", "suspended")


def _tree_depth(known: dict[int, dict], parent: int | None, fallback: int | None) -> int | None:
    """A comment's depth in the entry's whole tree: its parent's + 1 when the parent is known.
    A ?thread= view numbers depths from its own root, so the depth a page shows is only the
    fallback (a parent not yet stored): the same comment keeps one depth whichever view came
    last."""
    row = known.get(parent) if parent is not None else None
    if row is not None and row.get("depth"):
        return row["depth"] + 1
    return 1 if parent is None and fallback is None else fallback
