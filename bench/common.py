"""Shared bench helpers: tables, JSON result lines, request accounting, worker processes.

Every bench script prints its tables through `print_table` and appends one JSON line per run to
`bench/results/<script>.jsonl` through `write_result` (each line says what was measured, against
which baseline, and which targets were met).

Worker processes (so memory and CPU are measured for the archiver alone):

    python -m bench.common site --name NAME --entries N --seed S      # serve a generated journal
    python -m bench.common archive --url URL --name NAME --db PATH    # archive it, print JSON
    python -m bench.common reparse --db PATH                          # reparse it, print JSON

`SiteProcess` and `run_worker` drive them from the bench scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"
CONTACT = "bench@dwarchive.invalid"


def ensure_path() -> None:
    """Make `bench` and `scraper` importable when a script runs as `python bench/x.py`.

    The script's own directory (bench/) is dropped from sys.path, so bench/requests.py and
    bench/parse.py never shadow a library module of the same name."""
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(here)]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


ensure_path()


# --- output -------------------------------------------------------------------------------------


def fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value != 0 and abs(value) < 10**-digits:
            return f"{value:.2g}"
        return f"{value:,.{digits}f}"
    return str(value)


_NUMERIC = re.compile(r"^[+-]?[\d,]+(\.\d+)?( ?(%|x|s|MB|/s|/min))?$")


def print_table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence], notes: Sequence[str] = ()
) -> str:
    """Print a plain-text table (numbers right-aligned) and return it."""
    body = [[c if isinstance(c, str) else fmt(c) for c in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in body:
        widths = [max(w, len(v)) for w, v in zip(widths, row)]
    raw_rows = [list(r) for r in rows]

    def cell(i: int, v: str, raw) -> str:
        numeric = (isinstance(raw, (int, float)) and not isinstance(raw, bool)) or bool(
            _NUMERIC.match(v)
        )
        return v.rjust(widths[i]) if numeric else v.ljust(widths[i])

    lines = [f"== {title} ==", "  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row, raw in zip(body, raw_rows):
        lines.append("  ".join(cell(i, v, r) for i, (v, r) in enumerate(zip(row, raw))).rstrip())
    lines += [f"  {n}" for n in notes]
    text = "\n".join(lines)
    print(text + "\n", flush=True)
    return text


@dataclass
class Target:
    """One target of the issue and whether this run met it."""

    name: str
    measured: object
    target: str
    met: bool

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "measured": self.measured,
            "target": self.target,
            "met": self.met,
        }


def print_targets(script: str, targets: Sequence[Target]) -> None:
    print_table(
        f"{script}: targets",
        ["target", "measured", "wanted", "met"],
        [[t.name, fmt(t.measured), t.target, "yes" if t.met else "NOT MET"] for t in targets],
    )


def git_revision() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def write_result(
    script: str,
    payload: dict,
    targets: Sequence[Target] = (),
    results_dir: Path | None = None,
    quick: bool = False,
) -> Path:
    """Append one JSON line for this run to `<results_dir>/<script>.jsonl`."""
    directory = Path(results_dir) if results_dir else RESULTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    line = {
        "script": script,
        "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "git": git_revision(),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cpus",
        "quick": quick,
        **payload,
        "targets": [t.as_dict() for t in targets],
    }
    path = directory / f"{script}.jsonl"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
    return path


def base_parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="tiny sizes (smoke test), seconds")
    p.add_argument(
        "--results",
        type=Path,
        default=None,
        help=f"directory for the JSON lines (default {RESULTS_DIR})",
    )
    return p


# --- request accounting -------------------------------------------------------------------------

CATEGORIES = (
    "robots",
    "recent",
    "skip_pages",
    "year_pages",
    "day_pages",
    "entry_pages",
    "comment_pages",
    "thread_views",
    "profile",
    "feed",
    "other",
)
_YEAR = re.compile(r"^/\d{4}/$")
_DAY = re.compile(r"^/\d{4}/\d{2}/\d{2}/?$")
_ENTRY = re.compile(r"^/\d+\.html")


def category(path: str) -> str:
    """The `minimum_requests()` term a request path belongs to."""
    if path == "/robots.txt":
        return "robots"
    if path == "/":
        return "recent"
    if path.startswith("/?skip="):
        return "skip_pages"
    if _YEAR.match(path):
        return "year_pages"
    if _DAY.match(path):
        return "day_pages"
    if _ENTRY.match(path):
        if "thread=" in path:
            return "thread_views"
        if "page=" in path:
            return "comment_pages"
        return "entry_pages"
    if path == "/profile":
        return "profile"
    if path.startswith("/data/"):
        return "feed"
    return "other"


def itemise(paths: Iterable[str]) -> dict[str, int]:
    counts = Counter(category(p) for p in paths)
    return {c: counts.get(c, 0) for c in CATEGORIES if counts.get(c, 0) or c != "other"}


@dataclass
class RequestDiff:
    extra: list[str] = field(default_factory=list)  # requested, not in the minimal plan
    missing: list[str] = field(default_factory=list)  # in the plan, not requested
    repeated: list[str] = field(default_factory=list)  # requested more than once

    def by_category(self) -> dict[str, tuple[int, int]]:
        extra = Counter(category(p) for p in self.extra)
        missing = Counter(category(p) for p in self.missing)
        return {
            c: (extra.get(c, 0), missing.get(c, 0))
            for c in CATEGORIES
            if extra.get(c) or missing.get(c)
        }


def diff_requests(paths: Sequence[str], plan: Sequence[str]) -> RequestDiff:
    have, want = Counter(paths), Counter(plan)
    return RequestDiff(
        extra=sorted((have - want).elements()),
        missing=sorted((want - have).elements()),
        repeated=sorted(p for p, n in have.items() if n > 1),
    )


def entry_of(path: str) -> int | None:
    m = re.match(r"^/(\d+)\.html", path)
    return int(m.group(1)) if m else None


# --- archive runs (in process) ------------------------------------------------------------------


def archive_in_process(url: str, name: str, db_path: str, **kw):
    """One `run_journals` call (rate None = no limiter, loopback only); returns its summary."""
    from scraper.crawl import CrawlOptions, run_journals
    from scraper.progress import PlainProgress

    options = CrawlOptions(
        contact=kw.pop("contact", CONTACT), rate=kw.pop("rate", None), owner=kw.pop("owner", None)
    )
    printer = PlainProgress(quiet=kw.pop("quiet", True))
    return run_journals([(url, name)], str(db_path), options, printer=printer, **kw)[0]


def compare_archive(db_path: str, journal) -> list[str]:
    """Differences between the archive and the model (tests/archive_check.py): [] = complete."""
    import sqlite3

    from tests.archive_check import compare

    conn = sqlite3.connect(db_path)
    try:
        return compare(conn, journal)
    finally:
        conn.close()


CONTENT_TABLES = (
    "journals",
    "entries",
    "entry_tags",
    "comments",
    "calendar",
    "tags",
    "profiles",
    "page_modules",
    "entry_revisions",
)


def content_rows(db_path: str) -> dict[str, list[tuple]]:
    """The archive's content, without the columns that record when it was fetched (*_at), for
    checking that two archives of the same journal hold the same data."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        out = {}
        for table in CONTENT_TABLES:
            cols = [
                r[1]
                for r in conn.execute(f"PRAGMA table_info({table})")
                if not r[1].endswith("_at")
            ]
            rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


# --- memory -------------------------------------------------------------------------------------


def proc_status_kb(key: str) -> int | None:
    """A kB figure from /proc/self/status (VmRSS, VmHWM), None off Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def peak_rss_kb() -> int:
    hwm = proc_status_kb("VmHWM")
    if hwm is not None:
        return hwm
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage // 1024 if sys.platform == "darwin" else usage


def cpu_seconds() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


# --- worker processes ---------------------------------------------------------------------------


def _env(scraper_src: str | Path | None = None) -> dict[str, str]:
    """The environment of a worker; `scraper_src` puts another copy of the `scraper` package
    (e.g. a checkout of the previous commit) in front, for a same-run A/B comparison."""
    env = dict(os.environ)
    paths = [str(scraper_src)] if scraper_src else []
    paths.append(str(ROOT))
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def journal_spec(
    name: str, entries: int, seed: int, mean_comments: float = 5.0, comments_hi: int = 300
) -> dict:
    return {
        "name": name,
        "entries": entries,
        "seed": seed,
        "mean_comments": mean_comments,
        "comments_hi": comments_hi,
    }


def build_journal(spec: dict):
    from scraper.fakesite import generate_journal

    return generate_journal(
        spec["name"],
        spec["entries"],
        seed=spec["seed"],
        comments=(0, spec["comments_hi"]),
        mean_comments=spec["mean_comments"],
    )


class SiteProcess:
    """The fake site serving one generated journal, in its own process (its memory is its own)."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self.info: dict = {}
        self.final: dict = {}

    def __enter__(self) -> Self:
        s = self.spec
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.common",
                "site",
                "--name",
                s["name"],
                "--entries",
                str(s["entries"]),
                "--seed",
                str(s["seed"]),
                "--mean-comments",
                str(s["mean_comments"]),
                "--comments-hi",
                str(s["comments_hi"]),
            ],
            cwd=ROOT,
            env=_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(10)
            raise RuntimeError(f"fake site process failed to start (exit {self.proc.returncode})")
        self.info = json.loads(line)
        self.url = self.info["url"]
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is None:
            return
        try:
            self.proc.stdin.close()  # EOF: the site prints its final stats and stops
            line = self.proc.stdout.readline()
            self.final = json.loads(line) if line.strip() else {}
            self.proc.wait(30)
        except (subprocess.TimeoutExpired, ValueError, OSError):
            self.proc.kill()
            self.proc.wait()


def run_worker(*args: str, timeout: float = 900, scraper_src: str | Path | None = None) -> dict:
    """Run `python -m bench.common ARGS...` and return the JSON it prints last."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.common", *args],
        cwd=scraper_src or ROOT,
        env=_env(scraper_src),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"worker {args[0]} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _serve(args) -> None:
    from scraper.fakesite import FakeSite

    started = time.perf_counter()
    journal = build_journal(
        journal_spec(args.name, args.entries, args.seed, args.mean_comments, args.comments_hi)
    )
    _ = journal.index  # build the lookup maps before the archiver's clock starts
    gen = time.perf_counter() - started
    cpu0 = cpu_seconds()
    with FakeSite([journal]) as site:
        print(
            json.dumps(
                {
                    "url": site.url(args.name),
                    "generate_s": gen,
                    "comments": sum(len(e.comments) for e in journal.entries),
                }
            ),
            flush=True,
        )
        sys.stdin.read()  # until the bench closes our stdin
        served = len(site.requests)
    print(
        json.dumps({"served": served, "cpu_s": cpu_seconds() - cpu0, "peak_rss_kb": peak_rss_kb()}),
        flush=True,
    )


def _archive(args) -> None:
    import scraper.cli
    import scraper.crawl

    rss0 = proc_status_kb("VmRSS")
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    summary = archive_in_process(args.url, args.name, args.db, mode=args.mode, command=args.command)
    if profile is not None:
        profile.disable()
        profile.dump_stats(args.profile)
    wall = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "outcome": summary.outcome,
                "message": summary.message,
                "requests": summary.requests,
                "pages": summary.pages,
                "wall_s": wall,
                "cpu_s": cpu_seconds() - cpu0,
                "rss_start_kb": rss0,
                "peak_rss_kb": peak_rss_kb(),
                "scraper": str(Path(scraper.cli.__file__).parent),
            }
        ),
        flush=True,
    )


def _reparse(args) -> None:
    import scraper
    from scraper.crawl.reparse import reparse
    from scraper.store import open_database

    rss0 = proc_status_kb("VmRSS")
    db = open_database(args.db)
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    summary = reparse(db, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    wall = time.perf_counter() - t0
    db.close()
    c = summary.changes
    print(
        json.dumps(
            {
                "pages": summary.pages,
                "parsed": summary.parsed,
                "errors": summary.errors,
                "skipped": summary.skipped,
                "changes": [c.new_entries, c.changed_entries, c.new_comments, c.changed_comments],
                "wall_s": wall,
                "cpu_s": cpu_seconds() - cpu0,
                "rss_start_kb": rss0,
                "peak_rss_kb": peak_rss_kb(),
                "scraper": str(Path(scraper.__file__).parent),
            }
        ),
        flush=True,
    )


def _main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.common")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("site")
    s.add_argument("--name", required=True)
    s.add_argument("--entries", type=int, required=True)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--mean-comments", type=float, default=5.0)
    s.add_argument("--comments-hi", type=int, default=300)
    a = sub.add_parser("archive")
    a.add_argument("--url", required=True)
    a.add_argument("--name", required=True)
    a.add_argument("--db", required=True)
    a.add_argument("--mode", default="full")
    a.add_argument("--command", default="archive")
    a.add_argument("--profile", default=None, help="write cProfile stats here")
    r = sub.add_parser("reparse")
    r.add_argument("--db", required=True)
    args = p.parse_args(argv)
    {"site": _serve, "archive": _archive, "reparse": _reparse}[args.cmd](args)


if __name__ == "__main__":
    _main()
