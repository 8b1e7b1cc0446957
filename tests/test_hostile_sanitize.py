"""The HTML export's sanitiser (scraper/read/sanitize.py): ordinary journal HTML keeps its
formatting, every payload kind loses what would act by itself, work stays bounded, and for any
tag soup the output holds only allowed elements, attributes, styles and URL schemes.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from scraper.read.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LOCAL_IMAGE,
    MAX_NESTING,
    STYLE_PROPERTIES,
    clean_html,
    nesting_depth,
)

BASE = "https://someone.dreamwidth.org/1234.html"
LOCAL = "../../images/" + "ab" * 32 + ".png"


def local(url: str) -> str | None:
    return LOCAL if url == "https://pics.example/kept.png" else None


def check(html: str) -> None:
    """Everything in `html` is allowed by the policy."""
    body = LexborHTMLParser(html).body
    for node in body.css("*"):
        if node.tag == "body":
            continue
        assert node.tag in ALLOWED_TAGS, node.tag
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(node.tag, set())
        assert set(node.attrs.keys()) - {"rel"} <= allowed, (node.tag, node.attrs)
        for name, value in node.attrs.items():
            value = value or ""
            if name in ("href", "cite"):
                assert urlsplit(value).scheme in ("http", "https", "mailto"), value
            if name == "src":
                assert LOCAL_IMAGE.fullmatch(value), value
            if name == "style":
                for declaration in value.split(";"):
                    prop = declaration.split(":")[0].strip()
                    assert prop in STYLE_PROPERTIES, value
                assert "url(" not in value and "\\" not in value


def test_ordinary_journal_html_keeps_its_formatting():
    html = (
        "<p>Hello <b>bold</b> <i>it</i> <s>gone</s> <u>u</u> <sub>2</sub> <small>s</small></p>"
        '<blockquote cite="https://x.example/">quoted</blockquote>'
        '<ul><li>one</li></ul><ol start="3"><li value="4">two</li></ol>'
        '<p><a href="/tag/tea">a tag</a> <a href="https://x.example/">out</a></p>'
        '<div style="text-align: center">centred</div>'
        '<span style="color: #c00; font-weight: bold">red</span>'
        '<font color="green" size="+1" face="Georgia">old font</font>'
        '<table><tr><td colspan="2" align="right">cell</td></tr></table>'
        "<details open><summary>more</summary>hidden</details>"
        '<img src="https://pics.example/kept.png" alt="kept" width="120" height="80">'
        "<pre>  code\n    indented</pre><hr><h3>Heading</h3>"
    )
    out = clean_html(html, BASE, local)
    check(out)
    tree = LexborHTMLParser(out)
    assert tree.css_first("a[href='https://someone.dreamwidth.org/tag/tea']") is not None
    assert dict(tree.css_first("img").attrs) == {
        "src": LOCAL, "alt": "kept", "width": "120", "height": "80"
    }  # fmt: skip
    assert tree.css_first("span").attrs["style"] == "color:#c00;font-weight:bold"
    assert tree.css_first("div").attrs["style"] == "text-align:center"
    assert dict(tree.css_first("font").attrs) == {"color": "green", "size": "+1", "face": "Georgia"}
    assert dict(tree.css_first("td").attrs) == {"colspan": "2", "align": "right"}
    assert dict(tree.css_first("ol").attrs) == {"start": "3"} and "details" in out
    assert "<pre>  code\n    indented</pre>" in out
    for tag in ("b", "i", "s", "u", "sub", "small", "blockquote", "h3", "hr", "summary"):
        assert tree.css_first(tag) is not None, tag


@pytest.mark.parametrize(
    ("payload", "gone"),
    [
        ('<meta http-equiv="refresh" content="0;url=https://t.example/">', "refresh"),
        ('<base href="https://t.example/">', "t.example"),
        ('<form action="https://t.example/"><input name="pw"><button>go</button></form>', "form"),
        ('<img src="https://t.example/px.gif">', "<img"),
        ('<img srcset="https://t.example/a.png 1x">', "t.example"),
        ('<video poster="https://t.example/p.png"></video>', "poster"),
        ('<div style="background:url(https://t.example/b.png)">x</div>', "url("),
        ('<table background="https://t.example/b.png"><tr><td>x</td></tr></table>', "background"),
        ('<link rel="prefetch" href="https://t.example/">', "link"),
        ("<style>body{background:url(https://t.example/)}</style>", "t.example"),
        ('<div style="position:fixed;top:0;left:0;width:100%;height:100%">x</div>', "position"),
        ('<p style="font-size:100000px">x</p>', "100000"),
        ('<a href="javascript:alert(1)">x</a>', "javascript"),
        ('<a href="JaVaScRiPt&colon;alert(1)">x</a>', "alert"),
        ('<a href="data:text/html,x">x</a>', "data:"),
        ('<svg><image href="https://t.example/s.png"/></svg>', "t.example"),
        ('<iframe src="https://t.example/f"></iframe>', "<iframe"),
        ('<object data="https://t.example/o"></object>', "<object"),
        ("<script>alert(1)</script>", "alert"),
        ('<p onclick="alert(1)" id="cmt1" class="userpic">x</p>', "onclick"),
        ("<dialog open>over</dialog><div popover>pop</div>", "dialog"),
    ],
)
def test_each_payload_loses_what_acts_by_itself(payload, gone):
    out = clean_html(payload, BASE, local)
    check(out)
    assert gone not in out


def test_remote_pictures_and_media_become_links():
    out = clean_html(
        '<img src="https://t.example/px.gif" alt="pixel">'
        '<a href="https://x.example/"><img src="https://t.example/icon.png" alt="icon"></a>'
        '<iframe src="https://www.youtube.com/embed/abc"></iframe>',
        BASE,
        local,
    )
    tree = LexborHTMLParser(out)
    links = [(a.attrs["href"], a.text()) for a in tree.css("a")]
    assert links == [
        ("https://t.example/px.gif", "[image: pixel]"),
        ("https://x.example/", "icon"),  # inside a link already: the alt text
        ("https://www.youtube.com/embed/abc", "[iframe: https://www.youtube.com/embed/abc]"),
    ]
    assert all(a.attrs["rel"] == "noopener noreferrer nofollow" for a in tree.css("a"))


def test_remote_images_kept_only_when_asked():
    out = clean_html('<img src="https://t.example/px.gif" srcset="x 2x">', BASE, local,
                     remote_images=True)  # fmt: skip
    assert out == '<img src="https://t.example/px.gif">'


def test_nesting_is_bounded():
    assert nesting_depth("<div>" * 10 + "<p><li><br><img>") == 10
    deep = "<div>" * 100_000 + "bottom &amp; more" + "<ul><li>" * 50_000
    started = time.perf_counter()
    out = clean_html(deep, BASE, local)
    assert time.perf_counter() - started < 2.0
    assert (
        out
        == f'<p title="shown as text: nested over {MAX_NESTING} levels deep">bottom &amp; more</p>'
    )
    bold = clean_html("<b>" * 180 + "x" + "</b>" * 180, BASE, local)
    assert bold.count("<b>") == 180


_PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<b>", "</b>", "<a href='javascript:x'>", "<a href='//t.example/'>",
        "</a>", "<img src='https://t.example/i.png'>", "<img src='https://pics.example/kept.png'>",
        "<svg>", "<math>", "<style>", "</style>", "<noscript>", "<template>", "<table>", "<td>",
        "<select>", "<textarea>", "<!--", "-->", "<![CDATA[", "]]>", "<meta http-equiv=refresh>",
        "<div style='color:red;background:url(https://t.example/)'>", "<form>", "<input>",
        "x", "&lt;", "<", ">", "\"", "'", "=", " onerror=alert(1) ", "<frameset>", "<xmp>",
        "<iframe srcdoc='<img src=https://t.example/>'>", "<object data='https://t.example/'>",
        "<base href='https://t.example/'>", "<p style='font-size:20px;position:fixed'>",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_any_tag_soup_comes_out_allowed(pieces):
    check(clean_html("".join(pieces), BASE, local))
