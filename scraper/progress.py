"""Progress lines for long runs: pages fetched, entries/comments stored, rate-limiter waits.

The crawler and fetcher emit events; this turns them into short lines on stderr (throttled so a
big journal does not flood the terminal). `quiet` keeps only problems, so cron mails stay empty
when all is well.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import click


class ProgressPrinter:
    def __init__(
        self,
        *,
        quiet: bool = False,
        every_pages: int = 10,
        every_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        stream=None,
    ):
        self.quiet = quiet
        self.every_pages = every_pages
        self.every_seconds = every_seconds
        self.clock = clock
        self.stream = stream or sys.stderr
        self.pages = 0
        self.requests = 0
        self.waited = 0.0
        self.last_wait = 0.0
        self.changes = None
        self._last_line_at = clock()
        self._last_line_pages = 0
        self.journal: str | None = None

    def _echo(self, text: str, *, problem: bool = False) -> None:
        if self.quiet and not problem:
            return
        click.echo(text, file=self.stream)

    # crawler events
    def __call__(self, kind: str, **info) -> None:
        if kind == "start":
            self._echo(f"{info.get('command')}: {info.get('root')} -> {info.get('db')}")
        elif kind == "journal":
            self.journal = info.get("journal")
            self._echo(f"journal {info.get('journal')} ({info.get('type') or 'type unknown'})")
        elif kind == "resume":
            self.journal = info.get("journal")
            self._echo(
                f"resuming the unfinished run of {info.get('journal')}: "
                f"{info.get('pending')} page(s) still to fetch"
            )
        elif kind == "page":
            self.pages += 1
            self._maybe_line()
        elif kind == "counts":
            self.changes = info.get("changes")
        elif kind in ("warning",):
            self._echo(f"warning: {info.get('message')}", problem=True)
        elif kind == "error":
            self._echo(f"dwarchive: error: {info.get('url')}: {info.get('message')}", problem=True)
        elif kind == "parse-error":
            url = info.get("url")
            msg = info.get("message")
            self._echo(f"{kind}: {url + ': ' if url else ''}{msg}", problem=True)

    # fetcher events
    def fetch_event(self, kind: str, **info) -> None:
        if kind == "request":
            self.requests += 1
        elif kind == "wait":
            seconds = float(info.get("seconds") or 0)
            self.waited += seconds
            self.last_wait = seconds
            if seconds >= 5:
                self._echo(f"waiting {seconds:.1f}s ({info.get('reason', 'rate')} limit)")
        elif kind == "retry":
            self._echo(
                f"retrying {info.get('url')} (attempt {info.get('attempt')}): {info.get('error')}",
                problem=False,
            )
        elif kind == "warning":
            self._echo(f"warning: {info.get('message')}", problem=True)

    def _maybe_line(self) -> None:
        now = self.clock()
        if (
            self.pages - self._last_line_pages >= self.every_pages
            or now - self._last_line_at >= self.every_seconds
        ):
            self._last_line_at = now
            self._last_line_pages = self.pages
            self._echo(self.line())

    def line(self) -> str:
        c = self.changes
        stored = (
            f"entries +{c.new_entries} new/{c.changed_entries} changed, "
            f"comments +{c.new_comments} new/{c.changed_comments} changed"
            if c
            else "nothing stored yet"
        )
        return (
            f"[{self.pages:>5} pages, {self.requests:>5} requests] {stored}; "
            f"rate-limit waits {self.waited:.0f}s (last {self.last_wait:.1f}s)"
        )
