"""Owner mode end to end, over real HTTP to the fake site's protocol endpoints: everything the
owner sees (locked, private and custom entries; screened, frozen and deleted comments), the same
public entries as the HTML path, the id gap crossed, a wrong key costing one request, the key
and session value nowhere, incremental syncs, the session always ended, reparse offline."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from scraper.crawl.owner_plan import minimum_requests as owner_minimum
from scraper.fakesite import FakeSite
from scraper.fakesite.comments import shown_count
from scraper.fakesite.model import FakeComment
from scraper.fakesite.protocol import OWNER_API_KEY, OWNER_NAME, build_owner_journal
from scraper.fakesite.protocol.entries import event_source, security

CONTACT = "tests@dwarchive.invalid"
FIELDS = (
    "subject",
    "body_text",
    "poster",
    "posted_at",
    "userpic_keyword",
    "security",
    "mood",
    "music",
    "location",
    "restrictions",
)


@pytest.fixture(scope="module")
def owner_site():
    with FakeSite([build_owner_journal()]) as site:
        yield site


@pytest.fixture
def key_file(tmp_path) -> Path:
    path = tmp_path / "dw.key"
    path.write_text(OWNER_API_KEY + "\n")
    path.chmod(0o600)
    return path


def _owner_args(db, key_file, *extra):
    """The options of an owner-mode run against the fake site (no rate limit)."""
    return (
        "--db",
        db,
        "--user",
        OWNER_NAME,
        "--api-key-file",
        key_file,
        "--rate",
        "0",
        "--contact",
        CONTACT,
        *extra,
    )


def _archive(run, site, db, key_file, *extra):
    return run("archive", site.url(OWNER_NAME), *_owner_args(db, key_file, *extra))


@pytest.fixture(scope="module")
def archived(owner_site, tmp_path_factory):
    """One owner-mode archive (and one HTML archive of the same journal) for the module."""
    from click.testing import CliRunner

    from scraper.cli import cli

    tmp = tmp_path_factory.mktemp("owner")
    key = tmp / "dw.key"
    key.write_text(OWNER_API_KEY)
    key.chmod(0o600)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    owner_site.clear_log()
    owner = _archive(run, owner_site, tmp / "owner.db", key)
    log = owner_site.log(OWNER_NAME)
    html = run(
        "archive",
        owner_site.url(OWNER_NAME),
        "--db",
        tmp / "html.db",
        "--rate",
        "0",
        "--contact",
        CONTACT,
    )
    return {"owner": owner, "html": html, "log": log, "dir": tmp}


def test_everything_the_owner_sees_is_archived(archived, owner_site):
    assert archived["owner"].exit_code == 0, archived["owner"].stderr
    journal = owner_site.journal(OWNER_NAME)
    conn = sqlite3.connect(archived["dir"] / "owner.db")
    locked = sum(not e.is_public for e in journal.entries)
    public = len(journal.entries) - locked
    assert (
        f"{len(journal.entries)} entries ({locked} locked), " in archived["owner"].stdout
        and f"coverage 100% ({public}/{public} public)" in archived["owner"].stdout
    )
    # no journal page is read in owner mode: the title and subtitle come from the profile
    assert conn.execute("SELECT title, subtitle FROM journals").fetchall() == [
        (journal.title, journal.subtitle)
    ]
    rows = {
        r[0]: r
        for r in conn.execute(
            "SELECT itemid, security, allowmask, body_source, props, rendering, comment_count "
            "FROM entries"
        )
    }
    assert set(rows) == {e.itemid for e in journal.entries}  # locked, private, custom too
    kinds = {}
    for e in journal.entries:
        _itemid, sec, allowmask, source, props, rendering, count = rows[e.itemid]
        level, mask = security(e)
        want = {None: "public", "private": "private"}.get(level) or (
            "access" if mask == 1 else "private" if mask == 0 else "custom"
        )
        assert sec == want, e.itemid
        assert allowmask == (mask if level == "usemask" else None), e.itemid
        assert source == event_source(e)  # the source exactly as typed
        assert isinstance(json.loads(props), dict) and rendering == "protocol"
        kinds[sec] = kinds.get(sec, 0) + 1
        if e.is_public and e.comments_enabled:
            assert count == sum(c.state in ("visible", "frozen") for c in e.comments)
    assert set(kinds) == {"public", "access", "private", "custom"}
    assert rows[max(rows, key=lambda i: rows[i][2] or 0)][2] == (1 << 60) | 4  # beyond 64 bits
    comments = {
        r[0]: r
        for r in conn.execute(
            "SELECT commentid, state, body_text, props, parent_commentid FROM comments"
        )
    }
    every = {c.commentid: c for e in journal.entries for c in e.comments}
    assert set(comments) == set(every)
    states = {r[1] for r in comments.values()}
    assert {"visible", "screened", "frozen", "deleted"} <= states
    screened = [c for c in every.values() if c.state == "screened"]
    assert screened and all(comments[c.commentid][2] for c in screened)  # with their text
    for cid, c in every.items():
        assert comments[cid][4] == c.parent
        props = json.loads(comments[cid][3])  # stored for every comment ({}: none left)
        assert isinstance(props, dict), cid
        assert "poster_ip" not in props and "useragent" not in props  # the site sends both
        if comments[cid][1] != "deleted":  # the export leaves deleted comments no props
            assert props.get("editor") == c.editor or c.editor is None, cid
    assert conn.execute("SELECT count(*) FROM comments WHERE props LIKE '%editor%'").fetchone()[0]
    sources = dict(conn.execute("SELECT commentid, body_source FROM comments"))
    for cid, c in every.items():
        if comments[cid][1] != "deleted" and c.source is not None:
            assert sources[cid] == c.source, cid  # the text exactly as typed
    # the id gap: comments above the empty window were read
    assert max(c.jtalkid for c in every.values()) > 2000


def test_owner_mode_makes_its_minimum_of_requests(archived, owner_site):
    journal = owner_site.journal(OWNER_NAME)
    log = archived["log"]
    maxid = max(c.jtalkid for e in journal.entries for c in e.comments)
    entries = len(journal.entries)
    items = entries + sum(1 for e in journal.entries if e.comments)  # L- and C- items at most
    protocol = owner_minimum(sync_items=items, entries=entries + 1, comment_maxid=maxid)
    pages = {"/robots.txt", "/profile"}
    made = [r for r in log if r.path not in pages]
    logins = [r for r in made if r.method == "POST"]
    # session + login (moods) + syncitems + getevents + comment windows + expire, robots+profile
    assert len(made) <= protocol + 1
    assert {r.path for r in log if r.path in pages} == pages
    assert logins[0].path == "/interface/xmlrpc" and logins[-1].path == "/interface/xmlrpc"
    assert not any("Referer" in r.headers for r in made if r.path.startswith("/export_comments"))


def test_public_entries_equal_the_html_path_field_by_field(archived):
    assert archived["html"].exit_code == 0, archived["html"].stderr
    owner = sqlite3.connect(archived["dir"] / "owner.db")
    html = sqlite3.connect(archived["dir"] / "html.db")
    query = f"SELECT itemid, {', '.join(FIELDS)} FROM entries WHERE security = 'public'"
    mine = {r[0]: r for r in owner.execute(query)}
    theirs = {r[0]: r for r in html.execute(query)}
    assert set(mine) == set(theirs)
    for itemid, row in theirs.items():
        assert dict(zip(FIELDS, mine[itemid][1:])) == dict(zip(FIELDS, row[1:])), itemid
    tags = "SELECT itemid, tag FROM entry_tags ORDER BY itemid, rowid"
    assert [r for r in owner.execute(tags) if r[0] in theirs] == list(html.execute(tags))
    calendar = "SELECT day, entry_count FROM calendar WHERE entry_count > 0 ORDER BY day"
    assert list(owner.execute(calendar)) == list(html.execute(calendar))


def test_a_wrong_key_is_one_request_and_one_line(owner_site, run, tmp_path):
    key = tmp_path / "wrong.key"
    key.write_text("not-the-key-at-all-0123456789abcd")
    key.chmod(0o600)
    owner_site.clear_log()
    result = _archive(run, owner_site, tmp_path / "a.db", key)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("dwarchive: error:") and "API key was refused" in lines[-1]
    assert [(r.method, r.path) for r in owner_site.log(OWNER_NAME)] == [
        ("POST", "/interface/xmlrpc")
    ]
    assert not (tmp_path / "a.db").exists()  # nothing archived: no empty archive left


def test_a_key_file_others_can_read_is_warned_about(owner_site, run, tmp_path, key_file):
    key_file.chmod(0o644)
    result = _archive(run, owner_site, tmp_path / "a.db", key_file)
    assert result.exit_code == 0
    assert "can be read by other users" in result.stderr and "chmod 600" in result.stderr


def test_the_key_and_the_session_are_nowhere(archived, owner_site, run):
    db = archived["dir"] / "owner.db"
    out = archived["dir"] / "exports"
    for fmt in ("html", "markdown", "json", "warc"):
        assert run("export", "--format", fmt, "--db", db, "--out", out / fmt).exit_code == 0
    # every session value the archive run sent back to the site
    cookies = [r.headers.get("Cookie", "") for r in archived["log"]]
    session_values = {
        c.split("ljsession=", 1)[1].split(";")[0] for c in cookies if "ljsession=" in c
    }
    assert session_values
    secrets = [OWNER_API_KEY, *session_values]
    haystacks = [archived["owner"].stdout, archived["owner"].stderr]
    files = [p for p in archived["dir"].rglob("*") if p.is_file() and p.name != "dw.key"]
    assert any(p.name == "owner.db" for p in files)
    for secret in secrets:
        assert secret
        for text in haystacks:
            assert secret not in text
        for path in files:
            assert secret.encode() not in path.read_bytes(), path


def test_sync_costs_four_requests_and_keeps_edits_and_states(owner_site, run, tmp_path, key_file):
    db = tmp_path / "a.db"
    assert _archive(run, owner_site, db, key_file).exit_code == 0
    sync = ("sync", *_owner_args(db, key_file))
    owner_site.clear_log()
    result = run(*sync)
    assert result.exit_code == 0, result.stderr
    assert len(owner_site.log(OWNER_NAME)) <= 4  # session, syncitems, comment meta, expire
    journal = owner_site.journal(OWNER_NAME)
    entry = next(e for e in journal.entries if e.is_public and e.comments and e.source)
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC).replace(tzinfo=None)
    entry.subject = "Edited: " + entry.subject
    entry.edited_at = now
    target = next(c for c in entry.comments if c.state == "visible")
    target.state = "screened"
    entry.comments.append(
        FakeComment(
            commentid=entry.next_commentid(journal),
            parent=None,
            author="willowmere",
            body_html="A new comment",
            posted_at=now,
        )
    )
    entry.comment_altered_at = now + timedelta(seconds=1)
    owner_site.clear_log()
    result = run(*sync)
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute(
        "SELECT subject FROM entries WHERE itemid = ?", [entry.itemid]
    ).fetchone() == (entry.subject,)
    assert conn.execute(
        "SELECT count(*) FROM entry_revisions WHERE itemid = ?", [entry.itemid]
    ).fetchone() == (1,)
    assert conn.execute(
        "SELECT state FROM comments WHERE commentid = ?", [target.commentid]
    ).fetchone() == ("screened",)
    assert conn.execute(
        "SELECT body_text FROM comments WHERE commentid = ?", [entry.comments[-1].commentid]
    ).fetchone() == ("A new comment",)
    assert shown_count(entry) >= 1


def test_a_cron_sync_with_the_key_in_the_environment_needs_no_user(
    owner_site, run, tmp_path, key_file, monkeypatch
):
    """`dwarchive sync` of the whole archive (journal names from the database, not the loopback
    URL) with DWARCHIVE_API_KEY set: each journal is synced by its own account, in owner mode."""
    from scraper.crawl.owner import API_KEY_ENV

    db = tmp_path / "a.db"
    assert _archive(run, owner_site, db, key_file).exit_code == 0
    monkeypatch.setenv(API_KEY_ENV, OWNER_API_KEY)
    owner_site.clear_log()
    result = run("sync", "--db", db, "--rate", "0", "--contact", CONTACT)
    assert result.exit_code == 0, result.stderr
    assert "lindenfall (owner mode)" in result.stderr + result.stdout
    assert next(r.path for r in owner_site.log(OWNER_NAME) if r.method == "POST") == (
        "/interface/xmlrpc"
    )
    assert len(owner_site.log(OWNER_NAME)) <= 4
    # a loopback URL names no journal: archive without --user is a usage error (exit 2)
    again = run("archive", owner_site.url(OWNER_NAME), "--db", db, "--contact", CONTACT)
    assert again.exit_code == 2 and "give --user ACCOUNT" in again.stderr


def test_a_sync_of_the_whole_archive_uses_the_key_only_for_owner_mode_journals(
    run, tmp_path, key_file, monkeypatch
):
    """An archive holding an owner-mode journal and one read anonymously: `sync` with the key
    in the environment logs in for the first only; the other is synced as before, no login."""
    from scraper.crawl.owner import API_KEY_ENV
    from scraper.fakesite.sample import build_sample_site

    db = tmp_path / "mixed.db"
    other = build_sample_site()[0]
    with FakeSite([other, build_owner_journal()]) as site:
        assert _archive(run, site, db, key_file).exit_code == 0
        plain = run(
            "archive", site.url(other.name), "--db", db, "--rate", "0", "--contact", CONTACT
        )
        assert plain.exit_code == 0, plain.stderr
        monkeypatch.setenv(API_KEY_ENV, OWNER_API_KEY)
        site.clear_log()
        result = run("sync", "--db", db, "--rate", "0", "--contact", CONTACT)
        assert result.exit_code == 0, result.stderr
        assert any(r.method == "POST" for r in site.log(OWNER_NAME))  # owner mode
        assert [r for r in site.log(other.name) if r.method == "POST"] == []  # no login
        assert len(site.log(other.name)) <= 2  # the anonymous no-change sync
        # naming the journal asks for owner mode for it (its own account, which is not ours)
        named = run("sync", other.name, "--db", db, "--rate", "0", "--contact", CONTACT)
        assert named.exit_code == 1 and "API key was refused" in named.stderr


def test_owner_mode_and_the_html_path_on_one_archive_make_no_revisions(run, tmp_path, key_file):
    """An archive read anonymously, then in owner mode, then anonymously again, then in owner
    mode: the same entries in other markup are not edits (no entry_revisions row), comments from
    suspended users stay so, and `rendering` names where each stored body came from (a later
    reading in the same markup compares like with like)."""
    db = tmp_path / "mixed.db"
    with FakeSite([build_owner_journal()]) as site:  # its own: other tests here edit entries
        anonymous = ("archive", site.url(OWNER_NAME), "--db", db, "--rate", "0")
        steps = [
            run(*anonymous, "--contact", CONTACT),
            _archive(run, site, db, key_file),
            run(*anonymous, "--contact", CONTACT),
        ]
        conn = sqlite3.connect(db)
        count_suspended = "SELECT count(*) FROM comments WHERE state = 'suspended'"
        suspended = conn.execute(count_suspended).fetchone()[0]
        assert suspended > 0
        steps.append(_archive(run, site, db, key_file))
        assert [r.exit_code for r in steps] == [0, 0, 0, 0], [r.stderr for r in steps]
        journal = site.journal(OWNER_NAME)
    assert conn.execute("SELECT count(*) FROM entry_revisions").fetchone() == (0,)
    assert conn.execute(count_suspended).fetchone()[0] == suspended  # not 'deleted' now
    assert conn.execute("SELECT count(*) FROM entries").fetchone() == (len(journal.entries),)
    rows = conn.execute("SELECT itemid, rendering, body_source FROM entries").fetchall()
    assert {r[1] for r in rows} == {"protocol"}  # the last reading, owner mode's, stands
    assert all(r[2] is not None for r in rows)


def test_the_session_is_ended_when_a_call_fails(owner_site, run, tmp_path, key_file):
    from scraper.fakesite import Fault

    fault = owner_site.add_fault(
        Fault("status", path=r"^/export_comments\?get=comment_body", params={"code": 500})
    )
    try:
        owner_site.clear_log()
        result = _archive(run, owner_site, tmp_path / "a.db", key_file)
    finally:
        owner_site.clear_faults()
    assert result.exit_code == 1 and "incomplete" in result.stderr
    assert fault.fired
    posts = [r for r in owner_site.log(OWNER_NAME) if r.method == "POST"]
    assert posts[-1].path == "/interface/xmlrpc"
    userid = owner_site.journal(OWNER_NAME).userid
    assert owner_site.owner.sessions.active(userid) == []  # sessionexpire was sent
    # the next run resumes the failed call and completes
    owner_site.clear_log()
    again = _archive(run, owner_site, tmp_path / "a.db", key_file)
    assert again.exit_code == 0, again.stderr


def test_reparse_rebuilds_owner_records_offline(archived, run, tmp_path):
    db = tmp_path / "copy.db"
    db.write_bytes((archived["dir"] / "owner.db").read_bytes())
    conn = sqlite3.connect(db)
    before = conn.execute("SELECT itemid, body_text FROM entries ORDER BY itemid").fetchall()
    conn.execute("UPDATE entries SET body_text = 'damaged'")
    conn.execute("UPDATE comments SET body_text = 'damaged' WHERE body_text IS NOT NULL")
    conn.commit()
    conn.close()
    result = run("reparse", "--db", db)
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    assert (
        conn.execute("SELECT itemid, body_text FROM entries ORDER BY itemid").fetchall() == before
    )
    assert conn.execute("SELECT count(*) FROM comments WHERE body_text = 'damaged'").fetchone() == (
        0,
    )
    assert os.path.getsize(db) > 0
