"""Where a journal's fetcher may go: the journal's origin, and on the site's main host only the
protocol endpoints and (after an opt-in) the adult-content gate; everything else is refused.

The site's main host is `www.<domain>` for an LJ-family journal and the journal's own origin on
loopback (`urls.api_root_for`), or the `api_root` given. Redirect hops are checked here too: a
captcha anywhere stops the run (Blocked), a gate on the journal's site is reported
(AdultContentGate) and makes only the gate paths of that origin fetchable, a gate anywhere else
or any other host is refused (OffHost, or a rename when it is another journal of the same site).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..errors import AdultContentGate, Blocked, JournalRenamed, OffHost
from .exchange import Call
from .redirects import Redirect
from .urls import NON_JOURNAL_LABELS, api_root_for, lj_family_split, origin, same_origin

Origin = tuple[str, str, int | None]

CAPTCHA_PATH = "/captcha"
ADULT_GATE_PATHS = frozenset({"/journal/adult_concepts", "/journal/adult_explicit"})
API_PATHS = frozenset({"/interface/flat", "/interface/xmlrpc", "/export_comments"})


def _path(url: str) -> str:
    return urlsplit(url).path or "/"


class JournalScope:
    """The origins and paths one journal's fetcher may request."""

    def __init__(self, root: str, *, api_root: str | None = None, allow_adult: bool = False):
        self.root = root
        self.api_root = api_root  # None: no protocol endpoints (anonymous crawl)
        self.site_root = api_root or api_root_for(root)
        self.allow_adult = allow_adult
        self.journal_origin: Origin = origin(root)
        self.site_origins: frozenset[Origin] = frozenset(
            {self.journal_origin, origin(self.site_root)}
        )
        self._gate_origins: set[Origin] = set()  # site origins that redirected us to a gate

    # --- requests -------------------------------------------------------------------------

    def is_api(self, url: str) -> bool:
        """A protocol endpoint on the api origin (only when an api_root was given)."""
        return (
            self.api_root is not None
            and same_origin(url, self.api_root)
            and _path(url) in API_PATHS
        )

    def is_gate(self, url: str) -> bool:
        """A gate path on an origin whose gate we were sent to, after the user opted in."""
        return (
            self.allow_adult
            and origin(url) in self._gate_origins
            and _path(url) in ADULT_GATE_PATHS
        )

    def may_get(self, url: str) -> bool:
        return same_origin(url, self.root) or self.is_api(url) or self.is_gate(url)

    def check_get(self, url: str) -> None:
        if not self.may_get(url):
            scheme, host, port = self.journal_origin
            raise OffHost(
                f"refusing to fetch {url}: not on the journal's host {scheme}://{host}:{port}",
                url=url,
            )

    def check_post(self, url: str) -> None:
        """POST: to the journal's origin or a protocol endpoint; to a gate path only after the
        user opted in and the site sent us to that gate."""
        if _path(url) in ADULT_GATE_PATHS:
            if not self.allow_adult:
                raise OffHost(
                    f"refusing to POST to {url}: confirming the adult-content notice needs the "
                    "user's opt-in",
                    url=url,
                )
            if not self.is_gate(url):
                raise OffHost(
                    f"refusing to POST to {url}: not the adult-content gate this journal's site "
                    "sent us to",
                    url=url,
                )
            return
        if not (same_origin(url, self.root) or self.is_api(url)):
            raise OffHost(
                f"refusing to POST to {url}: only the journal's host and the site's protocol "
                "endpoints take POSTs",
                url=url,
            )

    def in_journal(self, url: str) -> bool:
        """A page of the journal: on its origin, under its path, not a protocol endpoint
        (robots.txt applies to these)."""
        root_path = _path(self.root)
        return (
            same_origin(url, self.root)
            and _path(url).startswith(root_path)
            and _path(url) not in API_PATHS
        )

    def on_site(self, url: str) -> bool:
        """On the journal's site (its origin or the site's main host): cookies go there."""
        return origin(url) in self.site_origins

    # --- redirect hops --------------------------------------------------------------------

    def check_redirect(self, call: Call, redirect: Redirect) -> None:
        """A page's redirect: captcha, gate, host checks."""
        target = redirect.target
        self._check_captcha(redirect)
        if _path(target) in ADULT_GATE_PATHS:
            self._gate(redirect)
        if not self.may_get(target):
            raise _off_host(redirect)

    def check_robots_redirect(self, call: Call, redirect: Redirect) -> None:
        """robots.txt's redirect (RFC 9309: followed, here only within the journal's site)."""
        self._check_captcha(redirect)
        if not self.on_site(redirect.target):
            raise _off_host(redirect)
        if _path(redirect.target) in ADULT_GATE_PATHS:
            self._gate(redirect)

    def _check_captcha(self, redirect: Redirect) -> None:
        if _path(redirect.target).startswith(CAPTCHA_PATH):
            raise Blocked(
                f"{redirect.requested}: the site answered with a captcha ({redirect.target}); "
                "stopping, because retrying a captcha gets the IP banned; try again later",
                url=redirect.requested,
                status=redirect.status,
            )

    def _gate(self, redirect: Redirect) -> None:
        target = redirect.target
        if not self.on_site(target):
            raise OffHost(
                f"{redirect.requested} redirects to an adult-content notice on another site "
                f"({target}): refused",
                url=redirect.requested,
                status=redirect.status,
                target=target,
            )
        self._gate_origins.add(origin(target))
        raise AdultContentGate(
            f"{redirect.requested}: behind the adult-content interstitial ({target}); not "
            "clicked through unless asked to",
            url=redirect.requested,
            status=redirect.status,
            gate_url=target,
        )


def _off_host(redirect: Redirect) -> OffHost:
    """OffHost for a redirect that leaves the journal; JournalRenamed when it goes to another
    journal of the same LJ-family site."""
    requested, target = redirect.requested, redirect.target
    here = lj_family_split(urlsplit(redirect.current).hostname or "")
    there = lj_family_split(urlsplit(target).hostname or "")
    if (
        here is not None
        and there is not None
        and here[1] == there[1]
        and here[0] != there[0]
        and there[0] not in NON_JOURNAL_LABELS
    ):
        new_root = f"https://{there[0]}.{there[1]}/"
        return JournalRenamed(
            f"journal renamed: now at {new_root} ({requested} -> {target})",
            url=requested,
            status=redirect.status,
            target=target,
            new_root=new_root,
        )
    return OffHost(
        f"{requested} redirects off the journal's host to {target}: refused",
        url=requested,
        status=redirect.status,
        target=target,
    )
