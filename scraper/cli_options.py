"""Options shared by the commands of the CLI (cli.py, cli_read.py), and their checks.

Bad option values are click usage errors (exit 2), found before anything runs.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import click

from .crawl import CrawlOptions
from .crawl.owner import API_KEY_ENV, OwnerAccess
from .errors import BadContact, NotOurDatabase
from .fetch import contact_from_env, journal_name
from .fetch.useragent import check_contact
from .parse.owner.secret import Secret

DEFAULT_DB = "data/archive.db"
DEFAULT_RATE = 24.0  # requests per minute: under Dreamwidth's 30 for anonymous readers
OWNER_RATE = 60.0  # owner mode: the session cookie puts us in the 100/60 s per-user bucket
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


@dataclass(frozen=True)
class CrawlArgs:
    """What the options every crawling command takes say (archive, sync)."""

    contact: str | None
    rate: float | None  # None: not given (24/minute, or 60 in owner mode)
    ignore_robots: bool
    allow_adult: bool
    ignore_cooldown: bool
    quiet: bool
    user: str | None  # owner mode: the account (default: the journal)
    api_key_file: str | None  # owner mode: a file holding the API key


def crawl_options(*, quiet_help: str = "Print only problems.") -> Callable[[F], F]:
    """The options every command that talks to the site takes (archive, sync), handed to the
    command as one `crawl: CrawlArgs` argument."""

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def command(
            *args: Any,
            contact: str | None,
            rate: float | None,
            ignore_robots: bool,
            allow_adult: bool,
            ignore_cooldown: bool,
            quiet: bool,
            user: str | None,
            api_key_file: str | None,
            **kw: Any,
        ) -> Any:
            crawl = CrawlArgs(
                contact,
                rate,
                ignore_robots,
                allow_adult,
                ignore_cooldown,
                quiet,
                user,
                api_key_file,
            )
            return f(*args, crawl=crawl, **kw)

        wrapped: Any = command
        for option in reversed(_CRAWL_OPTIONS(quiet_help)):
            wrapped = option(wrapped)
        return cast(F, wrapped)

    return decorate


def _CRAWL_OPTIONS(quiet_help: str) -> list[Callable[[Any], Any]]:
    return [
        click.option(
            "--contact",
            type=ContactType(),
            help="Contact address for the User-Agent (or DWARCHIVE_CONTACT).",
        ),
        click.option(
            "--rate",
            type=click.FloatRange(min=0),
            default=None,
            help=f"Requests per minute [default: {DEFAULT_RATE:g}, under the 30 Dreamwidth allows "
            f"anonymous readers; {OWNER_RATE:g} in owner mode]; 0 = no limit, for a test site on "
            "127.0.0.1 only.",
        ),
        click.option(
            "--ignore-robots",
            is_flag=True,
            help="Archive even if robots.txt disallows it (only for a journal you own; logged).",
        ),
        click.option(
            "--allow-adult", is_flag=True, help="Confirm Dreamwidth's adult-content notice."
        ),
        click.option(
            "--ignore-cooldown",
            is_flag=True,
            help="Go on although the site asked us to wait (a 429 or a captcha you have since "
            "solved in a browser); logged.",
        ),
        click.option("--quiet", "-q", is_flag=True, help=quiet_help),
        click.option(
            "--user",
            help="Owner mode: the account whose API key is given (default: the journal; for a "
            "community, a maintainer).",
        ),
        click.option(
            "--api-key-file",
            type=click.Path(dir_okay=False),
            help=f"Owner mode: a file holding your API key (or {API_KEY_ENV}); everything you "
            "can see, locked entries and screened comments included.",
        ),
    ]


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


def options_for(
    args: CrawlArgs, roots: list[str], names: list[str | None] | None = None
) -> CrawlOptions:
    """The crawl options the command line asks for, checked (bad values: usage errors).
    `names`: the journals' names where known (a sync's, from the archive)."""
    owner = owner_access(args, roots, names)
    rate = args.rate if args.rate is not None else (OWNER_RATE if owner else DEFAULT_RATE)
    return CrawlOptions(
        contact=checked_contact(args.contact),
        rate=checked_rate(rate, roots),
        ignore_robots=args.ignore_robots,
        allow_adult=args.allow_adult,
        ignore_cool_down=args.ignore_cooldown,
        owner=owner,
    )


def owner_access(
    args: CrawlArgs, roots: list[str], names: list[str | None] | None = None
) -> OwnerAccess | None:
    """Owner mode when an API key is given (--api-key-file, or DWARCHIVE_API_KEY): the account
    (--user, default each journal's own name) and its key. No option ever takes a password."""
    key = None
    if args.api_key_file:
        path = Path(args.api_key_file)
        try:
            key = path.read_text(encoding="utf-8").strip()
            mode = path.stat().st_mode
        except (OSError, UnicodeDecodeError) as exc:
            raise click.BadParameter(
                f"cannot read {path}: {exc.__class__.__name__}", param_hint="'--api-key-file'"
            ) from None
        if mode & 0o077 and os.name == "posix":
            click.echo(
                f"dwarchive: warning: {path} can be read by other users of this computer; "
                f"the API key is as good as your password: chmod 600 {path}",
                err=True,
            )
    elif os.environ.get(API_KEY_ENV, "").strip():
        key = os.environ[API_KEY_ENV].strip()
    if not key:
        if args.api_key_file:
            raise click.BadParameter("the file holds no API key", param_hint="'--api-key-file'")
        if args.user:
            raise click.UsageError(
                f"--user is for owner mode: give --api-key-file or {API_KEY_ENV}"
            )
        return None
    if any(not (" " < ch <= "~") for ch in key):
        raise click.BadParameter(
            "the API key is one word of printable ASCII", param_hint="'--api-key-file'"
        )
    user = (args.user or "").strip().lower().replace("-", "_")
    known = names if names is not None else [journal_name(root) for root in roots]
    if not user and not all(known):
        raise click.UsageError("owner mode needs the account: give --user ACCOUNT")
    # without --user, each journal is archived by its own account (jobs: OwnerAccess.for_journal)
    return OwnerAccess(username=user, api_key=Secret(key), journal=user or (known[0] or ""))
