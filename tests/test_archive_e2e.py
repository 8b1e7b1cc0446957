"""`dwarchive archive` end to end: the fake site over real HTTP into a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest

from scraper.fakesite import minimum_request_plan, minimum_requests, seed_entry
from tests.archive_check import compare
from tests.conftest import table_dump

CONTENT_TABLES = (
    "journals",
    "entries",
    "entry_tags",
    "comments",
    "profiles",
    "calendar",
    "entry_revisions",
    "tags",
)


def content(db_path):
    """The archive's content; journals.last_archived_at (when the last run ended) may move."""
    dump = table_dump(db_path, CONTENT_TABLES)
    dump["journals"] = [row[:6] for row in dump["journals"]]
    return dump


def archive(run, site, name, db_path, *extra):
    return run(
        "archive",
        site.url(name),
        "--db",
        db_path,
        "--rate",
        "0",
        "--contact",
        "tests@dwarchive.invalid",
        *extra,
    )


def test_archive_is_complete_faithful_and_minimal(site, run, db_path):
    result = archive(run, site, "nairiporter", db_path)
    assert result.exit_code == 0, result.output
    assert "nairiporter: complete" in result.stdout
    conn = sqlite3.connect(db_path)
    assert compare(conn, site.journal("nairiporter")) == []
    # the fewest requests that give complete data, and no URL twice
    paths = [r.path for r in site.log("nairiporter")]
    assert Counter(paths).most_common(1)[0][1] == 1
    assert len(paths) == minimum_requests(site.journal("nairiporter"))["total"]
    assert sorted(paths) == sorted(minimum_request_plan(site.journal("nairiporter")))
    assert all(
        r.headers.get("User-Agent", "").startswith("dwarchive/")
        and "tests@dwarchive.invalid" in r.headers["User-Agent"]
        for r in site.log("nairiporter")
    )


def test_seed_entry_and_its_page_modules(site, run, db_path):
    assert archive(run, site, "nairiporter", db_path).exit_code == 0
    seed = seed_entry(site.journal("nairiporter"))
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    e = conn.execute("SELECT * FROM entries WHERE itemid = ?", [seed.itemid]).fetchone()
    assert e["journal"] == e["poster"] == "nairiporter"
    assert e["userpic_keyword"] == "sunrays"
    assert e["body_text"].startswith("The reports that Russia may have agreed with the US")
    assert e["body_text"].rstrip().endswith("economic and political woes.")
    assert e["posted_at"] == "2025-06-18T19:40" and e["security"] == "public"
    m = conn.execute(
        "SELECT * FROM page_modules WHERE url LIKE ?", [f"%/{seed.itemid}.html"]
    ).fetchone()
    assert m["page_generated"] == "Page generated Jul. 4th, 2025 06:00 pm"
    assert m["page_generated_at"] == "2025-07-04T18:00"
    assert m["powered_by"] == "Dreamwidth Studios"
    assert m["calendar_month"] == "2025-06"
    assert json.loads(m["calendar_days"]) == {"2025-06-11": 2, "2025-06-18": 1}
    assert m["cut_tags_text"] == "No cut tags"
    assert m["profile_display_name"] == "Nairi Porter"
    assert json.loads(m["style_credit"])  # the Style Credit module's label and link
    j = conn.execute("SELECT * FROM journals").fetchone()
    assert (j["name"], j["type"], j["title"]) == ("nairiporter", "personal", "Morning Notes")
    p = conn.execute("SELECT * FROM profiles").fetchone()
    assert p["display_name"] == "Nairi Porter" and p["bio_text"]


def test_big_thread_needs_pages_and_threads_and_gets_every_comment(site, run, db_path):
    assert archive(run, site, "nairiporter", db_path).exit_code == 0
    from scraper.fakesite import big_thread_entry

    big = big_thread_entry(site.journal("nairiporter"))
    paths = [r.path for r in site.log("nairiporter") if r.path.startswith(f"/{big.itemid}.html")]
    assert f"/{big.itemid}.html?page=2" in paths
    assert sum("thread=" in p for p in paths) >= 1
    conn = sqlite3.connect(db_path)
    states = dict(
        conn.execute(
            "SELECT state, count(*) FROM comments WHERE itemid = ? GROUP BY state", [big.itemid]
        )
    )
    assert states.get("deleted") and states.get("screened") and states.get("frozen")
    assert (
        conn.execute(
            "SELECT count(*) FROM comments WHERE itemid = ? AND state = 'visible' "
            "AND body_html IS NULL",
            [big.itemid],
        ).fetchone()[0]
        == 0
    )
    anon = conn.execute(
        "SELECT count(*) FROM comments WHERE itemid = ? AND author IS NULL AND "
        "author_kind = 'anonymous'",
        [big.itemid],
    ).fetchone()[0]
    assert anon >= 1


def test_community_names_posters_and_type_from_pages(site, run, db_path):
    assert archive(run, site, "tea_garden", db_path).exit_code == 0
    conn = sqlite3.connect(db_path)
    assert compare(conn, site.journal("tea_garden")) == []
    assert conn.execute("SELECT type FROM journals WHERE name = 'tea_garden'").fetchone() == (
        "community",
    )
    posters = {r[0] for r in conn.execute("SELECT poster FROM entries")}
    assert len(posters) >= 3 and "tea_garden" not in posters
    assert len(site.log("tea_garden")) == minimum_requests(site.journal("tea_garden"))["total"]


def test_second_archive_changes_nothing(site, run, db_path):
    assert archive(run, site, "nairiporter", db_path).exit_code == 0
    before = content(db_path)
    first_requests = len(site.log("nairiporter"))
    site.clear_log()
    result = archive(run, site, "nairiporter", db_path)
    assert result.exit_code == 0, result.output
    assert content(db_path) == before
    assert "entries 0 new, 0 changed; comments 0 new, 0 changed" in result.stdout
    # nothing needs an entry page again: only robots (cached), listings, years, profile
    assert len(site.log("nairiporter")) < first_requests


def test_status_reports_coverage_and_last_run(site, run, db_path):
    assert archive(run, site, "nairiporter", db_path).exit_code == 0
    result = run("status", "--db", db_path)
    assert result.exit_code == 0
    assert "nairiporter (personal)" in result.stdout
    assert "coverage: 100.0% (128 of 128 entries the calendar lists)" in result.stdout
    assert "last run: archive" in result.stdout and "complete" in result.stdout


def test_query_formats(site, run, db_path):
    assert archive(run, site, "tea_garden", db_path).exit_code == 0
    sql = "SELECT name, type FROM journals"
    assert run("query", sql, "--db", db_path).stdout.splitlines()[2].split() == [
        "tea_garden",
        "community",
    ]
    assert run("query", sql, "--db", db_path, "--format", "csv").stdout.splitlines() == [
        "name,type",
        "tea_garden,community",
    ]
    assert json.loads(run("query", sql, "--db", db_path, "--format", "json").stdout) == [
        {"name": "tea_garden", "type": "community"}
    ]


# --- bad input: one line, non-zero exit, nothing lost ------------------------------------------


def test_unknown_journal_is_one_line_error(site, run, db_path):
    result = run(
        "archive",
        site.url("nobody_here"),
        "--db",
        db_path,
        "--rate",
        "0",
        "--quiet",
        "--contact",
        "t@x.invalid",
    )
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "no journal at" in result.stderr and "404" in result.stderr


def test_not_a_journal_url(run, db_path):
    result = run("archive", "ftp://example.org/x", "--db", db_path)
    assert result.exit_code == 1 and "not a journal" in result.stderr


def test_a_page_that_is_not_a_journal(tmp_path, run, db_path):
    import http.server
    import threading

    class Plain(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<html><head><title>Hello</title></head><body><p>My cat</p></body></html>"
            self.send_response(200 if self.path != "/robots.txt" else 404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Plain)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = run(
            "archive",
            f"http://127.0.0.1:{server.server_address[1]}/",
            "--db",
            db_path,
            "--rate",
            "0",
            "-q",
            "--contact",
            "t@x.invalid",
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 1
    assert "not a journal" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_db_that_is_not_ours_is_refused_untouched(site, run, tmp_path):
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (t)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    result = run("archive", site.url("tea_garden"), "--db", other, "--rate", "0")
    assert result.exit_code == 1 and "not a dwarchive database" in result.stderr
    assert other.read_bytes() == before
    assert site.log("tea_garden") == []  # refused before any request


def test_query_that_writes_is_refused_and_nothing_changes(site, run, db_path):
    assert archive(run, site, "tea_garden", db_path).exit_code == 0
    before = table_dump(db_path, CONTENT_TABLES)
    for sql in ("DELETE FROM entries", "DROP TABLE comments", "UPDATE entries SET subject='x'"):
        result = run("query", sql, "--db", db_path)
        assert result.exit_code == 1 and "read-only" in result.stderr
    assert table_dump(db_path, CONTENT_TABLES) == before


def test_rate_zero_is_refused_for_the_real_site(run, db_path):
    result = run("archive", "nairiporter", "--db", db_path, "--rate", "0")
    assert result.exit_code == 2 and "only allowed for test sites on 127.0.0.1" in result.stderr


STYLES = [
    # entries per page, entry date format, time format, comment date format, journal type
    (5, "med", "short", "iso", "personal"),
    (50, "long_day", "short_24", "short", "community"),
    (1, "short_dayfirst", "short", "short_dayfirst", "personal"),
    (13, "iso", "short_24", "med_day", "community"),
    (25, "med_dayfirst", "short", "long_dayfirst", "personal"),
]


@pytest.mark.parametrize("per_page,date_fmt,time_fmt,comment_fmt,jtype", STYLES)
def test_other_style_settings_archive_completely_with_minimal_requests(
    tmp_path, per_page, date_fmt, time_fmt, comment_fmt, jtype
):
    """Journals with their own style settings: still complete, still the fewest requests."""
    from scraper.crawl import CrawlOptions, run_journals
    from scraper.fakesite import FakeSite, StyleSettings, generate_journal
    from scraper.fetch import FakeClock
    from scraper.progress import PlainProgress

    style = StyleSettings(
        entries_per_page=per_page,
        entry_date_format=date_fmt,
        entry_time_format=time_fmt,
        comment_date_format=comment_fmt,
    )
    journal = generate_journal(
        f"styled_{per_page}", 180, seed=per_page, comments=(0, 120), style=style, type=jtype
    )
    db = tmp_path / "styled.db"
    with FakeSite([journal]) as site:
        summary = run_journals(
            [(site.url(journal.name), None)],
            str(db),
            CrawlOptions(contact="t@x.invalid", rate=None),
            printer=PlainProgress(quiet=True),
            clock=FakeClock(),
        )[0]
        assert summary.outcome == "complete"
        assert compare(sqlite3.connect(db), journal) == []
        assert len(site.log()) == minimum_requests(journal)["total"]
        assert sqlite3.connect(db).execute("SELECT type FROM journals").fetchone() == (jtype,)
