"""Owner mode rendering: raw source -> the HTML and text Dreamwidth's entry page shows.

The fixtures (tests/fixtures/owner_render_cases.json) pair a source with the HTML Dreamwidth's
cleaner prints for it, derived by hand from LJ::CleanHTML. Each entry case is put into a real
entry page (the sample_entry.html fixture) and read with the HTML path's own parser: the
owner-mode body_text must equal what the HTML path stores for that page.
"""

from __future__ import annotations

import json

import pytest

from scraper.parse import parse_entry_page
from scraper.parse.owner.formats import comment_format, entry_format, rules_for
from scraper.parse.owner.render import (
    render_comment,
    render_comment_subject,
    render_entry,
    render_entry_subject,
)
from scraper.parse.owner.sanitize import html_text
from scraper.parse.owner.userlink import SiteLinks, canonical_username, user_link_html
from tests.parse_support import FIXTURES, fixture
from tests.test_parse_entry import SAMPLE_BODY_HTML, SAMPLE_URL

CASES = json.loads((FIXTURES / "owner_render_cases.json").read_text(encoding="utf-8"))


def ljuser(name: str) -> str:
    """LJ::ljuser's span for a personal account (cgi-bin/LJ/User/Display.pm:601-720)."""
    host = name.replace("_", "-")
    return (
        f"<span lj:user='{name}' style='white-space: nowrap;' class='ljuser'>"
        f"<a href='https://{host}.dreamwidth.org/profile'>"
        "<img src='https://www.dreamwidth.org/img/silk/identity/user.png' alt='[personal profile] ' "
        "width='17' height='17' style='vertical-align: text-bottom; border: 0; padding-right: 1px;' />"
        f"</a><a href='https://{host}.dreamwidth.org/'><b>{name}</b></a></span>"
    )


def expand(dw_html: str) -> str:
    out = dw_html
    while "{ljuser:" in out:
        start = out.index("{ljuser:")
        end = out.index("}", start)
        out = out[:start] + ljuser(out[start + 8 : end]) + out[end + 1 :]
    return out


def page_body_text(dw_html: str) -> str:
    """body_text the HTML path stores for an entry page whose body is `dw_html`."""
    page = fixture("sample_entry.html")
    assert SAMPLE_BODY_HTML in page
    page = page.replace(SAMPLE_BODY_HTML, expand(dw_html))
    return parse_entry_page(page, SAMPLE_URL).entry.body_text


def _entry(case: dict):
    return render_entry(
        case["source"],
        editor=case.get("editor"),
        preformatted=case.get("preformatted"),
        imported=bool(case.get("imported")),
        logtime=case.get("logtime"),
    )


@pytest.mark.parametrize("case", CASES["entries"], ids=lambda c: c["name"])
def test_entry_text_equals_the_html_path(case: dict) -> None:
    rendered = _entry(case)
    assert rendered.format == case["format"]
    assert rendered.text == page_body_text(case["dw_html"])


@pytest.mark.parametrize("case", CASES["entries"], ids=lambda c: c["name"])
def test_entry_html_keeps_the_markup_that_matters(case: dict) -> None:
    rendered = _entry(case)
    dw = expand(case["dw_html"])
    assert rendered.html.count('class="ljuser"') == dw.count("class='ljuser'")
    assert rendered.html.count('name="cutid') == dw.count('name="cutid')
    assert ("<br>" in rendered.html) == ("<br />" in dw)
    assert "<script" not in rendered.html and "<iframe" not in rendered.html


@pytest.mark.parametrize("case", CASES["comments"], ids=lambda c: c["name"])
def test_comment_text_equals_dreamwidths(case: dict) -> None:
    rendered = render_comment(
        case["source"],
        preformatted=case.get("preformatted"),
        anonymous=case["anonymous"],
        datepost="2024-10-05T09:01:44Z",
    )
    assert rendered.format == case["format"]
    assert rendered.text == html_text(expand(case["dw_html"]))


def test_anonymous_comment_has_no_live_links_or_tables() -> None:
    case = CASES["comments"][0]
    rendered = render_comment(case["source"], anonymous=True)
    assert 'href="http://x.example/"' not in rendered.html
    assert "<table" not in rendered.html
    assert "ljimgplaceholder" not in rendered.html  # nh3 keeps no class on comment markup
    assert "(http://x.example/)" in rendered.text


def test_comment_markup_is_limited_to_the_comment_allow_list() -> None:
    rendered = render_comment('<h1 id="x" class="y" onclick="z()">t</h1><video>v</video>')
    assert rendered.html == "<h1>t</h1>v"


# --- formats ---------------------------------------------------------------------------------


def test_format_guess_order_follows_clean_event() -> None:
    # the editor prop wins, and a !markdown line then stays in the text
    assert entry_format("!markdown\nx", editor="html_raw0") == ("html_raw0", "!markdown\nx")
    # !markdown is tested before opt_preformatted (CleanHTML.pm:1666-1689)
    assert entry_format("  !Markdown  \r\nx", editor=None, preformatted="1") == ("markdown0", "x")
    assert entry_format("x", editor=None, preformatted="1")[0] == "html_raw0"
    assert entry_format("x", editor=None, preformatted="0", logtime="2010-01-01 00:00:00")[0] == (
        "html_casual0"
    )
    assert entry_format("x", editor=None, imported=True, logtime="2024-01-01 00:00:00")[0] == (
        "html_casual0"
    )
    assert entry_format("x", editor=None, logtime="2019-05-01 00:00:00")[0] == "html_casual1"
    assert entry_format("x", editor=None, syndicated=True, preformatted="1")[0] == "html_extra_raw"
    assert entry_format("x", editor=None, syndicated=True)[0] == "html_casual0"


def test_comment_format_guess() -> None:
    assert comment_format(editor=None, preformatted="1") == "html_raw0"
    assert comment_format(editor=None, datepost="2018-12-31T23:59:59Z") == "html_casual0"
    assert comment_format(editor=None, imported=True) == "html_casual0"
    assert comment_format(editor=None, datepost="2024-01-01T00:00:00Z") == "html_casual1"
    assert comment_format(editor="markdown0") == "markdown0"


def test_unknown_formats_fall_back_to_casual1_rules() -> None:
    assert rules_for("rte0") == rules_for("html_casual1").__class__(
        "html_casual1", True, True, True, True, False
    )
    assert rules_for("no_such_format").name == "html_casual1"
    assert rules_for("markdown").name == "markdown0"


def test_extra_raw_knows_no_dreamwidth_tags() -> None:
    rendered = render_entry('<lj user="bob"> and <cut>kept</cut>', editor="html_extra_raw")
    assert "ljuser" not in rendered.html
    assert rendered.text == "and kept"


def test_polls_and_embeds_are_flagged() -> None:
    assert render_entry("<poll-12> text").embeds
    assert render_entry("x <site-embed id=3/>").embeds
    assert not render_entry("plain").embeds


def test_empty_source() -> None:
    rendered = render_entry("", editor="html_casual1")
    assert (rendered.html, rendered.text) == ("", "")


def test_deeply_nested_source_does_not_recurse() -> None:
    rendered = render_entry("<div>" * 3000 + "deep" + "</div>" * 3000, editor="html_raw0")
    assert rendered.text == "deep"


# --- subjects and user links -------------------------------------------------------------------


def test_entry_subject_is_cleaned_like_clean_subject() -> None:
    text, html = render_entry_subject("Old <b>draft</b> & <script>x()</script><u>notes</u>")
    assert text == "Old draft & notes"
    assert html == "Old <b>draft</b> &amp; <u>notes</u>"
    assert render_entry_subject("") == ("", "")
    assert render_entry_subject("Plain") == ("Plain", "Plain")


def test_comment_subject_is_escaped_text() -> None:
    assert render_comment_subject("a <b>b</b> & c") == (
        "a <b>b</b> & c",
        "a &lt;b&gt;b&lt;/b&gt; &amp; c",
    )
    assert render_comment_subject(None) == ("", "")


def test_user_links() -> None:
    links = SiteLinks()
    assert canonical_username(" Tea-Club ") == "tea_club"
    assert canonical_username("x" * 26) == ""
    assert "<b>tea_club</b>" in user_link_html("Tea-Club", None, links)
    assert user_link_html("bob", "nowhere.example", links) == (
        "<b>[Bad username or site: bob @ nowhere.example]</b>"
    )
    assert "<b>bob</b>" in user_link_html("bob", "lj", links)
    assert "<b>bob</b>" in user_link_html("bob", "dreamwidth.org", links)  # the site itself
    assert "<a " not in user_link_html("bob", None, links, no_link=True)


def test_site_links_for_the_fake_site() -> None:
    links = SiteLinks(
        site_root="http://127.0.0.1:8000",
        img_root="http://127.0.0.1:8000/img",
        journal_url_template="http://127.0.0.1:8000/~{name}/",
        kinds={"tea_garden": "C"},
    )
    html = render_entry("<user name=tea_garden>", editor="html_raw0", links=links).html
    assert "http://127.0.0.1:8000/~tea_garden/" in html
    assert "community.png" in html


def test_sources_that_used_to_crash_the_cleaner_render():
    """Two inputs found by comparing the cleaner with itself under fuzzing: a literal marker
    spelled in the text, and a `data` attribute before `type`."""
    from scraper.parse.owner.render import render_entry

    for source in (
        "see &url1;x&urlend; here",
        '<a data="x" type="y">t</a>',
        "<embed data=x type=y>",
    ):
        for editor in ("html_casual1", "html_casual0", "html_raw0", "markdown0"):
            rendered = render_entry(source, editor=editor)
            assert isinstance(rendered.html, str)


def test_text_too_deep_to_parse_in_bounded_time_is_kept_as_plain_text() -> None:
    """nh3's parser takes time growing with the square of the nesting depth (50,000 nested
    <div> took 7 s): past the page guard's limits the text is kept as escaped words instead."""
    import time

    from scraper.parse.guard import MAX_DEPTH

    deep = "<div>" * 100_000 + "deep words &amp; <more>" + "</div>" * 100_000
    for render in (render_entry, render_comment):
        started = time.perf_counter()
        out = render(deep, editor="html_casual1")
        assert time.perf_counter() - started < 10  # measured 0.8 s; quadratic would be ~30 s
        assert out.text == "deep words &"
        assert out.html == "deep words &amp;"
    shallow = "<div>" * (MAX_DEPTH // 2) + "words" + "</div>" * (MAX_DEPTH // 2)
    assert render_entry(shallow, editor="html_casual1").html.startswith("<div><div>")
