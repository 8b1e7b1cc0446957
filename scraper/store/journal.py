"""Saving what a journal shows besides entries: its name and title, calendar, tags, profile and
page modules."""

from __future__ import annotations

import json
from collections.abc import Iterable

import sqlite_utils

from ..records import CalendarDay, JournalInfo, ProfileRecord, SidebarRecord, TagCount
from .rows import get_row, upsert


def save_journal(db: sqlite_utils.Database, info: JournalInfo, root_url: str, now: str) -> None:
    existing = get_row(db, "journals", info.name)
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
        db.table("journals").upsert(row, pk="name")


def touch_journal(db: sqlite_utils.Database, journal: str, now: str) -> None:
    db.execute("UPDATE journals SET last_archived_at = ? WHERE name = ?", [now, journal])


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
        upsert(
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
        upsert(db, "tags", rows, ("journal", "tag"))


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
    _title_from_profile(db, journal, p)
    old = get_row(db, "profiles", journal)
    if old is not None and {k: old.get(k) for k in row} == row:
        return
    row["fetched_at"] = now
    db.table("profiles").upsert(row, pk="journal")


def _title_from_profile(db: sqlite_utils.Database, journal: str, p: ProfileRecord) -> None:
    """The journal's title and subtitle from its profile where no journal page gave them (owner
    mode reads no journal page)."""
    for column, value in (("title", p.journal_title), ("subtitle", p.journal_subtitle)):
        if value:
            db.execute(
                f"UPDATE journals SET {column} = ? WHERE name = ? AND coalesce({column}, '') = ''",
                [value, journal],
            )


def save_page_modules(
    db: sqlite_utils.Database, url: str, journal: str, sidebar: SidebarRecord
) -> None:
    """The sidebar/footer modules of one page (Profile, calendar, Style Credit, cut-tag
    controls, 'Page generated', 'Powered by')."""
    upsert(
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


def set_journal_type(db: sqlite_utils.Database, journal: str, journal_type: str) -> None:
    """Record the journal's type (from its profile) where no page has said it yet."""
    db.execute(
        "UPDATE journals SET type = ? WHERE name = ? AND type IS NULL", [journal_type, journal]
    )
