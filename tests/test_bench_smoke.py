"""Smoke test of bench/: every bench's main() runs on a tiny journal, prints its table and writes
its JSON line. No timing assertions (those numbers belong to `python bench/run_all.py`)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("bs4", reason="the parse bench needs beautifulsoup4 (pip install .[bench])")

from bench import limiter, parse, requests, run_all, scale

BENCHES = {
    "requests": (requests, "Archive requests vs the minimum"),
    "limiter": (limiter, "through the site's 30/60 s bucket"),
    "parse": (parse, "ours (selectolax/Lexbor) vs BeautifulSoup"),
    "scale": (scale, "Archive from the loopback fake site"),
}


@pytest.mark.parametrize("name", list(BENCHES))
def test_bench_main_prints_a_table_and_writes_a_result(name, tmp_path, capsys):
    module, title = BENCHES[name]
    assert module.main(["--quick", "--results", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert title in out
    assert f"== {name}: targets ==" in out
    lines = (tmp_path / f"{name}.jsonl").read_text().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["script"] == name and result["quick"] is True
    assert result["targets"] and all(
        {"name", "measured", "target", "met"} <= set(t) for t in result["targets"]
    )


def test_archives_in_the_benches_are_complete(tmp_path, capsys):
    """The request counts are only worth something when the archive is complete."""
    requests.main(["--quick", "--results", str(tmp_path)])
    capsys.readouterr()
    result = json.loads((tmp_path / "requests.jsonl").read_text())
    assert all(not j["problems"] for j in result["journals"])
    assert all(j["outcome"] == "complete" for j in result["journals"])


def test_run_all_summarises_targets(tmp_path, capsys):
    assert run_all.main(["--quick", "--only", "limiter", "--results", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "All targets" in out and "limiter" in out


def test_request_categories():
    from bench.common import category, diff_requests

    assert category("/robots.txt") == "robots"
    assert category("/?skip=20") == "skip_pages"
    assert category("/2024/") == "year_pages"
    assert category("/2024/06/18/") == "day_pages"
    assert category("/123.html") == "entry_pages"
    assert category("/123.html?page=2") == "comment_pages"
    assert category("/123.html?thread=456") == "thread_views"
    diff = diff_requests(["/", "/1.html", "/1.html"], ["/", "/2.html"])
    assert diff.extra == ["/1.html", "/1.html"] and diff.missing == ["/2.html"]
    assert diff.repeated == ["/1.html"]


# --- the fixes the bench's profile led to (scraper/store/save.py, scraper/parse/) ------------


def test_direct_upsert_matches_sqlite_utils(tmp_path):
    import sqlite_utils

    from scraper.store import rows as store_rows

    rows = [
        {"url": "a", "journal": "j", "kind": "entry", "status": 200},
        {"url": "b", "journal": "j", "kind": "day"},
    ]
    update = [{"url": "a", "status": 404}, {"url": "c", "kind": "year", "status": 200}]
    results = []
    for mode in ("sqlite-utils", "direct"):
        db = sqlite_utils.Database(tmp_path / f"{mode}.db")
        db["pages"].create({"url": str, "journal": str, "kind": str, "status": int}, pk="url")
        for batch in (rows, update):
            if mode == "direct":
                store_rows.upsert(db, "pages", batch, "url")
            else:
                db["pages"].upsert_all(batch, pk="url")
        results.append(db.execute("SELECT * FROM pages ORDER BY url").fetchall())
    assert results[0] == results[1]
    # a column no row of the call gives keeps its value (journal); one another row of the same
    # call gives is written NULL (kind), as sqlite-utils does
    assert results[1][0] == ("a", "j", None, 404)


def test_a_page_is_parsed_once_and_passed_along(monkeypatch):
    from scraper.fakesite import build_sample_site
    from scraper.fakesite.render import render_journal
    from scraper.fakesite.server import FakeSite
    from scraper.parse import html as h
    from scraper.parse import page_kind, parse_html, parse_listing_page

    with FakeSite(build_sample_site()) as site:
        journal = site.journal("nairiporter")
        text = render_journal(journal, "/", "", site.context(journal)).body.decode()
    parses = []
    real = h.LexborHTMLParser
    monkeypatch.setattr(h, "LexborHTMLParser", lambda t: parses.append(1) or real(t))
    page = parse_html(text)
    assert page_kind(page) == "recent"
    assert parse_listing_page(page, "http://127.0.0.1/").entries
    assert parse_html(page) is page and len(parses) == 1  # the text was parsed once
    assert parse_listing_page(text, "http://127.0.0.1/").entries and len(parses) == 2


def test_inlined_in_user_content_agrees_with_the_ancestor_walk():
    from scraper.fakesite import build_sample_site, seed_entry
    from scraper.fakesite.render import render_journal
    from scraper.fakesite.server import FakeSite
    from scraper.parse import html as h

    def reference(node, stop=None):
        return any(
            any(c in h.classes(a) for c in h.USER_CONTENT_CLASSES) for a in h.ancestors(node, stop)
        )

    with FakeSite(build_sample_site()) as site:
        journal = site.journal("nairiporter")
        path = f"/{seed_entry(journal).itemid}.html"
        text = render_journal(journal, path, "", site.context(journal)).body.decode()
    tree = h.parse_html(text)
    nodes = [n for n in tree.root.traverse() if n.is_element_node]
    stop = tree.css_first("#primary")
    assert any(h.in_user_content(n) for n in nodes)
    for n in nodes:
        assert h.in_user_content(n) == reference(n)
        assert h.in_user_content(n, stop) == reference(n, stop)


def test_sidebar_tags_read_once_per_module_html_are_the_same_tags():
    from scraper.fakesite import build_sample_site
    from scraper.fakesite.render import render_journal
    from scraper.fakesite.server import FakeSite
    from scraper.parse import modules, parse_html, parse_sidebar
    from scraper.parse.tags import extract_tags

    with FakeSite(build_sample_site()) as site:
        journal = site.journal("nairiporter")
        text = render_journal(journal, "/", "", site.context(journal)).body.decode()
    modules.tags_of_module_html.cache_clear()
    first = parse_sidebar(text).tags
    again = parse_sidebar(text).tags
    mod = modules.find_modules(parse_html(text).root)
    content = next(m for k, m in mod.items() if k.startswith("tags_"))
    content = content.css_first(".module-content") or content
    assert first and first == again == tuple(extract_tags(content))
    info = modules.tags_of_module_html.cache_info()
    assert (info.misses, info.hits) == (1, 1)
