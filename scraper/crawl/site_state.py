"""What a run remembers about the site between runs: robots.txt (cached a day) and cool-downs.

A 429's Retry-After or a captcha is stored in `host_state`, so the next run stops before its
first request until the wait has passed (unless the user explicitly overrides it); the
journal's robots.txt is kept in `pages` and reused for a day, as crawlers commonly do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlite_utils

from ..errors import Blocked, RateLimited
from ..fetch import Fetcher, RobotsRules
from ..kinds import PageKind
from ..store import runs
from ..store.commit import RawPage
from ..store.crawl_view import stored_page
from ..timestamps import parse_stamp

# After a captcha, wait this long before asking the site again (it bans IPs that keep bouncing
# off it); after a 429, at least its Retry-After.
CAPTCHA_COOL_DOWN = 3600
ROBOTS_CACHE_SECONDS = 24 * 3600


class SiteState:
    """Cool-downs and the robots.txt cache of the site a crawl talks to."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        fetcher: Fetcher,
        root: str,
        now: Callable[[], str],
        *,
        ignore_cool_down: bool = False,
        report: Callable[..., None] | None = None,
    ) -> None:
        self.db = db
        self.fetcher = fetcher
        self.root = root
        self.now = now
        self.ignore_cool_down = ignore_cool_down
        self.report = report
        self.host = urlsplit(root).netloc.lower()
        self.robots_url = root + "robots.txt"
        self._robots_kept = False  # the robots.txt in use is already stored

    # --- cool-downs -------------------------------------------------------------------------

    def check_cool_down(self) -> None:
        """Refuse to start (no request made) while the site's last 'wait' has not passed."""
        wait = runs.host_wait(self.db, self.host)
        if wait is None:
            return
        not_before = parse_stamp(wait.not_before)
        if not_before is None or self.fetcher.clock.now() >= not_before:
            return
        until = not_before.strftime("%Y-%m-%d %H:%M:%S")
        if self.ignore_cool_down:
            if self.report is not None:
                self.report(
                    "warning",
                    message=f"{self.host} asked us to wait ({wait.reason}) until {until} UTC; "
                    "going on anyway (--ignore-cooldown)",
                )
            return
        raise RateLimited(
            f"{self.host} asked us to wait ({wait.reason}); not before {until} UTC, try again "
            "then (or, if you have cleared it, e.g. solved the captcha in a browser, rerun "
            "with --ignore-cooldown)",
            self.root,
        )

    def remember_cool_down(self, exc: RateLimited | Blocked) -> None:
        if isinstance(exc, Blocked):
            seconds, reason = float(CAPTCHA_COOL_DOWN), "captcha"
        else:
            seconds, reason = max(60.0, self.fetcher.held_back_for()), "HTTP 429 Retry-After"
        not_before: datetime = self.fetcher.clock.now() + timedelta(seconds=seconds)
        runs.remember_host_wait(self.db, self.host, not_before.isoformat(), reason, self.now())

    # --- robots.txt -------------------------------------------------------------------------

    def preload_robots(self) -> None:
        """Reuse a robots.txt fetched in the last 24 hours (as crawlers commonly cache it), so a
        no-change sync costs only the feed and the recent page."""
        page = stored_page(self.db, self.robots_url)
        if page is None:
            return
        fetched, now = parse_stamp(page.fetched_at), parse_stamp(self.now())
        if fetched is None or now is None or (now - fetched).total_seconds() > ROBOTS_CACHE_SECONDS:
            return
        text = page.body.decode("utf-8", "replace") if page.status == 200 else None
        self.fetcher.robots = RobotsRules(text, self.root)
        self._robots_kept = True

    def robots_to_keep(self) -> RawPage | None:
        """The robots.txt the fetcher read in this run, to be stored once (with the first page
        it let through, so a kill repeats neither)."""
        rules = self.fetcher.robots
        if rules is None or self._robots_kept:
            return None
        return RawPage(
            url=self.robots_url,
            kind=PageKind.ROBOTS,
            status=200 if rules.text is not None else 404,
            fetched_at=self.now(),
            body=(rules.text or "").encode(),
        )

    def robots_kept(self) -> None:
        self._robots_kept = True
