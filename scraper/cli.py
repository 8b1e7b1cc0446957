"""The `dwarchive` command line: archive, demo, query, status (and the commands built on them).

Each command is a thin join of the pipeline's parts (fetch -> parse -> store -> crawl). Every
DwArchiveError becomes one line on stderr and its documented exit code, here and only here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import click

from . import __version__
from .cli_options import CrawlArgs, crawl_options, db_option, options_for, require_archive
from .cli_query import QUERY_COMMANDS, print_query
from .cli_read import READ_COMMANDS
from .cli_serve import SERVE_COMMANDS
from .crawl import CrawlMode, CrawlOptions, RunSummary, run_archive, run_journals
from .errors import EXIT_ERROR, DwArchiveError
from .fetch import journal_name, journal_root
from .kinds import RunOutcome
from .progress import PlainProgress, progress_printer


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


# --- archive and sync --------------------------------------------------------------------------


@contextmanager
def _printer(quiet: bool) -> Iterator[PlainProgress]:
    """The progress display for a run (live on a terminal), closed before the summary."""
    printer = progress_printer(quiet=quiet)
    try:
        yield printer
    finally:
        printer.close()


def _summary_line(summary: RunSummary, db_path: str) -> str:
    from .store import open_read_only
    from .store.status import coverage, stored_counts

    c = summary.changes
    cov_text = ""
    if summary.journal:
        conn = open_read_only(db_path)
        try:
            cov = coverage(conn, summary.journal)
            stored = stored_counts(conn, summary.journal)
        finally:
            conn.close()
        locked = f" ({stored.locked} locked)" if stored.locked else ""
        cov_text = (
            f"; {stored.entries} entries{locked}, {stored.comments} comments stored; "
            f"coverage {cov.percent:.0f}% ({cov.stored}/{cov.expected}"
            f"{' public' if stored.locked else ''})"
        )
    return (
        f"{summary.journal or '?'}: {summary.outcome} - {summary.requests} requests, "
        f"{summary.pages} pages; entries {c.new_entries} new, {c.changed_entries} changed; "
        f"comments {c.new_comments} new, {c.changed_comments} changed{cov_text}"
        + (f" ({summary.message})" if summary.outcome != "complete" and summary.message else "")
    )


def _report(summaries: list[RunSummary], db_path: str, quiet: bool) -> None:
    """One line per journal (problems on stderr); exit 1 when any run is not complete."""
    for s in summaries:
        line = _summary_line(s, db_path)
        if s.outcome != RunOutcome.COMPLETE:
            click.echo(line, err=True)
        elif not quiet:
            click.echo(line)
    if any(s.outcome != RunOutcome.COMPLETE for s in summaries):
        sys.exit(EXIT_ERROR)


@cli.command()
@click.argument("journal")
@db_option()
@crawl_options()
@click.option(
    "--images",
    is_flag=True,
    help="Also download embedded images and userpics (content-addressed, polite per image host).",
)
@click.option(
    "--image-rate",
    type=click.FloatRange(min=0, min_open=True),
    default=12.0,
    show_default=True,
    help="Requests per minute to each image host.",
)
def archive(journal: str, db_path: str, crawl: CrawlArgs, images: bool, image_rate: float) -> None:
    """Archive JOURNAL (a name like nairiporter, or a journal URL) into the database.

    With an API key (--api-key-file or DWARCHIVE_API_KEY) the journal's owner, or a community's
    maintainer, archives everything they can see through Dreamwidth's protocol (owner mode)."""
    options = options_for(crawl, [journal_root(journal)])
    with _printer(crawl.quiet) as printer:
        summary = run_archive(journal, db_path, options, printer=printer)
    _report([summary], db_path, crawl.quiet)
    if images and summary.journal:
        from .images import run_image_archive, summary_line

        result = run_image_archive(
            db_path, summary.journal, contact=options.contact, per_host_rate=image_rate
        )
        if not crawl.quiet or result.get("failed"):
            click.echo(summary_line(result))


@cli.command()
@click.argument("journals", nargs=-1)
@db_option()
@click.option("--full", is_flag=True, help="Re-walk the whole archive (weekly deep check).")
@crawl_options(quiet_help="Print only problems (for cron).")
def sync(journals: tuple[str, ...], db_path: str, full: bool, crawl: CrawlArgs) -> None:
    """Fetch only what changed for JOURNALS (default: every journal in the database)."""
    from .store import open_read_only
    from .store.status import journals as stored_journals
    from .store.status import owner_mode_journals

    require_archive(db_path)
    conn = open_read_only(db_path)
    try:
        stored = dict(stored_journals(conn))  # name -> the root URL it was archived from
        owner_only: frozenset[str] | None = owner_mode_journals(conn)  # unnamed: others anonymous
    finally:
        conn.close()
    if journals:
        targets = [_sync_target(journal, stored) for journal in journals]
        owner_only = None
    else:
        targets = [(url, name) for name, url in stored.items()]
        if not targets:
            raise DwArchiveError(f"{db_path} holds no journals yet; run `dwarchive archive` first")
    options = options_for(crawl, [root for root, _ in targets], [name for _, name in targets])
    if options.owner is not None and owner_only is not None:
        options = replace(options, owner_only=owner_only)
    with _printer(crawl.quiet) as printer:
        summaries = run_journals(
            targets,
            db_path,
            options,
            printer=printer,
            command="sync-full" if full else "sync",
            mode=CrawlMode.DEEP if full else CrawlMode.INCREMENTAL,
        )
    _report(summaries, db_path, crawl.quiet)


def _sync_target(journal: str, stored: dict[str, str]) -> tuple[str, str | None]:
    """(root URL, name) for a journal named on `sync`: an archived journal's own address (the
    one it was archived from), else the address the name or URL stands for."""
    from .parse.users import canonical_username

    name = canonical_username(journal)
    if name is not None and name in stored:
        return stored[name], name
    root = journal_root(journal)
    return root, journal_name(root)


# --- demo -------------------------------------------------------------------------------------

DEMO_QUERY = (
    "SELECT posted_at, subject, userpic_keyword, comment_count FROM entries "
    "WHERE journal = 'nairiporter' ORDER BY comment_count DESC, posted_at DESC LIMIT 5"
)


@cli.command()
@db_option("data/demo.db")
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=600.0,
    show_default=True,
    help="Requests per minute against the local sample site.",
)
@click.option("--quiet", "-q", is_flag=True)
def demo(db_path: str, rate: float, quiet: bool) -> None:
    """Serve the bundled sample journals on 127.0.0.1 and archive them (no network needed):
    two as an anonymous reader sees them, and one in owner mode with its demo API key."""
    from .crawl.owner import OwnerAccess
    from .fakesite.protocol import OWNER_API_KEY, OWNER_NAME, build_owner_journal
    from .fakesite.sample import build_sample_site
    from .fakesite.server import FakeSite
    from .parse.owner.secret import Secret

    options = CrawlOptions(contact="demo@dwarchive.invalid", rate=rate)
    owner = OwnerAccess(OWNER_NAME, Secret(OWNER_API_KEY), OWNER_NAME)
    with FakeSite([*build_sample_site(), build_owner_journal()]) as site:
        for name in list(site.journals):
            if name == OWNER_NAME:
                click.echo(f"owner mode: {name}, with its API key (locked entries too)")
            run_options = replace(options, owner=owner) if name == OWNER_NAME else options
            with _printer(quiet) as printer:
                summary = run_archive(
                    site.url(name), db_path, run_options, printer=printer, command="demo"
                )
            click.echo(_summary_line(summary, db_path))
            if summary.outcome != RunOutcome.COMPLETE:
                sys.exit(EXIT_ERROR)
    click.echo("")
    click.echo(f'$ dwarchive query --db {db_path} "{DEMO_QUERY}"')
    print_query(db_path, DEMO_QUERY, "table")


# --- reparse ----------------------------------------------------------------------------------


@cli.command()
@db_option()
@click.option("--journal", help="Only this journal's pages.")
def reparse(db_path: str, journal: str | None) -> None:
    """Re-parse stored raw pages with the current parsers (offline: no request is made)."""
    from .crawl.reparse import reparse as do_reparse
    from .store import RunLock, open_database
    from .timestamps import utc_now

    require_archive(db_path)
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


for _command in [*QUERY_COMMANDS, *READ_COMMANDS, *SERVE_COMMANDS]:  # query, status, ...
    cli.add_command(_command)


# --- entry point ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Console entry point."""
    cli.main(args=argv, prog_name="dwarchive")


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["cli", "main"]
