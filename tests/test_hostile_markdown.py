"""The Markdown export never carries raw HTML from the archive: the hostile journal, archived
through the real pipeline and exported, is rendered with a CommonMark renderer (markdown-it-py)
whose link check is switched off, and the tokens hold no HTML block or inline HTML, no link
but http(s)/mailto, no remote image; text reads back as it was written. A property test does the
same for generated HTML full of Markdown's special characters.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from selectolax.lexbor import LexborHTMLParser

from scraper.cli_read import run_export
from scraper.fakesite.hostile import NAME, NESTED_B, build_hostile_journal
from scraper.read.export_markdown import quote_block
from scraper.read.to_markdown import html_to_markdown
from tests.readside_archive import Recorder, archive_through_fake_site

RENDERED_TAGS = {
    *("p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "code", "pre"),
    *("blockquote", "ul", "ol", "li", "hr", "br", "img"),
}


def renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # show every link as written, javascript: included
    return md


RENDERER = renderer()


def _tokens(tokens: list[Token]) -> Iterator[Token]:
    stack = list(tokens)
    while stack:
        token = stack.pop()
        yield token
        stack.extend(token.children or [])


def problems(markdown: str, local_images: bool = True) -> list[object]:
    """What a CommonMark renderer would turn into markup the archive controls."""
    md = RENDERER
    found: list[object] = []
    tokens = md.parse(markdown)
    for token in _tokens(tokens):
        if token.type in ("html_block", "html_inline"):
            found.append((token.type, token.content))
        elif token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if not href.startswith(("http://", "https://", "mailto:")):
                found.append(("link", href))
        elif token.type == "image":
            src = str(token.attrGet("src") or "")
            if not (local_images and src.startswith("../images/")):
                found.append(("image", src))
    html = md.renderer.render(tokens, md.options, {})
    for node in LexborHTMLParser(html).body.css("*"):
        if node.tag not in RENDERED_TAGS and node.tag != "body":
            found.append(("tag", node.tag))
    return found


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-md")
    tracker = Recorder()
    try:
        journal = build_hostile_journal(tracker.url, thread_depth=30)
        archive_through_fake_site(tmp / "archive.db", [journal])
    finally:
        tracker.close()
    for fmt in ("markdown", "json"):
        run_export(tmp / "archive.db", fmt, tmp / fmt, None)
    files = sorted((tmp / "markdown" / NAME).glob("*.md"))
    assert len(files) == 10
    return tmp, {f.name: f.read_text() for f in files}


def test_no_raw_html_link_or_image_from_the_hostile_journal(exported):
    _, files = exported
    for name, text in files.items():
        assert problems(text) == [], name


def _rendered_text(markdown: str) -> str:
    return LexborHTMLParser(renderer().render(markdown)).body.text()


def test_text_reads_back_as_written(exported):
    tmp, files = exported
    lines = [json.loads(x) for x in (tmp / "json" / "entries.jsonl").read_text().splitlines()]
    by_subject = {e["subject"]: e for e in lines}
    tricky = "<img src=x onerror=alert('subject')> # not a heading `code`"
    md = next(t for t in files.values() if json.loads(_front(t)["title"]) == tricky)
    h1 = LexborHTMLParser(renderer().render(md)).css_first("h1")
    assert h1.text() == tricky  # the title renders as the very text of the subject
    rendered = _rendered_text(md)
    assert "<script>alert(2)</script>" in rendered  # shown, as text
    assert "![beacon](" in rendered and "[click](javascript:alert(3))" in rendered
    assert "a``<img src=x onerror=alert(1)>" in rendered
    assert "```\n<script>alert('pre')</script>\n```" in rendered
    assert by_subject[tricky]["body_html"].startswith("<p>Code:")


def _front(text: str) -> dict[str, str]:
    head = text.split("---\n")[1]
    return dict(line.split(": ", 1) for line in head.splitlines())


def test_front_matter_is_json_with_markup_characters_escaped(exported):
    _, files = exported
    for text in files.values():
        front = _front(text)
        for value in front.values():
            json.loads(value)
            inside = value[1:-1] if value.startswith("[") else value  # a list's own brackets
            assert not set("<>&[]`") & set(inside), value


def test_nested_bold_and_terminal_escapes(exported):
    _, files = exported
    bold = next(t for t in files.values() if "Bold move" in t)
    assert "**deep**" in bold and "*" * 6 not in bold
    assert NESTED_B == 180
    for text in files.values():
        assert "\x1b" not in text.split("\n---\n", 1)[1]  # control characters dropped


def test_comments_with_payloads_quote_and_escape(exported):
    _, files = exported
    carrier = next(t for t in files.values() if "Comments carry payloads too" in t)
    assert carrier.count("#cmt") >= 8
    assert problems(carrier) == []
    assert "\n> > " in carrier  # replies quoted one level deeper


# --- property test ----------------------------------------------------------------------------

_TEXT = st.sampled_from(
    [
        "<", ">", "&", "&amp;", "&lt;div&gt;", "&lt;script&gt;", "`", "```", "~~~", "*", "_",
        "[", "]", "(", ")", "!", "#", "- ", "1. ", "+", "=", "|", "\\", "\n", "    ", " ", "a",
        "http://x.test/", "javascript:alert(1)", "&lt;!--", "--&gt;", "<!-- c -->", "&#96;",
        "\x00", "\x01", "\t", ">", "&gt; quote", "\u2028",
    ]
)  # fmt: skip
_OPEN = st.sampled_from(
    [
        "<b>", "<i>", "<em>", "<strong>", "<code>", "<pre>", "<p>", "<div>", "<ul><li>",
        "<ol><li>", "<li>", "<blockquote>", "<h2>", "<table><tr><td>", "<td>", "<s>",
        '<a href="http://x.test/a b">', '<a href="javascript:alert(1)">', "<a>",
        '<img src="http://x.test/i.png" alt="a]b<c">', '<img src="javascript:x">', "<br>",
        "<hr>", '<span class="ljuser">u</span>', '<video src="http://x.test/v">', "<xmp>",
    ]
)  # fmt: skip
_CLOSE = st.sampled_from(["</b>", "</i>", "</code>", "</pre>", "</p>", "</li>", "</ul>", "</a>"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_TEXT, _OPEN, _CLOSE), max_size=40), st.integers(0, 9))
def test_any_html_gives_markdown_without_raw_html(parts, depth):
    markdown = html_to_markdown("".join(parts), "http://site.test/1.html")
    assert problems(markdown, local_images=False) == [], markdown
    if depth:  # as a comment body, quoted
        quoted = quote_block(markdown, depth)
        assert problems(quoted, local_images=False) == [], quoted
