"""Make the README's pictures of what a user sees: `python docs/make_images.py [progress|serve]`.

- docs/progress.png: the live progress display (scraper.progress.LiveProgress, exactly as a
  terminal shows it) while a generated journal of 1,500 entries is archived from the fake site
  at the default rate, 24 requests a minute, on a fake clock (the waits take no real time, the
  figures are those of a real run's pace). When a third of the pages are done, the messages so
  far and the bar are printed to a recording rich Console, exported as SVG and turned into a PNG
  by headless Chromium.
- docs/serve.png: `dwarchive serve` (a real process) on the sample journals archived through the
  real CLI, with headless Chromium showing the canned query that lists one entry's comments in
  thread order.

Needs the test extra (Datasette) and Chromium (/usr/bin/chromium). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import io
import math
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # the checkout, for tests.browser
from tests.browser import HEADLESS

CONTACT = "docs@dwarchive.invalid"


def chromium_screenshot(url: str, out: Path, size: tuple[int, int], *, scale: float = 1) -> None:
    """A headless Chromium screenshot of `url` (after 3 s of virtual time for scripts)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                *HEADLESS,
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--force-device-scale-factor={scale}",
                "--virtual-time-budget=3000",
                f"--window-size={size[0]},{size[1]}",
                f"--screenshot={out}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


# --- the progress display ---------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def progress_svg(entries: int = 1500, at: float = 1 / 3, width: int = 104) -> str:
    """The live display part-way through archiving a generated journal, as SVG."""
    from rich.console import Console

    from scraper.crawl import CrawlOptions, run_archive
    from scraper.fakesite import FakeSite, generate_journal
    from scraper.fetch import FakeClock
    from scraper.progress import LiveProgress

    class Snapshot(LiveProgress):
        """The live display, which also keeps its messages and renders itself once."""

        def __init__(self) -> None:
            super().__init__(stream=_Terminal())
            self.lines: list[str] = []
            self.svg: str | None = None

        def _echo(self, text: str, *, problem: bool = False) -> None:
            super()._echo(text, problem=problem)
            self.lines.append(text)

        def __call__(self, kind: str, **info: Any) -> None:
            super().__call__(kind, **info)
            est = self.estimate
            if (
                self.svg is None
                and est
                and est.settled
                and est.phase == "entry pages"
                and est.done >= at * est.total
            ):
                console = Console(
                    record=True,
                    width=width,
                    file=io.StringIO(),
                    force_terminal=True,
                    color_system="truecolor",
                    highlight=False,
                )
                for line in self.lines:
                    console.print(line, markup=False, highlight=False)
                console.print(self.bar)
                self.svg = console.export_svg(title="dwarchive archive")

    journal = generate_journal("inkwell_days", entries, seed=5, mean_comments=12)
    printer = Snapshot()
    with tempfile.TemporaryDirectory() as tmp, FakeSite([journal]) as site:
        cwd = os.getcwd()
        os.chdir(tmp)  # so the display names data/archive.db, as a first real run would
        try:
            summary = run_archive(
                site.url(journal.name),
                "data/archive.db",
                CrawlOptions(contact=CONTACT, rate=24),
                printer=printer,
                clock=FakeClock(),
            )
        finally:
            printer.close()
            os.chdir(cwd)
    assert summary.outcome == "complete", summary
    assert printer.svg is not None
    return printer.svg


def progress_png(out: Path = DOCS / "progress.png") -> None:
    from PIL import Image

    svg = progress_svg()
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert box, "no viewBox in rich's SVG"
    width, height = box.groups()
    # drawn at its own size, and with local fonts only: rich's SVG also names a web font CDN
    svg = svg.replace("<svg ", f'<svg width="{width}" height="{height}" ', 1)
    svg = re.sub(r'src: (local\("[^"]+"\)),\s*url\([^;]*;', r"src: \1;", svg)
    assert 'url("http' not in svg
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "progress.html"
        page.write_text(f'<body style="margin:0">{svg}</body>', encoding="utf-8")
        size = (math.ceil(float(width)), math.ceil(float(height)))
        # a window this low is not drawn whole: take a taller one and crop it to the picture
        chromium_screenshot(page.as_uri(), out, (size[0], size[1] + 400), scale=2)
    with Image.open(out) as shot:
        shot.crop((0, 0, size[0] * 2, size[1] * 2)).save(out, optimize=True)


# --- serve ------------------------------------------------------------------------------------


def serve_png(out: Path = DOCS / "serve.png") -> None:
    from scraper.fakesite import FakeSite, build_sample_site

    cli = [sys.executable, "-m", "scraper.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "archive.db"
        with FakeSite(build_sample_site()) as site:
            for journal in site.journals:
                subprocess.run(
                    [*cli, "archive", site.url(journal), "--db", str(db), "--rate", "0", "-q"]
                    + ["--contact", CONTACT],
                    check=True,
                )
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        journal, itemid = conn.execute(
            "SELECT journal, itemid FROM comments GROUP BY journal, itemid "
            "HAVING count(*) BETWEEN 5 AND 8 AND sum(parent_commentid IS NULL) >= 2 "
            "AND max(depth) >= 3 ORDER BY count(*) DESC, itemid DESC LIMIT 1"
        ).fetchone()
        conn.close()
        server = subprocess.Popen(
            [*cli, "serve", "--db", str(db), "--port", "0"], stdout=subprocess.PIPE, text=True
        )
        try:
            assert server.stdout is not None
            line = server.stdout.readline()
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            assert found, line
            url = f"{found.group(0)}archive/entry_thread?journal={journal}&itemid={itemid}"
            chromium_screenshot(url, out, (1200, 1000))
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)


def main(argv: list[str]) -> None:
    wanted = argv or ["progress", "serve"]
    if "progress" in wanted:
        progress_png()
        print(f"wrote {DOCS / 'progress.png'}")
    if "serve" in wanted:
        serve_png()
        print(f"wrote {DOCS / 'serve.png'}")


if __name__ == "__main__":
    main(sys.argv[1:])
