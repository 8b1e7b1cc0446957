"""A new user's first runs: `dwarchive demo` works without the network, and a failed first
archive leaves no empty database behind (unknown journal, no network, not a journal), while an
archive that existed before, or a first run that archived something, is kept.

Everything runs through the real CLI against servers on 127.0.0.1 (conftest refuses any other
address); "no network" is a closed loopback port with a short timeout on the fake clock.
"""

from __future__ import annotations

import socket
from pathlib import Path

from scraper.fakesite import Fault
from scraper.fetch import FakeClock
from tests.conftest import table_dump
from tests.fault_scenarios import fake_time
from tests.httpstub import Reply, StubServer

CONTACT = "first-run@dwarchive.invalid"
CONTENT = ("journals", "entries", "comments", "calendar", "tags", "profiles")


def _files(top: Path) -> list[str]:
    return sorted(str(p.relative_to(top)) for p in top.rglob("*"))


def _archive(run, url: str, db: Path, *extra: str):
    return run("archive", url, "--db", db, "--contact", CONTACT, "--rate", "0", *extra)


def test_the_demo_needs_no_network(run, tmp_path):
    """The README's first command: the bundled journals served and archived on 127.0.0.1 (the
    conftest guard fails the test on any other lookup or connection)."""
    db = tmp_path / "demo.db"
    result = run("demo", "--db", db, "--rate", "100000")
    assert result.exit_code == 0, result.stderr
    assert "nairiporter: complete" in result.stdout and "tea_garden: complete" in result.stdout
    assert "lindenfall: complete" in result.stdout  # owner mode, with the demo's API key
    assert "Open thread: what are you reading this winter?" in result.stdout
    names = {row[0] for row in table_dump(db, ["journals"])["journals"]}
    assert names == {"nairiporter", "tea_garden", "lindenfall"}


def test_unknown_journal_leaves_nothing(site, run, tmp_path):
    db = tmp_path / "data" / "archive.db"  # `data/` does not exist yet: made, then removed
    result = _archive(run, site.url("nairiporter") + "nobody/", db)
    assert result.exit_code == 1
    assert "no journal at" in result.stderr
    assert _files(tmp_path) == []


def test_no_network_leaves_nothing(run, tmp_path):
    """Nothing listens on the port (connection refused on every retry); on the fake clock the
    back-off between attempts takes no real time."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens
    db = tmp_path / "archive.db"
    with fake_time(FakeClock(), timeout=0.25):
        result = _archive(run, f"http://127.0.0.1:{port}/", db)
    assert result.exit_code == 1
    assert "could not be read" in result.stderr and "Connection refused" in result.stderr
    assert _files(tmp_path) == []


def test_not_a_journal_leaves_nothing(run, tmp_path):
    page = "<!DOCTYPE html><title>A shop</title><h1>Welcome</h1><p>Not a journal.</p>"
    with StubServer() as server:
        server.script("/", Reply(200, page, {"Content-Type": "text/html; charset=utf-8"}))
        db = tmp_path / "archive.db"
        result = _archive(run, f"http://127.0.0.1:{server.port}/", db)
        # the root is tried in the site style too before it is called no journal
        assert [r.path for r in server.requests] == ["/robots.txt", "/", "/?format=light"]
    assert result.exit_code == 1
    assert "is not a journal" in result.stderr
    assert _files(tmp_path) == []


def test_an_existing_archive_is_kept_when_a_run_fails(site, run, tmp_path):
    db = tmp_path / "archive.db"
    assert _archive(run, site.url("tea_garden"), db).exit_code == 0
    before = table_dump(db, CONTENT)
    result = _archive(run, site.url("tea_garden") + "nobody/", db)
    assert result.exit_code == 1
    assert db.exists() and table_dump(db, CONTENT) == before
    assert run("status", "--db", db).exit_code == 0


def test_a_file_that_existed_before_is_never_removed(site, run, tmp_path):
    """An empty file the user made (`touch`) becomes the archive; a failed run keeps it, and its
    lock file, which was there before too."""
    db = tmp_path / "archive.db"
    db.touch()
    (tmp_path / "archive.db.lock").touch()
    result = _archive(run, site.url("nairiporter") + "nobody/", db)
    assert result.exit_code == 1
    assert {"archive.db", "archive.db.lock"} <= set(_files(tmp_path))


def test_a_first_run_that_archived_something_is_kept(site, run, tmp_path):
    """Stopped by a 429 after the recent page and the listings: the journal and what was read
    stay, for the next run to resume."""
    site.add_fault(Fault("status", path=r"^/\d+\.html", params={"code": 429, "retry_after": 5000}))
    db = tmp_path / "archive.db"
    result = _archive(run, site.url("nairiporter"), db)
    assert result.exit_code == 75
    stored = table_dump(db, ["journals", "entries"])
    assert [j[0] for j in stored["journals"]] == ["nairiporter"] and stored["entries"]
