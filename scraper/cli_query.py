"""The commands that read the archive's tables for a person at a terminal: `query` and `status`.

Registered on the main group by scraper.cli. Archived text is written by journals and their
commenters, so everything printed goes through scraper.terminal (no escape sequences reach the
terminal); output for pipes (CSV, JSON) keeps the data exact.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import sys
from dataclasses import asdict
from typing import Any

import click
from tabulate import tabulate

from .cli_options import DEFAULT_RATE, db_option
from .crawl.estimate import estimate_queue
from .progress import format_duration
from .terminal import clean, format_table, json_text

QUERY_FORMATS = ("table", "markdown", "csv", "json")


def print_query(db_path: str, sql: str, fmt: str) -> None:
    """Run `sql` read-only and print its rows as a table, Markdown, CSV or JSON."""
    from .store import open_read_only, run_read_only

    conn = open_read_only(db_path)
    try:
        columns, rows = run_read_only(conn, sql)
    finally:
        conn.close()
    if fmt == "json":
        click.echo(json_text([dict(zip(columns, r)) for r in rows], default=_json_default))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        tty = sys.stdout.isatty()  # a pipe gets the exact data; a terminal nothing it acts on
        w.writerows([[clean(v) if tty and isinstance(v, str) else v for v in r] for r in rows])
        click.echo(buf.getvalue(), nl=False)
    elif fmt == "markdown":
        click.echo(markdown_table(columns, rows))
    else:
        click.echo(format_table(columns, rows))


def markdown_table(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    """A GitHub-flavoured Markdown table; cells cleaned, their `|` escaped."""

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bytes):
            return f"<{len(value)} bytes>"
        return clean(value).replace("\\", "\\\\").replace("|", "\\|")

    return tabulate(
        [[cell(v) for v in r] for r in rows],
        headers=[cell(c) for c in columns],
        tablefmt="github",
        disable_numparse=True,
    )


def _json_default(value: object) -> str:
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


@click.command()
@click.argument("sql")
@db_option()
@click.option(
    "--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True
)
def query(sql: str, db_path: str, fmt: str) -> None:
    """Run SQL on a read-only connection to the archive."""
    print_query(db_path, sql, fmt)


@click.command()
@db_option()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def status(db_path: str, fmt: str) -> None:
    """Per journal: entries, comments, last run, calendar coverage and what is left to do."""
    from .store import open_read_only
    from .store.status import journal_statuses

    conn = open_read_only(db_path)
    try:
        statuses = journal_statuses(conn)
    finally:
        conn.close()
    if fmt == "json":
        click.echo(json_text([asdict(s) for s in statuses], default=str))
        return
    if not statuses:
        click.echo("no journals archived yet")
        return
    for s in statuses:
        for line in _status_lines(db_path, s):
            click.echo(clean(line))


def _status_lines(db_path: str, s: Any) -> list[str]:
    from .store import run_is_alive

    cov = s.coverage
    lines = [f"{s.name} ({s.type or '?'}) {s.url}"]
    lines.append(
        f"  entries: {s.entries} (+{s.deleted_entries} deleted), comments: {s.comments}, "
        f"revisions: {s.revisions}"
    )
    lines.append(
        f"  coverage: {cov.percent:.1f}% ({cov.stored} of {cov.expected} entries the calendar "
        "lists)"
    )
    lines += [
        f"    missing on {day}: calendar {want}, stored {have}"
        for day, want, have in cov.missing_days[:20]
    ]
    if len(cov.missing_days) > 20:
        lines.append(f"    … and {len(cov.missing_days) - 20} more days")
    r = s.last_run
    if r:
        if r["finished_at"]:
            ended = f"-> {r['finished_at']} {r['outcome']}"
        elif (alive := run_is_alive(db_path, r["id"])) is None:
            ended = "did not finish, or is still running (cannot check its run lock here)"
        elif alive:
            ended = "still running"
        else:
            ended = "did not finish (killed?); the next run resumes it"
        lines.append(
            f"  last run: {r['command']} {r['started_at']} {ended}, {r['requests'] or 0} "
            f"requests; entries {r['new_entries'] or 0} new, {r['changed_entries'] or 0} "
            f"changed, {r['deleted_entries'] or 0} deleted; comments {r['new_comments'] or 0}"
            f" new, {r['changed_comments'] or 0} changed"
        )
        if r["outcome"] not in ("complete", "running") and r.get("message"):
            lines.append(f"    {r['message']}")
    if s.pending:
        est = estimate_queue(s.pending_by_kind, s.pending_entry_comments, 60 / DEFAULT_RATE)
        lines.append(
            f"  unfinished work: {s.pending} page(s) queued; the next run resumes them: "
            f"about {est.remaining} requests, ~{format_duration(est.seconds_left)} at "
            f"{DEFAULT_RATE:g} requests/minute"
        )
    if s.parse_errors:
        lines.append(f"  parse errors: {s.parse_errors} page(s) (see the parse_errors table)")
    failures = _image_failures(db_path, s.name)
    if failures:
        lines.append(f"  images not fetched: {len(failures)}")
        lines += [f"    {f['url']}: {f['error'] or f['status']}" for f in failures[:10]]
    return lines


def _image_failures(db_path: str, journal: str) -> list[dict[str, Any]]:
    from .images import image_failures
    from .store import open_read_only

    conn = open_read_only(db_path)
    try:
        return image_failures(conn, journal)
    except sqlite3.DatabaseError:  # an archive from before the images table (not upgraded yet)
        return []
    finally:
        conn.close()


QUERY_COMMANDS = [query, status]
