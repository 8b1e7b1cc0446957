"""Dreamwidth's anonymous rate limit, end to end over loopback HTTP, without sleeping.

The fake site enforces DW::RateLimit's bucket (30 requests, refilled at 0.5/s, 429 with
`Retry-After: 60` when empty) on the same FakeClock the Fetcher sleeps on, and stamps its request
log with it: default settings never meet a 429; a run forced to go fast meets them, waits out
each Retry-After (seconds or HTTP-date) with no request before it has passed, and still ends
with a complete archive.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from scraper.crawl import CrawlOptions, run_journals
from scraper.errors import RateLimited
from scraper.fakesite import FakeSite, Fault, build_sample_site
from scraper.fetch.clock import FakeClock
from scraper.progress import PlainProgress
from tests.archive_check import compare
from tests.fault_scenarios import CONTACT, archive, fake_time

NAME = "nairiporter"


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def site(clock):
    with FakeSite(build_sample_site(), clock=clock.monotonic) as s:
        yield s


def crawl(site, db, clock, rate):
    return run_journals(
        [(site.url(NAME), NAME)],
        str(db),
        CrawlOptions(contact=CONTACT, rate=rate),
        printer=PlainProgress(quiet=True),
        clock=clock,
    )[0]


def most_in_window(times: list[float], seconds: float = 60.0) -> int:
    times = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= seconds:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def requests_before(log, status_at: int, until: float) -> int:
    """Requests logged after log[status_at] and before the monotonic time `until`."""
    return sum(1 for r in log[status_at + 1 :] if r.ts < until - 1e-6)


def test_default_rate_never_meets_a_429(site, clock, tmp_path):
    bucket = site.enable_rate_limit(clock=clock.monotonic)
    summary = crawl(site, tmp_path / "a.db", clock, rate=24)
    assert summary.outcome == "complete"
    assert bucket.refused == 0 and site.count(status=429) == 0
    times = [r.ts for r in site.requests]
    assert len(times) > 60  # long enough to run through a full bucket twice at full speed
    assert most_in_window(times) <= 28  # burst 4 + 24/min: room left for the user's browser
    assert clock.slept > 60  # the limiter waited on the fake clock, not the real one
    assert compare(sqlite3.connect(tmp_path / "a.db"), site.journal(NAME)) == []


def test_forced_fast_run_meets_429s_waits_them_out_and_completes(site, clock, tmp_path):
    site.enable_rate_limit(clock=clock.monotonic)
    summary = crawl(site, tmp_path / "a.db", clock, rate=120)
    assert summary.outcome == "complete"
    log = sorted(site.requests, key=lambda r: r.ts)
    refused = [i for i, r in enumerate(log) if r.status == 429]
    assert refused, "a 120/min run must empty a 30-token bucket"
    for i in refused:
        assert requests_before(log, i, log[i].ts + 60) == 0
    assert compare(sqlite3.connect(tmp_path / "a.db"), site.journal(NAME)) == []


@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_retry_after_is_honoured_in_both_forms(site, clock, tmp_path, form):
    wait = 37

    def retry_after():  # called as the 429 goes out: an HTTP-date `wait` seconds from then
        return wait if form == "seconds" else clock.now() + timedelta(seconds=wait)

    for year in (2023, 2024):
        site.add_fault(
            Fault(
                "status",
                path=rf"^/{year}/$",
                times=1,
                params={"code": 429, "retry_after": retry_after},
            )
        )
    summary = crawl(site, tmp_path / "a.db", clock, rate=None)  # no limiter: only Retry-After
    assert summary.outcome == "complete"
    log = sorted(site.requests, key=lambda r: r.ts)
    refused = [i for i, r in enumerate(log) if r.status == 429]
    assert sorted(log[i].path for i in refused) == ["/2023/", "/2024/"]
    for i in refused:
        # an HTTP-date has whole seconds: the wait may be up to 1 s shorter than asked
        assert requests_before(log, i, log[i].ts + wait - (1 if form == "http-date" else 0)) == 0
        assert log[i + 1].path == log[i].path  # the next request is the same page, once
    assert compare(sqlite3.connect(tmp_path / "a.db"), site.journal(NAME)) == []


def test_endless_429_stops_with_exit_75_and_keeps_the_work(site, clock, tmp_path):
    site.add_fault(Fault("status", path=r"^/2023/$", params={"code": 429, "retry_after": 20}))
    with fake_time(clock):
        stopped = archive(site.url(NAME), tmp_path / "a.db")
    assert stopped.code == 75 and "rate limited" in stopped.reason
    assert stopped.stderr.strip().count("\n") == 0  # one line
    assert site.count(status=429) == 5  # max_attempts, each after its Retry-After
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] > 0  # saved before stopping
    assert conn.execute("SELECT outcome FROM sync_runs").fetchone() == ("rate-limited",)
    site.clear_faults()
    clock.advance(3600)
    with fake_time(clock):
        assert archive(site.url(NAME), tmp_path / "a.db").code == 0
    assert compare(conn, site.journal(NAME)) == []


def test_retry_after_beyond_the_cap_stops_at_once(site, clock, tmp_path):
    site.add_fault(Fault("status", path=r"^/2024/$", params={"code": 429, "retry_after": 3600}))
    with pytest.raises(RateLimited, match="asks to wait 3600 s"):
        crawl(site, tmp_path / "a.db", clock, rate=None)
    assert site.count(status=429) == 1
    assert site.requests[-1].status == 429  # nothing after it
