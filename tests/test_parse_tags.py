"""Tags pages (multilevel, list, cloud) and the sidebar tags modules."""

from __future__ import annotations

import pytest
from hypothesis import given

from scraper.errors import ParseError
from scraper.parse import parse_sidebar, parse_tags_page
from scraper.records import JournalInfo, TagCount, TagsPage
from tests.parse_support import FUZZ, any_text, deliberate, fixture, mutate, ops_strategy

URL = "https://nairiporter.dreamwidth.org/tag/"
JOURNAL = JournalInfo(
    "nairiporter",
    "personal",
    "Morning Notes",
    "small observations",
    "https://nairiporter.dreamwidth.org/",
)


def test_multilevel_tags_page():
    page = parse_tags_page(fixture("hand_tags_multilevel.html"), URL)
    assert page.journal == JOURNAL
    assert page.tags == (
        TagCount("books", 3, "public"),
        TagCount("books:fiction", 2, "public"),
        TagCount("books:fiction:fantasy", 1, "public"),
        TagCount("books:poetry", 4, "public"),
        TagCount("cooking:bread", 5, "public"),  # 'cooking' alone is a non-link tier, not a tag
        TagCount("tasting notes", 2, "public"),
        TagCount("x/y", 1, "public"),  # names with '/' link as ?tag=
    )
    assert page.sidebar.tags == (
        TagCount("books", 3, "public"),
        TagCount("books:poetry", 4, "public"),
        TagCount("cooking:bread", 5, "public"),
    )
    assert page.sidebar.tags_module_limited is True
    assert page.sidebar.profile_display_name == "Nairi Porter"


def test_multilevel_names_from_nesting_when_links_carry_only_the_tier():
    html = fixture("hand_tags_multilevel.html").replace(
        "/tag/books:fiction:fantasy", "/tag/fantasy"
    )
    page = parse_tags_page(html, URL)
    assert TagCount("books:fiction:fantasy", 1, "public") in page.tags


def test_list_tags_page():
    page = parse_tags_page(fixture("hand_tags_list.html"), URL)
    assert page.tags == (
        TagCount("books", 3, "public"),
        TagCount("books:fiction", 1, "public"),
        TagCount("diary", 1234, "public"),
        TagCount("tasting notes", 2, "public"),
    )
    assert page.sidebar.tags == (TagCount("books", 3, "public"), TagCount("diary", 1234, "public"))
    assert page.sidebar.tags_module_limited is False


def test_cloud_tags_page():
    page = parse_tags_page(fixture("hand_tags_cloud.html"), URL)
    assert page.tags == (TagCount("weather", 12, "public"), TagCount("2019", 1, "public"))
    assert page.sidebar.tags == ()


def test_sidebar_tags_modules_of_the_other_fixtures():
    assert parse_sidebar(fixture("sample_recent.html")).tags == (
        TagCount("gardens", 7, "public"),
        TagCount("weather", 12, "public"),
    )
    assert parse_sidebar(
        fixture("hand_entry_thread.html")
    ).tags == (  # cloud: counts in title attributes
        TagCount("weather", 12, "public"),
        TagCount("gardens", 7, "public"),
        TagCount("links", 1, "public"),
    )


def test_not_a_tags_page():
    with pytest.raises(ParseError):
        parse_tags_page(fixture("sample_recent.html"), URL)


@FUZZ
@given(ops_strategy)
def test_fuzz_tags_mutations(ops):
    for name in ("hand_tags_multilevel.html", "hand_tags_list.html", "hand_tags_cloud.html"):
        try:
            page = parse_tags_page(mutate(fixture(name), ops), URL)
        except ParseError as exc:
            deliberate(exc)
            continue
        assert isinstance(page, TagsPage)
        names = [t.tag for t in page.tags]
        assert len(names) == len(set(names)) and all(names)


@FUZZ
@given(any_text)
def test_fuzz_tags_text(text):
    try:
        assert isinstance(parse_tags_page(text, URL), TagsPage)
    except ParseError as exc:
        deliberate(exc)
