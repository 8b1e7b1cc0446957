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
from typing import TYPE_CHECKING

import click

from .cli_options import db_option
from .errors import NotAJournal, NotOurDatabase
from .terminal import clean, json_text

if TYPE_CHECKING:
    from .read.search import SearchResult

EXPORT_FORMATS = ("markdown", "html", "json", "warc")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """The store's reader (mode=ro and query_only; immutable on a read-only medium). No
    authorizer: the SQL run here is our own, and FTS5 needs statements the `query` command's
    authorizer denies."""
    from .store import open_reader

    return open_reader(path)


def open_for_reading(db_path: str | Path) -> sqlite3.Connection:
    """A read-only connection to an up-to-date archive (upgrading an older one first)."""
    from .store import RunLock, check_database_file, open_database
    from .store.read_queries import schema_version
    from .store.schema import SCHEMA_VERSION

    path = Path(db_path)
    if not check_database_file(path):
        raise NotOurDatabase(f"{path}: no archive here yet (run `dwarchive archive` first)")
    conn = _connect_read_only(path)
    if schema_version(conn) < SCHEMA_VERSION:
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


# Highlight markers handed to FTS5 while searching: private-use characters, replaced by the
# real (ANSI or bracket) markers only after the archived text was cleaned for the terminal.
_MARK_START, _MARK_END = "\ue000", "\ue001"


def _print_hits(
    result: SearchResult, highlight: tuple[str, str] = ("[", "]"), *, show_rank: bool = False
) -> None:
    """The hits, every archived value cleaned of escape sequences and control characters."""
    if not result.hits:
        click.echo("no matches")
        return
    for n, hit in enumerate(result.hits, start=1):
        title = clean(hit.subject) or "(no subject)"
        who = f" · {clean(hit.author)}" if hit.kind == "comment" and hit.author else ""
        if hit.kind == "comment" and not hit.author:
            who = " · (anonymous)"
        flags = " · deleted" if hit.deleted else ""
        rank = f" · rank {hit.rank:.2f}" if show_rank else ""
        journal, date = clean(hit.journal), clean(hit.date) or "undated"
        click.echo(f"{n}. {hit.kind} · {journal} · {date} · {title}{who}{flags}{rank}")
        click.echo(f"   {clean(hit.url)}")
        snippet = clean(hit.snippet).replace(_MARK_START, highlight[0])
        click.echo(f"   {snippet.replace(_MARK_END, highlight[1])}")


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
def search(
    query: str,
    db_path: str,
    journal: str | None,
    comments: bool,
    limit: int,
    strict: bool,
    fmt: str,
) -> None:
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
            highlight=(_MARK_START, _MARK_END) if fmt == "text" else highlight,
        )
    finally:
        conn.close()
    if result.note:
        click.echo(f"dwarchive: note: {clean(result.note)}", err=True)
    if fmt == "json":
        payload = {
            "query": result.query,
            "fts_query": result.fts_query,
            "note": result.note,
            "hits": [asdict(h) for h in result.hits],
        }
        click.echo(json_text(payload))
    else:
        _print_hits(result, highlight)


# --- export -------------------------------------------------------------------------------------


def run_export(
    db_path: str | Path,
    fmt: str,
    out_dir: str | Path,
    journal: str | None,
    *,
    remote_images: bool = False,
) -> int:
    """Export from the database only (no requests); returns the number of entries/records.
    `remote_images`: HTML and Markdown show images that were not stored locally from their
    original addresses (by default they become links, and nothing loads from elsewhere)."""
    from .read.export_html import export_html
    from .read.export_json import export_json
    from .read.export_markdown import export_markdown
    from .read.export_warc import export_warc
    from .store.read_queries import has_journal

    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    conn = open_for_reading(db_path)
    try:
        if journal and not has_journal(conn, journal):
            raise NotAJournal(f"{db_path} has no journal named {journal!r}")
        out = Path(out_dir)
        if fmt == "html":
            return export_html(conn, out, journal, remote_images=remote_images)
        if fmt == "markdown":
            return export_markdown(conn, out, journal, remote_images=remote_images)
        if fmt == "json":
            return export_json(conn, out, journal)
        return export_warc(conn, out, journal)
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
@click.option(
    "--remote-images",
    is_flag=True,
    help="html/markdown: show images not stored by `archive --images` from their original "
    "addresses (each view of a page then asks those hosts). Default: they become links.",
)
def export(
    db_path: str, fmt: str, journal: str | None, out_dir: str | None, remote_images: bool
) -> None:
    """Export the archive (from the database alone, no requests).

    Archived HTML is sanitised (an allow-list of elements, attributes and URL schemes) and
    nothing in an exported page loads from elsewhere unless --remote-images is given.
    """
    out_dir = out_dir or f"export/{fmt}"
    count = run_export(db_path, fmt, out_dir, journal, remote_images=remote_images)
    what = "response records" if fmt == "warc" else "entries"
    click.echo(f"exported {count} {what} as {fmt} to {clean(out_dir)}")


# --- datasette-metadata -------------------------------------------------------------------------


@click.command("datasette-metadata")
@db_option()
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False),
    help="Write to this file (e.g. metadata.json) instead of standard output.",
)
def datasette_metadata(db_path: str, out_file: str | None) -> None:
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
