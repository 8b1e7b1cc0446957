"""The archive file's failures through the real CLI: a full disk, a read-only file or directory,
`--db /dev/null`, `--db` a directory. Each is one `dwarchive: error:` line and exit 1 (no
traceback), and what was archived before is intact: PRAGMA integrity_check ok, rows unchanged,
and a later run (with room to write) completes the archive.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys

import click
import pytest
from click.testing import CliRunner

from scraper.cli import ArchiveGroup
from scraper.errors import NotOurDatabase, StorageFull
from scraper.fakesite import FakeSite, build_sample_site
from scraper.store import RunLock, open_database, open_read_only, save
from tests import store_sandbox as sb

SEED = "tea_garden"  # archived first: must survive every failure below
MORE = "nairiporter"  # archived next, into the same file, when the failure strikes


@pytest.fixture(scope="module")
def site():
    with FakeSite(build_sample_site()) as s:
        yield s


@pytest.fixture(scope="module")
def seeded(site, tmp_path_factory):
    """An archive holding SEED, made by the real CLI (copied, never used directly)."""
    db = tmp_path_factory.mktemp("seed") / "archive.db"
    result = sb.run(sb.archive_argv(site.url(SEED), db))
    assert result.returncode == 0, result.stderr
    return db


def seed_rows(db) -> dict[str, list]:
    """Everything stored about SEED, to compare before and after a failure."""
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    try:
        out = {}
        for table in ("journals", "entries", "comments", "calendar", "entry_tags", "tags"):
            column = "name" if table == "journals" else "journal"
            out[table] = conn.execute(
                f"SELECT * FROM {table} WHERE {column} = ? ORDER BY rowid", [SEED]
            ).fetchall()
        return out
    finally:
        conn.close()


@pytest.fixture
def copy(seeded, tmp_path):
    db = tmp_path / "archive.db"
    shutil.copy(seeded, db)
    return db


def assert_intact(db, before) -> None:
    assert sb.integrity(db) == "ok"
    assert seed_rows(db) == before


def assert_later_run_completes(site, db) -> None:
    result = sb.run(sb.archive_argv(site.url(MORE), db))
    assert result.returncode == 0, result.stderr
    assert sb.integrity(db) == "ok"


# --- a full disk ------------------------------------------------------------------------------


def test_full_database_raises_storage_full_and_keeps_what_was_committed(copy):
    """SQLite's own limit (PRAGMA max_page_count) makes the file full: SQLITE_FULL from any
    statement becomes StorageFull naming the file; committed rows stay."""
    before = seed_rows(copy)
    db = open_database(copy)
    try:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages + 4}")
        with pytest.raises(StorageFull, match="the disk is full") as raised:
            for n in range(100):
                with db.atomic():
                    save.save_page(
                        db,
                        url=f"https://x.invalid/{n}",
                        journal=MORE,
                        kind="entry",
                        status=200,
                        fetched_at="2025-01-01T00:00:00Z",
                        body=os.urandom(20_000),
                    )
        assert str(copy) in str(raised.value) and "\n" not in str(raised.value)
    finally:
        db.close()
    assert_intact(copy, before)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_file_size_limit_mid_archive_is_one_line(site, copy):
    """The OS refuses to let the archive grow (RLIMIT_FSIZE, as a disk that fills up mid-run):
    the real CLI stops with one line, exit 1; SEED is intact and a later run completes."""
    before = seed_rows(copy)
    limit = copy.stat().st_size + 256 * 1024
    wrapper = (
        "import resource, runpy, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "sys.argv = ['dwarchive', *sys.argv[1:]]\n"
        "runpy.run_module('scraper.cli', run_name='__main__')\n"
    )
    argv = sb.archive_argv(site.url(MORE), copy)
    result = sb.run([sys.executable, "-c", wrapper, *argv[3:]])
    assert result.returncode == 1
    line = sb.one_error_line(result)
    assert str(copy) in line and "could not write the archive" in line
    assert_intact(copy, before)
    assert_later_run_completes(site, copy)


@pytest.mark.skipif(not sb.userns(), reason="needs user namespaces (unshare -rm) for a tmpfs")
def test_disk_full_mid_archive_is_one_line(site, seeded, tmp_path):
    """A real tiny file system (tmpfs in a user namespace) fills up while MORE is archived
    into an archive holding SEED: SQLITE_FULL becomes one line, exit 1, nothing lost."""
    disk = tmp_path / "disk"
    disk.mkdir()
    out = tmp_path / "left"
    out.mkdir()
    size_kib = seeded.stat().st_size // 1024 + 200
    result, code = sb.run_on_tiny_disk(
        disk, size_kib, [seeded], lambda d: sb.archive_argv(site.url(MORE), d / "archive.db"), out
    )
    assert code == 1, result.stderr
    line = sb.one_error_line(result)
    assert "the disk is full" in line and str(disk / "archive.db") in line
    left = out / "archive.db"
    assert_intact(left, seed_rows(seeded))
    assert_later_run_completes(site, left)


# --- read-only file, read-only directory -------------------------------------------------------


ro = pytest.mark.skipif(
    sb.read_only_technique() is None,
    reason="root without user namespaces: nothing can be made read-only for a process here",
)


@ro
@pytest.mark.parametrize("command", ["archive", "sync", "reparse"])
def test_read_only_database_file_is_one_line(site, copy, command):
    before, data = seed_rows(copy), copy.read_bytes()
    argv = {
        "archive": sb.archive_argv(site.url(MORE), copy),
        "sync": sb.cli_argv("sync", "--db", copy, "--rate", "0", "-q"),
        "reparse": sb.cli_argv("reparse", "--db", copy),
    }[command]
    result = sb.run_read_only([copy], argv)
    assert result.returncode == 1, result.stderr
    line = sb.one_error_line(result)
    assert f"{copy} is read-only here" in line
    assert copy.read_bytes() == data
    assert_intact(copy, before)


@ro
@pytest.mark.parametrize("existing", [True, False], ids=["existing archive", "new archive"])
def test_read_only_directory_is_one_line(site, copy, existing):
    directory = copy.parent
    db = copy if existing else directory / "new.db"
    names = sorted(p.name for p in directory.iterdir())
    result = sb.run_read_only([directory], sb.archive_argv(site.url(MORE), db))
    assert result.returncode == 1, result.stderr
    line = sb.one_error_line(result)
    assert f"cannot write the run lock {db}.lock" in line and "read-only" in line
    assert sorted(p.name for p in directory.iterdir()) == names
    assert_intact(copy, seed_rows(copy))


# --- --db that is not a file -----------------------------------------------------------------

COMMANDS = {
    "archive": lambda site, db: ("archive", site.url(SEED), "--db", db, "--rate", "0", "-q"),
    "sync": lambda site, db: ("sync", "--db", db, "--rate", "0", "-q"),
    "status": lambda site, db: ("status", "--db", db),
    "query": lambda site, db: ("query", "SELECT 1", "--db", db),
    "search": lambda site, db: ("search", "tea", "--db", db),
    "export": lambda site, db: ("export", "--format", "json", "--db", db, "--out", "/nonexistent"),
    "reparse": lambda site, db: ("reparse", "--db", db),
}


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="POSIX /dev/null")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_dev_null_is_one_line(site, run, command):
    side = ["/dev/null.lock", "/dev/null-journal", "/dev/null-wal", "/dev/null-shm"]
    had = {p for p in side if os.path.exists(p)}
    site.clear_log()
    try:
        result = run(*COMMANDS[command](site, "/dev/null"))
        assert result.exit_code == 1
        line = sb.one_error_line(result)
        assert "/dev/null is not an archive file (a character device)" in line
        assert {p for p in side if os.path.exists(p)} == had  # nothing created in /dev
    finally:
        for p in side:  # what an older dwarchive left in /dev
            if p not in had and os.path.exists(p):
                os.remove(p)
    assert site.log(SEED) == []  # refused before any request


def test_directory_is_refused_by_the_store(tmp_path):
    """The store refuses a directory (for every caller, not only the CLI) and creates nothing."""
    for attempt in (open_database, open_read_only, lambda p: RunLock(p).acquire()):
        with pytest.raises(NotOurDatabase, match=f"{tmp_path} is a directory, not an archive"):
            attempt(tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent / f"{tmp_path.name}.lock").exists()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_directory_db_is_refused_without_a_traceback(site, run, tmp_path, command):
    """Refused with no traceback and nothing created in or beside it: today by the CLI's --db
    option itself (click.Path(dir_okay=False): a usage error, exit 2); if that option lets
    directories through, by the store (one line, exit 1)."""
    result = run(*COMMANDS[command](site, tmp_path))
    if result.exit_code == 2:
        assert "is a directory" in result.stderr and "Traceback" not in result.stderr
    else:
        assert result.exit_code == 1
        assert f"{tmp_path} is a directory, not an archive file" in sb.one_error_line(result)
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent / f"{tmp_path.name}.lock").exists()


# --- the CLI's last resort ---------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        sqlite3.OperationalError("database or disk is full"),
        sqlite3.DatabaseError("database disk image is malformed"),
        OSError(28, "No space left on device", "/x/archive.db"),
        PermissionError(13, "Permission denied", "/x/out"),
    ],
    ids=["sqlite operational", "sqlite database", "ENOSPC", "EACCES"],
)
def test_cli_last_resort_turns_unmapped_storage_errors_into_one_line(exc):
    """Anything the store did not map (an error from a module that opens files itself) still
    reaches the user as one line and exit 1, never a traceback."""

    @click.group(cls=ArchiveGroup)
    def group() -> None:
        pass

    @group.command()
    def boom() -> None:
        raise exc

    result = CliRunner().invoke(group, ["boom"])
    assert result.exit_code == 1
    assert result.stderr.startswith("dwarchive: error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
