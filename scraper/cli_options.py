"""Options shared by the commands of the CLI (cli.py, cli_read.py), and their checks.

Bad option values are click usage errors (exit 2), found before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click

from .errors import BadContact, NotOurDatabase
from .fetch import contact_from_env
from .fetch.useragent import check_contact

DEFAULT_DB = "data/archive.db"
DEFAULT_RATE = 24.0  # requests per minute: under Dreamwidth's 30 for anonymous readers
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

F = TypeVar("F", bound=Callable[..., Any])


def db_option(default: str = DEFAULT_DB) -> Callable[[F], F]:
    """`--db PATH`: the SQLite archive file."""
    return click.option(
        "--db",
        "db_path",
        default=default,
        show_default=True,
        type=click.Path(),  # a directory or device is refused by the store, in one line
        help="SQLite archive file.",
    )


class ContactType(click.ParamType):
    """An e-mail address or URL for the User-Agent (scraper.fetch.useragent's rule)."""

    name = "contact"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            contact = check_contact(str(value))
        except BadContact as exc:
            self.fail(str(exc), param, ctx)
        if contact is None:
            self.fail("the contact address is empty", param, ctx)
        return contact


def crawl_options(
    *, rate: float = 24.0, quiet_help: str = "Print only problems."
) -> Callable[[F], F]:
    """The options every command that talks to the site takes (archive, sync)."""

    def decorate(f: F) -> F:
        for option in reversed(
            [
                click.option(
                    "--contact",
                    type=ContactType(),
                    help="Contact address for the User-Agent (or DWARCHIVE_CONTACT).",
                ),
                click.option(
                    "--rate",
                    type=click.FloatRange(min=0),
                    default=rate,
                    show_default=True,
                    help="Requests per minute (Dreamwidth allows anonymous readers 30); "
                    "0 = no limit, for a test site on 127.0.0.1 only.",
                ),
                click.option(
                    "--ignore-robots",
                    is_flag=True,
                    help="Archive even if robots.txt disallows it (only for a journal you own; "
                    "logged).",
                ),
                click.option(
                    "--allow-adult", is_flag=True, help="Confirm Dreamwidth's adult-content notice."
                ),
                click.option(
                    "--ignore-cooldown",
                    is_flag=True,
                    help="Go on although the site asked us to wait (a 429 or a captcha you have "
                    "since solved in a browser); logged.",
                ),
                click.option("--quiet", "-q", is_flag=True, help=quiet_help),
            ]
        ):
            f = option(f)
        return f

    return decorate


def checked_rate(rate: float, roots: list[str]) -> float | None:
    """--rate 0 turns the limiter off: a usage error unless every journal is on loopback."""
    if rate > 0:
        return rate
    for root in roots:
        if (urlsplit(root).hostname or "") not in LOOPBACK_HOSTS:
            raise click.BadParameter(
                "0 (no rate limit) is only allowed for test sites on 127.0.0.1",
                param_hint="'--rate'",
            )
    return None


def checked_contact(contact: str | None) -> str | None:
    """The --contact value, or DWARCHIVE_CONTACT checked like it."""
    if contact:
        return contact
    try:
        return check_contact(contact_from_env())
    except BadContact as exc:
        raise click.UsageError(f"DWARCHIVE_CONTACT: {exc}") from None


def require_archive(db_path: str | Path) -> Path:
    """The archive at `db_path`; a clear error when there is none (or it is not ours)."""
    from .store import check_database_file

    path = Path(db_path)
    if not check_database_file(path):
        raise NotOurDatabase(f"{path}: no archive here yet (run `dwarchive archive` first)")
    return path
