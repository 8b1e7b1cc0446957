"""What the archive remembers about runs: `sync_runs` rows, and a host's "wait until" in
`host_state` (a 429's Retry-After or a captcha outlives the run that met it)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import sqlite_utils

from .journal import touch_journal
from .rows import Changes


@dataclass(frozen=True)
class RunTotals:
    """What a run did, as `sync_runs` records it."""

    journal: str | None
    outcome: str
    message: str
    requests: int
    changes: Changes


def start_run(db: sqlite_utils.Database, journal: str | None, command: str, now: str) -> int:
    """Insert a 'running' row (with this process's pid); returns its id."""
    with db.atomic():
        table = db.table("sync_runs")
        table.insert(
            {
                "journal": journal,
                "command": command,
                "started_at": now,
                "outcome": "running",
                "pid": os.getpid(),
                "requests": 0,
            }
        )
        run_id = table.last_pk
    assert isinstance(run_id, int)
    return run_id


def finish_run(
    db: sqlite_utils.Database, run_id: int, totals: RunTotals, now: str, *, complete: bool
) -> None:
    """Record how the run ended; a complete run also stamps the journal's last_archived_at."""
    c = totals.changes
    with db.atomic():
        db.table("sync_runs").update(
            run_id,
            {
                "journal": totals.journal,
                "finished_at": now,
                "outcome": totals.outcome,
                "message": totals.message,
                "requests": totals.requests,
                "new_entries": c.new_entries,
                "changed_entries": c.changed_entries,
                "deleted_entries": c.deleted_entries,
                "new_comments": c.new_comments,
                "changed_comments": c.changed_comments,
            },
        )
        if totals.journal and complete:
            touch_journal(db, totals.journal, now)


@dataclass(frozen=True)
class HostWait:
    not_before: str  # ISO 8601 UTC
    reason: str


def host_wait(db: sqlite_utils.Database, host: str) -> HostWait | None:
    row = db.execute("SELECT not_before, reason FROM host_state WHERE host = ?", [host]).fetchone()
    if not row or not row[0]:
        return None
    return HostWait(row[0], row[1])


def remember_host_wait(
    db: sqlite_utils.Database, host: str, not_before: str, reason: str, now: str
) -> None:
    with db.atomic():
        db.table("host_state").upsert(
            {"host": host, "not_before": not_before, "reason": reason, "updated_at": now},
            pk="host",
        )
