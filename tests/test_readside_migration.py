"""Schema version 2 (scraper.store.readside): the upgrade keeps every row, adds foreign keys, FTS
with triggers that follow every later save, views, image tables; running it again changes nothing.
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from scraper.records import JournalInfo
from scraper.store import database, save
from scraper.store.readside import FTS_CONFIG, VIEWS, ensure_read_side, migrate_2
from scraper.store.schema import APPLICATION_ID, MIGRATIONS
from tests.readside_archive import (
    COMMENTS,
    ENTRIES,
    FILLER,
    ROOT,
    J,
    add_pages,
    build_archive,
    comment,
    entry,
)


def _v1_archive(path) -> sqlite_utils.Database:
    """An archive as dwarchive's schema version 1 wrote it, with rows in every main table."""
    db = sqlite_utils.Database(sqlite3.connect(str(path)))
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    MIGRATIONS[1](db)
    db.execute("PRAGMA user_version = 1")
    save.save_journal(db, JournalInfo(J, "personal", "Morning Notes"), ROOT, "t0")
    save.save_entries(db, J, ENTRIES + FILLER, "t0")
    save.save_entries(
        db,
        J,
        [entry(202, "🌻 sunflowers", "<p>Edited.</p>", "Edited.", tags=("gardens", "zinnias"))],
        "t1",
    )
    for itemid, comments in COMMENTS.items():
        save.save_comments(db, J, itemid, comments, "t0")
    add_pages(db)
    return db


def _snapshot(db: sqlite_utils.Database, like: dict[str, list] | None = None) -> dict[str, list]:
    """Rows by rowid; with `like`, only the columns those rows have (later versions add some)."""
    tables = ["journals", "entries", "entry_tags", "comments", "entry_revisions", "pages"]
    out = {}
    for t in tables:
        cur = db.execute(f"SELECT rowid, * FROM [{t}] ORDER BY rowid")
        names = [d[0] for d in cur.description]
        found = [dict(zip(names, r)) for r in cur.fetchall()]
        if like is not None and like.get(t):
            keys = like[t][0].keys()
            found = [{k: r[k] for k in keys} for r in found]
        out[t] = found
    return out


def _schema(db: sqlite_utils.Database) -> list:
    return db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def _fts_hits(db: sqlite_utils.Database, table: str, word: str) -> list[int]:
    key = "itemid" if table == "entries" else "commentid"
    return [
        r[0]
        for r in db.execute(
            f"SELECT t.{key} FROM {table}_fts JOIN {table} t ON t.rowid = {table}_fts.rowid "
            f"WHERE {table}_fts MATCH ? ORDER BY 1",
            [word],
        ).fetchall()
    ]


def _fts_integrity(db: sqlite_utils.Database) -> None:
    for table in FTS_CONFIG:
        db.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES('integrity-check')")


@pytest.fixture
def upgraded(tmp_path, monkeypatch):
    db = _v1_archive(tmp_path / "v1.db")
    before = _snapshot(db)
    monkeypatch.setitem(MIGRATIONS, 2, migrate_2)
    applied = database.migrate(db)
    yield db, before, applied
    db.close()


def test_upgrade_keeps_every_row_and_rowid(upgraded):
    db, before, applied = upgraded
    assert 2 in applied
    assert db.execute("PRAGMA user_version").fetchone()[0] >= 2
    assert (
        _snapshot(db, like=before) == before
    )  # rowids too: tag order and FTS rowids depend on them
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_upgrade_adds_foreign_keys_that_hold(upgraded):
    db, _, _ = upgraded
    fks = {
        (fk.table, fk.column, fk.other_table)
        for t in db.tables
        for fk in t.foreign_keys
        if not fk.is_compound
    }
    for table in (
        "entries",
        "comments",
        "entry_revisions",
        "pages",
        "sync_runs",
        "crawl_queue",
        "images",
    ):
        assert (table, "journal", "journals") in fks, table
    assert ("images", "sha256", "blobs") in fks
    compound = {
        (fk.table, fk.columns, fk.other_table)
        for t in db.tables
        for fk in t.foreign_keys
        if fk.is_compound
    }
    assert ("comments", ("journal", "itemid"), "entries") in compound
    assert ("comments", ("journal", "parent_commentid"), "comments") in compound
    assert ("entry_tags", ("journal", "itemid"), "entries") in compound
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_upgrade_indexes_existing_rows_for_search(upgraded):
    db, _, _ = upgraded
    assert _fts_hits(db, "entries", "привет") == [101]
    assert _fts_hits(db, "entries", "edited") == [202]
    assert _fts_hits(db, "comments", "спасибо") == [1001]
    assert _fts_hits(db, "comments", '"🌻"') == [1005]
    _fts_integrity(db)


def test_triggers_follow_later_saves(upgraded):
    db, _, _ = upgraded
    save.save_entries(
        db, J, [entry(900, "Quince jelly", "<p>Quince everywhere.</p>", "Quince everywhere.")], "t2"
    )
    assert _fts_hits(db, "entries", "quince") == [900]
    save.save_entries(
        db, J, [entry(900, "Medlar jelly", "<p>Medlars now.</p>", "Medlars now.")], "t3"
    )
    assert _fts_hits(db, "entries", "quince") == []
    assert _fts_hits(db, "entries", "medlars") == [900]
    save.mark_entry_deleted(db, J, 900, "t4")  # tombstoned, still archived, still searchable
    assert _fts_hits(db, "entries", "medlars") == [900]
    save.save_comments(db, J, 900, [comment(9001, None, 1, "Gooseberry fool")], "t2")
    save.save_comments(db, J, 900, [comment(9001, None, 1, "Blackcurrant fool")], "t3")
    assert _fts_hits(db, "comments", "gooseberry") == []
    assert _fts_hits(db, "comments", "blackcurrant") == [9001]
    _fts_integrity(db)


def test_views_exist_and_answer(upgraded):
    db, _, _ = upgraded
    assert set(VIEWS) <= set(db.view_names())
    for name in VIEWS:
        db.execute(f"SELECT * FROM [{name}]").fetchall()
    depths = db.execute(
        "SELECT commentid, depth FROM comment_threads WHERE itemid = 101 ORDER BY thread_path"
    ).fetchall()
    assert depths == [(1001, 1), (1002, 2), (1003, 3), (1004, 4), (1005, 1)]
    tags = db.execute("SELECT tags FROM entries_with_tags WHERE itemid = 202").fetchone()[0]
    assert tags == '["gardens","zinnias"]'
    history = db.execute(
        "SELECT revision, old_body_text, current_subject FROM entry_edit_history"
    ).fetchall()
    assert history == [(1, "The 🌻 sunflowers are taller than the fence.", "🌻 sunflowers")]


def test_running_again_changes_nothing(upgraded):
    db, _, _ = upgraded
    schema, rows = _schema(db), _snapshot(db)
    ensure_read_side(db)
    ensure_read_side(db)
    assert _schema(db) == schema
    assert _snapshot(db) == rows


def test_comment_threads_survive_a_parent_loop(tmp_path):
    db = build_archive(tmp_path / "a.db")
    db.execute("UPDATE comments SET parent_commentid = 1004 WHERE commentid = 1001")
    # 1001..1004 now form a loop with no root: the view must still finish, with the rest.
    ids = {r[0] for r in db.execute("SELECT commentid FROM comment_threads").fetchall()}
    assert ids == {1005, 4001}
    db.close()


def test_reading_commands_upgrade_an_old_archive_first(tmp_path, monkeypatch):
    from scraper.cli_read import open_for_reading
    from scraper.read.search import search
    from scraper.store import schema

    _v1_archive(tmp_path / "old.db").close()
    monkeypatch.setitem(MIGRATIONS, 2, migrate_2)  # no-ops once schema.py registers version 2
    monkeypatch.setattr(schema, "SCHEMA_VERSION", max(MIGRATIONS))
    monkeypatch.setattr(database, "SCHEMA_VERSION", max(MIGRATIONS))
    conn = open_for_reading(tmp_path / "old.db")
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == max(MIGRATIONS)
        assert [h.itemid for h in search(conn, "привет").hits] == [101]
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):
            conn.execute("DELETE FROM entries")
    finally:
        conn.close()
