"""The one exception hierarchy of dwarchive, and the exit code each error maps to in the CLI.

Every module raises these (never bare Exception subclasses of its own), so the CLI can turn any
failure into one clear line and a documented exit code in one place.
"""

from __future__ import annotations

# Exit codes (documented in README.md).
EXIT_ERROR = 1  # bad input, not a journal, not our database, network failure after retries
EXIT_USAGE = 2  # click's own code for wrong options
EXIT_TEMPFAIL = 75  # EX_TEMPFAIL: stopped early by rate limiting or a captcha; try again later


class DwArchiveError(Exception):
    """Base class: a failure with a one-line, user-facing message."""

    exit_code = EXIT_ERROR


# --- fetching -------------------------------------------------------------------------------


class FetchError(DwArchiveError):
    """A page could not be fetched (after retries)."""

    url: str | None  # the URL that was asked for (absolute), when there was one
    status: int | None  # the HTTP status that decided it, when there was a response

    def __init__(self, message: str, url: str | None = None, status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status


class RateLimited(FetchError):
    """The site keeps answering 429 (or asks us to wait longer than we may): stop, try later."""

    exit_code = EXIT_TEMPFAIL


class Blocked(FetchError):
    """A captcha gate or ban page: stop at once (retrying a captcha gets IPs banned)."""

    exit_code = EXIT_TEMPFAIL


class AdultContentGate(FetchError):
    """The adult-content interstitial stands in front of the page; never clicked through silently."""

    gate_url: str  # where the site sent us: the interstitial with its form

    def __init__(
        self, message: str, url: str | None = None, status: int | None = None, *, gate_url: str
    ):
        super().__init__(message, url=url, status=status)
        self.gate_url = gate_url


class OffHost(FetchError):
    """A URL or redirect leads off the journal's own host: refused."""

    target: str | None  # where a redirect pointed; None when the URL itself was refused

    def __init__(
        self,
        message: str,
        url: str | None = None,
        status: int | None = None,
        *,
        target: str | None = None,
    ):
        super().__init__(message, url=url, status=status)
        self.target = target


class JournalRenamed(OffHost):
    """The journal's host redirects to another journal of the same site: it was renamed."""

    new_root: str  # the new journal's root URL

    def __init__(
        self,
        message: str,
        url: str | None = None,
        status: int | None = None,
        *,
        target: str,
        new_root: str,
    ):
        super().__init__(message, url=url, status=status, target=target)
        self.new_root = new_root


class TooLarge(FetchError):
    """A response over the size cap: refused."""


class RobotsDisallowed(FetchError):
    """The journal's robots.txt disallows the URL and no override was given."""


class RobotsUnreadable(FetchError):
    """The journal's robots.txt could not be read (server errors, a redirect off the site or in a
    loop): nothing is crawled without it unless the user overrides robots."""


class DuplicateRequest(FetchError):
    """The same (normalised) URL was already fetched by this fetcher: refused (a crawl-layer bug)."""


class BadContact(DwArchiveError):
    """The contact address cannot go into a User-Agent (line breaks, control or non-ASCII
    characters, parentheses): wrong usage."""

    exit_code = EXIT_USAGE


class BadSessionCookie(DwArchiveError):
    """A session cookie value that is not a plain cookie value (never shown in the message)."""


# --- input / pages --------------------------------------------------------------------------


class NotAJournal(DwArchiveError):
    """The name or URL does not lead to a Dreamwidth-style journal."""


class ParseError(DwArchiveError):
    """A page did not have the structure its parser needs."""


class PageTooComplex(ParseError):
    """A page nested too deep or too big to parse in bounded time: refused before parsing (its
    content is the same in every rendering, so no other view of it is tried)."""


# --- storage --------------------------------------------------------------------------------


class NotOurDatabase(DwArchiveError):
    """The --db file exists but is not a dwarchive database (or is newer than this version)."""


class DatabaseLocked(DwArchiveError):
    """Another dwarchive run holds the database."""

    exit_code = EXIT_TEMPFAIL


class QueryError(DwArchiveError):
    """A user's SQL query could not run (syntax error, unknown table...)."""


class ReadOnlyQuery(QueryError):
    """A query tried to change the database."""


class StorageError(DwArchiveError):
    """The archive file cannot be opened, read or written: a disk, file or medium problem
    (I/O error, unreadable or damaged file), not a bug and not bad input."""


class StorageFull(StorageError):
    """The disk (or quota) holding the archive is full; what was committed before is kept."""


class ArchiveReadOnly(StorageError):
    """A command that writes was given an archive whose file, directory or medium is read-only."""


# --- owner mode (protocol + comment export) -------------------------------------------------


class OwnerModeError(DwArchiveError):
    """Owner mode failed: the protocol or the comment export refused or could not be read.

    Messages never carry the API key or the session value (tests/test_owner_secrets.py)."""


class ProtocolError(OwnerModeError):
    """A fault answered by Dreamwidth's protocol (/interface/xmlrpc or /interface/flat).

    `code` is the protocol's error number (LJ::Protocol %e, cgi-bin/LJ/Protocol.pm:57-140) or
    None when the answer carried none. Protocol faults are answers, not transport failures: they
    are never retried (`retryable` is False for every fault)."""

    retryable = False

    def __init__(self, message: str, code: int | None = None, mode: str | None = None):
        super().__init__(message)
        self.code = code
        self.mode = mode


class ApiKeyRefused(ProtocolError):
    """Error 101: the API key (sent as the password) was refused. Never retried: every failed
    login is counted per IP and a few of them ban the IP (LJ::handle_bad_login)."""


class AccountNotFound(ProtocolError):
    """Error 100: no such account (the --user name)."""


class LoginBanned(ProtocolError):
    """Error 402: the IP is temporarily banned after too many failed logins: try later."""

    exit_code = EXIT_TEMPFAIL


class ProtocolLimitExceeded(ProtocolError):
    """Error 209: a parameter out of range (e.g. more than 100 itemids): a client bug."""


class RepeatedRequest(ProtocolError):
    """Error 406: the same request was repeated too often (the lastsync loop guard): try later."""

    exit_code = EXIT_TEMPFAIL


class ProtocolDisabled(ProtocolError):
    """Errors 311/506/507: the site switched the call off for now: try later."""

    exit_code = EXIT_TEMPFAIL


class JournalAccessDenied(ProtocolError):
    """Errors 300/307: the account may not read that journal (not a maintainer) or it is gone."""
