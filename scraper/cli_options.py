"""Options shared by every command module of the CLI (cli.py, cli_read.py)."""

from __future__ import annotations

import click

DEFAULT_DB = "data/archive.db"


def db_option(default: str = DEFAULT_DB):
    """`--db PATH`: the SQLite archive file."""
    return click.option(
        "--db",
        "db_path",
        default=default,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite archive file.",
    )
