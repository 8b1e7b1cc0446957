"""Fault scenarios over real loopback HTTP, shared by tests/test_faults.py and bench/faults.py.

One scenario = one way the site can misbehave. `run_scenario` plays it against the real
`dwarchive archive` command (in-process, through click) and measures what issue 5 asks for:

1. a clean archive of the journal (the "previous complete archive"), its content tables dumped;
2. the fault injected, `archive` run again into that database: exit code, last stderr line, and
   every row of the previous dump must still be there unchanged ("records lost");
3. the fault injected afresh, `archive` into a new database (a first archive on a bad night);
4. the fault cleared (or the documented remedy given, e.g. --allow-adult), both databases run
   once more: exit 0, `compare(...) == []` and calendar coverage 100 %.

Retry backoff and Retry-After waits go through a FakeClock patched in for the fetcher's system
clock, so nothing sleeps for real; the fake site stamps its request log with the same clock, so
"no request before Retry-After has passed" is checked on the server's side.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from click.testing import CliRunner

import scraper.fetch.client as fetch_client
from scraper.cli import cli
from scraper.fakesite import FakeComment, FakeEntry, FakeJournal, FakeSite, Fault, build_sample_site
from scraper.fakesite.render import render_journal
from scraper.fakesite.sample import build_nairiporter
from scraper.fetch.clock import FakeClock
from scraper.store.status import coverage
from tests.archive_check import compare

CONTENT_TABLES = (
    "journals",
    "entries",
    "entry_tags",
    "comments",
    "profiles",
    "calendar",
    "entry_revisions",
    "tags",
)
RUN_STAMPS = {"journals": {"last_archived_at"}}  # moves on every complete run, by design
CONTACT = "faults@dwarchive.invalid"

# Paths every archive run requests again (listings: they carry records), and entry pages (only a
# first archive needs them for this journal).
LISTINGS = r"^/(\?skip=|2024/)"
LISTINGS_AND_ENTRIES = r"^/(\?skip=|2024/|\d+\.html)"


# --- running the CLI with a fake clock ---------------------------------------------------------


@contextmanager
def fake_time(clock: FakeClock, timeout: float | None = None) -> Iterator[None]:
    """Make every Fetcher the CLI builds use `clock` (and, given, a short network timeout)."""
    saved = fetch_client.SystemClock, fetch_client.DEFAULT_TIMEOUT
    fetch_client.SystemClock = lambda: clock  # type: ignore[assignment]
    if timeout is not None:
        fetch_client.DEFAULT_TIMEOUT = httpx.Timeout(timeout, connect=5)
    try:
        yield
    finally:
        fetch_client.SystemClock, fetch_client.DEFAULT_TIMEOUT = saved


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def reason(self) -> str:
        """The run's last line on stderr (the one-line reason of a failed run)."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else ""


def archive(url: str, db: Path, *args: str) -> Run:
    result = CliRunner().invoke(
        cli,
        [
            "archive",
            url,
            "--db",
            str(db),
            "--contact",
            CONTACT,
            "-q",
            *(args if "--rate" in args else ("--rate", "0", *args)),
        ],
        catch_exceptions=False,
    )
    return Run(result.exit_code, result.stdout, result.stderr)


def dump(db: Path) -> dict[str, set[tuple]]:
    """Every row of the content tables (run time stamps left out)."""
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in CONTENT_TABLES:
            cols = [
                r[1]
                for r in conn.execute(f"PRAGMA table_info({table})")
                if r[1] not in RUN_STAMPS.get(table, ())
            ]
            out[table] = set(conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall())
        return out
    finally:
        conn.close()


# --- scenarios --------------------------------------------------------------------------------


@dataclass
class Ctx:
    """What a scenario's hooks may use: the site, the shared fake clock, the seed of this run."""

    site: FakeSite
    clock: FakeClock
    seed: int
    journal: str
    notes: dict = field(default_factory=dict)


@dataclass
class Scenario:
    kind: str  # the label in the bench table
    code: int  # documented exit code of the faulted runs
    reason: str = ""  # regex the last stderr line of a faulted run must match (code != 0)
    faults: Callable[[Ctx], list[Fault]] | None = None  # fresh Fault objects per faulted run
    mutate: Callable[[Ctx], Callable[[], None]] | None = None  # model change; returns its undo
    rerun_args: tuple[str, ...] = ()  # the remedy the reason names (e.g. --allow-adult)
    keep_fault: bool = False  # the remedy works with the fault still there
    faulted_args: tuple[str, ...] = ()
    rerun_journal: str | None = None  # renamed: the re-run archives the new name
    timeout: float | None = None  # a short client timeout (the stall scenario)
    age_robots: bool = False  # make the stored robots.txt older than the 24 h cache
    check: Callable[[Ctx, dict], list[str]] | None = None  # scenario-specific problems
    changed_ok: Callable[[Ctx, str, tuple], bool] | None = None  # rows allowed to change
    sends_429: bool = False  # the scenario makes the site answer 429 (else none may come)
    seeded: bool = False  # faults fire at random (seeded): worth several seeds in the bench
    journal: str = "nairiporter"


@dataclass
class Outcome:
    kind: str
    runs: int = 0  # faulted runs
    lost: int = 0  # rows of the previous archive missing or changed after the faulted run
    coverage: float = 100.0  # lowest calendar coverage after the re-runs
    n429: int = 0  # 429 responses the site sent during the faulted runs
    codes: list[int] = field(default_factory=list)  # exit codes of the faulted runs
    reasons: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # anything that must not happen

    def merge(self, other: Outcome) -> None:
        self.runs += other.runs
        self.lost += other.lost
        self.coverage = min(self.coverage, other.coverage)
        self.n429 += other.n429
        self.codes += other.codes
        self.reasons += other.reasons
        self.problems += other.problems


def run_scenario(scn: Scenario, workdir: Path, seed: int = 0) -> Outcome:
    """Play one scenario; `Outcome.problems` lists every broken promise (empty = survived)."""
    out = Outcome(scn.kind)
    workdir.mkdir(parents=True, exist_ok=True)
    prev, fresh = workdir / f"prev-{seed}.db", workdir / f"fresh-{seed}.db"
    clock = FakeClock()
    site = FakeSite(build_sample_site(), clock=clock.monotonic)
    with fake_time(clock, scn.timeout), site:
        ctx = Ctx(site, clock, seed, scn.journal)
        url = site.url(scn.journal)
        base = archive(url, prev)
        if base.code != 0:
            out.problems.append(f"baseline archive failed: {base.reason}")
            return out
        if scn.age_robots:
            conn = sqlite3.connect(prev)
            with conn:
                conn.execute(
                    "UPDATE pages SET fetched_at = '2001-01-01T00:00:00Z' WHERE kind = 'robots'"
                )
            conn.close()
        before = dump(prev)
        site.clear_log()
        undo = scn.mutate(ctx) if scn.mutate else None
        for db in (prev, fresh):
            for fault in scn.faults(ctx) if scn.faults else ():
                site.add_fault(fault)
            first = len(site.requests)
            run = archive(url, db, *scn.faulted_args)
            out.runs += 1
            out.codes.append(run.code)
            out.reasons.append(run.reason)
            if run.code != scn.code:
                out.problems.append(
                    f"{db.stem}: exit {run.code}, expected {scn.code}: {run.reason}"
                )
            if scn.code and not re.search(scn.reason, run.reason):
                out.problems.append(f"{db.stem}: reason {run.reason!r} !~ {scn.reason!r}")
            if scn.check:
                out.problems += [
                    f"{db.stem}: {p}"
                    for p in scn.check(ctx, {"db": db, "run": run, "log": site.requests[first:]})
                ]
            if db == prev:
                after = dump(prev)
                for table, rows in before.items():
                    gone = [
                        r
                        for r in rows - after[table]
                        if not (scn.changed_ok and scn.changed_ok(ctx, table, r))
                    ]
                    out.lost += len(gone)
                    out.problems += [f"{table} row lost or changed: {r!r:.160}" for r in gone[:3]]
            if not scn.keep_fault:
                site.clear_faults()
            clock.advance(3600)  # the next run is a later one
        out.n429 = site.count(status=429)
        out.problems += _retry_after_kept(site, ctx)
        if undo and not scn.keep_fault:
            undo()
        name = scn.rerun_journal or scn.journal
        for db in (prev, fresh):
            run = archive(site.url(name), db, *scn.rerun_args)
            clock.advance(3600)
            if run.code != 0:
                out.problems.append(f"{db.stem}: re-run exit {run.code}: {run.reason}")
            conn = sqlite3.connect(db)
            try:
                diff = compare(conn, site.journal(name))
                out.problems += [f"{db.stem} after re-run: {d}" for d in diff[:5]]
                out.coverage = min(out.coverage, coverage(conn, name).percent)
                integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
                if integrity != "ok":
                    out.problems.append(f"{db.stem}: integrity_check {integrity}")
            finally:
                conn.close()
        if out.coverage < 100.0:
            out.problems.append(f"coverage after re-run {out.coverage:.1f}%")
    return out


def _retry_after_kept(site: FakeSite, ctx: Ctx) -> list[str]:
    """After every 429 the site sent, at most one request came before its Retry-After ran out
    (`notes['retry_deadlines']`: the moments HTTP-dates name; else `notes['retry_after']`
    seconds, by default the 60 s of Dreamwidth's own 429s)."""
    problems = []
    log = sorted(site.requests, key=lambda r: r.ts)
    for i, rec in enumerate(log):
        if rec.status != 429:
            continue
        deadlines = [d for made, d in ctx.notes.get("retry_deadlines", []) if made <= rec.ts]
        until = deadlines[-1] if deadlines else rec.ts + ctx.notes.get("retry_after", 60.0)
        early = [r for r in log[i + 1 :] if r.ts < until - 1e-6]
        if len(early) > 1:
            problems.append(f"{len(early)} requests within Retry-After of the 429 for {rec.path}")
    return problems


# --- checks used by several scenarios ----------------------------------------------------------


def _stopped_at_captcha(ctx: Ctx, info: dict) -> list[str]:
    """Captcha: the gated request is the run's last; the captcha page itself is never fetched."""
    log = info["log"]
    problems = []
    if any(r.journal == "www" for r in log):
        problems.append("the captcha page was requested")
    gated = [i for i, r in enumerate(log) if r.status == 302 and r.journal == ctx.journal]
    if not gated or gated[0] != len(log) - 1:
        problems.append(
            f"requests after the captcha: {[r.path for r in log[gated[0] + 1 :]]}"
            if gated
            else "no captcha was served"
        )
    return problems


def _no_request_to(name: str) -> Callable[[Ctx, dict], list[str]]:
    def check(ctx: Ctx, info: dict) -> list[str]:
        hits = [r.path for r in info["log"] if r.journal == name]
        return [f"requested {name}: {hits[:3]}"] if hits else []

    return check


def _lock_entry(ctx: Ctx) -> Callable[[], None]:
    journal = ctx.site.journal(ctx.journal)
    entry = next(e for e in journal.entries if e.is_public and e.posted_at.year == 2023)
    ctx.notes["locked"] = entry.itemid
    ctx.notes["locked_day"] = entry.posted_at.strftime("%Y-%m-%d")
    entry.security = "access"

    def undo() -> None:
        entry.security = "public"

    return undo


def _locked_recorded(ctx: Ctx, info: dict) -> list[str]:
    """The locked entry is recorded as locked, its archived text kept."""
    conn = sqlite3.connect(info["db"])
    try:
        row = conn.execute(
            "SELECT security, body_html FROM entries WHERE itemid = ?", [ctx.notes["locked"]]
        ).fetchone()
    finally:
        conn.close()
    if info["db"].stem.startswith("fresh"):
        return [] if row is None else [f"a locked entry was invented: {row!r:.80}"]
    if row is None or row[0] == "public" or not row[1]:
        return [f"locked entry not recorded as locked with its text kept: {row!r:.80}"]
    return []


def _locked_row_may_change(ctx: Ctx, table: str, row: tuple) -> bool:
    # the entry really was locked: its row changes (security; its text stays, checked above)
    # and its day's calendar count drops (calendars count what an anonymous reader may see)
    return (table == "entries" and row[1] == ctx.notes.get("locked")) or (
        table == "calendar" and row[1] == ctx.notes.get("locked_day")
    )


def _set_status(status: str) -> Callable[[Ctx], Callable[[], None]]:
    def mutate(ctx: Ctx) -> Callable[[], None]:
        journal = ctx.site.journal(ctx.journal)
        journal.status = status

        def undo() -> None:
            journal.status = "active"

        return undo

    return mutate


def _set_flag(flag: str) -> Callable[[Ctx], Callable[[], None]]:
    def mutate(ctx: Ctx) -> Callable[[], None]:
        journal = ctx.site.journal(ctx.journal)
        setattr(journal, flag, True)

        def undo() -> None:
            setattr(journal, flag, False)

        return undo

    return mutate


RENAMED = "nairiporter_renamed"


def _rename(ctx: Ctx) -> Callable[[], None]:
    """The journal moves to a new name: the old one answers 301 to the new one's host."""
    new = build_nairiporter()
    new.name = RENAMED
    ctx.site.add_journal(new)
    ctx.site.journal(ctx.journal).renamed_to = RENAMED
    return lambda: None  # the old name keeps redirecting; the re-run archives the new one


def _retry_date(seconds: float) -> Callable[[Ctx], list[Fault]]:
    def faults(ctx: Ctx) -> list[Fault]:
        now = ctx.clock.now()
        when = (now + timedelta(seconds=seconds)).replace(microsecond=0)  # what HTTP-dates hold
        ctx.notes.setdefault("retry_deadlines", []).append(
            (ctx.clock.monotonic(), ctx.clock.monotonic() + (when - now).total_seconds())
        )
        return [
            Fault(
                "status",
                path=LISTINGS,
                times=3,
                seed=ctx.seed,
                params={"code": 429, "retry_after": when},
            )
        ]

    return faults


def _status(
    code: int,
    *,
    rate: float | None = None,
    times: int | None = None,
    path: str | None = None,
    **params,
) -> Callable[[Ctx], list[Fault]]:
    def faults(ctx: Ctx) -> list[Fault]:
        if "retry_after" in params:
            ctx.notes["retry_after"] = float(params["retry_after"])
        return [
            Fault(
                "status",
                path=path,
                rate=rate,
                times=times,
                seed=ctx.seed,
                params={"code": code, **params},
            )
        ]

    return faults


def _fault(
    kind: str,
    *,
    rate: float | None = None,
    times: int | None = None,
    path: str | None = LISTINGS_AND_ENTRIES,
    **params,
) -> Callable[[Ctx], list[Fault]]:
    def faults(ctx: Ctx) -> list[Fault]:
        if kind == "redirect" and params.get("to") == "www":
            return [
                Fault(
                    kind,
                    path=path,
                    rate=rate,
                    times=times,
                    seed=ctx.seed,
                    params={**params, "to": ctx.site.www_url + "elsewhere"},
                )
            ]
        return [Fault(kind, path=path, rate=rate, times=times, seed=ctx.seed, params=params)]

    return faults


DEEP = 100_000  # nested <div> in the hostile entry page's body (1.1 MB with the page around it)


def deep_entry(journal: FakeJournal) -> FakeEntry:
    """The entry whose page the deep-nesting fault serves: public, a few comments, no cut."""
    return next(
        e
        for e in journal.entries
        if e.is_public and 0 < len(e.comments) < 8 and not e.cut_html and e.posted_at.year == 2023
    )


def deep_entry_fault(site: FakeSite, journal: FakeJournal, depth: int = DEEP) -> tuple[Fault, int]:
    """A fault that serves `deep_entry`'s page with `depth` nested <div> in its body, the page
    otherwise as the site renders it; and the entry's id. Listings still show the entry's real
    body: only its own page is hostile."""
    entry = deep_entry(journal)
    body = entry.body_html
    entry.body_html = "<div>" * depth + "deep" + "</div>" * depth
    try:
        page = render_journal(journal, f"/{entry.itemid}.html", "", site.context(journal))
    finally:
        entry.body_html = body
    fault = Fault(
        "status", path=rf"^/{entry.itemid}\.html$", params={"code": 200, "body": page.body}
    )
    return fault, entry.itemid


def _new_comment(ctx: Ctx) -> Callable[[], None]:
    """A new comment on the deep entry: a later archive fetches its page again."""
    entry = deep_entry(ctx.site.journal(ctx.journal))
    comment = FakeComment(
        max(c.commentid for c in entry.comments) + 256,
        None,
        "leafreader",
        body_html="<p>One more thing.</p>",
        posted_at=datetime(2025, 3, 1, 12, 0),
    )
    entry.comments.append(comment)
    return lambda: entry.comments.remove(comment)


def _commented_rows_may_change(ctx: Ctx, table: str, row: tuple) -> bool:
    # the new comment is a real change: its entry's comment count and the profile's counts move
    return table == "profiles" or (table == "entries" and row[1] == ctx.notes.get("deep"))


def _deep_entry(ctx: Ctx) -> list[Fault]:
    fault, itemid = deep_entry_fault(ctx.site, ctx.site.journal(ctx.journal))
    ctx.notes["deep"] = itemid
    return [fault]


def _deep_entry_recorded(ctx: Ctx, info: dict) -> list[str]:
    """The hostile page is a parse problem of its own URL, refused in one line; nothing else."""
    conn = sqlite3.connect(info["db"])
    try:
        rows = conn.execute("SELECT url, kind, error FROM parse_errors").fetchall()
    finally:
        conn.close()
    want = f"/{ctx.notes['deep']}.html"
    if len(rows) != 1 or not rows[0][0].endswith(want) or rows[0][1] != "entry":
        return [f"parse_errors should name {want} alone: {rows!r:.200}"]
    if not re.fullmatch(
        r"page nests \d+ elements deep, over the 5000 the parsers read: not read", rows[0][2]
    ):
        return [f"parse error {rows[0][2]!r:.120}"]
    return []


def drip(clock: FakeClock, path: str, seconds_per_byte: float = 20.0) -> Fault:
    """A 200 whose body comes one byte every `seconds_per_byte` of `clock` (2 ms of real time)."""
    return Fault(
        "drip",
        path=path,
        params={"interval": 0.002, "tick": lambda: clock.advance(seconds_per_byte)},
    )


def _rate_bucket(ctx: Ctx) -> Callable[[], None]:
    ctx.site.enable_rate_limit(clock=ctx.clock.monotonic)
    return ctx.site.disable_rate_limit


def _suspended_page() -> str:
    return (Path(__file__).parent / "fixtures" / "site_suspended.html").read_text()


SCENARIOS: list[Scenario] = [
    # 429s and Dreamwidth's anonymous bucket
    Scenario(
        "429 Retry-After: seconds",
        0,
        sends_429=True,
        faults=_status(429, times=3, path=LISTINGS, retry_after=30),
    ),
    Scenario("429 Retry-After: HTTP-date", 0, sends_429=True, faults=_retry_date(45)),
    Scenario(
        "429 that never ends",
        75,
        r"rate limited",
        sends_429=True,
        faults=_status(429, path=r"^/2024/$", retry_after=5),
    ),
    Scenario(
        "rate bucket 30/60s, default --rate", 0, mutate=_rate_bucket, faulted_args=("--rate", "24")
    ),
    Scenario(
        "rate bucket 30/60s, --rate 120",
        0,
        sends_429=True,
        mutate=_rate_bucket,
        faulted_args=("--rate", "120"),
    ),
    # server errors and broken connections
    Scenario("HTTP 500 at random (15%)", 0, seeded=True, faults=_status(500, rate=0.15)),
    Scenario("HTTP 502 at random (15%)", 0, seeded=True, faults=_status(502, rate=0.15)),
    Scenario(
        "HTTP 503 + Retry-After at random",
        0,
        seeded=True,
        faults=_status(503, rate=0.15, retry_after=7),
    ),
    Scenario(
        "HTTP 503 on some pages, always",
        1,
        r"incomplete .*could not be fetched",
        faults=_status(503, path=LISTINGS_AND_ENTRIES),
    ),
    Scenario(
        "HTTP 500 on the journal root", 1, r"HTTP 500 \(gave up", faults=_status(500, path=r"^/$")
    ),
    Scenario(
        "connection reset at random (15%)",
        0,
        seeded=True,
        faults=_fault("reset", rate=0.15, path=None),
    ),
    Scenario("connection reset, always", 1, r"incomplete", faults=_fault("reset")),
    Scenario(
        "truncated body at random (15%)",
        0,
        seeded=True,
        faults=_fault("truncate", rate=0.15, path=None),
    ),
    Scenario("truncated body, always", 1, r"incomplete", faults=_fault("truncate")),
    Scenario(
        "stall past the timeout",
        1,
        r"incomplete",
        faults=_fault("stall", path=r"^/2024/$"),
        timeout=0.25,
    ),
    # interstitials
    Scenario(
        "captcha interstitial",
        75,
        r"captcha.*stopping",
        faults=_fault("captcha", path=r"^/2024/"),
        check=_stopped_at_captcha,
    ),
    Scenario(
        "adult interstitial on entries",
        1,
        r"skipped.*--allow-adult",
        faults=_fault("adult", path=r"^/\d+\.html|^/2024/"),
        rerun_args=("--allow-adult",),
        keep_fault=True,
    ),
    Scenario(
        "adult interstitial on the journal",
        1,
        r"--allow-adult",
        mutate=_set_flag("adult"),
        rerun_args=("--allow-adult",),
        keep_fault=True,
    ),
    Scenario(
        "locked entry (anonymous view)",
        0,
        mutate=_lock_entry,
        check=_locked_recorded,
        changed_ok=_locked_row_may_change,
    ),
    # the journal's account
    Scenario("suspended journal", 1, r"[Ss]uspended", mutate=_set_status("suspended")),
    Scenario("deleted journal", 1, r"no journal at .*HTTP 404", mutate=_set_status("deleted")),
    Scenario("purged journal", 1, r"no journal at .*HTTP 410", mutate=_set_status("purged")),
    Scenario(
        "suspended in mid-crawl",
        1,
        r"incomplete",
        faults=_status(403, path=LISTINGS_AND_ENTRIES, body=_suspended_page()),
    ),
    Scenario(
        "renamed journal (301 to new name)",
        1,
        r"redirects off the journal's host|renamed",
        mutate=_rename,
        rerun_journal=RENAMED,
        check=_no_request_to(RENAMED),
    ),
    # hostile responses
    Scenario(
        "redirect to another host",
        1,
        r"incomplete",
        faults=_fault("redirect", to="www"),
        check=_no_request_to("www"),
    ),
    Scenario(
        "huge response (Content-Length)",
        1,
        r"incomplete",
        faults=_fault("huge", mb=11, path=r"^/2024/$"),
    ),
    Scenario(
        "huge response (no Content-Length)",
        1,
        r"incomplete",
        faults=_fault("huge", mb=11, declare=False, path=r"^/2024/$"),
    ),
    Scenario(
        "drip one byte every 20 s (120 s deadline)",
        1,
        r"incomplete",
        faults=lambda ctx: [drip(ctx.clock, r"^/2024/$")],
    ),
    Scenario(
        f"entry page nested {DEEP:,} <div> deep",
        1,
        r"incomplete",
        faults=_deep_entry,
        mutate=_new_comment,
        check=_deep_entry_recorded,
        changed_ok=_commented_rows_may_change,
    ),
    Scenario(
        "malformed: random bytes", 1, r"incomplete", faults=_fault("malformed", mode="garbage")
    ),
    Scenario("malformed: PNG as HTML", 1, r"incomplete", faults=_fault("malformed", mode="binary")),
    Scenario("malformed: cut mid-tag", 1, r"incomplete", faults=_fault("malformed", mode="half")),
    Scenario(
        "mis-encoded: cp1252 sent as UTF-8",
        1,
        r"incomplete",
        faults=_fault("malformed", mode="latin1"),
    ),
    # robots.txt
    Scenario(
        "robots.txt disallows all",
        1,
        r"robots",
        mutate=_set_flag("robots_block"),
        age_robots=True,
        rerun_args=("--ignore-robots",),
        keep_fault=True,
    ),
    Scenario(
        "robots.txt unreachable (HTTP 500)",
        1,
        r"robots.txt .*could not be read",
        faults=_status(500, path=r"^/robots\.txt$"),
        age_robots=True,
    ),
]

BY_KIND = {s.kind: s for s in SCENARIOS}
