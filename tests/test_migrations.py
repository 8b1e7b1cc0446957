"""The --db file: migrated from every earlier schema version, refused when foreign or newer,
read-only for `query`.

A database "at version v" is made by the real crawl with MIGRATIONS cut down to 1..v (so its rows
are what dwarchive v wrote), then opened by the current code: every row survives by rowid, the
archive still compares equal to the model, search sees the old rows, and a later run works.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from scraper.errors import NotOurDatabase
from scraper.fakesite import FakeSite, build_sample_site
from scraper.store import database, open_database
from scraper.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from tests.archive_check import compare
from tests.schema_history import take_away_later_versions

NAME = "tea_garden"
ROW_TABLES = (
    "journals",
    "entries",
    "entry_tags",
    "comments",
    "profiles",
    "calendar",
    "entry_revisions",
    "tags",
    "pages",
    "sync_runs",
    "crawl_queue",
    "page_modules",
)


@pytest.fixture(scope="module")
def site():
    with FakeSite(build_sample_site()) as s:
        yield s


def archive(run, site, db, *extra):
    return run(
        "archive",
        site.url(NAME),
        "--db",
        db,
        "--rate",
        "0",
        "-q",
        "--contact",
        "t@x.invalid",
        *extra,
    )


def rows(path, like: dict[str, list] | None = None) -> dict[str, list]:
    """Every row of the archive's tables by rowid (as dicts); with `like`, only the columns
    those rows have (a later version adds columns, never changes the old ones)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        out = {}
        for t in ROW_TABLES:
            if t not in have:
                continue
            found = [dict(r) for r in conn.execute(f"SELECT rowid, * FROM [{t}] ORDER BY rowid")]
            if like is not None and like.get(t):
                keys = like[t][0].keys()
                found = [{k: r[k] for k in keys} for r in found]
            out[t] = found
        return out
    finally:
        conn.close()


def versions(path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("PRAGMA application_id").fetchone()[0],
            conn.execute("PRAGMA user_version").fetchone()[0],
        )
    finally:
        conn.close()


def archive_at_version(run, site, db, version: int, monkeypatch) -> None:
    """A real archive written by a dwarchive whose schema stopped at `version`."""
    later = [MIGRATIONS[3], MIGRATIONS[4]]
    with monkeypatch.context() as mp:
        for v in [v for v in MIGRATIONS if v > version]:
            mp.delitem(MIGRATIONS, v)
        # Today's crawl, used here to write the old rows, also writes what later versions added
        # (host_state, version 3; columns of version 4): those are made with the old version and
        # taken away again once the rows are written, so the file has the old version's shape.
        first = MIGRATIONS[1]
        mp.setitem(
            MIGRATIONS,
            1,
            lambda db: [first(db), *(m(db) for m in later)],
        )
        result = archive(run, site, db)
        assert result.exit_code == 0, result.output
    take_away_later_versions(db, version)
    assert versions(db) == (APPLICATION_ID, version)


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_earlier_version_migrates_to_the_current_one(
    run, site, tmp_path, version, monkeypatch
):
    db = tmp_path / f"v{version}.db"
    archive_at_version(run, site, db, version, monkeypatch)
    before = rows(db)
    assert before["entries"] and before["comments"] and before["pages"]

    conn = open_database(db)  # what every writing command does first
    conn.close()
    assert versions(db) == (APPLICATION_ID, SCHEMA_VERSION)
    after = rows(db, like=before)
    for table, old in before.items():
        assert after[table] == old, table  # every row, by rowid, unchanged
    check = sqlite3.connect(db)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("PRAGMA foreign_key_check").fetchall() == []
    assert compare(check, site.journal(NAME)) == []
    # the new version's features see the old rows (search indexes what was already there)
    word = (
        check.execute("SELECT subject FROM entries WHERE subject != '' LIMIT 1")
        .fetchone()[0]
        .split()[0]
    )
    assert run("search", word, "--db", db).exit_code == 0
    # and a later run works on the upgraded file
    assert archive(run, site, db).exit_code == 0
    assert compare(check, site.journal(NAME)) == []


def test_migrating_twice_changes_nothing(run, site, tmp_path, monkeypatch):
    db = tmp_path / "v1.db"
    archive_at_version(run, site, db, 1, monkeypatch)
    open_database(db).close()
    schema = sqlite3.connect(db).execute("SELECT * FROM sqlite_master ORDER BY name").fetchall()
    before = rows(db)
    assert database.migrate(open_database(db)) == []
    assert (
        sqlite3.connect(db).execute("SELECT * FROM sqlite_master ORDER BY name").fetchall()
        == schema
    )
    assert rows(db) == before


def test_an_interrupted_migration_leaves_the_old_version(run, site, tmp_path, monkeypatch):
    """Each migration runs in one transaction: one that fails leaves the file as it was."""
    db = tmp_path / "v1.db"
    archive_at_version(run, site, db, 1, monkeypatch)
    before = rows(db)

    def broken(conn):
        MIGRATIONS_2(conn)
        raise RuntimeError("power cut")

    MIGRATIONS_2 = MIGRATIONS[2]
    monkeypatch.setitem(MIGRATIONS, 2, broken)
    with pytest.raises(RuntimeError):
        open_database(db)
    monkeypatch.undo()
    assert versions(db) == (APPLICATION_ID, 1)
    assert rows(db) == before
    open_database(db).close()
    assert versions(db)[1] == SCHEMA_VERSION


# --- refused untouched ------------------------------------------------------------------------

COMMANDS = [
    ("archive", "--rate", "0", "--contact", "t@x.invalid"),
    ("sync",),
    ("reparse",),
    ("status",),
    ("query", "SELECT 1"),
    ("search", "tea"),
]


def _run_command(run, site, command, db):
    name, *rest = command
    if name in ("archive", "sync"):
        return run(name, site.url(NAME), "--db", db, *rest)
    if name in ("query", "search"):
        return run(name, rest[0], "--db", db)
    return run(name, "--db", db)


@pytest.fixture
def newer(run, site, tmp_path):
    db = tmp_path / "newer.db"
    assert archive(run, site, db).exit_code == 0
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    return db


def files(directory) -> dict[str, bytes]:
    """Every file in the database's directory with its bytes (a run lock created beside a
    refused file shows up as a difference), but for SQLite's -shm/-wal side files that a
    read-only look at a WAL-mode file creates when they are absent (an empty WAL and its index:
    SQLite cannot read such a file without them)."""
    out = {p.name: p.read_bytes() for p in directory.iterdir()}
    return {
        n: b
        for n, b in out.items()
        if not (n.endswith(("-shm", "-wal")) and n[:-4] in out) or (n.endswith("-wal") and b)
    }


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_newer_schema_is_refused_untouched(run, site, newer, command):
    before = files(newer.parent)
    site.clear_log()
    result = _run_command(run, site, command, newer)
    assert result.exit_code == 1
    assert "newer dwarchive" in result.stderr and result.stderr.strip().count("\n") == 0
    assert files(newer.parent) == before
    assert site.log(NAME) == []  # refused before any request


@pytest.fixture(params=["other app", "text", "html"])
def foreign(request, tmp_path):
    path = tmp_path / "notes.db"
    if request.param == "other app":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (t)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
        conn.commit()
        conn.close()
    elif request.param == "text":
        path.write_text("shopping list\nmilk\n")
    else:
        path.write_bytes(b"<html>" + bytes(range(256)) * 20)
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_foreign_file_is_refused_untouched(run, site, foreign, command):
    before = files(foreign.parent)
    site.clear_log()
    result = _run_command(run, site, command, foreign)
    assert result.exit_code == 1
    assert "not a dwarchive database" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert files(foreign.parent) == before
    assert site.log(NAME) == []


def test_open_database_refuses_without_writing(tmp_path):
    path = tmp_path / "x.db"
    shutil.copy(__file__, path)
    before = path.read_bytes()
    with pytest.raises(NotOurDatabase):
        open_database(path)
    assert path.read_bytes() == before


# --- query is read-only -----------------------------------------------------------------------

WRITES = [
    "DELETE FROM entries",
    "DROP TABLE comments",
    "UPDATE entries SET subject = 'x'",
    "INSERT INTO journals (name) VALUES ('x')",
    "CREATE TABLE evil (x)",
    "CREATE VIEW evil AS SELECT 1",
    "CREATE INDEX evil ON entries (subject)",
    "ALTER TABLE entries ADD COLUMN evil",
    "REPLACE INTO tags (journal, tag) VALUES ('x', 'y')",
    "ATTACH DATABASE '{dir}/attached.db' AS other",
    "PRAGMA user_version = 99",
    "PRAGMA application_id = 1",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA foreign_keys = ON; DELETE FROM entries",
    "PRAGMA writable_schema = ON",
    "VACUUM",
    "VACUUM INTO '{dir}/copy.db'",
    "REINDEX",
    "ANALYZE",
    "SELECT 1; DELETE FROM entries",
    "WITH x AS (SELECT 1) DELETE FROM entries",
    "DELETE FROM entries_fts",
    "INSERT INTO entries_fts(entries_fts) VALUES ('delete-all')",
]


@pytest.fixture(scope="module")
def archived(site, tmp_path_factory):
    from click.testing import CliRunner

    from scraper.cli import cli

    db = tmp_path_factory.mktemp("ro") / "a.db"
    result = CliRunner().invoke(
        cli,
        [
            "archive",
            site.url(NAME),
            "--db",
            str(db),
            "--rate",
            "0",
            "-q",
            "--contact",
            "t@x.invalid",
        ],
    )
    assert result.exit_code == 0
    return db


@pytest.mark.parametrize("sql", WRITES)
def test_query_cannot_change_the_database(run, archived, sql):
    before = files(archived.parent)
    result = run("query", sql.format(dir=archived.parent), "--db", archived)
    assert result.exit_code == 1
    assert result.stderr.startswith("dwarchive: error: query")
    assert result.stderr.strip().count("\n") == 0
    assert files(archived.parent) == before  # nothing changed, no file made


@pytest.mark.parametrize(
    "sql",
    [
        "PRAGMA user_version",
        "PRAGMA table_info(entries)",
        "PRAGMA integrity_check",
        "SELECT count(*) FROM entries_fts",
    ],
)
def test_query_may_still_read(run, archived, sql):
    result = run("query", sql, "--db", archived)
    assert result.exit_code == 0, result.stderr
