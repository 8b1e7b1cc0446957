"""`dwarchive reparse`: stored raw pages re-parsed with the current parsers, offline.

An archive made by an "older parser" (one that lost fields) or damaged by hand is repaired from
the pages table alone: the fake site is stopped first and every socket connect fails the test,
so a request cannot happen unnoticed. Pages that do not parse are recorded in parse_errors
(exit 1), and the record is cleared once they parse again.
"""

from __future__ import annotations

import dataclasses
import socket
import sqlite3
import zlib

import pytest

import scraper.parse.entry_page
import scraper.parse.listing
from scraper.fakesite import FakeSite, build_sample_site
from tests.archive_check import compare

NAME = "nairiporter"


def _refuse(*_a, **_k):
    raise AssertionError("reparse tried to open a network connection")


def reparse_offline(run, db_path, *args):
    """`dwarchive reparse` with every way to open a connection failing the test."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", _refuse)
        mp.setattr(socket.socket, "connect_ex", _refuse)
        mp.setattr(socket, "create_connection", _refuse)
        return run("reparse", "--db", db_path, *args)


def archive_then_stop(run, db_path):
    """Archive the sample journal and stop the site; returns the journal model."""
    with FakeSite(build_sample_site()) as site:
        result = run(
            "archive",
            site.url(NAME),
            "--db",
            db_path,
            "--rate",
            "0",
            "-q",
            "--contact",
            "t@x.invalid",
        )
        assert result.exit_code == 0, result.output
        journal = site.journal(NAME)
        logged = len(site.requests)
    assert len(site.requests) == logged  # stopped: nothing more can reach it
    return journal


def test_a_parser_fix_repairs_an_old_archive(run, db_path, monkeypatch):
    def older(parse_entry):  # an older parser that did not read mood, music or location yet
        def parse(*a, **k):
            return dataclasses.replace(parse_entry(*a, **k), mood=None, music=None, location=None)

        return parse

    for module in (scraper.parse.listing, scraper.parse.entry_page):
        monkeypatch.setattr(module, "parse_entry", older(module.parse_entry))
    journal = archive_then_stop(run, db_path)
    monkeypatch.undo()  # the fixed parser
    conn = sqlite3.connect(db_path)
    assert any(" mood:" in p for p in compare(conn, journal))
    revisions = conn.execute("SELECT count(*) FROM entry_revisions").fetchone()[0]

    result = reparse_offline(run, db_path)
    assert result.exit_code == 0, result.output
    assert ", 0 parse errors)" in result.stdout
    changed = int(result.stdout.split(" changed;")[0].rsplit(" ", 1)[1])
    assert changed > 0
    assert compare(conn, journal) == []
    # the records before the fix are kept as revisions, not silently overwritten
    assert conn.execute("SELECT count(*) FROM entry_revisions").fetchone()[0] > revisions


def test_reparse_restores_damaged_records_and_changes_nothing_when_run_again(run, db_path):
    journal = archive_then_stop(run, db_path)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "UPDATE entries SET subject = 'garbled', subject_html = 'garbled' "
            "WHERE itemid IN (SELECT itemid FROM entries LIMIT 5)"
        )
        conn.execute("DELETE FROM comments WHERE rowid IN (SELECT rowid FROM comments LIMIT 20)")
        conn.execute("UPDATE calendar SET entry_count = 0")
        conn.execute("DELETE FROM entry_tags")
    assert compare(conn, journal) != []
    assert reparse_offline(run, db_path).exit_code == 0
    assert compare(conn, journal) == []

    def snapshot():
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall()
            for t in ("entries", "comments", "entry_tags", "calendar", "entry_revisions")
        }

    before = snapshot()
    again = reparse_offline(run, db_path)
    assert again.exit_code == 0
    assert "entries 0 new, 0 changed; comments 0 new, 0 changed" in again.stdout
    assert snapshot() == before


def test_parse_errors_are_recorded_then_cleared(run, db_path):
    archive_then_stop(run, db_path)
    conn = sqlite3.connect(db_path)
    url, body = conn.execute("SELECT url, body FROM pages WHERE kind = 'year' LIMIT 1").fetchone()
    whole = zlib.decompress(body)
    with conn:  # the page as a server cut it short
        conn.execute(
            "UPDATE pages SET body = ? WHERE url = ?",
            [zlib.compress(whole[: len(whole) // 2]), url],
        )
    before = conn.execute("SELECT * FROM calendar ORDER BY 1, 2").fetchall()

    broken = reparse_offline(run, db_path)
    assert broken.exit_code == 1
    assert ", 1 parse errors)" in broken.stdout
    error = conn.execute("SELECT url, kind, error FROM parse_errors").fetchall()
    assert [(u, k) for u, k, _ in error] == [(url, "year")] and "cut short" in error[0][2]
    assert conn.execute("SELECT * FROM calendar ORDER BY 1, 2").fetchall() == before  # untouched
    status = run("status", "--db", db_path)
    assert "parse errors: 1 page(s)" in status.stdout

    with conn:
        conn.execute("UPDATE pages SET body = ? WHERE url = ?", [zlib.compress(whole), url])
    fixed = reparse_offline(run, db_path)
    assert fixed.exit_code == 0 and ", 0 parse errors)" in fixed.stdout
    assert conn.execute("SELECT count(*) FROM parse_errors").fetchone()[0] == 0


def test_reparse_refuses_a_database_that_is_not_ours(run, tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    result = reparse_offline(run, other)
    assert result.exit_code == 1 and "not a dwarchive database" in result.stderr
    assert other.read_bytes() == before
