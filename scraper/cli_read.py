"""The read-side commands of `dwarchive`: search, export, datasette-metadata.

Registered on the main group by scraper.cli (`cli.add_command(...)`). They only read the archive
(an archive from an older dwarchive is upgraded first, under the run lock) and make no requests;
every failure is a DwArchiveError, printed as one line by scraper.cli.main.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import asdict
from pathlib import Path

import click

from .cli_options import db_option
from .errors import NotAJournal, NotOurDatabase

EXPORT_FORMATS = ("markdown", "html", "json", "warc")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """mode=ro plus query_only: SQLite itself refuses every write. (No authorizer: the SQL run
    here is our own, and FTS5 needs statements the `query` command's authorizer denies.)"""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    conn.execute("PRAGMA query_only = ON")
    return conn


def open_for_reading(db_path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an up-to-date archive (upgrading an older one first)."""
    from .store import RunLock, check_database_file, open_database
    from .store.schema import SCHEMA_VERSION

    path = Path(db_path)
    if not check_database_file(path):
        raise NotOurDatabase(f"{path}: no archive here yet (run `dwarchive archive` first)")
    conn = _connect_read_only(path)
    if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        conn.close()
        try:
            with RunLock(path):
                open_database(path, create=False).close()
        except (sqlite3.Error, OSError) as exc:
            raise NotOurDatabase(
                f"{path} is from an older dwarchive and could not be upgraded ({exc})"
            ) from None
        conn = _connect_read_only(path)
    return conn


# --- search -------------------------------------------------------------------------------------


def _print_hits(result, *, show_rank: bool = False) -> None:
    if not result.hits:
        click.echo("no matches")
        return
    for n, hit in enumerate(result.hits, start=1):
        title = hit.subject or "(no subject)"
        who = f" · {hit.author}" if hit.kind == "comment" and hit.author else ""
        if hit.kind == "comment" and not hit.author:
            who = " · (anonymous)"
        flags = " · deleted" if hit.deleted else ""
        rank = f" · rank {hit.rank:.2f}" if show_rank else ""
        click.echo(
            f"{n}. {hit.kind} · {hit.journal} · {hit.date or 'undated'} · {title}{who}{flags}{rank}"
        )
        click.echo(f"   {hit.url or ''}")
        click.echo(f"   {hit.snippet.replace(chr(10), ' ')}")


@click.command()
@click.argument("query")
@db_option()
@click.option("--journal", "-j", help="Only this journal.")
@click.option("--comments", is_flag=True, help="Search comments too, ranked with the entries.")
@click.option("--limit", "-n", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on invalid search syntax instead of searching for the words as typed.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def search(query, db_path, journal, comments, limit, strict, fmt):
    """Full-text search of entries (and with --comments, comments): best matches first.

    QUERY uses SQLite FTS5 syntax: words (all must match), "exact phrases", prefix*, OR, NOT,
    subject:word. Text that is not valid syntax is searched for word by word.
    """
    from .read.search import search as run_search

    conn = open_for_reading(db_path)
    try:
        highlight = ("\x1b[1m", "\x1b[0m") if fmt == "text" and sys.stdout.isatty() else ("[", "]")
        result = run_search(
            conn,
            query,
            journal=journal,
            comments=comments,
            limit=limit,
            strict=strict,
            highlight=highlight,
        )
    finally:
        conn.close()
    if result.note:
        click.echo(f"dwarchive: note: {result.note}", err=True)
    if fmt == "json":
        payload = {
            "query": result.query,
            "fts_query": result.fts_query,
            "note": result.note,
            "hits": [asdict(h) for h in result.hits],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print_hits(result)


# --- export -------------------------------------------------------------------------------------


def run_export(db_path: str | Path, fmt: str, out_dir: str | Path, journal: str | None) -> int:
    """Export from the database only (no requests); returns the number of entries/records."""
    from .read.export_html import export_html
    from .read.export_json import export_json
    from .read.export_markdown import export_markdown
    from .read.export_warc import export_warc

    writers = {
        "markdown": export_markdown,
        "html": export_html,
        "json": export_json,
        "warc": export_warc,
    }
    conn = open_for_reading(db_path)
    try:
        if (
            journal
            and conn.execute("SELECT 1 FROM journals WHERE name = ?", [journal]).fetchone() is None
        ):
            raise NotAJournal(f"{db_path} has no journal named {journal!r}")
        return writers[fmt](conn, Path(out_dir), journal)
    finally:
        conn.close()


@click.command()
@db_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="markdown: one file per entry; html: a static site; json: JSON lines; "
    "warc: the raw pages as a WARC file.",
)
@click.option("--journal", "-j", help="Only this journal.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Output directory [default: export/FORMAT].",
)
def export(db_path, fmt, journal, out_dir):
    """Export the archive (from the database alone, no requests)."""
    out_dir = out_dir or f"export/{fmt}"
    count = run_export(db_path, fmt, out_dir, journal)
    what = "response records" if fmt == "warc" else "entries"
    click.echo(f"exported {count} {what} as {fmt} to {out_dir}")


# --- datasette-metadata -------------------------------------------------------------------------


@click.command("datasette-metadata")
@db_option()
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False),
    help="Write to this file (e.g. metadata.json) instead of standard output.",
)
def datasette_metadata(db_path, out_file):
    """Print Datasette metadata (descriptions, facets, canned queries) for the archive.

    Use: dwarchive datasette-metadata --out metadata.json && datasette data/archive.db -m
    metadata.json
    """
    from .read.datasette_meta import database_columns
    from .read.datasette_meta import datasette_metadata as build

    conn = open_for_reading(db_path)
    try:
        columns = database_columns(conn)
    finally:
        conn.close()
    text = json.dumps(build(Path(db_path).stem, columns), ensure_ascii=False, indent=2)
    if out_file:
        Path(out_file).write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {out_file}", err=True)
    else:
        click.echo(text)


READ_COMMANDS = (search, export, datasette_metadata)

__all__ = [
    "READ_COMMANDS",
    "datasette_metadata",
    "export",
    "open_for_reading",
    "run_export",
    "search",
]
