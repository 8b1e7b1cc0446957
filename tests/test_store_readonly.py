"""An archive on a read-only medium can be read: query, search, status and export work, and
nothing is written beside it.

States of a copied archive:
- "closed": as dwarchive leaves a file it closed cleanly (rollback-journal mode): `mode=ro`
  reads it anywhere.
- "wal": the WAL flag still set but no `-wal`/`-shm` (closed by an older dwarchive, or while a
  reader had it open). SQLite cannot create the `-shm` index on a read-only medium, so `mode=ro`
  fails; the store then opens it `immutable=1`.
- "unfinished": a killed run's `-wal` with pages in it but no `-shm`: no reader can see those
  pages without a writable place, so the commands refuse with one line instead of showing a
  silently older archive.

The real medium: a read-only bind mount in a user namespace (EROFS, which stops root too), or
chmod for a non-root user; root without user namespaces skips those. The simulated medium runs
everywhere: a dangling symlink in place of `<db>-shm` makes SQLite's open of the index fail
(O_NOFOLLOW), which is exactly what SQLite sees on a read-only medium: the `-shm` it needs cannot
be opened or created.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from scraper.fakesite import FakeSite, build_sample_site
from scraper.store import lock_is_held, open_read_only
from tests import store_sandbox as sb

JOURNAL = "tea_garden"
READERS = ("query", "status", "search", "export")


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    db = tmp_path_factory.mktemp("made") / "archive.db"
    with FakeSite(build_sample_site()) as site:
        result = sb.run(sb.archive_argv(site.url(JOURNAL), db))
    assert result.returncode == 0, result.stderr
    return db


def make_copy(archived, directory, state: str):
    directory.mkdir()
    db = directory / "archive.db"
    shutil.copy(archived, db)
    if state in ("wal", "unfinished"):
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()  # checkpoints and removes -wal/-shm; the file stays WAL-flagged
        assert sorted(p.name for p in directory.iterdir()) == ["archive.db"]
    if state == "unfinished":  # a writer that dies with pages only in the -wal
        code = (
            "import os, sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute(\"UPDATE journals SET title = 'changed in the wal'\")\n"
            "c.commit()\n"
            "os._exit(0)\n"
        )
        subprocess.run([sys.executable, "-c", code, str(db)], check=True)
        (directory / "archive.db-shm").unlink()
        assert (directory / "archive.db-wal").stat().st_size > 0
    return db


def reader_argv(command: str, db, out) -> list[str]:
    return {
        "query": sb.cli_argv(
            "query", "SELECT count(*) AS n FROM entries", "--db", db, "--format", "json"
        ),
        "status": sb.cli_argv("status", "--db", db, "--format", "json"),
        "search": sb.cli_argv("search", "tea", "--db", db),
        "export": sb.cli_argv("export", "--format", "json", "--db", db, "--out", out),
    }[command]


def check_output(command: str, result, out) -> None:
    assert result.returncode == 0, result.stderr
    if command == "query":
        assert json.loads(result.stdout) == [{"n": 15}]
    elif command == "status":
        assert [s["name"] for s in json.loads(result.stdout)] == [JOURNAL]
    elif command == "search":
        assert JOURNAL in result.stdout
    else:
        lines = (out / "entries.jsonl").read_text().splitlines()
        assert len(lines) == 15


def params(states):
    return [(state, command) for state in states for command in READERS]


ro = pytest.mark.skipif(
    sb.read_only_technique() is None,
    reason="root without user namespaces: see the simulated tests below",
)


@ro
@pytest.mark.parametrize("state, command", params(["closed", "wal"]))
def test_readers_work_on_a_read_only_medium(archived, tmp_path, state, command):
    db = make_copy(archived, tmp_path / "medium", state)
    before = {p.name: p.read_bytes() for p in db.parent.iterdir()}
    out = tmp_path / "out"
    result = sb.run_read_only([db.parent], reader_argv(command, db, out))
    check_output(command, result, out)
    assert {p.name: p.read_bytes() for p in db.parent.iterdir()} == before


@ro
@pytest.mark.parametrize("command", READERS)
def test_unfinished_wal_on_a_read_only_medium_is_one_line(archived, tmp_path, command):
    db = make_copy(archived, tmp_path / "medium", "unfinished")
    result = sb.run_read_only([db.parent], reader_argv(command, db, tmp_path / "out"))
    assert result.returncode == 1
    line = sb.one_error_line(result)
    assert "its last run did not finish and left archive.db-wal" in line


@ro
def test_lock_check_on_a_read_only_medium(archived, tmp_path):
    """status's "is a run alive" check works on a read-only medium: no run can write there."""
    db = make_copy(archived, tmp_path / "medium", "closed")
    (db.parent / "archive.db.lock").write_bytes(b"")
    code = f"from scraper.store import lock_is_held; print(lock_is_held({str(db)!r}))"
    result = sb.run_read_only([db.parent], [sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# --- the simulated read-only medium -----------------------------------------------------------

simulated = pytest.mark.skipif(sys.platform == "win32", reason="needs symlinks")


def simulate_read_only_medium(db) -> None:
    """SQLite cannot open or create `<db>-shm`: a dangling symlink stands in its place."""
    os.symlink(db.parent / "no-such-dir" / "shm", db.parent / f"{db.name}-shm")


@simulated
@pytest.mark.parametrize("state, command", params(["wal"]))
def test_readers_work_when_sqlite_cannot_create_the_wal_index(archived, tmp_path, state, command):
    db = make_copy(archived, tmp_path / "medium", state)
    simulate_read_only_medium(db)
    plain = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):  # what SQLite sees
        plain.execute("SELECT count(*) FROM entries")
    plain.close()
    out = tmp_path / "out"
    check_output(command, sb.run(reader_argv(command, db, out)), out)


@simulated
def test_read_only_connection_on_the_simulated_medium(archived, tmp_path):
    db = make_copy(archived, tmp_path / "medium", "wal")
    simulate_read_only_medium(db)
    conn = open_read_only(db)
    try:
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 15
    finally:
        conn.close()
    assert db.read_bytes()[18:20] == b"\x02\x02"  # still WAL-flagged: nothing was written
    assert lock_is_held(db) is False  # no lock file: nothing created to find out
    assert not (db.parent / "archive.db.lock").exists()


@simulated
@pytest.mark.parametrize("command", ["query", "status"])
def test_unfinished_wal_without_index_is_one_line(archived, tmp_path, command):
    db = make_copy(archived, tmp_path / "medium", "unfinished")
    simulate_read_only_medium(db)
    result = sb.run(reader_argv(command, db, tmp_path / "out"))
    assert result.returncode == 1
    line = sb.one_error_line(result)
    assert "its last run did not finish and left archive.db-wal" in line
    assert "copy the archive's files to a writable place" in line


def test_a_cleanly_closed_archive_needs_no_side_files(archived, tmp_path):
    """dwarchive leaves a closed archive in rollback-journal mode: one self-contained file that
    any SQLite reader (Datasette, the sqlite3 shell) opens read-only without creating files."""
    db = make_copy(archived, tmp_path / "medium", "closed")
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 15
    finally:
        conn.close()
    assert sorted(p.name for p in db.parent.iterdir()) == ["archive.db"]
