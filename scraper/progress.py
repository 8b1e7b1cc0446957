"""What a long run shows while it works: a live progress display on a terminal, plain lines
elsewhere (cron, pipes, `--quiet`).

The crawl and the fetcher emit events (`report(kind, **info)` and `fetch_event(kind, **info)`);
a printer turns them into output on stderr. On a terminal `LiveProgress` (rich) shows the
journal, the phase, pages done of the total known so far ('~' while listings may still reveal
more), requests, the current rate and the estimated time left. `PlainProgress` prints a line
every few pages with the same figures; `quiet` keeps only problems, so cron mails stay empty
when all is well.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

import click

from .crawl.estimate import Estimate


def format_duration(seconds: float | None) -> str:
    """'2h05m', '4m10s', '12s'; '?' when unknown."""
    if seconds is None:
        return "?"
    s = round(seconds)
    if s >= 3600:
        return f"{s // 3600}h{(s % 3600) // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s}s"


def describe_estimate(est: Estimate) -> str:
    """'80/~410 pages, ~2h05m left at 24.0/min' style text of an estimate."""
    mark = "" if est.settled else "~"
    left = format_duration(est.seconds_left)
    return f"{est.done}/{mark}{est.total} pages, {mark if est.seconds_left else ''}{left} left"


class PlainProgress:
    """Progress as plain lines (not a terminal, or `--quiet`)."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        every_pages: int = 10,
        every_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        stream: TextIO | None = None,
    ) -> None:
        self.quiet = quiet
        self.every_pages = every_pages
        self.every_seconds = every_seconds
        self.clock = clock
        self.stream = stream or sys.stderr
        self.pages = 0
        self.requests = 0
        self.waited = 0.0
        self.last_wait = 0.0
        self.changes: Any = None
        self.estimate: Estimate | None = None
        self.journal: str | None = None
        self._last_line_at = clock()
        self._last_line_pages = 0

    def _echo(self, text: str, *, problem: bool = False) -> None:
        if self.quiet and not problem:
            return
        click.echo(text, file=self.stream)

    # --- crawl events ----------------------------------------------------------------------

    def __call__(self, kind: str, **info: Any) -> None:
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
        elif kind == "progress":
            self.estimate = info.get("estimate")
        elif kind == "warning":
            self._echo(f"warning: {info.get('message')}", problem=True)
        elif kind == "error":
            self._echo(f"dwarchive: error: {info.get('url')}: {info.get('message')}", problem=True)
        elif kind == "parse-error":
            url = info.get("url")
            self._echo(f"{kind}: {url + ': ' if url else ''}{info.get('message')}", problem=True)

    # --- fetch events ----------------------------------------------------------------------

    def fetch_event(self, kind: str, **info: Any) -> None:
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
                f"retrying {info.get('url')} (attempt {info.get('attempt')}): {info.get('error')}"
            )
        elif kind == "warning":
            self._echo(f"warning: {info.get('message')}", problem=True)

    def close(self) -> None:
        return None

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
        where = describe_estimate(self.estimate) if self.estimate else f"{self.pages} pages"
        return (
            f"[{where}; {self.requests} requests] {stored}; "
            f"rate-limit waits {self.waited:.0f}s (last {self.last_wait:.1f}s)"
        )


class LiveProgress(PlainProgress):
    """A live progress display on a terminal (rich): one bar per journal, messages above it."""

    def __init__(self, *, stream: TextIO | None = None, **kw: Any) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn

        super().__init__(stream=stream, **kw)
        self.console = Console(file=self.stream, highlight=False)
        self.bar = Progress(
            TextColumn("[bold]{task.fields[journal]}[/bold] {task.fields[phase]:<11}"),
            BarColumn(),
            TextColumn("{task.fields[pages]}"),
            TextColumn("{task.fields[requests]} req, {task.fields[rate]}"),
            TextColumn("[cyan]{task.fields[left]}[/cyan]"),
            console=self.console,
            transient=False,
        )
        self._task: Any = None

    def _echo(self, text: str, *, problem: bool = False) -> None:
        if self.quiet and not problem:
            return
        self.console.print(text, markup=False, highlight=False)

    def _maybe_line(self) -> None:
        self._refresh()

    def __call__(self, kind: str, **info: Any) -> None:
        if kind == "page":
            self.pages += 1
            self._refresh()
            return
        super().__call__(kind, **info)
        if kind == "progress":
            self._refresh()

    def _refresh(self) -> None:
        est = self.estimate
        if est is None:
            return
        if self._task is None:
            self.bar.start()
            self._task = self.bar.add_task("crawl", total=None, **self._fields(est))
        self.bar.update(
            self._task,
            completed=est.done,
            total=est.total if est.settled else None,
            **self._fields(est),
        )

    def _fields(self, est: Estimate) -> dict[str, Any]:
        pace = est.seconds_left / est.remaining if est.remaining and est.seconds_left else None
        mark = "" if est.settled else "~"
        return {
            "journal": self.journal or "?",
            "phase": est.phase,
            "pages": f"{est.done}/{mark}{est.total} pages",
            "requests": str(self.requests),
            "rate": f"{60 / pace:.1f}/min" if pace else "-",
            "left": f"{mark}{format_duration(est.seconds_left)} left",
        }

    def close(self) -> None:
        if self._task is not None:
            self.bar.stop()


def progress_printer(*, quiet: bool, stream: TextIO | None = None) -> PlainProgress:
    """The live display on a terminal, plain lines otherwise (or when quiet)."""
    out = stream or sys.stderr
    if not quiet and out.isatty():
        return LiveProgress(stream=out)
    return PlainProgress(quiet=quiet, stream=out)
