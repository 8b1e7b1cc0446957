"""The run lock, between real processes: a second run on a held archive exits 75 with one line
and makes no request; a killed holder's lock is released by the OS; a lock file left behind
never confuses the next run; nothing is created beside a file that is not our archive; "is a run
alive" is "is the lock held".
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.errors import DatabaseLocked, NotOurDatabase
from scraper.fakesite import FakeSite, build_sample_site
from scraper.store import RunLock, lock_is_held, run_is_alive
from tests import store_sandbox as sb

JOURNAL = "tea_garden"

HOLDER = (
    "import sys\n"
    "from scraper.store import RunLock\n"
    "lock = RunLock(sys.argv[1]).acquire()\n"
    "if len(sys.argv) > 2:  # also start a run record, as a crawl does\n"
    "    from scraper.store import open_database\n"
    "    db = open_database(sys.argv[1], create=False)\n"
    "    with db.atomic():\n"
    "        db['sync_runs'].insert({'journal': sys.argv[2], 'command': 'sync',\n"
    "                               'started_at': '2026-01-01T00:00:00Z', 'outcome': 'running'})\n"
    "    print(db.execute('SELECT max(id) FROM sync_runs').fetchone()[0], flush=True)\n"
    "print('held', flush=True)\n"
    "sys.stdin.read()\n"
)


class Holder:
    """Another process holding the run lock of `db` until stopped or killed."""

    def __init__(self, db, *journal: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(db), *journal],
            cwd=sb.ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.run_id = int(self.proc.stdout.readline()) if journal else None
        assert self.proc.stdout.readline() == "held\n"

    def stop(self) -> None:
        self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.proc.stdin.close()
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def site():
    with FakeSite(build_sample_site()) as s:
        yield s


@pytest.fixture
def archived(site, tmp_path):
    db = tmp_path / "archive.db"
    result = sb.run(sb.archive_argv(site.url(JOURNAL), db))
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.parametrize("command", ["archive", "sync", "reparse"])
def test_second_run_exits_75_with_one_line_and_no_request(site, archived, command):
    holder = Holder(archived)
    try:
        site.clear_log()
        argv = {
            "archive": sb.archive_argv(site.url(JOURNAL), archived),
            "sync": sb.cli_argv("sync", "--db", archived, "--rate", "0", "-q"),
            "reparse": sb.cli_argv("reparse", "--db", archived),
        }[command]
        result = sb.run(argv)
        assert result.returncode == 75
        line = sb.one_error_line(result)
        assert f"another dwarchive run is using {archived}; try again" in line
        assert site.log(JOURNAL) == []
        assert lock_is_held(archived) is True
    finally:
        holder.stop()
    assert lock_is_held(archived) is False
    assert sb.run(sb.archive_argv(site.url(JOURNAL), archived)).returncode == 0


def test_killed_holder_releases_the_lock(site, archived):
    holder = Holder(archived)
    with pytest.raises(DatabaseLocked):
        RunLock(archived).acquire()
    holder.kill()  # kill -9: no cleanup code runs; the OS drops the lock
    assert lock_is_held(archived) is False
    result = sb.run(sb.cli_argv("sync", "--db", archived, "--rate", "0", "-q"))
    assert result.returncode == 0, result.stderr


def test_lock_file_left_behind_does_not_confuse_the_next_run(site, archived):
    lock = archived.parent / "archive.db.lock"
    lock.write_text("4194303\n")  # what an older dwarchive wrote: a pid, long gone
    assert lock_is_held(archived) is False
    result = sb.run(sb.cli_argv("sync", "--db", archived, "--rate", "0", "-q"))
    assert result.returncode == 0, result.stderr
    assert lock_is_held(archived) is False


def test_run_is_alive_is_the_lock_and_the_newest_run(archived):
    conn = sqlite3.connect(archived)
    finished = conn.execute("SELECT max(id) FROM sync_runs").fetchone()[0]
    conn.close()
    assert run_is_alive(archived, finished) is False  # nobody holds the lock
    killed = Holder(archived, JOURNAL)
    assert run_is_alive(archived, killed.run_id) is True
    killed.kill()  # its row stays unfinished, as after kill -9 of a crawl
    assert run_is_alive(archived, killed.run_id) is False
    live = Holder(archived, JOURNAL)
    try:
        assert run_is_alive(archived, live.run_id) is True
        assert run_is_alive(archived, killed.run_id) is False  # older unfinished row: killed
    finally:
        live.stop()
    assert run_is_alive(archived, live.run_id) is False


def test_lock_is_held_creates_nothing(tmp_path):
    db = tmp_path / "archive.db"
    assert lock_is_held(db) is False
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(
    sb.is_root() or sys.platform == "win32", reason="needs a non-root user, whom chmod binds"
)
def test_lock_that_cannot_be_opened_is_unknown(archived):
    """Another user's lock file (not writable by us): whether a run holds it cannot be told."""
    lock = archived.parent / "archive.db.lock"
    lock.chmod(0o444)
    try:
        assert lock_is_held(archived) is None
    finally:
        lock.chmod(0o644)


def test_lock_is_released_across_threads(tmp_path):
    """A lock taken in one thread and released in another is really released."""
    import threading

    lock = RunLock(tmp_path / "a.db").acquire()
    thread = threading.Thread(target=lock.release)
    thread.start()
    thread.join()
    assert lock_is_held(tmp_path / "a.db") is False


# --- nothing beside a foreign file -------------------------------------------------------------


@pytest.fixture(params=["text", "other app", "device"])
def foreign(request, tmp_path):
    if request.param == "device":
        return Path("/dev/null") if Path("/dev/null").exists() else pytest.skip("POSIX")
    path = tmp_path / "notes.txt"
    if request.param == "text":
        path.write_text("shopping list\nmilk\n")
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (t)")
        conn.commit()
        conn.close()
    return path


@pytest.mark.parametrize("command", ["archive", "sync", "reparse", "search", "export"])
def test_no_lock_file_beside_a_foreign_file(run, site, foreign, tmp_path, command):
    lock = Path(f"{foreign}.lock")
    had_lock = lock.exists()
    try:
        args = {
            "archive": ("archive", site.url(JOURNAL), "--rate", "0", "-q"),
            "sync": ("sync", "--rate", "0", "-q"),
            "reparse": ("reparse",),
            "search": ("search", "tea"),
            "export": ("export", "--format", "json", "--out", tmp_path / "out"),
        }[command]
        result = run(*args, "--db", foreign)
        assert result.exit_code == 1
        sb.one_error_line(result)
        assert lock.exists() == had_lock
        with pytest.raises(NotOurDatabase):
            RunLock(foreign).acquire()
        assert lock.exists() == had_lock
    finally:
        if lock.exists() and not had_lock:
            lock.unlink()
