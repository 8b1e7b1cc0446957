"""Depth is not a weapon: a 10,000-deep comment thread and bodies nested 100,000 levels deep
export in every format within a time bound, in output linear in the input (no recursion limit,
no quadratic blow-up), and the JSON stays readable by Python's own json module.

The archive is written through the store (save.*), as a crafted database would be: the fake site
cannot serve threads that deep (its comment model recurses), the exports must cope anyway.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.cli_read import run_export
from scraper.read import export_json
from scraper.read.export_markdown import MAX_QUOTE_DEPTH
from scraper.records import JournalInfo
from scraper.store import save
from tests.readside_archive import ROOT, J, comment, entry, open_archive

DEEP = 10_000
NESTED = 100_000
BOUND_S = 30.0  # per export of the deep archive; each takes about 3 s on a 2-core CI machine


def _archive(path: Path, depth: int, nested_bodies: bool = False) -> Path:
    db = open_archive(path)
    save.save_journal(db, JournalInfo(J, "personal", "Deep"), ROOT, "2026-01-01T00:00")
    entries = [entry(1, "The long thread", "<p>start</p>", "start", comment_count=depth)]
    if nested_bodies:
        entries += [
            entry(2, "Divs", "<div>" * NESTED + "bottom", "bottom", posted_at="2024-03-06T10:00"),
            entry(3, "Bold", "<b>" * NESTED + "bold", "bold", posted_at="2024-03-07T10:00"),
            entry(4, "Lists", "<ul><li>" * NESTED + "item", "item", posted_at="2024-03-08T10:00"),
            entry(5, "180 b", "<b>" * 180 + "x" + "</b>" * 180, "x", posted_at="2024-03-09T10:00"),
        ]
    save.save_entries(db, J, entries, "2026-01-01T00:00")
    chain = [
        comment(1000 + n, None if n == 0 else 999 + n, n + 1, f"reply {n + 1} <b>bold</b>")
        for n in range(depth)
    ]
    save.save_comments(db, J, 1, chain, "2026-01-01T00:00")
    db.close()
    return path


def _thread_bytes(fmt: str, directory: Path) -> int:
    """Bytes the export wrote for the entry with the long thread."""
    if fmt == "json":
        lines = (directory / "entries.jsonl").read_text().splitlines()
        return len(next(x for x in lines if json.loads(x)["itemid"] == 1).encode())
    name = "entries/nairiporter/1.html" if fmt == "html" else "nairiporter/2024-03-05-1.md"
    return (directory / name).stat().st_size


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("deep")
    out = {}
    for depth, nested in ((1_000, False), (DEEP, True)):
        db = _archive(tmp / f"{depth}.db", depth, nested)
        for fmt in ("markdown", "html", "json"):
            started = time.perf_counter()
            run_export(db, fmt, tmp / f"{fmt}-{depth}", None)
            out[(fmt, depth)] = (tmp / f"{fmt}-{depth}", time.perf_counter() - started)
    return out


@pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
def test_deep_thread_exports_in_bounded_time_and_linear_size(exports, fmt):
    small, _ = exports[(fmt, 1_000)]
    big, seconds = exports[(fmt, DEEP)]
    assert seconds < BOUND_S
    ratio = _thread_bytes(fmt, big) / _thread_bytes(fmt, small)
    assert ratio < 11, ratio  # 10x the comments: 10x the bytes (quadratic would be ~100x)


def test_json_reads_back_with_the_standard_library(exports):
    directory, _ = exports[("json", DEEP)]
    lines = [json.loads(x) for x in (directory / "entries.jsonl").read_text().splitlines()]
    thread = next(e for e in lines if e["itemid"] == 1)["comments"]
    seen, depth, node = [], 0, thread[0]
    while True:  # down the nested part
        seen.append(node["commentid"])
        depth += 1
        if depth == export_json.MAX_NESTING:
            break
        node = node["replies"][0]
    flat = node["replies"]  # below that level: the rest of the thread in reading order
    assert len(seen) + len(flat) == DEEP
    assert [c["thread_depth"] for c in flat] == list(range(depth + 1, DEEP + 1))
    assert flat[-1]["parent_commentid"] == flat[-2]["commentid"]


def test_markdown_quotes_at_most_eight_deep_and_names_the_parent(exports):
    directory, _ = exports[("markdown", DEEP)]
    text = next(directory.rglob("*-1.md")).read_text()
    assert text.count("#cmt") == DEEP + (DEEP - MAX_QUOTE_DEPTH)  # each id, and "reply to"
    assert max(len(line) - len(line.lstrip("> ")) for line in text.splitlines()) <= 2 * 8
    assert f"#cmt{999 + DEEP} · reply to #cmt{998 + DEEP}" in text


def test_html_nests_25_levels_and_keeps_every_comment(exports):
    directory, _ = exports[("html", DEEP)]
    tree = LexborHTMLParser((directory / "entries" / J / "1.html").read_text())
    assert len(tree.css("article.comment")) == DEEP
    assert len(tree.css("div.replies div.replies div.replies")) > 0
    assert f"reply to #{998 + DEEP}" in tree.css_first(f"#cmt{999 + DEEP} header").text()


def test_nested_bodies_are_shown_as_text_or_formatted(exports):
    md, _ = exports[("markdown", DEEP)]
    html, _ = exports[("html", DEEP)]
    texts = {p.name: p.read_text() for p in md.rglob("*.md")}
    assert "bottom" in texts["2024-03-06-2.md"] and "item" in texts["2024-03-08-4.md"]
    assert "**x**" in texts["2024-03-09-5.md"]  # 180 nested <b>: bold once
    page = (html / "entries" / J / "2.html").read_text()
    assert "shown as text: nested over" in page and "bottom" in page
    five = LexborHTMLParser((html / "entries" / J / "5.html").read_text())
    assert five.css_first(".entry-body").text().strip() == "x"
