"""A journal's robots.txt: its rules (parsed by protego), loaded once and checked on every hop.

Dreamwidth serves a per-journal robots.txt: `User-Agent: *` + `Disallow: /` when the journal opted
out of robots (or is flagged adult/syndicated/OpenID). An archiver honours it by default.

Paths are checked relative to the journal root, so a test root with a path prefix
(`http://127.0.0.1:PORT/nairiporter/`) behaves like a journal host: its `/prefix/robots.txt`
rules read `Disallow: /2020/` as `/prefix/2020/`.

`RobotsPolicy` loads the file on the first journal request (its redirects followed within the
journal's site, at most five, RFC 9309) and checks every journal URL, redirect targets included.
A robots.txt that is missing (4xx) allows everything; one that cannot be read (server or network
errors, a redirect off the site or in a loop) stops the crawl with RobotsUnreadable, remembered
so later pages fail without a request. Both refusals can be overridden (the owner's own journal):
then a warning is given once and nothing is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from protego import Protego

from ..errors import (
    AdultContentGate,
    Blocked,
    FetchError,
    JournalRenamed,
    RateLimited,
    RobotsDisallowed,
    RobotsUnreadable,
)
from .results import FetchResult


class RobotsRules:
    """The rules of one robots.txt; `allow_all()` when there is none (404, error)."""

    def __init__(self, text: str | None, root_url: str) -> None:
        self.text = text
        self._parser = Protego.parse(text) if text else None
        self._prefix = urlsplit(root_url).path or "/"

    @classmethod
    def allow_all(cls, root_url: str) -> RobotsRules:
        return cls(None, root_url)

    @property
    def allows_everything(self) -> bool:
        return self._parser is None

    def can_fetch(self, url: str, user_agent: str) -> bool:
        """True when `user_agent` may fetch `url` (an absolute URL on the journal's host)."""
        if self._parser is None:
            return True
        parts = urlsplit(url)
        path = parts.path or "/"
        if self._prefix != "/" and path.startswith(self._prefix):
            path = "/" + path[len(self._prefix) :]
        if parts.query:
            path += "?" + parts.query
        return bool(self._parser.can_fetch(path, user_agent))

    def __repr__(self) -> str:
        return "RobotsRules(allow_all)" if self._parser is None else "RobotsRules(parsed)"


class RobotsPolicy:
    """The journal's robots.txt, loaded lazily through `load` and checked on every journal URL."""

    def __init__(
        self,
        root: str,
        user_agent: str,
        *,
        load: Callable[[str], FetchResult],
        warn: Callable[[str], None],
        obey: bool = True,
        override_reason: str | None = None,
    ) -> None:
        self.root = root
        self.url = urljoin(root, "robots.txt")
        self.user_agent = user_agent
        self.obey = obey
        self.override_reason = override_reason
        self.rules: RobotsRules | None = None  # once read (or preloaded by the crawl)
        self._load = load
        self._warn = warn
        self._failure: RobotsUnreadable | None = None
        self._cause = ""  # why it could not be read
        self._warned = False

    def check(self, url: str) -> None:
        """RobotsDisallowed / RobotsUnreadable when `url` may not be fetched (unless overridden)."""
        rules = self._rules()
        if rules is None or rules.can_fetch(url, self.user_agent):
            return
        if self.obey:
            raise RobotsDisallowed(
                f"robots.txt of {self.root} disallows {url}: the journal asks not to be archived "
                "by robots",
                url=url,
            )
        self._override(f"robots.txt disallows {url} (and maybe more)")

    def _rules(self) -> RobotsRules | None:
        """The rules; None when robots.txt could not be read and the user overrode that."""
        if self.rules is not None:
            return self.rules
        if self._failure is None:
            try:
                self.rules = self._read()
                return self.rules
            except RobotsUnreadable as exc:
                self._failure = exc
        if self.obey:
            raise self._failure
        self._override(f"robots.txt of {self.root} could not be read ({self._cause})")
        return None

    def _read(self) -> RobotsRules:
        try:
            result = self._load(self.url)
        except (RateLimited, Blocked, JournalRenamed):
            raise  # the site says stop, or the journal moved: not a robots.txt problem
        except AdultContentGate:
            return RobotsRules.allow_all(self.root)  # unavailable, like a 4xx (RFC 9309 2.3.1.3)
        except FetchError as exc:
            # RFC 9309 2.3.1.4: unreachable through server or network errors means "disallow
            # everything" for now; a redirect off the site or in a loop is treated the same
            self._cause = str(exc)
            later = exc.status is None or exc.status >= 500  # server or network trouble
            raise RobotsUnreadable(
                f"robots.txt of {self.root} could not be read ({exc}); not crawling without it"
                + (", try again later" if later else ""),
                url=self.url,
                status=exc.status,
            ) from None
        if result.ok:
            return RobotsRules(result.text, self.root)
        return RobotsRules.allow_all(self.root)

    def _override(self, what: str) -> None:
        if not self._warned:
            self._warned = True
            self._warn(f"{what}; overridden: {self.override_reason or 'no reason given'}")
