"""Journal info, sidebar modules, interstitials, the adult form, page kinds, the Atom feed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.errors import ParseError
from scraper.parse import (
    AtomFeed,
    FeedEntry,
    page_kind,
    parse_adult_form,
    parse_atom,
    parse_atom_feed,
    parse_entry_page,
    parse_interstitial,
    parse_journal_info,
    parse_listing_page,
    parse_profile_page,
    parse_sidebar,
    parse_tags_page,
    parse_year_page,
)
from scraper.parse.detect import KINDS
from scraper.records import (
    EntryPage,
    Interstitial,
    JournalInfo,
    ListingPage,
    ProfileRecord,
    SidebarRecord,
    TagsPage,
    YearPage,
)
from tests.parse_support import FIXTURES, FUZZ, any_text, deliberate, fixture, mutate, ops_strategy
from tests.test_parse_entry import SAMPLE_SIDEBAR

NB = "https://nairiporter.dreamwidth.org"


# --- journal info -------------------------------------------------------------------------------


def test_journal_info_of_the_samples():
    want = JournalInfo("nairiporter", "personal", "Morning Notes", "small observations", NB + "/")
    for name in ("sample_entry.html", "sample_recent.html", "sample_year.html"):
        assert parse_journal_info(fixture(name), NB + "/") == want


def test_journal_name_sources_in_order():
    html = fixture("sample_year.html")  # no entries: <title> prefix
    assert (
        parse_journal_info(
            html.replace("<title>nairiporter | 2025</title>", "<title>Morning Notes</title>"), None
        ).name
        == "nairiporter"
    )  # host of the title link
    loopback = html.replace(NB, "http://127.0.0.1:8123").replace(
        "<title>nairiporter | 2025</title>", "<title>2025</title>"
    )
    assert (
        parse_journal_info(loopback, "http://127.0.0.1:8123/2025/").name == "nairiporter"
    )  # profile icon alt
    community = fixture("sample_year.html").replace(
        "not-subscribed no-access", "not-subscribed no-access non-member"
    )
    assert parse_journal_info(community, None).type == "community"
    assert parse_journal_info(fixture("hand_day_community.html"), None).type == "community"
    assert parse_journal_info("<html><body><p>x</p></body></html>", None) == JournalInfo(None, None)


# --- sidebar ------------------------------------------------------------------------------------


def test_sidebar_of_the_samples():
    assert parse_sidebar(fixture("sample_entry.html")) == SAMPLE_SIDEBAR
    assert parse_sidebar(fixture("sample_recent.html")) == SAMPLE_SIDEBAR
    assert parse_sidebar(fixture("sample_year.html")) == SAMPLE_SIDEBAR
    assert parse_sidebar("<html><body></body></html>") == SidebarRecord()


def test_calendar_day_without_title_counts_one_and_horizontal_calendar():
    side = parse_sidebar(fixture("hand_recent_variants.html"))
    assert side.calendar_days[-1].day == "2025-06-30" and side.calendar_days[-1].entry_count == 1
    side = parse_sidebar(fixture("hand_entry_community.html"))
    assert side.calendar_month == "2025-06" and [d.entry_count for d in side.calendar_days] == [
        1,
        3,
        2,
    ]


# --- interstitials ------------------------------------------------------------------------------

INTERSTITIALS = {
    "hand_captcha.html": "captcha",
    "hand_adult.html": "adult",
    "hand_suspended.html": "suspended",
    "hand_suspended_entry.html": "suspended",
    "hand_429.html": "error",
    "hand_deleted.html": "deleted",
    "hand_purged.html": "purged",
    "hand_protected.html": "locked",
    "hand_unknown_journal.html": "error",
}


@pytest.mark.parametrize("name,kind", sorted(INTERSTITIALS.items()))
def test_interstitials(name, kind):
    got = parse_interstitial(fixture(name), "https://nairiporter.dreamwidth.org/12345.html")
    assert isinstance(got, Interstitial) and got.kind == kind and got.message
    assert page_kind(fixture(name)) == "interstitial"


def test_interstitial_messages():
    assert parse_interstitial(fixture("hand_429.html")).message == (
        "429 Too Many Requests You have made too many requests. Please try again later. "
        "Please wait 60 seconds before trying again."
    )
    assert parse_interstitial(fixture("hand_suspended.html")) == Interstitial(
        "suspended", "Suspended User The content at this URL is from a suspended user."
    )
    assert (
        parse_interstitial(fixture("hand_purged.html")).message
        == "Deleted This journal has been deleted and purged."
    )


def test_captcha_and_adult_by_url():
    assert (
        parse_interstitial(
            "<html><body><p>Please wait</p></body></html>",
            "https://www.dreamwidth.org/captcha?returnto=x",
        ).kind
        == "captcha"
    )
    assert (
        parse_interstitial(
            "<html><body><p>hm</p></body></html>",
            "https://www.dreamwidth.org/journal/adult_concepts?ret=x",
        ).kind
        == "adult"
    )


@pytest.mark.parametrize(
    "name",
    [
        "sample_entry.html",
        "sample_recent.html",
        "sample_year.html",
        "hand_profile_personal.html",
        "hand_tags_list.html",
    ],
)
def test_ordinary_pages_are_not_interstitials(name):
    assert parse_interstitial(fixture(name)) is None


def test_adult_form():
    action, fields = parse_adult_form(fixture("hand_adult.html"))
    assert action == "https://www.dreamwidth.org/journal/adult_explicit"
    assert fields == {
        "lj_form_auth": "c0:1751652000:7:86400:q1w2e3-0-uniq:cafebabe",
        "ret": "https://tea-club.dreamwidth.org/20481.html",
        "journalid": "4417777",
        "entryid": "20481",
        "adult_check": "Yes, I am at least 18 years old",
    }
    relative = fixture("hand_adult.html").replace(
        'action="https://www.dreamwidth.org/journal/adult_explicit"',
        'action="/journal/adult_explicit"',
    )
    assert (
        parse_adult_form(relative, "http://127.0.0.1:8123/journal/adult_explicit?ret=x")[0]
        == "http://127.0.0.1:8123/journal/adult_explicit"
    )
    with pytest.raises(ParseError):
        parse_adult_form(fixture("hand_captcha.html"))


# --- page kinds ---------------------------------------------------------------------------------

KIND_OF = {
    "sample_entry.html": "entry",
    "sample_recent.html": "recent",
    "sample_year.html": "year",
    "hand_entry_community.html": "entry",
    "hand_entry_thread.html": "entry",
    "hand_day_community.html": "day",
    "hand_recent_variants.html": "recent",
    "hand_tags_multilevel.html": "tags",
    "hand_tags_list.html": "tags",
    "hand_tags_cloud.html": "tags",
    "hand_profile_personal.html": "profile",
    "hand_profile_community.html": "profile",
}


@pytest.mark.parametrize("name,kind", sorted(KIND_OF.items()))
def test_page_kind(name, kind):
    assert page_kind(fixture(name)) == kind


def test_page_kind_from_structure_without_body_classes():
    html = re.sub(r"<body class=\"[^\"]*\">", "<body>", fixture("sample_year.html"))
    assert page_kind(html) == "year"
    html = re.sub(r"<body class=\"[^\"]*\">", "<body>", fixture("sample_entry.html"))
    assert page_kind(html) == "entry"
    assert page_kind("") == "unknown" and page_kind("<p>hello</p>") == "unknown"
    assert page_kind(b"\xff\xfe") in KINDS  # type: ignore[arg-type]


# --- Atom feed ----------------------------------------------------------------------------------


def test_atom_feed():
    feed = parse_atom_feed(fixture("hand_feed.xml"))
    assert feed == AtomFeed(
        updated="2025-07-04T08:20:11Z",
        title="Morning Notes",
        journal="nairiporter",
        journal_type="personal",
        entries=(
            FeedEntry(
                itemid=12345, url=NB + "/12345.html", title="Apricot windows",
                published="2025-07-04T08:20:11Z", updated="2025-07-04T09:01:00Z", reply_count=4,
                tags=("gardens", "weather"), security="public", poster=None, mood="calm",
                music="Erik Satie - Gymnopédie No. 1",
                content_html="<p>The light came in low over the roofs this morning.</p>",
            ),
            FeedEntry(
                itemid=12087, url=NB + "/12087.html", title="nairiporter @ 2025-06-27T21:40:00",
                published="2025-06-27T21:41:05Z", updated="2025-06-27T21:41:05Z", reply_count=1,
                tags=("weather",), security="public", poster="nairiporter",
            ),
        ),
    )  # fmt: skip
    assert parse_atom(fixture("hand_feed.xml")) == list(feed.entries)


def test_atom_feed_with_undeclared_site_prefix_and_errors():
    text = fixture("hand_feed.xml").replace(' xmlns:dw="https://www.dreamwidth.org"', "")
    assert [e.reply_count for e in parse_atom(text)] == [4, 1]
    for bad in ("", "not xml", "<rss version='2.0'><channel/></rss>", "<feed><entry>"):
        with pytest.raises(ParseError):
            parse_atom(bad)


# --- exported fake-site pages (tests/fixtures/site_*.html), whatever exists ---------------------

PARSERS = {
    "entry": (parse_entry_page, EntryPage),
    "recent": (parse_listing_page, ListingPage),
    "day": (parse_listing_page, ListingPage),
    "year": (parse_year_page, YearPage),
    "tags": (parse_tags_page, TagsPage),
    "profile": (parse_profile_page, ProfileRecord),
}


def test_site_fixtures_parse():
    for path in sorted(Path(FIXTURES).glob("site_*.html")):
        html = path.read_text(encoding="utf-8")
        kind = page_kind(html)
        assert kind in KINDS
        if kind == "interstitial":
            assert isinstance(parse_interstitial(html), Interstitial), path.name
        elif kind in PARSERS:
            fn, record = PARSERS[kind]
            assert isinstance(fn(html, None), record), path.name


# --- fuzz ---------------------------------------------------------------------------------------


@FUZZ
@given(ops_strategy, st.sampled_from(sorted(KIND_OF) + sorted(INTERSTITIALS)))
def test_fuzz_frame_parsers(ops, name):
    html = mutate(fixture(name), ops)
    assert page_kind(html) in KINDS
    for fn, rtype in ((parse_sidebar, SidebarRecord), (parse_journal_info, JournalInfo)):
        try:
            assert isinstance(fn(html), rtype)
        except ParseError as exc:
            deliberate(exc)
    try:
        got = parse_interstitial(html)
        assert got is None or isinstance(got, Interstitial)
    except ParseError as exc:
        deliberate(exc)
    try:
        action, fields = parse_adult_form(html)
        assert isinstance(action, str) and isinstance(fields, dict)
    except ParseError as exc:
        deliberate(exc)


@FUZZ
@given(any_text)
def test_fuzz_frame_text(text):
    assert page_kind(text) in KINDS
    for fn in (parse_sidebar, parse_journal_info, parse_interstitial, parse_adult_form):
        try:
            fn(text)
        except ParseError as exc:
            deliberate(exc)


@FUZZ
@given(ops_strategy)
def test_fuzz_feed(ops):
    try:
        entries = parse_atom(mutate(fixture("hand_feed.xml"), ops))
    except ParseError as exc:
        deliberate(exc)
        return
    assert all(isinstance(e, FeedEntry) for e in entries)


@FUZZ
@given(any_text)
def test_fuzz_feed_text(text):
    try:
        assert isinstance(parse_atom(text), list)
    except ParseError as exc:
        deliberate(exc)


def test_interstitial_with_status_argument():
    url = "https://nairiporter.dreamwidth.org/"
    assert parse_interstitial(fixture("hand_429.html"), 429, url).kind == "error"
    assert parse_interstitial(fixture("hand_suspended.html"), 403, url).kind == "suspended"
    assert parse_interstitial("", 429, url) == Interstitial("error", "HTTP 429")
    assert parse_interstitial("<html><body></body></html>", 410, url) == Interstitial(
        "purged", "HTTP 410"
    )
    assert parse_interstitial("<p>Forbidden</p>", 403) == Interstitial("locked", "Forbidden")
    assert parse_interstitial("<p>fine</p>", 200, url) is None
    assert parse_interstitial(fixture("sample_entry.html"), 200, url) is None
