"""Exports (Markdown, static HTML, JSON lines, WARC) from the database alone: content, threading,
relative links, local images, no network; the HTML entry page rendered by headless Chromium.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser
from warcio.archiveiterator import ArchiveIterator

from scraper.cli_read import export as export_command
from scraper.cli_read import open_for_reading, run_export
from scraper.errors import NotAJournal
from scraper.read.export_html import tag_slug
from scraper.read.export_warc import WARC_NAME
from scraper.read.threads import build_threads, walk_threads
from scraper.records import JournalInfo
from scraper.store import save
from tests.browser import ABSENT, CHROMIUM, HEADLESS
from tests.readside_archive import (
    J2,
    ROOT,
    J,
    add_pages,
    add_stored_image,
    build_archive,
    entry,
)

ENTRIES_TOTAL = 18  # 17 in J + 1 in J2, plus the hostile one below


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "archive.db"
    db = build_archive(path)
    pages = add_pages(db)
    image = add_stored_image(db)
    save.save_entries(
        db,
        J,
        [
            entry(
                777,
                "Fish & <chips>",
                "<p>Before<script>document.title='pwned'</script> after <div>unclosed",
                "Before after unclosed",
                posted_at="2022-01-01T00:00",
            )
        ],
        "t0",
    )
    db.close()
    return {"path": path, "pages": pages, "image": image}


@pytest.fixture(scope="module")
def no_network():
    """Exports are built from the database alone: any socket connection fails the test."""
    original = socket.socket.connect

    def refuse(self, address):
        raise AssertionError(f"an export tried to connect to {address}")

    socket.socket.connect = refuse
    try:
        yield
    finally:
        socket.socket.connect = original


@pytest.fixture(scope="module")
def exported(archive, tmp_path_factory, no_network):
    out = tmp_path_factory.mktemp("out")
    counts = {
        fmt: run_export(archive["path"], fmt, out / fmt, None)
        for fmt in ("markdown", "html", "json", "warc")
    }
    return out, counts


# --- threads ------------------------------------------------------------------------------------


def test_threads_nest_order_and_survive_orphans_and_loops():
    rows = [
        {"commentid": 5, "parent_commentid": 2},
        {"commentid": 2, "parent_commentid": None},
        {"commentid": 3, "parent_commentid": 2},
        {"commentid": 9, "parent_commentid": 404},  # parent not archived
        {"commentid": 7, "parent_commentid": 8},  # 7 <-> 8: a loop
        {"commentid": 8, "parent_commentid": 7},
    ]
    roots = build_threads(rows)
    assert [r.commentid for r in roots] == [2, 7, 9]
    order = [(n.commentid, n.depth) for n in walk_threads(roots)]
    assert order == [(2, 1), (3, 2), (5, 2), (7, 1), (8, 2), (9, 1)]
    assert [r.orphan for r in roots] == [False, True, True]


# --- markdown -----------------------------------------------------------------------------------


def _front_matter(text: str) -> dict:
    head = text.split("---\n")[1]
    return {k: json.loads(v) for k, v in (line.split(": ", 1) for line in head.splitlines())}


def test_markdown_one_file_per_entry_with_front_matter(exported):
    out, counts = exported
    files = sorted((out / "markdown").rglob("*.md"))
    assert counts["markdown"] == len(files) == ENTRIES_TOTAL
    text = (out / "markdown" / J / "2024-03-05-101.md").read_text()
    meta = _front_matter(text)
    assert meta["title"] == "Привет, мир" and meta["tags"] == ["languages", "русский"]
    assert meta["comments_archived"] == 5 and meta["url"].endswith("/101.html")
    assert "# Привет, мир" in text and "Сегодня я учу русский язык." in text


def test_markdown_comments_are_threaded(exported):
    out, _ = exported
    text = (out / "markdown" / J / "2024-03-05-101.md").read_text()
    comments = text.split("## Comments (5)")[1]
    assert "\n> **willowmere** · 2024-03-05T12:00 · #cmt1001" in comments
    assert "\n> > *(anonymous)* · 2024-03-05T13:00 · #cmt1002" in comments
    assert "\n> > > *(deleted comment)*" in comments
    assert "\n> > > > Replying under a deleted comment: four deep." in comments
    assert comments.index("#cmt1004") < comments.index("#cmt1005")


def test_markdown_images_point_at_local_copies(exported, archive):
    out, _ = exported
    text = (out / "markdown" / J / "2024-07-04-202.md").read_text()
    link = text.split("![garden](")[1].split(")")[0]
    assert link.startswith("../images/") and link.endswith(".png")
    assert (out / "markdown" / J / link).resolve().read_bytes() == archive["image"]


# --- html ---------------------------------------------------------------------------------------


def _local_links(html_file: Path) -> list[str]:
    tree = LexborHTMLParser(html_file.read_text())
    links = [n.attrs.get("href") for n in tree.css("a[href]")]
    links += [n.attrs.get("src") for n in tree.css("img[src]")]
    return [
        link for link in links if link and not urlsplit(link).scheme and not link.startswith("#")
    ]


def test_html_site_links_are_relative_and_resolve(exported):
    out, counts = exported
    site = out / "html"
    pages = list(site.rglob("*.html"))
    assert counts["html"] == ENTRIES_TOTAL
    assert len(pages) > ENTRIES_TOTAL + 2
    checked = 0
    for page in pages:
        for link in _local_links(page):
            assert not link.startswith("/"), (page, link)
            target = (page.parent / unquote(link.split("#")[0])).resolve()
            assert target.is_file(), (page, link)
            checked += 1
    assert checked > 3 * ENTRIES_TOTAL


def test_html_index_by_month_and_tags(exported):
    out, _ = exported
    index = LexborHTMLParser((out / "html" / "index.html").read_text())
    months = [h.text() for h in index.css("h2.month")]
    assert months[:2] == ["2024-08", "2024-07"] and months == sorted(months, reverse=True)
    links = {a.attrs["href"] for a in index.css("ul.entries a")}
    assert f"entries/{J}/101.html" in links and f"entries/{J2}/11.html" in links
    tag_page = out / "html" / "tags" / f"{tag_slug('русский')}.html"
    assert "Привет, мир" in tag_page.read_text()


def test_html_entry_page_threads_comments(exported):
    out, _ = exported
    tree = LexborHTMLParser((out / "html" / "entries" / J / "101.html").read_text())
    deepest = tree.css_first("#cmt1004")
    ancestors = []
    node = deepest.parent
    while node is not None:
        if node.tag == "article" and node.attrs.get("id", "").startswith("cmt"):
            ancestors.append(node.attrs["id"])
        node = node.parent
    assert ancestors == ["cmt1003", "cmt1002", "cmt1001"]
    assert "deleted comment" in tree.css_first("#cmt1003 .comment-body").text()
    assert tree.css_first("#cmt1002 .author").text() == "(anonymous)"
    assert tree.css_first("#cmt1005").parent.tag == "section"  # a second top-level thread
    assert tree.css_first("img").attrs["src"].startswith("../../images/")


def test_html_escapes_and_contains_archived_html(exported):
    out, _ = exported
    text = (out / "html" / "entries" / J / "777.html").read_text()
    assert "<h1>Fish &amp; &lt;chips&gt;</h1>" in text
    assert "<script" not in text.split("</head>")[1]
    assert text.count("<article") == text.count("</article>")


def test_html_shows_earlier_versions(exported):
    out, _ = exported
    tree = LexborHTMLParser((out / "html" / "entries" / J / "202.html").read_text())
    versions = tree.css("section.revisions details")
    assert len(versions) == 1
    assert "taller than the fence." in versions[0].text() and "shed" not in versions[0].text()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=ABSENT)
def test_html_entry_renders_in_headless_chromium(exported, tmp_path):
    from PIL import Image

    out, _ = exported
    page = out / "html" / "entries" / J / "101.html"
    shot = tmp_path / "entry.png"
    subprocess.run(
        [
            *HEADLESS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1000,1400",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=90,
    )
    image = Image.open(shot).convert("RGB")
    assert image.size == (1000, 1400)
    colours = image.getcolors(maxcolors=1 << 24)  # [(count, (r, g, b)), ...]
    total = image.size[0] * image.size[1]
    background = max(colours)[0]
    assert len(colours) > 50  # anti-aliased text in several colours, not a blank page
    assert total - background > 0.02 * total
    green = sum(
        n for n, (r, g, b) in colours if abs(r - 40) < 8 and abs(g - 160) < 8 and abs(b - 60) < 8
    )
    assert green > 5000  # the 120x80 local image copy, loaded from the file system
    shutil.copy(shot, out / "entry-101.png")  # kept beside the export for a look when debugging


# --- json ---------------------------------------------------------------------------------------


def test_json_lines_nest_comments_tags_and_revisions(exported):
    out, counts = exported
    lines = (out / "json" / "entries.jsonl").read_text().splitlines()
    assert counts["json"] == len(lines) == ENTRIES_TOTAL
    entries = {(e["journal"], e["itemid"]): e for e in map(json.loads, lines)}
    e101 = entries[(J, 101)]
    assert e101["tags"] == ["languages", "русский"]
    top = e101["comments"]
    assert [c["commentid"] for c in top] == [1001, 1005]
    chain = top[0]["replies"][0]["replies"][0]["replies"][0]
    assert chain["commentid"] == 1004 and chain["thread_depth"] == 4
    assert top[0]["replies"][0]["author"] is None
    assert top[0]["replies"][0]["replies"][0]["state"] == "deleted"
    e202 = entries[(J, 202)]
    assert len(e202["revisions"]) == 1 and "shed" not in e202["revisions"][0]["body_text"]
    local = e202["local_images"]
    assert all((out / "json" / path).is_file() for path in local.values()) and local


# --- warc ---------------------------------------------------------------------------------------


def test_warc_reads_back_with_warcio(exported, archive):
    out, counts = exported
    with open(out / "warc" / WARC_NAME, "rb") as fh:
        records = [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.http_headers,
                r.rec_headers.get_header("WARC-Date"),
                r.content_stream().read(),
            )
            for r in ArchiveIterator(fh)
        ]
    assert records[0][0] == "warcinfo"
    responses = {
        uri: (headers, date, body)
        for kind, uri, headers, date, body in records[1:]
        if kind == "response"
    }
    assert counts["warc"] == len(responses) == len(archive["pages"]) + 1  # + the image
    for url, body in archive["pages"].items():
        headers, date, stored = responses[url]
        assert stored == body
        assert headers.get_header("ETag") == '"abc"'
        assert date == "2026-01-01T00:00:05Z"
    assert responses[f"{ROOT}999.html"][0].get_statuscode() == "404"
    assert responses[f"{ROOT}robots.txt"][0].get_header("Content-Type") == "text/plain"
    image_headers, _, image_body = responses["https://img.example.invalid/garden.png"]
    assert (
        image_body == archive["image"] and image_headers.get_header("Content-Type") == "image/png"
    )


# --- the command --------------------------------------------------------------------------------


def test_export_command_and_journal_filter(archive, tmp_path, no_network):
    result = CliRunner().invoke(
        export_command,
        [
            "--db",
            str(archive["path"]),
            "--format",
            "json",
            "--journal",
            J2,
            "--out",
            str(tmp_path / "j"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"exported 1 entries as json to {tmp_path / 'j'}"
    line = json.loads((tmp_path / "j" / "entries.jsonl").read_text())
    assert line["journal"] == J2
    result = CliRunner().invoke(
        export_command, ["--db", str(archive["path"]), "--format", "html", "--journal", "nobody"]
    )
    assert isinstance(result.exception, NotAJournal)


def test_export_reads_an_archive_without_images_or_comments(tmp_path):
    from tests.readside_archive import open_archive

    db = open_archive(tmp_path / "bare.db")
    save.save_journal(db, JournalInfo("bare", "personal"), "https://bare.dreamwidth.org/", "t")
    save.save_entries(db, "bare", [entry(1, "", "", "", journal="bare", posted_at=None)], "t")
    db.close()
    conn = open_for_reading(tmp_path / "bare.db")
    conn.close()
    for fmt in ("markdown", "html", "json", "warc"):
        run_export(tmp_path / "bare.db", fmt, tmp_path / fmt, None)
    assert "(no subject)" in (tmp_path / "html" / "entries" / "bare" / "1.html").read_text()
    assert (tmp_path / "markdown" / "bare" / "undated-1.md").is_file()
    shutil.rmtree(tmp_path / "html")
