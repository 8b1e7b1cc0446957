"""What a run remembers about the site between runs: robots.txt (cached a day) and cool-downs.

Mixed into `Archiver` (crawl/archive.py). A 429's Retry-After or a captcha is stored in
`host_state`, so the next run stops before its first request until the wait has passed; the
journal's robots.txt is kept in `pages` and reused for a day, as crawlers commonly do.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from ..errors import Blocked, RateLimited
from ..store import save


class SiteStateMixin:
    # After a captcha, wait this long before asking the site again (it bans IPs that keep
    # bouncing off it); after a 429, at least its Retry-After.
    CAPTCHA_COOL_DOWN = 3600

    def _host(self) -> str:
        return urlsplit(self.root).netloc.lower()

    def _wall_clock(self) -> datetime:
        clock = getattr(self.fetcher, "clock", None)
        return clock.now() if clock is not None else datetime.now(UTC)

    def _check_cool_down(self) -> None:
        """Refuse to start (no request made) while the site's last 'wait' has not passed."""
        if not self.db["host_state"].exists():  # an archive opened by older code paths
            return
        row = self.db.execute(
            "SELECT not_before, reason FROM host_state WHERE host = ?", [self._host()]
        ).fetchone()
        if not row or not row[0]:
            return
        not_before = datetime.fromisoformat(row[0])
        if self._wall_clock() < not_before:
            raise RateLimited(
                f"{self._host()} asked us to wait ({row[1]}); not before "
                f"{not_before.strftime('%Y-%m-%d %H:%M:%S')} UTC, try again then",
                self.root,
            )

    def _remember_cool_down(self, exc: Exception) -> None:
        if isinstance(exc, Blocked):
            seconds, reason = self.CAPTCHA_COOL_DOWN, "captcha"
        else:
            limiter = getattr(self.fetcher, "limiter", None)
            seconds = max(60.0, limiter.blocked_for() if limiter is not None else 60.0)
            reason = "HTTP 429 Retry-After"
        not_before = self._wall_clock() + timedelta(seconds=seconds)
        if not self.db["host_state"].exists():
            return
        with self.db.atomic():
            self.db["host_state"].upsert(
                {
                    "host": self._host(),
                    "not_before": not_before.isoformat(),
                    "reason": reason,
                    "updated_at": self.now(),
                },
                pk="host",
            )

    ROBOTS_CACHE_SECONDS = 24 * 3600

    def _robots_url(self) -> str:
        return self.root + "robots.txt"

    def _preload_robots(self) -> None:
        """Reuse a robots.txt fetched in the last 24 hours (as crawlers commonly cache it), so a
        no-change sync costs only the feed and the recent page."""
        self._robots_preloaded = False
        row = self.db.execute(
            "SELECT status, fetched_at, body FROM pages WHERE url = ?", [self._robots_url()]
        ).fetchone()
        if row is None or not hasattr(self.fetcher, "robots"):
            return
        try:
            fetched = datetime.strptime(row[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            now = datetime.strptime(self.now(), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except (TypeError, ValueError):
            return
        if (now - fetched).total_seconds() > self.ROBOTS_CACHE_SECONDS:
            return
        from ..fetch import RobotsRules

        text = (
            save.page_body({"body": row[2]}).decode("utf-8", "replace") if row[0] == 200 else None
        )
        self.fetcher.robots = RobotsRules(text, self.root)
        self._robots_preloaded = True

    def _save_robots(self) -> None:
        rules = getattr(self.fetcher, "robots", None)
        if rules is None or getattr(self, "_robots_preloaded", False):
            return
        text = rules.text
        with self.db.atomic():
            save.save_page(
                self.db,
                url=self._robots_url(),
                journal=self.journal,
                kind="robots",
                status=200 if text is not None else 404,
                fetched_at=self.now(),
                body=(text or "").encode(),
            )
        self._robots_preloaded = True
