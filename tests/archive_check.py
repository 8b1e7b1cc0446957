"""Compare an archive database with the fake site's model: what a complete, faithful copy holds.

Used by the end-to-end, sync and fault tests: every public entry with every field the parsers
extract, every comment an anonymous reader can see (with parent, author, state and text), the
calendar counts, and nothing invented.
"""

from __future__ import annotations

import sqlite3

from selectolax.lexbor import LexborHTMLParser

from scraper.fakesite.comments import shown_count
from scraper.fakesite.model import FakeEntry, FakeJournal


def _text(html: str) -> str:
    return " ".join(LexborHTMLParser(f"<div>{html}</div>").text(separator=" ").split())


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def visible_comments(entry: FakeEntry) -> dict[int, object]:
    """Comments an anonymous reader sees with their text (visible/frozen)."""
    return {c.commentid: c for c in entry.comments if c.state in ("visible", "frozen")}


def compare(conn: sqlite3.Connection, journal: FakeJournal) -> list[str]:
    """Differences between the archive and the model (empty list = faithful and complete)."""
    problems: list[str] = []
    name = journal.name
    rows = {
        r[0]: r
        for r in conn.execute(
            "SELECT itemid, subject, body_text, poster, posted_at, userpic_keyword, security, mood,"
            " music, location, comment_count, deleted_at, body_html FROM entries WHERE journal = ?",
            [name],
        )
    }
    tags: dict[int, list[str]] = {}
    for itemid, tag in conn.execute(
        "SELECT itemid, tag FROM entry_tags WHERE journal = ? ORDER BY rowid", [name]
    ):
        tags.setdefault(itemid, []).append(tag)
    public = [e for e in journal.entries if e.is_public]
    for e in public:
        row = rows.get(e.itemid)
        if row is None:
            problems.append(f"entry {e.itemid} missing")
            continue
        (
            _,
            subject,
            body_text,
            poster,
            posted_at,
            keyword,
            security,
            mood,
            music,
            location,
            count,
            deleted_at,
            _body_html,
        ) = row
        want_subject = _text(e.subject) if e.subject else ""
        checks = {
            "subject": (_norm(subject), want_subject),
            "poster": (poster, e.poster),
            "posted_at": (posted_at, e.posted_at.strftime("%Y-%m-%dT%H:%M")),
            "security": (security, "public"),
            "mood": (mood, e.mood),
            "music": (music, e.music),
            "location": (location, e.location),
            "comment_count": (count, shown_count(e)),
            "deleted_at": (deleted_at, None),
            "tags": (tags.get(e.itemid, []), sorted(e.tags)),  # pages list them by name
        }
        if e.userpic_keyword:
            checks["userpic_keyword"] = (keyword, e.userpic_keyword)
        for field, (have, want) in checks.items():
            if have != want:
                problems.append(f"entry {e.itemid} {field}: {have!r} != {want!r}")
        want_body = _text(e.body_html + (e.cut_html or ""))
        if _norm(body_text).replace(" ", "") != want_body.replace(" ", "") and not all(
            w in _norm(body_text) for w in want_body.split()[:30]
        ):
            problems.append(f"entry {e.itemid} body_text differs: {_norm(body_text)[:80]!r}")
    extra = set(rows) - {e.itemid for e in public}
    for itemid in extra:
        if rows[itemid][6] == "public" and rows[itemid][11] is None:
            problems.append(f"entry {itemid} stored but not public in the model")
    # comments
    stored = {
        r[0]: r
        for r in conn.execute(
            "SELECT commentid, itemid, parent_commentid, author, state, body_text, subject "
            "FROM comments WHERE journal = ?",
            [name],
        )
    }
    for e in public:
        for cid, c in visible_comments(e).items():
            row = stored.get(cid)
            if row is None:
                problems.append(f"comment {cid} of entry {e.itemid} missing")
                continue
            _, itemid, parent, author, state, body_text, subject = row
            want_author = c.author if c.author_kind != "anonymous" else None
            for field, have, want in (
                ("itemid", itemid, e.itemid),
                ("parent", parent, c.parent),
                ("author", author, want_author),
                ("state", state, c.state),
            ):
                if have != want:
                    problems.append(f"comment {cid} {field}: {have!r} != {want!r}")
            if _norm(body_text).replace(" ", "") != _text(c.body_html).replace(" ", ""):
                problems.append(f"comment {cid} body: {_norm(body_text)[:60]!r}")
    # calendar
    want_days: dict[str, int] = {}
    for e in public:
        day = e.posted_at.strftime("%Y-%m-%d")
        want_days[day] = want_days.get(day, 0) + 1
    have_days = dict(
        conn.execute(
            "SELECT day, entry_count FROM calendar WHERE journal = ? AND entry_count > 0", [name]
        ).fetchall()
    )
    if have_days != want_days:
        diff = set(have_days.items()) ^ set(want_days.items())
        problems.append(f"calendar differs on {sorted(diff)[:5]}")
    return problems
