"""The fault suite: every way the fake site can misbehave, over real loopback HTTP.

For each scenario of tests/fault_scenarios.py: `dwarchive archive` with the fault injected exits
with the documented code (0 ok, 1 error, 75 rate-limited/captcha) and a one-line reason, no row
of a previous complete archive is lost or changed, and once the fault is gone (or the remedy the
reason names is given) a later run completes the archive: compare(...) == [], coverage 100 %.
The same scenarios, with several seeds, make the table of bench/faults.py.
"""

from __future__ import annotations

import sqlite3

import pytest

from scraper.fakesite import FakeSite, Fault, build_sample_site
from scraper.fetch.clock import FakeClock
from tests.archive_check import compare
from tests.fault_scenarios import (
    LISTINGS_AND_ENTRIES,
    SCENARIOS,
    archive,
    fake_time,
    run_scenario,
)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.kind for s in SCENARIOS])
def test_archive_survives(scenario, tmp_path):
    outcome = run_scenario(scenario, tmp_path)
    assert outcome.problems == []
    assert outcome.runs == 2 and outcome.codes == [scenario.code] * 2
    assert outcome.lost == 0
    assert outcome.coverage == 100.0
    assert (outcome.n429 > 0) == scenario.sends_429  # default settings: not a single 429
    if scenario.code:
        assert all(r.count("\n") == 0 and r for r in outcome.reasons)


def test_captcha_run_resumes_without_repeating_work(tmp_path):
    """After a captcha stop the next run resumes the stored queue: only the gated page is asked
    for again."""
    clock = FakeClock()
    db = tmp_path / "a.db"
    with fake_time(clock), FakeSite(build_sample_site(), clock=clock.monotonic) as site:
        site.add_fault(Fault("captcha", path=r"^/\?skip=40"))
        stopped = archive(site.url("nairiporter"), db)
        assert stopped.code == 75 and "captcha" in stopped.reason
        first = [r.path for r in site.log("nairiporter")]
        assert first[-1] == "/?skip=40" and site.count(journal="www") == 0
        site.clear_faults()
        site.clear_log()
        clock.advance(3600)
        resumed = archive(site.url("nairiporter"), db)
        assert resumed.code == 0, resumed.stderr
        second = [r.path for r in site.log("nairiporter")]
        assert set(first) & set(second) == {"/?skip=40"}
        assert compare(sqlite3.connect(db), site.journal("nairiporter")) == []


def test_robots_override_is_explicit_and_logged(tmp_path):
    with FakeSite(build_sample_site()) as site:
        site.journal("tea_garden").robots_block = True
        refused = archive(site.url("tea_garden"), tmp_path / "a.db")
        assert refused.code == 1 and "--ignore-robots" in refused.reason
        assert [r.path for r in site.log("tea_garden")] == ["/robots.txt"]
        owned = archive(site.url("tea_garden"), tmp_path / "a.db", "--ignore-robots")
        assert owned.code == 0
        assert (
            "robots.txt disallows" in owned.stderr and "overridden: --ignore-robots" in owned.stderr
        )  # printed even with -q: it is a problem-level message
        assert compare(sqlite3.connect(tmp_path / "a.db"), site.journal("tea_garden")) == []


def test_listed_entry_answering_404_is_not_tombstoned(tmp_path):
    """A 404 for an entry page whose entry the listing just showed is a glitch (or a change
    since): the entry is not marked deleted, the page is retried by the next run."""
    clock = FakeClock()
    db = tmp_path / "a.db"
    with fake_time(clock), FakeSite(build_sample_site(), clock=clock.monotonic) as site:
        site.add_fault(Fault("status", path=LISTINGS_AND_ENTRIES, params={"code": 404}))
        assert archive(site.url("nairiporter"), db).code == 1
        conn = sqlite3.connect(db)
        assert (
            conn.execute("SELECT count(*) FROM entries WHERE deleted_at IS NOT NULL").fetchone()[0]
            == 0
        )
        site.clear_faults()
        assert archive(site.url("nairiporter"), db).code == 0
        assert compare(conn, site.journal("nairiporter")) == []


def test_entry_really_deleted_is_tombstoned_not_removed(tmp_path):
    """The other side of the rule above: a stored entry gone from its day, whose permalink
    answers 404, is kept and marked deleted."""
    db = tmp_path / "a.db"
    with FakeSite(build_sample_site()) as site:
        assert archive(site.url("nairiporter"), db).code == 0
        journal = site.journal("nairiporter")
        gone = next(e for e in journal.entries if e.is_public and e.posted_at.year == 2023)
        journal.entries.remove(gone)
        assert archive(site.url("nairiporter"), db).code == 0
        row = (
            sqlite3.connect(db)
            .execute("SELECT deleted_at, body_html FROM entries WHERE itemid = ?", [gone.itemid])
            .fetchone()
        )
        assert row[0] is not None and row[1]
