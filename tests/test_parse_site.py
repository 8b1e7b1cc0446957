"""Pages exported from the fake site (tests/fixtures/site_*.html, site_manifest.json).

Every exported page is parsed with the parser for its kind and checked against the facts the
exporter recorded in the manifest, plus the invariants every parse must keep.
"""

from __future__ import annotations

import json

import pytest

from scraper.parse import (
    page_kind,
    parse_atom_feed,
    parse_entry_page,
    parse_interstitial,
    parse_listing_page,
    parse_profile_page,
    parse_tags_page,
    parse_year_page,
)
from scraper.records import COMMENT_STATES, SECURITY_VALUES, EntryRecord
from tests.parse_support import FIXTURES, fixture

MANIFEST_PATH = FIXTURES / "site_manifest.json"
MANIFEST = json.loads(MANIFEST_PATH.read_text(encoding="utf-8")) if MANIFEST_PATH.exists() else {}
SITE_FILES = sorted(p.name for p in FIXTURES.glob("site_*") if p.name != "site_manifest.json")

INTERSTITIAL_KIND = {
    "site_404.html": "error",
    "site_adult.html": "adult",
    "site_captcha.html": "captcha",
    "site_deleted.html": "deleted",
    "site_entry_locked_403.html": "locked",
    "site_purged.html": "purged",
    "site_suspended.html": "suspended",
}


def test_every_exported_page_is_in_the_manifest():
    assert sorted(MANIFEST) == SITE_FILES


def _check_entry(e: EntryRecord) -> None:
    assert e.itemid > 0 and e.url.endswith(f"/{e.itemid}.html")
    assert e.security in SECURITY_VALUES
    assert e.posted_at and len(e.posted_at) == 16
    assert e.poster and e.journal


@pytest.mark.parametrize("name", sorted(n for n in MANIFEST if n.endswith(".html")))
def test_site_page(name):
    facts = MANIFEST[name]
    html = fixture(name)
    url = facts["url"]
    kind = page_kind(html)
    if name in INTERSTITIAL_KIND:
        assert kind == "interstitial"
        notice = parse_interstitial(html, facts["status"], url)
        assert notice is not None and notice.kind == INTERSTITIAL_KIND[name] and notice.message
        return
    assert facts["status"] == 200
    assert parse_interstitial(html, 200, url) is None

    if name.startswith("site_entry_"):
        assert kind == "entry"
        page = parse_entry_page(html, url)
        _check_entry(page.entry)
        assert page.entry.itemid == facts["itemid"]
        assert page.entry.has_cut is False  # the entry page shows the whole text
        if facts.get("has_cut"):
            assert '<a name="cutid1"></a>' in page.entry.body_html
        if "poster" in facts:
            assert page.entry.poster == facts["poster"] and page.journal.type == "community"
        if "userpic" in facts:
            assert page.entry.userpic_keyword == facts["userpic"]
        if "page" in facts:
            assert page.comment_page == facts["page"]
        if "pages" in facts:
            assert page.comment_pages == facts["pages"]
        if "thread" in facts:
            assert page.thread_root == facts["thread"]
            assert page.comments[0].commentid == facts["thread"]
        if "comments" in facts and "page" not in facts:
            assert page.entry.comment_count == facts["comments"]
            assert len(page.comments) == facts["comments"]
        if "comments" in facts and facts.get("page") == 1:
            assert page.entry.comment_count == facts["comments"]
        if "full" in facts:
            assert sum(c.full for c in page.comments) == facts["full"]
        if "collapsed" in facts:
            assert sum(c.collapsed for c in page.comments) == facts["collapsed"]
        ids = [c.commentid for c in page.comments]
        assert len(ids) == len(set(ids))
        shown = set(ids)
        for c in page.comments:
            assert c.state in COMMENT_STATES and c.depth >= 1
            if c.full:
                assert c.body_html is not None and c.posted_at and c.author_kind
            if c.collapsed:
                assert c.body_html is None and c.posted_at
            if facts.get("view") != "flat" and c.depth > 1:
                assert c.parent_commentid in shown
        if facts.get("view") == "flat":
            assert {c.depth for c in page.comments} == {1}
    elif name.startswith(("site_recent", "site_day")):
        assert kind in ("recent", "day")
        page = parse_listing_page(html, url)
        for e in page.entries:
            _check_entry(e)
        if "entries" in facts:
            assert len(page.entries) == facts["entries"]
        if "itemids" in facts:
            assert [e.itemid for e in page.entries] == facts["itemids"]
        if "day" in facts:
            assert page.kind == "day" and page.day == facts["day"]
            assert {e.posted_at[:10] for e in page.entries} == {facts["day"]}
        if "skip" in facts:
            assert page.navigation.skip_back == facts["skip"] + len(page.entries)
        if "community" in name:
            assert page.journal.type == "community"
            assert all(
                e.journal == page.journal.name and e.poster != e.journal for e in page.entries
            )
        else:
            assert all(e.poster == e.journal == page.journal.name for e in page.entries)
    elif name == "site_year.html":
        page = parse_year_page(html, url)
        assert page.year == facts["year"]
        assert {d.day: d.entry_count for d in page.days} == facts["days"]
        assert page.year in page.years
    elif name == "site_tags.html":
        page = parse_tags_page(html, url)
        assert len(page.tags) == facts["tags"]
        assert all(t.uses and t.uses > 0 for t in page.tags)
    elif name.startswith("site_profile"):
        rec = parse_profile_page(html, url)
        assert rec.name == facts["name"]
        if "maintainers" in facts:
            assert rec.journal_type == "community"
            assert sorted(rec.admins) == sorted(facts["maintainers"])
            assert len(rec.members) == facts["members"]
        else:
            assert rec.journal_type == "personal"
    elif name == "site_month.html":
        assert kind == "month"
    else:
        pytest.fail(f"no check for {name}")


def test_site_entry_with_cut_is_cut_on_its_day_page():
    day = parse_listing_page(fixture("site_day.html"), MANIFEST["site_day.html"]["url"])
    cut = {e.itemid: e.has_cut for e in day.entries}
    assert cut[MANIFEST["site_entry_cut.html"]["itemid"]] is True


def test_site_atom():
    facts = MANIFEST["site_atom.xml"]
    feed = parse_atom_feed(fixture("site_atom.xml"))
    assert len(feed.entries) == facts["entries"]
    assert feed.updated
    for e in feed.entries:
        assert e.itemid and e.url.endswith(f"/{e.itemid}.html") and e.published and e.updated
        assert e.reply_count is not None and e.reply_count >= 0


def test_site_simple_entry_text_and_sidebar():
    page = parse_entry_page(
        fixture("site_entry_simple.html"), MANIFEST["site_entry_simple.html"]["url"]
    )
    paragraphs = page.entry.body_text.split("\n")  # <br /><br /> separated paragraphs, one a line
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("The reports that Russia may have agreed with the US")
    assert paragraphs[-1].endswith("the primary source of all his economic and political woes.")
    side = page.sidebar
    assert side.profile_display_name == "Nairi Porter" and side.profile_userpic_keyword == "Default"
    assert side.page_generated_at == "2025-07-04T18:00" and side.cut_tags_text == "No cut tags"
    assert side.tags_module_limited is True  # core2 default module_tags_opts_limit = 50
    assert side.style_credit and side.style_credit[0][0].startswith("Style:")
    assert side.calendar_month == "2025-06"
