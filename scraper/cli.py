"""The `dwarchive` command line: archive, demo, query, status (and the commands built on them).

Each command is a thin join of the pipeline's parts (fetch -> parse -> store -> crawl). Every
DwArchiveError becomes one line on stderr and its documented exit code, here and only here.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import click

from . import __version__
from .cli_options import db_option
from .errors import EXIT_ERROR, DwArchiveError


class ArchiveGroup(click.Group):
    """Maps every DwArchiveError to one line on stderr and its exit code, for all commands."""

    def invoke(self, ctx: click.Context):
        import sqlite3

        try:
            return super().invoke(ctx)
        except DwArchiveError as exc:
            click.echo(f"dwarchive: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(
                "dwarchive: interrupted; the next run resumes where this one stopped", err=True
            )
            ctx.exit(130)
        except (sqlite3.DatabaseError, OSError) as exc:
            # Last resort: the store maps the archive file's failures to DwArchiveErrors itself;
            # anything else that reads or writes files still gets one line, not a traceback.
            if isinstance(exc, OSError) and exc.strerror:
                where = f": {exc.filename}" if exc.filename else ""
                message = f"{exc.strerror}{where}"
            else:
                message = str(exc) or type(exc).__name__
            click.echo(f"dwarchive: error: {message}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dwarchive")
def cli() -> None:
    """Archive Dreamwidth-style journals into one SQLite file, politely and incrementally."""


# --- archive ----------------------------------------------------------------------------------


def _check_rate(rate: float | None, roots: list[str]) -> float | None:
    """--rate 0 turns the limiter off, allowed only against a loopback test site."""
    from urllib.parse import urlsplit

    from .errors import DwArchiveError

    if rate is not None and rate <= 0:
        for root in roots:
            if (urlsplit(root).hostname or "") not in ("127.0.0.1", "localhost", "::1"):
                raise DwArchiveError(
                    "--rate 0 (no rate limit) is only allowed for 127.0.0.1 test sites"
                )
        return None
    return rate


def run_journals(
    targets: list[tuple[str, str | None]],
    db_path: str,
    *,
    contact: str | None,
    rate: float | None,
    ignore_robots: bool = False,
    allow_adult: bool = False,
    quiet: bool = False,
    command: str = "archive",
    mode: str = "full",
    transport=None,
    clock=None,
    printer=None,
) -> list:
    """Crawl each (root URL, expected name) under one run lock; returns the run summaries.

    Stops at the first rate-limit or captcha (the whole site is then telling us to wait); other
    per-journal errors are reported and the next journal is tried."""
    from .crawl import Archiver
    from .errors import Blocked, DwArchiveError, RateLimited
    from .fetch import HttpFetcher, contact_from_env
    from .progress import ProgressPrinter
    from .store import RunLock, open_database

    contact = contact or contact_from_env()
    rate = _check_rate(rate, [root for root, _ in targets])
    printer = printer or ProgressPrinter(quiet=quiet)
    summaries = []
    with RunLock(db_path):
        db = open_database(db_path)
        limiter = None
        try:
            for root, name in targets:
                fetcher = HttpFetcher(
                    root,
                    contact=contact,
                    rate_per_minute=rate,
                    obey_robots=not ignore_robots,
                    robots_override_reason="--ignore-robots given (the owner's own journal)"
                    if ignore_robots
                    else None,
                    on_event=printer.fetch_event,
                    transport=transport,
                    clock=clock,
                    limiter=limiter,
                    allow_adult_host=allow_adult,
                )
                limiter = fetcher.limiter  # one bucket for the whole run: same site, same IP
                try:
                    if not quiet:
                        click.echo(f"{command}: {root} -> {db_path}", err=True)
                    archiver = Archiver(
                        db,
                        fetcher,
                        root,
                        expected_name=name,
                        allow_adult=allow_adult,
                        command=command,
                        mode=mode,
                        report=printer,
                    )
                    try:
                        summaries.append(archiver.run())
                    except (RateLimited, Blocked):
                        raise
                    except DwArchiveError as exc:
                        if len(targets) == 1:
                            raise
                        click.echo(f"dwarchive: error: {root}: {exc}", err=True)
                        summaries.append(archiver.summary)
                finally:
                    fetcher.close()
        finally:
            db.close()
    return summaries


def run_archive(journal: str, db_path: str, **kw):
    """Archive one journal given by name or URL; returns its run summary."""
    from .fetch import journal_name, journal_root

    root = journal_root(journal)
    return run_journals([(root, journal_name(root))], db_path, **kw)[0]


def _summary_line(summary, db_path: str) -> str:
    from .store import open_read_only
    from .store.status import coverage

    c = summary.changes
    cov_text = ""
    if summary.journal:
        conn = open_read_only(db_path)
        try:
            cov = coverage(conn, summary.journal)
            entries = conn.execute(
                "SELECT count(*) FROM entries WHERE journal = ?", [summary.journal]
            ).fetchone()[0]
            comments = conn.execute(
                "SELECT count(*) FROM comments WHERE journal = ?", [summary.journal]
            ).fetchone()[0]
        finally:
            conn.close()
        cov_text = (
            f"; {entries} entries, {comments} comments stored; "
            f"coverage {cov.percent:.0f}% ({cov.stored}/{cov.expected})"
        )
    return (
        f"{summary.journal or '?'}: {summary.outcome} - {summary.requests} requests, "
        f"{summary.pages} pages; entries {c.new_entries} new, {c.changed_entries} changed; "
        f"comments {c.new_comments} new, {c.changed_comments} changed{cov_text}"
        + (f" ({summary.message})" if summary.outcome != "complete" and summary.message else "")
    )


@cli.command()
@click.argument("journal")
@db_option()
@click.option("--contact", help="Contact address for the User-Agent (or DWARCHIVE_CONTACT).")
@click.option(
    "--rate",
    type=float,
    default=24.0,
    show_default=True,
    help="Requests per minute (Dreamwidth allows anonymous readers 30).",
)
@click.option(
    "--ignore-robots",
    is_flag=True,
    help="Archive even if robots.txt disallows it (only for a journal you own; logged).",
)
@click.option("--allow-adult", is_flag=True, help="Confirm Dreamwidth's adult-content notice.")
@click.option(
    "--images",
    is_flag=True,
    help="Also download embedded images and userpics (content-addressed, polite per image host).",
)
@click.option(
    "--image-rate",
    type=float,
    default=12.0,
    show_default=True,
    help="Requests per minute to each image host.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def archive(journal, db_path, contact, rate, ignore_robots, allow_adult, images, image_rate, quiet):
    """Archive JOURNAL (a name like nairiporter, or a journal URL) into the database."""
    summary = run_archive(
        journal,
        db_path,
        contact=contact,
        rate=rate,
        ignore_robots=ignore_robots,
        allow_adult=allow_adult,
        quiet=quiet,
    )
    line = _summary_line(summary, db_path)
    if summary.outcome != "complete":
        click.echo(line, err=True)
        sys.exit(EXIT_ERROR)
    if not quiet:
        click.echo(line)
    if images and summary.journal:
        from .fetch import contact_from_env
        from .images import run_image_archive, summary_line

        result = run_image_archive(
            db_path,
            summary.journal,
            contact=contact or contact_from_env(),
            per_host_rate=image_rate,
        )
        if not quiet or result.get("failed"):
            click.echo(summary_line(result))


@cli.command()
@click.argument("journals", nargs=-1)
@db_option()
@click.option("--full", is_flag=True, help="Re-walk the whole archive (weekly deep check).")
@click.option("--contact", help="Contact address for the User-Agent (or DWARCHIVE_CONTACT).")
@click.option(
    "--rate",
    type=float,
    default=24.0,
    show_default=True,
    help="Requests per minute (Dreamwidth allows anonymous readers 30).",
)
@click.option("--ignore-robots", is_flag=True, help="Only for journals you own; logged.")
@click.option("--allow-adult", is_flag=True, help="Confirm Dreamwidth's adult-content notice.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems (for cron).")
def sync(journals, db_path, full, contact, rate, ignore_robots, allow_adult, quiet):
    """Fetch only what changed for JOURNALS (default: every journal in the database)."""
    from .errors import DwArchiveError
    from .fetch import journal_name, journal_root
    from .store import check_database_file, open_read_only

    if not check_database_file(Path(db_path)):
        raise DwArchiveError(f"{db_path}: no archive here yet (run `dwarchive archive` first)")
    if journals:
        targets = []
        for j in journals:
            root = journal_root(j)
            targets.append((root, journal_name(root)))
    else:
        conn = open_read_only(db_path)
        try:
            targets = [
                (url, name)
                for name, url in conn.execute(
                    "SELECT name, url FROM journals ORDER BY name"
                ).fetchall()
            ]
        finally:
            conn.close()
        if not targets:
            raise DwArchiveError(f"{db_path} holds no journals yet; run `dwarchive archive` first")
    summaries = run_journals(
        targets,
        db_path,
        contact=contact,
        rate=rate,
        ignore_robots=ignore_robots,
        allow_adult=allow_adult,
        quiet=quiet,
        command="sync-full" if full else "sync",
        mode="deep" if full else "incremental",
    )
    bad = [s for s in summaries if s.outcome != "complete"]
    for s in summaries:
        line = _summary_line(s, db_path)
        if s.outcome != "complete":
            click.echo(line, err=True)
        elif not quiet:
            click.echo(line)
    if bad:
        sys.exit(EXIT_ERROR)


# --- demo -------------------------------------------------------------------------------------

DEMO_QUERY = (
    "SELECT posted_at, subject, userpic_keyword, comment_count FROM entries "
    "WHERE journal = 'nairiporter' ORDER BY comment_count DESC, posted_at DESC LIMIT 5"
)


@cli.command()
@db_option("data/demo.db")
@click.option(
    "--rate",
    type=float,
    default=600.0,
    show_default=True,
    help="Requests per minute against the local sample site.",
)
@click.option("--quiet", "-q", is_flag=True)
def demo(db_path, rate, quiet):
    """Serve the bundled sample journal on 127.0.0.1 and archive it (no network needed)."""
    from .fakesite.sample import build_sample_site
    from .fakesite.server import FakeSite

    with FakeSite(build_sample_site()) as site:
        for name in list(site.journals):
            summary = run_archive(
                site.url(name),
                db_path,
                contact="demo@dwarchive.invalid",
                rate=rate,
                ignore_robots=False,
                allow_adult=False,
                quiet=quiet,
                command="demo",
            )
            click.echo(_summary_line(summary, db_path))
            if summary.outcome != "complete":
                sys.exit(EXIT_ERROR)
    click.echo("")
    click.echo(f'$ dwarchive query --db {db_path} "{DEMO_QUERY}"')
    _print_query(db_path, DEMO_QUERY, "table")


# --- query ------------------------------------------------------------------------------------


def _print_query(db_path: str, sql: str, fmt: str) -> None:
    from .store import open_read_only, run_read_only

    conn = open_read_only(db_path)
    try:
        columns, rows = run_read_only(conn, sql)
    finally:
        conn.close()
    if fmt == "json":
        click.echo(
            json.dumps(
                [dict(zip(columns, r)) for r in rows],
                ensure_ascii=False,
                indent=2,
                default=_json_default,
            )
        )
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(columns)
        w.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        click.echo(format_table(columns, rows))


def _json_default(value):
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def format_table(columns: list[str], rows: list[tuple], max_width: int = 60) -> str:
    def cell(v) -> str:
        if v is None:
            return ""
        if isinstance(v, bytes):
            return f"<{len(v)} bytes>"
        s = str(v).replace("\n", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    body = [[cell(v) for v in r] for r in rows]
    widths = [len(c) for c in columns]
    for r in body:
        widths = [max(w, len(v)) for w, v in zip(widths, r)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths))
    sep = "  ".join("-" * w for w in widths)
    out = [line.rstrip(), sep]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in body]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


@cli.command()
@click.argument("sql")
@db_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
def query(sql, db_path, fmt):
    """Run SQL on a read-only connection to the archive."""
    _print_query(db_path, sql, fmt)


# --- status -----------------------------------------------------------------------------------


@cli.command()
@db_option()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def status(db_path, fmt):
    """Per journal: entries, comments, last run and calendar coverage."""
    from dataclasses import asdict

    from .store import open_read_only
    from .store.status import journal_statuses

    conn = open_read_only(db_path)
    try:
        statuses = journal_statuses(conn)
    finally:
        conn.close()
    if fmt == "json":
        click.echo(json.dumps([asdict(s) for s in statuses], indent=2, default=str))
        return
    if not statuses:
        click.echo("no journals archived yet")
        return
    for s in statuses:
        click.echo(f"{s.name} ({s.type or '?'}) {s.url}")
        click.echo(
            f"  entries: {s.entries} (+{s.deleted_entries} deleted), comments: {s.comments}, "
            f"revisions: {s.revisions}"
        )
        cov = s.coverage
        click.echo(
            f"  coverage: {cov.percent:.1f}% ({cov.stored} of {cov.expected} entries the calendar "
            f"lists)"
        )
        for day, want, have in cov.missing_days[:20]:
            click.echo(f"    missing on {day}: calendar {want}, stored {have}")
        if len(cov.missing_days) > 20:
            click.echo(f"    … and {len(cov.missing_days) - 20} more days")
        r = s.last_run
        if r:
            if r["finished_at"]:
                ended = f"-> {r['finished_at']} {r['outcome']}"
            elif _pid_alive(r.get("pid")):
                ended = "still running"
            else:
                ended = "did not finish (killed?); the next run resumes it"
            click.echo(
                f"  last run: {r['command']} {r['started_at']} {ended}, {r['requests'] or 0} "
                f"requests; entries {r['new_entries'] or 0} new, {r['changed_entries'] or 0} "
                f"changed, {r['deleted_entries'] or 0} deleted; comments {r['new_comments'] or 0}"
                f" new, {r['changed_comments'] or 0} changed"
            )
            if r["outcome"] not in ("complete", "running") and r.get("message"):
                click.echo(f"    {r['message']}")
        if s.pending:
            click.echo(f"  unfinished work: {s.pending} page(s) queued; the next run resumes them")
        if s.parse_errors:
            click.echo(f"  parse errors: {s.parse_errors} page(s) (see the parse_errors table)")
        failures = image_failures_for(db_path, s.name)
        if failures:
            click.echo(f"  images not fetched: {len(failures)}")
            for f in failures[:10]:
                click.echo(f"    {f['url']}: {f['error'] or f['status']}")


def _pid_alive(pid) -> bool:
    import os

    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except (OSError, ValueError):
        return False
    return True


def image_failures_for(db_path: str, journal: str) -> list[dict]:
    import sqlite3

    from .images import image_failures
    from .store import open_read_only

    conn = open_read_only(db_path)
    try:
        return image_failures(conn, journal)
    except sqlite3.DatabaseError:  # an archive from before the images table existed
        return []
    finally:
        conn.close()


# --- reparse ----------------------------------------------------------------------------------


@cli.command()
@db_option()
@click.option("--journal", help="Only this journal's pages.")
def reparse(db_path, journal):
    """Re-parse stored raw pages with the current parsers (offline: no request is made)."""
    from .crawl.archive import utc_now
    from .crawl.reparse import reparse as do_reparse
    from .errors import DwArchiveError
    from .store import RunLock, check_database_file, open_database

    if not check_database_file(Path(db_path)):
        raise DwArchiveError(f"{db_path}: no archive here yet (run `dwarchive archive` first)")
    with RunLock(db_path):
        db = open_database(db_path, create=False)
        try:
            s = do_reparse(db, utc_now(), journal=journal)
        finally:
            db.close()
    c = s.changes
    click.echo(
        f"reparsed {s.parsed} of {s.pages} stored pages ({s.skipped} not parseable kinds or "
        f"statuses, {s.errors} parse errors); entries {c.new_entries} new, {c.changed_entries} "
        f"changed; comments {c.new_comments} new, {c.changed_comments} changed"
    )
    if s.errors:
        sys.exit(EXIT_ERROR)


from .cli_read import READ_COMMANDS

for _command in READ_COMMANDS:
    cli.add_command(_command)


# --- entry point ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Console entry point."""
    cli.main(args=argv, prog_name="dwarchive")


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["Path", "cli", "format_table", "main", "run_archive"]
