"""Read-side summaries of an archive: per-journal counts, last runs and calendar coverage."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field


@dataclass
class Coverage:
    expected: int  # entries the calendar says are visible
    stored: int  # stored, not deleted, public entries on calendar days
    missing_days: list[tuple[str, int, int]] = field(default_factory=list)  # (day, want, have)

    @property
    def percent(self) -> float:
        return 100.0 if self.expected == 0 else min(100.0, 100.0 * self.stored / self.expected)


@dataclass
class JournalStatus:
    name: str
    type: str | None
    url: str | None
    entries: int
    deleted_entries: int
    comments: int
    revisions: int
    coverage: Coverage
    last_run: dict | None
    last_complete_run: dict | None
    parse_errors: int
    pending: int
    pending_by_kind: dict[str, int] = field(default_factory=dict)
    pending_entry_comments: dict[int, int] = field(default_factory=dict)


def _one(conn: sqlite3.Connection, sql: str, params=()) -> int:
    return conn.execute(sql, params).fetchone()[0] or 0


def coverage(conn: sqlite3.Connection, journal: str) -> Coverage:
    rows = conn.execute(
        """
        SELECT c.day, c.entry_count,
               (SELECT count(*) FROM entries e
                 WHERE e.journal = c.journal AND substr(e.posted_at, 1, 10) = c.day
                   AND e.deleted_at IS NULL AND coalesce(e.security, 'public') = 'public')
        FROM calendar c WHERE c.journal = ? AND c.entry_count > 0 ORDER BY c.day
        """,
        [journal],
    ).fetchall()
    cov = Coverage(expected=0, stored=0)
    for day, want, have in rows:
        cov.expected += want
        cov.stored += min(want, have)
        if have < want:
            cov.missing_days.append((day, want, have))
    return cov


def _run_row(conn: sqlite3.Connection, journal: str, where: str = "") -> dict | None:
    cur = conn.execute(
        f"SELECT * FROM sync_runs WHERE journal = ? {where} ORDER BY id DESC LIMIT 1", [journal]
    )
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row))


def journal_statuses(conn: sqlite3.Connection) -> list[JournalStatus]:
    out = []
    for name, jtype, url in conn.execute("SELECT name, type, url FROM journals ORDER BY name"):
        out.append(
            JournalStatus(
                name=name,
                type=jtype,
                url=url,
                entries=_one(
                    conn,
                    "SELECT count(*) FROM entries WHERE journal = ? AND deleted_at IS NULL",
                    [name],
                ),
                deleted_entries=_one(
                    conn,
                    "SELECT count(*) FROM entries WHERE journal = ? AND deleted_at IS NOT NULL",
                    [name],
                ),
                comments=_one(conn, "SELECT count(*) FROM comments WHERE journal = ?", [name]),
                revisions=_one(
                    conn, "SELECT count(*) FROM entry_revisions WHERE journal = ?", [name]
                ),
                coverage=coverage(conn, name),
                last_run=_run_row(conn, name),
                last_complete_run=_run_row(conn, name, "AND outcome = 'complete'"),
                parse_errors=_one(
                    conn, "SELECT count(*) FROM parse_errors WHERE journal = ?", [name]
                ),
                pending=_one(
                    conn,
                    "SELECT count(*) FROM crawl_queue WHERE journal = ? AND state IN "
                    "('pending','failed')",
                    [name],
                ),
                pending_by_kind=dict(
                    conn.execute(
                        "SELECT kind, count(*) FROM crawl_queue WHERE journal = ? AND state IN "
                        "('pending','failed') GROUP BY kind",
                        [name],
                    ).fetchall()
                ),
                pending_entry_comments=dict(
                    conn.execute(
                        "SELECT e.itemid, coalesce(e.comment_count, 0) FROM crawl_queue q JOIN "
                        "entries e ON e.journal = q.journal AND e.itemid = "
                        "json_extract(q.info, '$.itemid') WHERE q.journal = ? AND q.kind = "
                        "'entry' AND q.state IN ('pending','failed')",
                        [name],
                    ).fetchall()
                ),
            )
        )
    return out


@dataclass(frozen=True)
class StoredCounts:
    entries: int
    comments: int
    locked: int = 0  # entries not public (owner mode): the calendar's coverage leaves them out


def stored_counts(conn: sqlite3.Connection, journal: str) -> StoredCounts:
    """How many entries (deleted ones included) and comments are stored for a journal."""
    return StoredCounts(
        entries=_one(conn, "SELECT count(*) FROM entries WHERE journal = ?", [journal]),
        comments=_one(conn, "SELECT count(*) FROM comments WHERE journal = ?", [journal]),
        locked=_one(
            conn,
            "SELECT count(*) FROM entries WHERE journal = ? AND security IS NOT NULL "
            "AND security != 'public'",
            [journal],
        ),
    )


def owner_mode_journals(conn: sqlite3.Connection) -> frozenset[str]:
    """The journals archived in owner mode (they have a protocol sync cursor)."""
    return frozenset(n for (n,) in conn.execute("SELECT journal FROM owner_state"))


def journals(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, root URL) of every archived journal."""
    return [(n, u) for n, u in conn.execute("SELECT name, url FROM journals ORDER BY name")]
