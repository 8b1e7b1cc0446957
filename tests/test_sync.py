"""`dwarchive sync`: only what changed, edits as revisions, tombstones, comment states, lock."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime

import pytest

from scraper.crawl import CrawlMode, CrawlOptions, run_journals
from scraper.fakesite import FakeComment, FakeEntry, Fault, big_thread_entry
from scraper.fetch import FakeClock
from scraper.progress import PlainProgress
from tests.archive_check import compare
from tests.conftest import table_dump

CONTACT = "tests@dwarchive.invalid"


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def crawl(site, db_path, name="nairiporter", mode="incremental", clock=None):
    command = {"incremental": "sync", "deep": "sync-full", "full": "archive"}[mode]
    return run_journals(
        [(site.url(name), None)],
        str(db_path),
        CrawlOptions(contact=CONTACT, rate=None),
        printer=PlainProgress(quiet=True),
        command=command,
        mode=CrawlMode(mode),
        clock=clock or FakeClock(),
    )[0]


@pytest.fixture
def archived(site, db_path):
    s = crawl(site, db_path, mode="full")
    assert s.outcome == "complete"
    site.clear_log()
    return site


def paths(site, name="nairiporter"):
    return [r.path for r in site.log(name)]


def newest_public(journal, n=1):
    return sorted((e for e in journal.entries if e.is_public), key=lambda e: e.posted_at)[-n:]


def test_no_change_sync_costs_two_requests_then_the_feed_answers_304(archived, db_path):
    site = archived
    s = crawl(site, db_path)
    assert s.outcome == "complete"
    assert paths(site) == ["/data/atom", "/"]  # robots.txt is cached for a day
    site.clear_log()
    s = crawl(site, db_path)
    assert [(r.path, r.status) for r in site.log("nairiporter")] == [
        ("/data/atom", 304),
        ("/", 200),
    ]
    assert (s.changes.new_entries, s.changes.changed_entries, s.changes.new_comments) == (0, 0, 0)


def test_one_new_entry_costs_at_most_four_requests(archived, db_path):
    site = archived
    crawl(site, db_path)  # the first sync learns the feed's validators
    site.clear_log()
    j = site.journal("nairiporter")
    entry = FakeEntry(
        itemid=j.next_itemid(),
        subject="Fresh <b>news</b>",
        body_html="<p>Swifts are back.</p>",
        posted_at=datetime(2025, 7, 3, 9, 5),
        poster="nairiporter",
        tags=["birds"],
        mood="glad",
        logged_at=now_utc(),
    )
    entry.comments.append(
        FakeComment(
            commentid=entry.next_commentid(j),
            parent=None,
            author="willowmere",
            body_html="Welcome back, swifts!",
            posted_at=now_utc(),
        )
    )
    j.entries.append(entry)
    s = crawl(site, db_path)
    assert s.outcome == "complete"
    assert len(site.log("nairiporter")) <= 4, paths(site)
    assert s.changes.new_entries == 1 and s.changes.new_comments == 1
    conn = sqlite3.connect(db_path)
    assert conn.execute(
        "SELECT subject, mood FROM entries WHERE itemid = ?", [entry.itemid]
    ).fetchone() == ("Fresh news", "glad")
    assert compare(conn, j) == []


def test_edit_is_kept_as_revision(archived, db_path):
    site = archived
    j = site.journal("nairiporter")
    e = newest_public(j)[0]
    old_subject = e.subject
    e.body_html = "<p>Rewritten completely.</p>"
    e.subject = "A new title"
    e.edited_at = now_utc()
    s = crawl(site, db_path)
    assert s.changes.changed_entries == 1
    conn = sqlite3.connect(db_path)
    assert conn.execute(
        "SELECT subject, body_text FROM entries WHERE itemid = ?", [e.itemid]
    ).fetchone() == ("A new title", "Rewritten completely.")
    rev = conn.execute(
        "SELECT revision, subject FROM entry_revisions WHERE itemid = ?", [e.itemid]
    ).fetchall()
    assert (
        len(rev) == 1
        and rev[0][0] == 1
        and rev[0][1]
        == old_subject.replace("<b>", "").replace("</b>", "").replace("<i>", "").replace("</i>", "")
    )
    assert compare(conn, j) == []


def test_edit_behind_a_cut_is_found_through_the_feed(archived, db_path):
    site = archived
    j = site.journal("nairiporter")
    crawl(site, db_path)
    cut = next(
        e
        for e in sorted(j.entries, key=lambda e: e.posted_at, reverse=True)
        if e.is_public and e.cut_html
    )
    cut.cut_html = "<p>Behind the cut, now different.</p>"
    cut.edited_at = now_utc()
    site.clear_log()
    crawl(site, db_path)
    assert f"/{cut.itemid}.html" in paths(site)
    conn = sqlite3.connect(db_path)
    body = conn.execute("SELECT body_text FROM entries WHERE itemid = ?", [cut.itemid]).fetchone()
    assert "now different" in body[0]
    assert (
        conn.execute(
            "SELECT count(*) FROM entry_revisions WHERE itemid = ?", [cut.itemid]
        ).fetchone()[0]
        == 1
    )


def _entry_with_leaf(j):
    for e in sorted(j.entries, key=lambda e: e.posted_at, reverse=True):
        visible = [c for c in e.comments if c.state == "visible"]
        parents = {c.parent for c in e.comments}
        leaves = [c for c in visible if c.commentid not in parents]
        if e.is_public and len(visible) >= 2 and leaves:
            return e, leaves[0]
    raise AssertionError("sample has no entry with a leaf comment")


def test_new_comment_is_fetched(archived, db_path):
    site = archived
    j = site.journal("nairiporter")
    e, _ = _entry_with_leaf(j)
    e.comments.append(
        FakeComment(
            commentid=e.next_commentid(j),
            parent=None,
            author=None,
            body_html="An anonymous hello",
            posted_at=now_utc(),
        )
    )
    s = crawl(site, db_path)
    assert s.changes.new_comments == 1
    assert len(site.log("nairiporter")) <= 3  # feed, recent page, the entry's page
    conn = sqlite3.connect(db_path)
    assert conn.execute(
        "SELECT author, itemid FROM comments WHERE body_text = 'An anonymous hello'"
    ).fetchone() == (None, e.itemid)
    assert compare(conn, j) == []


def test_deleted_comment_is_marked_and_keeps_its_text(archived, db_path):
    site = archived
    j = site.journal("nairiporter")
    _e, leaf = _entry_with_leaf(j)
    leaf_text = " ".join(leaf.body_html.split()[:2])
    leaf.state = "deleted"  # a leaf: it simply vanishes from the page
    s = crawl(site, db_path)
    assert s.changes.changed_comments == 1
    conn = sqlite3.connect(db_path)
    state, body = conn.execute(
        "SELECT state, body_html FROM comments WHERE commentid = ?", [leaf.commentid]
    ).fetchone()
    assert state == "deleted" and leaf_text in body


def test_full_sync_is_a_deep_check_of_every_comment_tree(archived, db_path):
    site = archived
    j = site.journal("nairiporter")
    e, leaf = _entry_with_leaf(j)
    # one comment added and one removed: the count stays, only a deep check can see it
    e.comments.append(
        FakeComment(
            commentid=e.next_commentid(j),
            parent=None,
            author="lumen_ink",
            body_html="Same count, new words",
            posted_at=now_utc(),
        )
    )
    leaf.state = "deleted"
    s = crawl(site, db_path)
    assert s.changes.new_comments == 0  # an incremental sync cannot notice
    s = crawl(site, db_path, mode="deep")
    assert s.changes.new_comments == 1 and s.changes.changed_comments == 1
    assert compare(sqlite3.connect(db_path), j) == []


def test_deleted_entry_is_tombstoned_not_removed(archived, db_path):
    site = archived
    j = site.journal("nairiporter")
    recent = newest_public(j, 5)
    gone = recent[2]  # in the middle of the recent page
    j.entries.remove(gone)
    s = crawl(site, db_path)
    assert s.outcome == "complete" and s.deleted_entries == 1
    assert f"/{gone.itemid}.html" in paths(site)  # a definite 404 decided it
    conn = sqlite3.connect(db_path)
    row = conn.execute(
        "SELECT subject, deleted_at FROM entries WHERE itemid = ?", [gone.itemid]
    ).fetchone()
    assert row[0] is not None and row[1] is not None


def test_full_sync_finds_deletions_anywhere_but_never_on_5xx(archived, db_path):
    site = archived
    j = site.journal("nairiporter")
    old = sorted((e for e in j.entries if e.is_public), key=lambda e: e.posted_at)[3]
    j.entries.remove(old)
    site.add_fault(Fault("status", path=rf"^/{old.itemid}\.html$", params={"code": 503}))
    s = crawl(site, db_path, mode="full")
    assert s.outcome == "incomplete" and s.deleted_entries == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute(
        "SELECT deleted_at FROM entries WHERE itemid = ?", [old.itemid]
    ).fetchone() == (None,)
    site.clear_faults()
    s = crawl(site, db_path, mode="full")  # resumes the failed check; 404 is definite
    assert s.outcome == "complete" and s.deleted_entries == 1
    assert conn.execute(
        "SELECT deleted_at IS NOT NULL FROM entries WHERE itemid = ?", [old.itemid]
    ).fetchone() == (1,)


def test_a_page_that_fails_once_is_retried_and_the_sync_completes(archived, db_path):
    site = archived
    site.add_fault(Fault("status", path=r"^/$", times=1, params={"code": 502}))
    clock = FakeClock()
    s = crawl(site, db_path, clock=clock)
    assert s.outcome == "complete"
    assert [r.status for r in site.log("nairiporter") if r.path == "/"] == [502, 200]
    assert clock.slept > 0  # backed off on the injected clock, not in real time


def test_sync_runs_are_recorded_and_status_shows_them(archived, db_path, run):
    site = archived
    crawl(site, db_path)
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT command, outcome, requests, finished_at IS NOT NULL FROM sync_runs ORDER BY id"
    ).fetchall()
    assert rows == [("archive", "complete", 84, 1), ("sync", "complete", 2, 1)]
    out = run("status", "--db", db_path).stdout
    assert "last run: sync" in out and "2 requests" in out


def test_sync_cli_quiet_prints_nothing_when_all_is_well(archived, db_path, run):
    result = run("sync", "--db", db_path, "--quiet", "--rate", "0", "--contact", CONTACT)
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == ""


def test_captcha_during_sync_exits_75_and_keeps_everything(archived, db_path, run):
    site = archived
    tables = ("entries", "comments", "calendar", "entry_tags")
    before = table_dump(db_path, tables)
    site.add_fault(Fault("captcha", path=r"^/$"))
    result = run("sync", "--db", db_path, "-q", "--rate", "0", "--contact", CONTACT)
    assert result.exit_code == 75
    assert "captcha" in result.stderr and result.stderr.strip().count("\n") == 0
    assert table_dump(db_path, tables) == before
    assert len([r for r in site.log("nairiporter") if r.path == "/"]) == 1  # never retried


def test_second_sync_while_one_runs_exits_at_once(archived, db_path):
    site = archived
    stall = site.add_fault(Fault("stall", path=r"^/data/atom", times=1))
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scraper.cli",
            "sync",
            "--db",
            str(db_path),
            "--rate",
            "0",
            "--contact",
            CONTACT,
            "-q",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        arrived = threading.Event()
        # wait (on I/O, not a sleep) until the first sync is held inside the feed request
        for _ in range(200):
            if stall.fired:
                arrived.set()
                break
            arrived.wait(0.05)
        assert arrived.is_set()
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "scraper.cli",
                "sync",
                "--db",
                str(db_path),
                "--rate",
                "0",
                "--contact",
                CONTACT,
                "-q",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 75
        assert "another dwarchive run" in second.stderr
        assert second.stderr.strip().count("\n") == 0
    finally:
        stall.release()
        _out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert sqlite3.connect(db_path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_comment_becoming_screened_keeps_text(archived, db_path):
    site = archived
    j = site.journal("nairiporter")
    big = big_thread_entry(j)
    # screen a visible comment that has a shown reply below it: it turns into a placeholder
    parents = {c.parent for c in big.comments if c.state == "visible"}
    target = next(
        c
        for c in big.comments
        if c.state == "visible" and c.commentid in parents and c.parent is None
    )
    target.state = "screened"
    s = crawl(site, db_path, mode="full")
    assert s.outcome == "complete"
    conn = sqlite3.connect(db_path)
    state, body = conn.execute(
        "SELECT state, body_html FROM comments WHERE commentid = ?", [target.commentid]
    ).fetchone()
    assert state == "screened" and body


def test_a_captcha_or_429_cool_down_outlives_the_run(archived, db_path):
    """Straight after an exit 75 the next run makes no request until the wait has passed."""
    from scraper.errors import Blocked, RateLimited

    site = archived
    clock = FakeClock()
    site.add_fault(Fault("captcha", path=r"^/$", times=1))
    with pytest.raises(Blocked):
        crawl(site, db_path, clock=clock)
    site.clear_log()
    with pytest.raises(RateLimited, match="asked us to wait"):
        crawl(site, db_path, clock=clock)
    assert site.log("nairiporter") == []  # refused before any request
    clock.advance(3600 + 1)
    assert crawl(site, db_path, clock=clock).outcome == "complete"

    site.add_fault(Fault("status", path=r"^/$", params={"code": 429, "retry_after": 1200}))
    with pytest.raises(RateLimited):
        crawl(site, db_path, clock=clock)
    site.clear_faults()
    site.clear_log()
    with pytest.raises(RateLimited, match="asked us to wait"):
        crawl(site, db_path, clock=clock)
    assert site.log("nairiporter") == []
    clock.advance(1200 + 1)
    assert crawl(site, db_path, clock=clock).outcome == "complete"


def test_an_entry_page_that_5xxs_once_is_retried_within_the_sync(archived, db_path):
    site = archived
    j = site.journal("nairiporter")
    e, _ = _entry_with_leaf(j)
    e.comments.append(
        FakeComment(
            commentid=e.next_commentid(j),
            parent=None,
            author="lumen_ink",
            body_html="Worth the retry",
            posted_at=now_utc(),
        )
    )
    site.add_fault(Fault("status", path=rf"^/{e.itemid}\.html$", times=1, params={"code": 503}))
    clock = FakeClock()
    s = crawl(site, db_path, clock=clock)
    assert s.outcome == "complete" and s.changes.new_comments == 1 and s.deleted_entries == 0
    assert [r.status for r in site.log("nairiporter") if r.path == f"/{e.itemid}.html"] == [
        503,
        200,
    ]
    assert compare(sqlite3.connect(db_path), j) == []


def test_ignore_cooldown_resumes_after_a_captcha_solved_in_a_browser(archived, db_path, run):
    """After a captcha the next runs refuse without a request, naming --ignore-cooldown; with it
    the run goes on at once, says so, and succeeds."""
    from scraper.errors import Blocked

    site = archived
    site.add_fault(Fault("captcha", path=r"^/$", times=1))
    with pytest.raises(Blocked):  # met now: the CLI runs below read the real clock
        crawl(site, db_path, clock=FakeClock(start=datetime.now(UTC)))
    site.clear_log()
    args = ("sync", "--db", db_path, "--rate", "0", "--contact", CONTACT)
    refused = run(*args)
    assert refused.exit_code == 75
    assert "asked us to wait (captcha)" in refused.stderr
    assert "--ignore-cooldown" in refused.stderr
    assert site.log("nairiporter") == []
    overridden = run(*args, "--ignore-cooldown")
    assert overridden.exit_code == 0, overridden.stderr
    assert "going on anyway (--ignore-cooldown)" in overridden.stderr
    assert site.log("nairiporter")  # it did ask the site
    assert compare(sqlite3.connect(db_path), site.journal("nairiporter")) == []
