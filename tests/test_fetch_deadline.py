"""The total deadline per response: a server that drips its body (the fake site's "drip" fault)
is abandoned at the deadline, retried per policy, then reported in one line.

The drip's `tick` moves the FakeClock by 20 s before each byte while the real interval is 2 ms,
so a response "taking minutes" costs a fraction of a second and the deadline is checked on the
same clock the fetcher uses.
"""

from __future__ import annotations

import re
import time

import pytest

from scraper.errors import FetchError, RobotsUnreadable
from scraper.fakesite import FakeSite
from scraper.fakesite.sample import build_nairiporter
from scraper.fetch import FakeClock, HttpFetcher
from tests.fault_scenarios import drip

CONTACT = "deadline@dwarchive.invalid"


class Events(list):
    def __call__(self, kind, **info):
        self.append((kind, info))

    def of(self, kind):
        return [info for k, info in self if k == kind]


@pytest.fixture
def site():
    with FakeSite([build_nairiporter()]) as s:
        yield s


def fetcher(site, clock, **kw):
    kw.setdefault("rate_per_minute", None)
    return HttpFetcher(site.url("nairiporter"), contact=CONTACT, clock=clock, **kw)


def test_a_dripping_response_is_abandoned_at_the_deadline_and_retried(site):
    clock = FakeClock()
    site.add_fault(drip(clock, r"^/profile$"))
    events = Events()
    started = time.monotonic()
    with (
        fetcher(site, clock, max_attempts=3, on_event=events) as f,
        pytest.raises(FetchError) as info,
    ):
        f.get("profile")
    assert time.monotonic() - started < 10  # minutes of fake time, a moment of real time
    message = str(info.value)
    assert "\n" not in message
    assert "no complete response within 120 s" in message and "gave up after 3 attempts" in message
    assert site.count("nairiporter", "/profile") == 3
    failed = [e for e in events.of("request") if e["url"].endswith("/profile")]
    assert len(failed) == 3 and all(e["status"] == 200 for e in failed)
    for event in failed:  # each attempt given up at the first byte past 120 s (20 s per byte)
        spent = int(re.search(r"abandoned after (\d+) s", event["error"]).group(1))
        assert 120 < spent <= 200
    assert len(events.of("retry")) == 2 and len(clock.sleeps) == 2  # backoff between attempts


def test_the_deadline_is_total_not_per_read(site):
    """Each byte comes long before the read timeout; only the total gives it away."""
    clock = FakeClock()
    site.add_fault(drip(clock, r"^/profile$", seconds_per_byte=1.0))
    with fetcher(site, clock, max_attempts=1, deadline=30) as f, pytest.raises(FetchError) as info:
        f.get("profile")
    assert "within 30 s" in str(info.value)


def test_a_slow_response_within_the_deadline_is_read(site):
    clock = FakeClock()
    site.add_fault(drip(clock, r"^/robots\.txt$", seconds_per_byte=5.0))  # 14 bytes: 70 s
    with fetcher(site, clock) as f:
        assert f.get("2024/").status == 200
        assert f.robots is not None and f.robots.text == "User-Agent: *\n"
    assert clock.monotonic() - 1000 >= 70


def test_robots_txt_past_the_deadline_cannot_be_read(site):
    clock = FakeClock()
    site.add_fault(drip(clock, r"^/robots\.txt$", seconds_per_byte=10.0))  # 140 s
    with fetcher(site, clock, max_attempts=2) as f:
        with pytest.raises(RobotsUnreadable, match="could not be read.*within 120 s"):
            f.get("2024/")
        with pytest.raises(RobotsUnreadable):
            f.get("2025/")  # remembered: no new request
    assert [r.path for r in site.log("nairiporter")] == ["/robots.txt", "/robots.txt"]


def test_deadline_must_be_positive(site):
    with pytest.raises(ValueError):
        fetcher(site, FakeClock(), deadline=0)


# The whole command against a dripping page (exit 1 in one line, nothing stored lost, the next run
# completes) is the scenario "drip one byte every 20 s" of tests/fault_scenarios.py, run by
# tests/test_faults.py and bench/faults.py.
