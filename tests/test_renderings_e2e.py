"""Every rendering Dreamwidth serves archives completely, over real HTTP to the fake site: core2
(and the 55 layouts that keep its markup), the site style for entry pages, drifting, negatives
and zesty; a custom layer no parser reads falls back to the site style (?format=light); a change
of rendering between runs is not an edit; a page no reading can make sense of is a recorded parse
problem and exit 1."""

from __future__ import annotations

import sqlite3

import pytest

from scraper.crawl import CrawlMode, CrawlOptions, run_archive, run_journals
from scraper.fakesite import FakeSite, Fault, generate_journal
from scraper.fakesite.minimum import minimum_requests
from scraper.fakesite.model import RENDERINGS
from scraper.fetch import FakeClock
from scraper.progress import PlainProgress
from scraper.records import EntryRecord
from scraper.store import open_database, save
from tests.archive_check import compare

CONTACT = "tests@dwarchive.invalid"
OPTIONS = CrawlOptions(contact=CONTACT, rate=None)

# A journal page in markup no parser knows (a custom S2 layer): it links an entry, so it cannot
# pass for an empty listing.
CUSTOM_LAYER = (
    '<!DOCTYPE html><html><head><title>my journal</title></head><body class="my-own-layer">'
    '<div class="posts"><div class="post"><a href="/256.html">An entry</a><p>Text</p></div>'
    "</div></body></html>"
)
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _archive(site: FakeSite, name: str, db, printer: PlainProgress | None = None):
    return run_archive(
        site.url(name),
        str(db),
        OPTIONS,
        printer=printer or PlainProgress(quiet=True),
        clock=FakeClock(),
    )


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_each_rendering_archives_completely_with_the_fewest_requests(tmp_path, rendering):
    journal = generate_journal(f"in_{rendering}", 60, seed=4, rendering=rendering, mean_comments=12)
    with FakeSite([journal]) as site:
        summary = _archive(site, journal.name, tmp_path / "a.db")
        made = len(site.log(journal.name))
    conn = sqlite3.connect(tmp_path / "a.db")
    assert summary.outcome == "complete"
    assert compare(conn, journal) == []  # every field of every entry and comment
    assert conn.execute("SELECT count(*) FROM parse_errors").fetchone() == (0,)
    readings = {r for (r,) in conn.execute("SELECT DISTINCT rendering FROM entries")}
    family = "zesty" if rendering == "zesty" else "core2"
    assert family in readings
    minimum = minimum_requests(journal, rendering=rendering)["total"]
    assert made <= 1.05 * minimum, (made, minimum)


def test_a_custom_layer_is_read_in_the_site_style(tmp_path):
    """Pages in markup no parser reads: each kind of page is tried once in the journal's style,
    then read with ?format=light; the archive is complete and no parse problem is left."""
    journal = generate_journal("custom_layer", 60, seed=4, mean_comments=12)
    layer = Fault(
        "status",
        path=r"^/(?!robots\.txt|profile|data/)(?!.*format=light)",
        params={"code": 200, "body": CUSTOM_LAYER, "headers": HTML},
    )
    printed: list[str] = []

    class Collect(PlainProgress):
        def _echo(self, text: str, *, problem: bool = False) -> None:
            printed.append(text)

    with FakeSite([journal]) as site:
        site.add_fault(layer)
        summary = _archive(site, journal.name, tmp_path / "a.db", Collect(quiet=True))
        log = site.log(journal.name)
    conn = sqlite3.connect(tmp_path / "a.db")
    assert summary.outcome == "complete"
    assert compare(conn, journal) == []
    assert conn.execute("SELECT count(*) FROM parse_errors").fetchone() == (0,)
    tried = [r.path for r in log if "format=light" not in r.path and r.path != "/robots.txt"]
    kinds = {"root", "year", "skip", "day", "entry", "comments"}
    assert len(tried) <= len(kinds) + 1  # one try per kind of page (and the profile)
    assert any("reading entry pages in the site style" in line for line in printed)
    # the site style's minimum, plus one try per kind of page
    assert len(log) <= minimum_requests(journal, rendering="siteviews")["total"] + len(kinds)


def test_entry_pages_switching_to_the_site_style_are_no_edit(tmp_path):
    """Archived in core2; then the owner shows entry pages in the site style, then changes the
    layout: a deep sync rereads every entry page in each, keeps every subject and body and
    writes no revision."""
    journal = generate_journal("switcher", 60, seed=4, mean_comments=12)
    db = tmp_path / "a.db"
    with FakeSite([journal]) as site:
        assert _archive(site, journal.name, db).outcome == "complete"
        before = (
            sqlite3.connect(db)
            .execute("SELECT itemid, subject, body_text FROM entries ORDER BY itemid")
            .fetchall()
        )
        for change in ("siteviews entry pages", "zesty", "drifting", "negatives"):
            if change == "siteviews entry pages":
                journal.style.entry_pages_in_journal_style = False
            else:
                journal.style.entry_pages_in_journal_style = True
                journal.style.layout = change
            summary = run_journals(
                [(site.url(journal.name), journal.name)],
                str(db),
                OPTIONS,
                printer=PlainProgress(quiet=True),
                command="sync-full",
                mode=CrawlMode.DEEP,
                clock=FakeClock(),
            )[0]
            conn = sqlite3.connect(db)
            assert summary.outcome == "complete", change
            assert summary.changes.changed_entries == 0, change
            assert summary.changes.changed_comments == 0, change
            assert conn.execute("SELECT count(*) FROM entry_revisions").fetchone() == (0,)
            after = conn.execute(
                "SELECT itemid, subject, body_text FROM entries ORDER BY itemid"
            ).fetchall()
            assert after == before, change
            assert compare(conn, journal) == [], change


def test_a_page_no_reading_makes_sense_of_is_a_parse_problem(site, run, db_path):
    """One entry page unreadable in the journal's style and in the site style: exit 1, a
    parse_errors row for it, everything else archived."""
    journal = site.journal("nairiporter")
    target = next(e for e in journal.entries if e.is_public and e.comments)
    site.add_fault(
        Fault(
            "status",
            path=rf"^/{target.itemid}\.html",
            params={"code": 200, "body": CUSTOM_LAYER, "headers": HTML},
        )
    )
    result = run(
        "archive", site.url("nairiporter"), "--db", db_path, "--rate", "0", "--contact", CONTACT
    )
    assert result.exit_code == 1
    assert "parse-error" in result.stderr and "incomplete" in result.stderr
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT url, kind, error FROM parse_errors").fetchall()
    assert [(u, k) for u, k, _ in rows] == [
        (site.url("nairiporter") + f"{target.itemid}.html", "entry")
    ]
    stored = conn.execute("SELECT count(*) FROM entries WHERE journal = 'nairiporter'").fetchone()[
        0
    ]
    assert stored == sum(1 for e in journal.entries if e.is_public)
    status = run("status", "--db", db_path)
    assert "parse errors: 1 page(s)" in status.stdout


def _entry(**kw) -> EntryRecord:
    values = {
        "itemid": 256,
        "url": "https://j.dreamwidth.org/256.html",
        "subject": "Tea",
        "subject_html": "Tea",
        "body_html": "<p>Steeped.</p>",
        "body_text": "Steeped.",
        "poster": "j",
        "journal": "j",
        "posted_at": "2025-06-04T08:00",
        "date_text": "Jun. 4th, 2025 8:00am",
        "userpic_keyword": "sunrays",
        "userpic_url": None,
        "tags": ("tea",),
        "mood": "calm",
        "music": None,
        "location": None,
        "security": "public",
        "comment_count": 0,
        "has_cut": False,
    }
    values.update(kw)
    return EntryRecord(**values)


def test_a_worse_reading_never_overwrites_nor_makes_a_revision(tmp_path):
    """Stored from core2; a reading in other markup that lacks fields or the body fills nothing
    in and records no edit; the same markup without the mood is a real edit."""
    from scraper.records import JournalInfo

    db = open_database(tmp_path / "a.db")
    save.save_journal(db, JournalInfo("j", "personal"), "https://j.dreamwidth.org/", "t0")
    save.save_entries(db, "j", [_entry()], "t0", rendering="core2")
    lacking = _entry(mood=None, tags=(), userpic_keyword=None, body_html="", body_text="")
    changes = save.save_entries(db, "j", [lacking], "t1", rendering="zesty")
    row = db.execute(
        "SELECT mood, userpic_keyword, body_text, rendering FROM entries WHERE itemid = 256"
    ).fetchone()
    assert changes.changed_entries == 0
    assert row == ("calm", "sunrays", "Steeped.", "core2")
    assert [t for (t,) in db.execute("SELECT tag FROM entry_tags")] == ["tea"]
    # the same text in other markup: no edit either
    other_markup = _entry(body_html="<div><p>Steeped.</p></div>")
    assert (
        save.save_entries(db, "j", [other_markup], "t2", rendering="siteviews").changed_entries == 0
    )
    assert db.execute("SELECT count(*) FROM entry_revisions").fetchone() == (0,)
    # a real edit, read in the markup it was stored from: the mood was taken away
    edited = _entry(mood=None, body_html="<div><p>Steeped.</p></div>")
    assert save.save_entries(db, "j", [edited], "t3", rendering="siteviews").changed_entries == 1
    assert db.execute("SELECT mood FROM entries").fetchone() == (None,)
    assert db.execute("SELECT count(*) FROM entry_revisions").fetchone() == (1,)
