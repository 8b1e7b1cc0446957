"""Owner-mode text against the fake site's pages, offline: every public entry of the sample
journals, written as raw source (html_raw0 with its cut as a <cut> tag) and rendered by the
owner-mode renderer, must give the body_text the HTML path reads from the fake site's entry
page for it; comments by accounts likewise."""

from __future__ import annotations

import html

import pytest

from scraper.fakesite.render import render_journal
from scraper.fakesite.render.common import PageContext
from scraper.fakesite.sample import build_sample_site
from scraper.parse import parse_entry_page
from scraper.parse.owner.render import render_comment, render_entry, render_entry_subject

JOURNALS = build_sample_site()


def _source(body: str, cut: str | None, label: str | None) -> str:
    if cut is None:
        return body
    text = f' text="{html.escape(label, quote=True)}"' if label else ""
    return f"{body}<cut{text}>{cut}</cut>"


def _cases():
    for journal in JOURNALS:
        for entry in journal.entries:
            if entry.is_public:
                yield pytest.param(journal, entry, id=f"{journal.name}-{entry.itemid}")


@pytest.mark.parametrize(("journal", "entry"), list(_cases()))
def test_public_entry_text_matches_the_fake_page(journal, entry) -> None:
    base = f"https://{journal.name.replace('_', '-')}.dreamwidth.org/"
    ctx = PageContext(journal=journal, base_url=base, adult_ok=True)
    response = render_journal(journal, f"/{entry.itemid}.html", "", ctx)
    assert response.status == 200
    page = parse_entry_page(response.body.decode("utf-8"), f"{base}{entry.itemid}.html")
    rendered = render_entry(
        _source(entry.body_html, entry.cut_html, entry.cut_label), editor="html_raw0"
    )
    assert rendered.text == page.entry.body_text
    assert render_entry_subject(entry.subject)[0] == page.entry.subject
    by_id = {c.commentid: c for c in page.comments if c.full}
    for comment in entry.comments:
        seen = by_id.get(comment.commentid)
        if seen is None or comment.author_kind != "user" or comment.state != "visible":
            continue
        mine = render_comment(comment.body_html, editor="html_raw0")
        assert mine.text == seen.body_text, comment.commentid
