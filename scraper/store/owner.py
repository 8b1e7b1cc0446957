"""What owner mode writes besides entries and comments: where the protocol sync stopped, comment
states from the comment export, and what the anonymous pages would show (calendar counts, tags,
comment counts) derived from the entries and comments the protocol gave."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from ..records import CalendarDay, TagCount
from .comments import export_hides_suspension
from .journal import save_calendar, save_tags
from .rows import upsert


@dataclass(frozen=True)
class OwnerState:
    cursor: dict[str, Any] | None  # the protocol sync cursor (JSON of owner_plan.SyncCursor)
    comment_maxid: int  # the highest comment id whose body was read
    moods: dict[int, str]  # the site's mood list


def owner_state(db: sqlite_utils.Database, journal: str) -> OwnerState | None:
    row = db.execute(
        "SELECT cursor, comment_maxid, moods FROM owner_state WHERE journal = ?", [journal]
    ).fetchone()
    if row is None:
        return None
    moods = {int(k): v for k, v in json.loads(row[2]).items()} if row[2] else {}
    return OwnerState(json.loads(row[0]) if row[0] else None, row[1] or 0, moods)


def save_moods(db: sqlite_utils.Database, journal: str, moods: Mapping[int, str]) -> None:
    upsert(
        db,
        "owner_state",
        [{"journal": journal, "moods": json.dumps({str(k): v for k, v in moods.items()})}],
        "journal",
    )


def save_owner_state(
    db: sqlite_utils.Database,
    journal: str,
    cursor: Mapping[str, Any] | None,
    comment_maxid: int,
    now: str,
) -> None:
    upsert(
        db,
        "owner_state",
        [
            {
                "journal": journal,
                "cursor": json.dumps(cursor) if cursor is not None else None,
                "comment_maxid": comment_maxid,
                "synced_at": now,
            }
        ],
        "journal",
    )


_STATE_OF = {"A": "visible", "S": "screened", "D": "deleted", "F": "frozen"}


def set_comment_states(
    db: sqlite_utils.Database, journal: str, states: Mapping[int, str], now: str
) -> int:
    """The comment export's states (jtalkid -> letter) for stored comments; the number changed.
    A comment's dtalkid is jtalkid * 256 + its entry's anum, so jtalkid = commentid >> 8. A
    comment read deleted keeps the text already archived; one stored as from a suspended user
    stays so (the export shows those as deleted too)."""
    stored = db.execute(
        "SELECT commentid, state FROM comments WHERE journal = ?", [journal]
    ).fetchall()
    changed = []
    for commentid, state in stored:
        letter = states.get(commentid >> 8)
        if letter is None:
            continue
        new = _STATE_OF.get(letter, "visible")
        if new != state and not export_hides_suspension(new, state):
            changed.append((new, now, journal, commentid))
    db.conn.executemany(
        "UPDATE comments SET state = ?, updated_at = ? WHERE journal = ? AND commentid = ?",
        changed,
    )
    return len(changed)


def recount_comments(db: sqlite_utils.Database, journal: str) -> None:
    """entries.comment_count as the entry page would show it: visible and frozen comments."""
    db.execute(
        "UPDATE entries SET comment_count = (SELECT count(*) FROM comments c WHERE "
        "c.journal = entries.journal AND c.itemid = entries.itemid AND c.state IN "
        "('visible', 'frozen')) WHERE journal = ?",
        [journal],
    )


def derive_calendar_and_tags(db: sqlite_utils.Database, journal: str) -> None:
    """Calendar counts and tag uses as an anonymous reader's pages show them: public entries
    only (the owner's own view counts locked ones too, the archive's coverage check does not)."""
    days: Counter[str] = Counter()
    for (day,) in db.execute(
        "SELECT substr(posted_at, 1, 10) FROM entries WHERE journal = ? AND deleted_at IS NULL "
        "AND coalesce(security, 'public') = 'public' AND posted_at IS NOT NULL",
        [journal],
    ).fetchall():
        days[day] += 1
    years = {day[:4] for day in days}
    for year in sorted(years):
        listed = [CalendarDay(d, n) for d, n in sorted(days.items()) if d.startswith(year)]
        save_calendar(db, journal, listed, year=int(year))
    uses = db.execute(
        "SELECT t.tag, count(*) FROM entry_tags t JOIN entries e ON e.journal = t.journal AND "
        "e.itemid = t.itemid WHERE t.journal = ? AND e.deleted_at IS NULL AND "
        "coalesce(e.security, 'public') = 'public' GROUP BY t.tag",
        [journal],
    ).fetchall()
    save_tags(db, journal, [TagCount(tag, n, "public") for tag, n in uses])


def entry_anums(db: sqlite_utils.Database, journal: str) -> dict[int, int]:
    """jitemid -> anum of every stored entry (itemid = jitemid * 256 + anum)."""
    return {
        itemid >> 8: itemid & 0xFF
        for (itemid,) in db.execute(
            "SELECT itemid FROM entries WHERE journal = ?", [journal]
        ).fetchall()
    }


def stored_itemid(db: sqlite_utils.Database, journal: str, jitemid: int) -> int | None:
    """The stored entry's itemid (ditemid) for a protocol jitemid."""
    row = db.execute(
        "SELECT itemid FROM entries WHERE journal = ? AND itemid >> 8 = ?", [journal, jitemid]
    ).fetchone()
    return row[0] if row else None
