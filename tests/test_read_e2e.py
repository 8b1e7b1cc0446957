"""Reading what a real crawl archived: search, exports and Datasette over the fake site's archive.

The fake community gets an entry in Russian and a comment with emoji, is archived over loopback
HTTP by the CLI, and everything below reads the resulting file (no request is made after).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import datetime

import pytest
from datasette.app import Datasette
from warcio.archiveiterator import ArchiveIterator

from scraper.fakesite import FakeComment, FakeEntry, FakeSite, build_sample_site
from scraper.read.datasette_meta import CANNED_QUERIES, database_columns, datasette_metadata


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    from click.testing import CliRunner

    from scraper.cli import cli

    journals = {j.name: j for j in build_sample_site()}
    tea = journals["tea_garden"]
    ru = FakeEntry(
        itemid=tea.next_itemid(),
        subject="Привет, чайный сад",
        body_html="<p>Заварили улун в самоваре; все были довольны.</p>",
        posted_at=datetime(2025, 3, 20, 10, 0),
        poster="leafreader",
        tags=["улун"],
    )
    ru.comments.append(
        FakeComment(
            commentid=ru.next_commentid(tea),
            parent=None,
            author="willowmere",
            body_html="🌻 sunflowers and 🍵 for all",
            posted_at=datetime(2025, 3, 20, 12, 0),
        )
    )
    tea.entries.append(ru)
    db = tmp_path_factory.mktemp("read") / "archive.db"
    with FakeSite([tea]) as site:
        result = CliRunner().invoke(
            cli,
            [
                "archive",
                site.url("tea_garden"),
                "--db",
                str(db),
                "--rate",
                "0",
                "--contact",
                "t@x.invalid",
                "-q",
            ],
        )
        assert result.exit_code == 0, result.output
    return db, ru


def run(*args):
    from click.testing import CliRunner

    from scraper.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_search_finds_cyrillic_in_entries_and_emoji_in_comments(archived):
    db, ru = archived
    hits = json.loads(run("search", "улун", "--db", db, "--format", "json").stdout)["hits"]
    assert [h["itemid"] for h in hits] == [ru.itemid]
    assert hits[0]["journal"] == "tea_garden" and hits[0]["url"].endswith(f"/{ru.itemid}.html")
    hits = json.loads(run("search", "ПРИВЕТ", "--db", db, "--format", "json").stdout)["hits"]
    assert [h["itemid"] for h in hits] == [ru.itemid]  # case folded in Cyrillic too
    hits = json.loads(run("search", "🌻", "--db", db, "--comments", "--format", "json").stdout)[
        "hits"
    ]
    assert len(hits) == 1 and hits[0]["itemid"] == ru.itemid
    assert json.loads(run("search", "🌻", "--db", db, "--format", "json").stdout)["hits"] == []
    odd = run("search", 'tea AND ("', "--db", db)
    assert odd.exit_code == 0  # searched word by word, with a note


def test_search_ranks_the_best_match_first(archived):
    db, _ = archived
    hits = json.loads(run("search", "tea", "--db", db, "--format", "json", "--limit", "50").stdout)[
        "hits"
    ]
    assert len(hits) >= 3
    ranks = [h["rank"] for h in hits]
    assert ranks == sorted(ranks)


def test_exports_rebuild_from_the_database(archived, tmp_path):
    db, ru = archived
    conn = sqlite3.connect(db)
    entries = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    pages = conn.execute("SELECT count(*) FROM pages WHERE body IS NOT NULL").fetchone()[0]
    for fmt in ("markdown", "html", "json", "warc"):
        assert run("export", "--format", fmt, "--db", db, "--out", tmp_path / fmt).exit_code == 0
    md = list((tmp_path / "markdown").rglob("*.md"))
    assert len([p for p in md if p.name != "index.md"]) >= entries
    assert any("Привет, чайный сад" in p.read_text() for p in md)
    html_pages = list((tmp_path / "html").rglob("*.html"))
    page = next(p for p in html_pages if p.name == f"{ru.itemid}.html")
    assert "Привет" in page.read_text()
    assert "🌻 sunflowers" in page.read_text()
    lines = [
        json.loads(x) for x in next((tmp_path / "json").rglob("*.jsonl")).read_text().splitlines()
    ]
    assert len(lines) == entries
    mine = next(x for x in lines if x["itemid"] == ru.itemid)
    assert mine["comments"][0]["body_text"].startswith("🌻")
    with next((tmp_path / "warc").rglob("*.warc.gz")).open("rb") as f:
        responses = [r for r in ArchiveIterator(f) if r.rec_type == "response"]
    assert len(responses) == pages


def test_datasette_serves_the_crawled_archive_and_canned_queries(archived):
    db, ru = archived
    conn = sqlite3.connect(db)
    metadata = datasette_metadata("archive", database_columns(conn))
    ds = Datasette([str(db)], metadata=metadata)

    async def get(path):
        return await ds.client.get(path)

    async def all_requests():
        out = {}
        out["entries"] = await get("/archive/entries.json?_shape=array&_size=100")
        for name in CANNED_QUERIES:
            out[name] = await get(
                f"/archive/{name}.json?_shape=array&tag=%D1%83%D0%BB%D1%83%D0%BD&q=tea"
                f"&journal=tea_garden&itemid={ru.itemid}"
            )
        out["threads"] = await get(f"/archive/comment_threads.json?_shape=array&itemid={ru.itemid}")
        return out

    got = asyncio.run(all_requests())
    assert got["entries"].status_code == 200
    assert len(got["entries"].json()) == conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    for name in CANNED_QUERIES:
        assert got[name].status_code == 200, (name, got[name].text[:200])
    assert got["threads"].json()[0]["author"] == "willowmere"
