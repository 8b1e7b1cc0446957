"""Bounded work per page (scraper.parse.guard): what would hold an archive is refused first.

parse_html measures every text before Lexbor reads it. A page nesting too deep, making too many
elements or holding too many tags is refused in one line, within a time bound, in time linear in
its size; every real page passes. The scans count at least what Lexbor builds (fixtures, the
fake site's pages, random tag soups), so a page cannot hide its size from them. End to end: a
journal with one such entry page is archived through the real command, the page recorded as a
parse problem, everything else stored.
"""

from __future__ import annotations

import random
import re
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

from scraper import parse
from scraper.cli import cli
from scraper.crawl.step import FetchedPage
from scraper.errors import ParseError
from scraper.fakesite import FakeSite, build_sample_site, minimum_request_plan
from scraper.fakesite.hostile import build_hostile_journal
from scraper.fakesite.model import LAYOUTS
from scraper.fakesite.render import render_journal
from scraper.fakesite.sample import build_nairiporter
from scraper.parse.guard import (
    MAX_DEPTH,
    MAX_ELEMENTS,
    MAX_TAGS,
    SMALL_PAGE_TAGS,
    check_page,
    measure,
)
from scraper.parse.html import parse_html
from scraper.parse.plainscan import plain_shape
from scraper.parse.treescan import TreeScan
from tests.archive_check import compare
from tests.fault_scenarios import deep_entry_fault

FIXTURES = Path(__file__).parent / "fixtures"
BOUND = 5.0  # seconds for any one refusal; each takes well under one
MB = 1024 * 1024


def lexbor_shape(text: str) -> tuple[int, int]:
    """(depth, elements) of the tree Lexbor builds (depth counts <html>)."""
    root = LexborHTMLParser(text).root
    assert root is not None
    depth, best, count = {root.mem_id: 1}, 1, 1
    for node in root.traverse(include_text=False):
        if node.is_element_node and node.mem_id != root.mem_id:
            count += 1
            d = depth[node.mem_id] = depth.get(node.parent.mem_id, 1) + 1  # type: ignore[union-attr]
            best = max(best, d)
    return best, count


def full_scan(text: str) -> tuple[int, int, int]:
    scan = TreeScan(10**9, 10**9)
    scan.run(text)
    return scan.max_depth, scan.elements, scan.work


def timed_refusal(text: str) -> tuple[str, float]:
    started = time.perf_counter()
    with pytest.raises(ParseError) as info:
        parse_html(text)
    elapsed = time.perf_counter() - started
    message = str(info.value)
    assert "\n" not in message and message.endswith(": not read")
    return message, elapsed


# --- what is refused, and how fast ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<div>" * 100_000,
        "<div>" * 100_000 + "x" + "</div>" * 100_000,  # 1.1 MB: the page of issue 13
        "<b>" * 100_000,
        "<ul>" * 100_000,
        "<ul><li>" * 50_000,
        "<table><tr><td>" * 33_334,
        "<span><div></span>" * 50_000,  # end tags the parser ignores
        "<svg>" + "<g>" * 100_000,
        "<lin\u212a>" * 100_000,  # a Kelvin sign: not <link>, an element that nests
    ],
    ids=["div", "div-closed", "b", "ul", "ul-li", "table", "ignored-ends", "svg", "kelvin"],
)
def test_deep_nesting_is_refused_in_one_line_within_a_time_bound(text):
    message, elapsed = timed_refusal(text)
    assert elapsed < BOUND
    depth = int(re.search(r"page nests (\d+) elements deep", message).group(1))
    assert depth > 100_000 and f"over the {MAX_DEPTH} the parsers read" in message


def test_element_floods_are_refused_within_a_time_bound():
    # formatting elements reopened after every closed block: 100 KB, millions of elements
    bomb = "".join(f"<div><b id={n}></div>" for n in range(5_000))
    message, elapsed = timed_refusal(bomb)
    assert elapsed < BOUND and f"more than {MAX_ELEMENTS} elements" in message
    # and reopened in every paragraph
    paragraphs = "<p>" + "".join(f"<i id={n}>" for n in range(2_000)) + "<p>x" * 2_000
    message, elapsed = timed_refusal(paragraphs)
    assert elapsed < BOUND and "elements" in message
    # plain elements, more than the parsers read
    message, elapsed = timed_refusal("<p>x" * 450_000)
    assert elapsed < BOUND and "elements" in message


def test_a_tag_flood_is_refused_without_a_scan():
    for text in ("</div>" * (2 * MB), "<b></b>" * MB, "<!---->" * MB):
        message, elapsed = timed_refusal(text)
        assert elapsed < 0.5 and f"over the {MAX_TAGS} the parsers read" in message


def test_the_guard_is_linear_and_fast_on_10_mb():
    page = (FIXTURES / "site_entry_comments_page1.html").read_text()
    head, body = page[: page.index("<body")], page[page.index("<body") : page.rindex("</body>")]
    texts = {mb: head + body * (mb * MB // len(body)) for mb in (1, 10)}
    # a misnesting up front sends the page to the full model instead of the fast path
    broken = {mb: t.replace("<body", "<b><p></b><body", 1) for mb, t in texts.items()}
    for pages in (texts, broken):
        seconds = {}
        for mb, text in pages.items():
            started = time.perf_counter()
            shape = measure(text)
            seconds[mb] = time.perf_counter() - started
            assert shape.over == "" and shape.depth <= 40
        assert seconds[10] < 5.0
        assert seconds[10] < 30 * seconds[1] + 0.5  # linear: ~10x (quadratic would be ~100x)


def test_a_page_is_measured_before_every_parse():
    """No path reads a hostile text before the guard: the crawl's FetchedPage, page_kind (which
    calls it 'unknown'), the notices and the page parsers; all at once, none slow."""
    text = "<html><body>" + "<div>" * 100_000 + "</body></html>"
    started = time.perf_counter()
    assert parse.page_kind(text) == "unknown"
    for call in (
        lambda: FetchedPage("https://x.dreamwidth.org/1.html", 200, text).parsed,
        lambda: parse.parse_interstitial(text, 200, "https://x.dreamwidth.org/1.html"),
        lambda: parse.parse_entry_page(text, "https://x.dreamwidth.org/1.html"),
        lambda: parse.parse_comments(text, "https://x.dreamwidth.org/1.html"),
        lambda: parse.parse_listing_page(text, "https://x.dreamwidth.org/"),
        lambda: parse.parse_year_page(text, "https://x.dreamwidth.org/2024/"),
        lambda: parse.parse_profile_page(text, "https://x.dreamwidth.org/profile"),
        lambda: parse.parse_adult_form(text, "https://x.dreamwidth.org/"),
    ):
        with pytest.raises(ParseError, match="elements deep"):
            call()
    assert time.perf_counter() - started < 3 * BOUND


# --- what passes: every real page, counted as Lexbor counts it -----------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.html")), ids=lambda p: p.name)
def test_every_fixture_page_passes_and_is_counted_as_lexbor_builds_it(path):
    text = path.read_text(encoding="utf-8")
    assert check_page(text).over == ""
    shape = measure(text, small_page_tags=0)
    assert shape.over == "" and shape.depth <= 40
    assert (shape.depth, shape.elements) == lexbor_shape(text)
    assert plain_shape(text) == full_scan(text)  # the fast path reads it as the full model does


def test_every_fake_site_page_passes():
    """Every page an archive of the sample site and the hostile journal fetches, in every
    rendering (the 300-deep comment thread nests deepest)."""
    journals = [*build_sample_site(), build_hostile_journal("http://127.0.0.1:9")]
    site = FakeSite(journals)
    deepest, checked = 0, 0
    for journal in journals:
        for rendering in (*LAYOUTS, "siteviews"):
            journal.style.layout = "core2" if rendering == "siteviews" else rendering
            query = "format=light" if rendering == "siteviews" else ""
            context = site.context(journal)
            paths = minimum_request_plan(journal, rendering=rendering, query=query)
            for path in [*paths, "/tag/", "/profile"]:
                parts = urlsplit(path)
                if parts.path == "/robots.txt":
                    continue
                text = render_journal(journal, parts.path, parts.query, context).body.decode()
                shape = measure(text, small_page_tags=0)
                assert shape.over == "", (journal.name, rendering, path, shape)
                deepest = max(deepest, shape.depth)
                checked += 1
                if checked % 25 == 0:
                    real_depth, real_elements = lexbor_shape(text)
                    assert shape.depth >= real_depth and shape.elements >= real_elements
    assert checked > 500 and 500 < deepest < MAX_DEPTH


_SOUP = [
    "div",
    "p",
    "span",
    "b",
    "i",
    "a",
    "u",
    "em",
    "font",
    "nobr",
    "li",
    "ul",
    "dd",
    "dt",
    "table",
    "tbody",
    "tr",
    "td",
    "th",
    "caption",
    "colgroup",
    "col",
    "select",
    "option",
    "button",
    "form",
    "h1",
    "h2",
    "pre",
    "textarea",
    "title",
    "script",
    "style",
    "xmp",
    "svg",
    "math",
    "mi",
    "desc",
    "foreignObject",
    "annotation-xml",
    "g",
    "br",
    "img",
    "hr",
    "input",
    "object",
    "marquee",
    "template",
    "frameset",
    "plaintext",
    "noscript",
    "head",
    "body",
    "ruby",
    "rt",
    "center",
    "code",
]


def _soup(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        tag, roll = rng.choice(_SOUP), rng.random()
        attrs = rng.choice(["", "", " id=1", f" id={rng.randrange(5)}", " color=red", ' t="a>b"'])
        if roll < 0.5:
            out.append(f"<{tag.upper() if roll < 0.1 else tag}{attrs}{'/' if roll < 0.05 else ''}>")
        elif roll < 0.85:
            out.append(f"</{tag}>")
        else:
            out.append(rng.choice(["x", " ", "<!-- c -->", "<!-->", "</ x>", "< a", "<?p>"]))
    return "".join(out)


def test_random_tag_soups_are_counted_at_least_as_lexbor_builds_them():
    for seed in range(300):
        rng = random.Random(seed)
        text = _soup(rng, 150)
        shape = measure(text, small_page_tags=0)
        depth, elements = lexbor_shape(text)
        assert depth <= shape.depth + 3 and elements <= shape.elements + 10, (seed, text)


def _well_formed(rng: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(0, 4 if depth < 8 else 0)):
        tag = rng.choice(_SOUP[:40])
        if rng.random() < 0.15:
            out.append(rng.choice(["x", " ", "<!-- c -->"]))
        elif tag in ("br", "img", "hr", "input", "col"):
            out.append(f"<{tag}>")
        else:
            inner = _well_formed(rng, depth + 1)
            out.append(f"<{tag}>{inner}{f'</{tag}>' if rng.random() < 0.97 else ''}")
    return "".join(out)


def test_the_fast_path_reads_what_it_accepts_as_the_full_model_does():
    accepted = 0
    for seed in range(600):
        rng = random.Random(seed)
        text = _well_formed(rng) if seed % 2 else _soup(rng, 60)
        shape = plain_shape(text)
        if shape is not None:
            accepted += 1
            assert shape == full_scan(text), (seed, text)
    assert accepted > 100


def test_repeated_hostile_units_never_outgrow_the_count():
    """A unit of a few tags repeated: whatever Lexbor makes of it grows no faster than what the
    scan counts (a page cannot hide a multiplying structure from it)."""
    for seed in range(150):
        rng = random.Random(seed)
        unit = "".join(
            rng.choice([f"<{t}>", f"<{t} id={{n}}>", f"</{t}>", "x"])
            for t in rng.sample(_SOUP, rng.randint(1, 5))
        )
        text = "".join(unit.replace("{n}", str(n)) for n in range(120))
        shape = measure(text, max_depth=10**9, max_elements=10**9, small_page_tags=0)
        depth, elements = lexbor_shape(text)
        assert depth <= 1.2 * shape.depth + 5 and elements <= 1.2 * shape.elements + 5, unit


def test_what_the_tokenizer_hides_stays_hidden():
    """Tags inside attribute values, comments and raw text are not elements: a page made of
    them passes, as Lexbor reads it; a script ends only at an ASCII </script>."""
    for text in (
        '<a title="x><div>">y</a>' * 3_000,
        "<!--" + "<div>" * 3_000 + "-->",
        "<script>" + "</scrip\u212a>" + "<div>" * 3_000 + "</script>",
        "<textarea>" + "<div>" * 3_000 + "</textarea>",
    ):
        shape = measure(text, small_page_tags=0)
        assert shape.over == "" and shape.depth < 10
        assert (shape.depth, shape.elements) == lexbor_shape(text)


def test_small_pages_are_not_scanned():
    """At most SMALL_PAGE_TAGS '<': no arrangement reaches the limits, so no scan is needed."""
    worst = "<p>" + "".join(f"<b id={n}>" for n in range(600)) + "<p>x" * 599
    assert worst.count("<") <= SMALL_PAGE_TAGS
    depth, elements = lexbor_shape(worst)
    assert depth < MAX_DEPTH and elements < MAX_ELEMENTS
    assert measure(worst).work == 0 and measure(worst, small_page_tags=0).elements == elements


# --- end to end ----------------------------------------------------------------------------------


def test_a_journal_with_a_deep_entry_page_is_archived_but_that_page(tmp_path):
    """`dwarchive archive` over loopback: the hostile page is a parse problem (exit 1, one line,
    a parse_errors row), every other page is stored; reparse refuses it again, quickly; once
    the page is fixed the next run completes the archive (and reparse clears the problem)."""
    journal = build_nairiporter()
    db = tmp_path / "a.db"
    args = ["--db", str(db), "--rate", "0", "--contact", "guard@dwarchive.invalid"]
    with FakeSite([journal]) as site:
        fault, itemid = deep_entry_fault(site, journal)
        site.add_fault(fault)
        started = time.perf_counter()
        result = CliRunner().invoke(cli, ["archive", site.url(journal.name), *args])
        elapsed = time.perf_counter() - started
        assert result.exit_code == 1, result.output
        assert elapsed < 30  # a minute and more before the guard; ~2 s now
        problems = [line for line in result.stderr.splitlines() if line.startswith("parse-error")]
        assert len(problems) == 1 and re.search(
            rf"/{itemid}\.html: page nests 100\d\d\d elements deep, over the 5000 the parsers "
            r"read: not read$",
            problems[0],
        )
        assert "incomplete" in result.stderr.splitlines()[-1]
        conn = sqlite3.connect(db)
        rows = conn.execute("SELECT url, kind FROM parse_errors").fetchall()
        assert rows == [(site.url(journal.name) + f"{itemid}.html", "entry")]
        missing = compare(conn, journal)  # everything but that entry's comments is stored
        assert missing and all(f"of entry {itemid} missing" in m for m in missing)
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == len(
            [e for e in journal.entries if e.is_public]
        )

        started = time.perf_counter()
        again = CliRunner().invoke(cli, ["reparse", "--db", str(db)])
        assert again.exit_code == 1 and ", 1 parse errors)" in again.stdout
        assert time.perf_counter() - started < 30

        site.clear_faults()
        fixed = CliRunner().invoke(cli, ["archive", site.url(journal.name), *args])
        assert fixed.exit_code == 0, fixed.output
        assert compare(conn, journal) == []
        cleared = CliRunner().invoke(cli, ["reparse", "--db", str(db)])
        assert cleared.exit_code == 0 and ", 0 parse errors)" in cleared.stdout
        assert conn.execute("SELECT count(*) FROM parse_errors").fetchone()[0] == 0
        conn.close()
