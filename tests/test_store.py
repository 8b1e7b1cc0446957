"""Store: ours-or-refuse, migrations, idempotent upserts, revisions, comment merging, read-only."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from scraper.errors import DatabaseLocked, NotOurDatabase, QueryError, ReadOnlyQuery
from scraper.records import CalendarDay, CommentRecord, EntryRecord, JournalInfo
from scraper.store import RunLock, open_database, open_read_only, run_read_only, save
from scraper.store.schema import APPLICATION_ID, SCHEMA_VERSION


def entry(itemid=12345, **kw) -> EntryRecord:
    base = {
        "itemid": itemid,
        "url": f"https://nairiporter.dreamwidth.org/{itemid}.html",
        "subject": "Apricot windows",
        "subject_html": "Apricot windows",
        "body_html": "<p>The light came in low.</p>",
        "body_text": "The light came in low.",
        "poster": "nairiporter",
        "journal": "nairiporter",
        "posted_at": "2025-07-04T08:15",
        "date_text": "Jul. 4th, 2025 08:15 am",
        "userpic_keyword": "sunrays",
        "userpic_url": None,
        "tags": ("gardens", "weather"),
        "mood": "calm",
        "music": None,
        "location": None,
        "security": "public",
        "comment_count": 4,
        "has_cut": False,
    }
    base.update(kw)
    return EntryRecord(**base)


def comment(cid, parent=None, **kw) -> CommentRecord:
    base = {
        "commentid": cid,
        "parent_commentid": parent,
        "depth": 1 if parent is None else 2,
        "author": "willowmere",
        "author_kind": "user",
        "subject": "Lovely",
        "subject_html": "Lovely",
        "body_html": "<p>hello</p>",
        "body_text": "hello",
        "posted_at": "2025-07-04T16:02",
        "date_text": "2025-07-04 04:02 pm (UTC)",
        "state": "visible",
        "full": True,
        "collapsed": False,
    }
    base.update(kw)
    return CommentRecord(**base)


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "a.db")
    save.save_journal(
        d, JournalInfo("nairiporter", "personal", "Morning Notes"), "https://x/", "t0"
    )
    yield d
    d.close()


def rows(db, sql, params=()):
    return db.execute(sql, params).fetchall()


def test_new_database_is_marked_and_migrated(tmp_path):
    path = tmp_path / "new.db"
    db = open_database(path)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for table in ("journals", "entries", "entry_tags", "comments", "profiles", "calendar", "pages"):
        assert table in db.table_names()
    cols = {c.name for c in db["entries"].columns}
    assert {
        "journal",
        "itemid",
        "url",
        "subject",
        "body_html",
        "body_text",
        "poster",
        "posted_at",
        "userpic_keyword",
        "security",
        "mood",
        "music",
        "location",
        "comment_count",
        "deleted_at",
    } <= cols
    db.close()
    open_database(path).close()  # reopening applies nothing and works


def test_foreign_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotOurDatabase, match="not a dwarchive database"):
        open_database(path)
    assert path.read_bytes() == before


def test_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n" * 100)
    with pytest.raises(NotOurDatabase):
        open_database(path)
    assert path.read_text() == "shopping list\n" * 100


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(NotOurDatabase, match="newer dwarchive"):
        open_database(path)


def test_saving_twice_changes_nothing(db):
    first = save.save_entries(db, "nairiporter", [entry()], "t1")
    snapshot = rows(db, "SELECT * FROM entries")
    second = save.save_entries(db, "nairiporter", [entry()], "t2")
    assert (first.new_entries, second.new_entries, second.changed_entries) == (1, 0, 0)
    assert rows(db, "SELECT * FROM entries") == snapshot
    assert rows(db, "SELECT tag FROM entry_tags ORDER BY tag") == [("gardens",), ("weather",)]
    assert rows(db, "SELECT count(*) FROM entry_revisions") == [(0,)]


def test_edit_keeps_previous_version_as_revision(db):
    save.save_entries(db, "nairiporter", [entry()], "t1")
    ch = save.save_entries(
        db,
        "nairiporter",
        [entry(body_html="<p>Edited.</p>", body_text="Edited.", tags=("gardens",))],
        "t2",
    )
    assert ch.changed_entries == 1
    assert rows(db, "SELECT body_text, updated_at, first_seen_at FROM entries") == [
        ("Edited.", "t2", "t1")
    ]
    assert rows(db, "SELECT revision, body_text, tags, captured_at FROM entry_revisions") == [
        (1, "The light came in low.", '["gardens", "weather"]', "t2")
    ]
    assert rows(db, "SELECT tag FROM entry_tags") == [("gardens",)]


def test_cut_listing_never_overwrites_full_body_and_completing_is_not_an_edit(db):
    cut = entry(
        body_html="<p>Start</p><a href='#cutid1'>more</a>", body_text="Start more", has_cut=True
    )
    full = entry(body_html="<p>Start</p><p>Rest</p>", body_text="Start\nRest")
    save.save_entries(db, "nairiporter", [cut], "t1")
    ch = save.save_entries(db, "nairiporter", [full], "t2")
    assert ch.changed_entries == 0
    ch = save.save_entries(db, "nairiporter", [cut], "t3")
    assert ch.changed_entries == 0
    assert rows(db, "SELECT body_text, body_complete FROM entries") == [("Start\nRest", 1)]
    assert rows(db, "SELECT count(*) FROM entry_revisions") == [(0,)]


def test_deleted_comment_keeps_archived_text(db):
    save.save_comments(db, "nairiporter", 12345, [comment(1), comment(2, parent=1)], "t1")
    placeholder = comment(
        1,
        author=None,
        author_kind=None,
        subject="",
        subject_html="",
        body_html=None,
        body_text=None,
        posted_at=None,
        date_text=None,
        state="deleted",
        full=False,
    )
    ch = save.save_comments(db, "nairiporter", 12345, [placeholder], "t2")
    assert ch.changed_comments == 1 and ch.new_comments == 0
    assert rows(
        db, "SELECT commentid, state, author, body_text, subject FROM comments ORDER BY commentid"
    ) == [
        (1, "deleted", "willowmere", "hello", "Lovely"),
        (2, "visible", "willowmere", "hello", "Lovely"),
    ]


def test_collapsed_header_then_full_comment(db):
    header = comment(7, parent=1, body_html=None, body_text=None, full=False, collapsed=True)
    save.save_comments(db, "nairiporter", 12345, [header], "t1")
    assert rows(db, "SELECT body_text FROM comments") == [(None,)]
    ch = save.save_comments(db, "nairiporter", 12345, [comment(7, parent=1)], "t2")
    assert (ch.new_comments, ch.changed_comments) == (0, 0)
    save.save_comments(db, "nairiporter", 12345, [header], "t3")  # seen collapsed again
    assert rows(db, "SELECT body_text, parent_commentid FROM comments") == [("hello", 1)]


def test_tombstone_and_calendar_rows_are_never_removed(db):
    save.save_entries(db, "nairiporter", [entry()], "t1")
    assert save.mark_entry_deleted(db, "nairiporter", 12345, "t2") is True
    assert save.mark_entry_deleted(db, "nairiporter", 12345, "t3") is False
    assert rows(db, "SELECT deleted_at FROM entries") == [("t2",)]
    save.save_calendar(
        db, "nairiporter", [CalendarDay("2025-07-04", 1), CalendarDay("2025-07-05", 2)], year=2025
    )
    save.save_calendar(db, "nairiporter", [CalendarDay("2025-07-05", 2)], year=2025)
    assert rows(db, "SELECT day, entry_count FROM calendar ORDER BY day") == [
        ("2025-07-04", 0),
        ("2025-07-05", 2),
    ]


def test_pages_are_compressed_and_restorable(db):
    body = ("<html>" + "x" * 5000 + "</html>").encode()
    save.save_page(
        db,
        url="https://x/1.html",
        journal="nairiporter",
        kind="entry",
        status=200,
        fetched_at="t1",
        body=body,
    )
    row = db["pages"].get("https://x/1.html")
    assert len(row["body"]) < len(body) / 10
    assert save.page_body(row) == body


def test_read_only_connection_refuses_writes(tmp_path):
    path = tmp_path / "ro.db"
    d = open_database(path)
    save.save_journal(d, JournalInfo("n", "personal"), "https://x/", "t")
    d.close()
    conn = open_read_only(path)
    assert run_read_only(conn, "SELECT name FROM journals") == (["name"], [("n",)])
    for sql in (
        "DELETE FROM journals",
        "DROP TABLE journals",
        "UPDATE journals SET name = 'x'",
        "INSERT INTO journals (name) VALUES ('y')",
        f"ATTACH DATABASE '{tmp_path / 'evil.db'}' AS evil",
        "PRAGMA user_version = 99",
        "PRAGMA journal_mode = DELETE",
        "CREATE TABLE t (x)",
    ):
        with pytest.raises(ReadOnlyQuery):
            run_read_only(conn, sql)
    with pytest.raises(QueryError):
        run_read_only(conn, "SELEC nonsense")
    conn.close()
    assert not (tmp_path / "evil.db").exists()
    d = open_database(path)
    assert d.execute("SELECT name FROM journals").fetchall() == [("n",)]
    assert d.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_run_lock_is_exclusive(tmp_path):
    path = tmp_path / "l.db"
    with RunLock(path), pytest.raises(DatabaseLocked, match="another dwarchive run"):
        RunLock(path).acquire()
    RunLock(path).acquire().release()


def test_revision_of_same_entry_on_other_journal_is_separate(db):
    save.save_journal(db, JournalInfo("tea_garden", "community"), "https://y/", "t0")
    save.save_entries(db, "nairiporter", [entry()], "t1")
    save.save_entries(db, "tea_garden", [replace(entry(), poster="alice")], "t1")
    assert rows(db, "SELECT journal, poster FROM entries ORDER BY journal") == [
        ("nairiporter", "nairiporter"),
        ("tea_garden", "alice"),
    ]
