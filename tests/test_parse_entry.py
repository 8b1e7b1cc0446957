"""Entry pages and single entries: every EntryRecord field pinned on the fixtures."""

from __future__ import annotations

import pytest
from hypothesis import given

from scraper.errors import ParseError
from scraper.parse import parse_entry, parse_entry_page, parse_html
from scraper.parse.journal import entry_wrappers
from scraper.records import (
    CalendarDay,
    EntryPage,
    EntryRecord,
    JournalInfo,
    SidebarRecord,
    TagCount,
)
from tests.parse_support import FUZZ, any_text, deliberate, fixture, mutate, ops_strategy

SAMPLE_URL = "https://nairiporter.dreamwidth.org/12345.html"
COMMUNITY_URL = "https://tea-club.dreamwidth.org/20481.html?page=2"
THREAD_URL = "https://nairiporter.dreamwidth.org/12599.html?thread=61441#cmt61441"

SAMPLE_BODY_HTML = (
    "<p>The light came in low over the roofs this morning, and for a few minutes every window on "
    "the street turned the colour of apricots.</p><p>I took the long way to the bakery. The "
    "chestnut trees by the school have finished flowering, and the pavement is still dusted with "
    "their pale petals.</p><p>Back home, I repotted the basil and wrote down three things to "
    "remember about the week. None of them were important; all of them were pleasant.</p>"
)
SAMPLE_BODY_TEXT = (
    "The light came in low over the roofs this morning, and for a few minutes every window on "
    "the street turned the colour of apricots.\nI took the long way to the bakery. The chestnut "
    "trees by the school have finished flowering, and the pavement is still dusted with their "
    "pale petals.\nBack home, I repotted the basil and wrote down three things to remember about "
    "the week. None of them were important; all of them were pleasant."
)

SAMPLE_ENTRY = EntryRecord(
    itemid=12345,
    url="https://nairiporter.dreamwidth.org/12345.html",
    subject="Apricot windows",
    subject_html="Apricot windows",
    body_html=SAMPLE_BODY_HTML,
    body_text=SAMPLE_BODY_TEXT,
    poster="nairiporter",
    journal="nairiporter",
    posted_at="2025-07-04T08:15",
    date_text="Jul. 4th, 2025 08:15 am",
    userpic_keyword="sunrays",
    userpic_url="https://v.dreamwidth.org/1184203/4417001",
    tags=("gardens", "weather"),
    mood="calm",
    music="Erik Satie - Gymnopédie No. 1",
    location=None,
    security="public",
    comment_count=4,
    has_cut=False,
    restrictions=None,
    sticky=False,
    screened_count=None,
)

SAMPLE_SIDEBAR = SidebarRecord(
    profile_display_name="Nairi Porter",
    profile_userpic_url="https://v.dreamwidth.org/1184203/4417001",
    profile_userpic_keyword="sunrays",
    profile_website_name="My Website",
    profile_website_url="https://example.org/nairi",
    calendar_month="2025-06",
    calendar_days=(
        CalendarDay("2025-06-04", 1),
        CalendarDay("2025-06-11", 2),
        CalendarDay("2025-06-19", 1),
        CalendarDay("2025-06-27", 1),
    ),
    tags=(TagCount("gardens", 7, "public"), TagCount("weather", 12, "public")),
    tags_module_limited=False,
    page_generated="Page generated Jul. 4th, 2025 06:00 pm",
    page_generated_at="2025-07-04T18:00",
    style_credit=(),
    cut_tags_text=None,
    powered_by="Dreamwidth Studios",
)


def test_sample_entry_page():
    page = parse_entry_page(fixture("sample_entry.html"), SAMPLE_URL)
    assert isinstance(page, EntryPage)
    assert page.journal == JournalInfo(
        name="nairiporter", type="personal", title="Morning Notes", subtitle="small observations",
        url="https://nairiporter.dreamwidth.org/",
    )  # fmt: skip
    assert page.entry == SAMPLE_ENTRY
    assert (page.comment_page, page.comment_pages, page.thread_root) == (1, 1, None)
    assert page.sidebar == SAMPLE_SIDEBAR
    assert [c.commentid for c in page.comments] == [51201, 51457, 51713, 51969, 52225]


def test_parse_entry_on_a_node_and_on_its_inner_div():
    tree = parse_html(fixture("sample_entry.html"))
    wrapper = tree.css_first("#entry-wrapper-12345")
    assert parse_entry(wrapper, SAMPLE_URL) == SAMPLE_ENTRY
    assert parse_entry(tree.css_first("#entry-12345"), SAMPLE_URL) == SAMPLE_ENTRY


def test_community_entry_page_poster_posting_in_journal():
    page = parse_entry_page(fixture("hand_entry_community.html"), COMMUNITY_URL)
    assert page.journal == JournalInfo(
        name="tea_club", type="community", title="Tea Club", subtitle="steeped in conversation",
        url="https://tea-club.dreamwidth.org/",
    )  # fmt: skip
    assert page.entry == EntryRecord(
        itemid=20481,
        url="https://tea-club.dreamwidth.org/20481.html",
        subject="Oolong & friends",
        subject_html="<b>Oolong</b> &amp; <i>friends</i>",
        body_html='<p>We tried four oolongs tonight.</p><p>Notes below, <a href="https://example.org/teas">list of teas</a> here.</p>',
        body_text="We tried four oolongs tonight.\nNotes below, list of teas here.",
        poster="willowmere",
        journal="tea_club",
        posted_at="2025-06-11T21:05",
        date_text="Jun. 11th, 2025 21:05",
        userpic_keyword="teacup",
        userpic_url="https://v.dreamwidth.org/7001/5551201",
        tags=("oolong", "tasting notes"),
        mood=None,
        music="Rain & kettles",
        location="Kyoto, Japan",
        security="public",
        comment_count=41,
        has_cut=False,
        restrictions="nsfw",
        sticky=False,
        screened_count=None,
    )
    assert (page.comment_page, page.comment_pages, page.thread_root) == (2, 3, None)
    assert page.sidebar == SidebarRecord(
        profile_display_name="Tea Club",
        profile_userpic_url="https://v.dreamwidth.org/5000/600",
        profile_userpic_keyword="logo",
        calendar_month="2025-06",
        calendar_days=(
            CalendarDay("2025-06-04", 1),
            CalendarDay("2025-06-11", 3),
            CalendarDay("2025-06-14", 2),
        ),
        tags=(
            TagCount("oolong", 9, "public"),
            TagCount("oolong:roasted", 2, "public"),
            TagCount("tasting notes", 14, "public"),
        ),
        tags_module_limited=True,
        page_generated="Page generated Jun. 14th, 2025 22:10",
        page_generated_at="2025-06-14T22:10",
        style_credit=(
            ("Style: Ciel for Practicality by A Designer", "https://www.dreamwidth.org/customize/"),
        ),
        cut_tags_text="No cut tags",
        powered_by="Dreamwidth Studios",
    )


THREAD_BODY_HTML = (
    '<p>Some links.</p><a name="cutid1"></a><p>Behind the cut: more links.</p>'
    '<div class="entry-wrapper security-private" id="entry-wrapper-1"><div class="entry-content">inner fake content</div>'
    '<div class="tag"><a rel="tag" href="/tag/fake">fake</a></div><span class="datetime">Jan. 1st, 1999</span>'
    '<span class="metadata-item metadata-item-mood">fake mood</span><div class="userpic"><img src="https://example.org/x.png" alt="x: (fake)"></div></div>'
    "<ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote>"
)


def test_thread_view_entry_with_link_subject_and_user_html_reusing_classes():
    page = parse_entry_page(fixture("hand_entry_thread.html"), THREAD_URL)
    assert page.journal.name == "nairiporter" and page.journal.type == "personal"
    assert page.entry == EntryRecord(
        itemid=12599,
        url="https://nairiporter.dreamwidth.org/12599.html",
        subject="Links I liked",
        subject_html='<a href="https://example.org/">Links</a> I liked',
        body_html=THREAD_BODY_HTML,
        body_text="Some links.\nBehind the cut: more links.\ninner fake content\nfake\nJan. 1st, 1999fake mood\none\ntwo\nquoted",
        poster="nairiporter",
        journal="nairiporter",
        posted_at="2025-07-02T19:30",
        date_text="Wednesday, July 2nd, 2025 07:30 pm",
        userpic_keyword="sunrays",
        userpic_url="https://v.dreamwidth.org/1184203/4417001",
        tags=(),
        mood="curious",
        music=None,
        location=None,
        security="access",
        comment_count=2,
        has_cut=False,  # the entry page shows the full text: <a name="cutid1"> anchors only
        restrictions="18",
        sticky=False,
        screened_count=1,
    )
    assert (page.comment_page, page.comment_pages, page.thread_root) == (1, 1, 61441)
    assert page.sidebar == SidebarRecord(
        profile_display_name="Nairi Porter",
        profile_userpic_url="https://v.dreamwidth.org/1184203/4417001",
        profile_userpic_keyword="sunrays",
        profile_website_name="My Website",
        profile_website_url="https://example.org/nairi",
        tags=(
            TagCount("weather", 12, "public"),
            TagCount("gardens", 7, "public"),
            TagCount("links", 1, "public"),
        ),
        page_generated="Page generated Friday, July 4th, 2025 07:00 pm",
        page_generated_at="2025-07-04T19:00",
        powered_by="Dreamwidth Studios",
    )


def test_entry_page_accepts_relative_and_loopback_urls():
    html = fixture("sample_entry.html").replace(
        "https://nairiporter.dreamwidth.org", "http://127.0.0.1:8123"
    )
    page = parse_entry_page(html, "http://127.0.0.1:8123/12345.html")
    assert page.entry.itemid == 12345 and page.entry.url == "http://127.0.0.1:8123/12345.html"
    assert page.entry.posted_at == "2025-07-04T08:15"
    assert page.journal.name == "nairiporter"  # from the journal-NAME class, not the host
    html = fixture("sample_entry.html").replace("https://nairiporter.dreamwidth.org", "")
    page = parse_entry_page(html, "/12345.html")
    assert page.entry.url == "/12345.html" and page.entry.tags == ("gardens", "weather")
    assert page.sidebar.calendar_days[1] == CalendarDay("2025-06-11", 2)


def test_comments_disabled_and_no_readlink():
    html = fixture("sample_entry.html")
    start = html.index('<ul class="entry-interaction-links')
    end = html.index("</ul>", start) + len("</ul>")
    page = parse_entry_page(html[:start] + html[end:], SAMPLE_URL)
    assert page.entry.comment_count is None


def test_not_an_entry_page():
    with pytest.raises(ParseError):
        parse_entry_page(fixture("sample_year.html"), "https://nairiporter.dreamwidth.org/2025/")
    with pytest.raises(ParseError):
        parse_entry_page("", SAMPLE_URL)


@FUZZ
@given(ops_strategy)
def test_fuzz_entry_page_mutations(ops):
    for name, url in (
        ("sample_entry.html", SAMPLE_URL),
        ("hand_entry_community.html", COMMUNITY_URL),
    ):
        html = mutate(fixture(name), ops)
        try:
            page = parse_entry_page(html, url)
        except ParseError as exc:
            deliberate(exc)
            continue
        assert isinstance(page, EntryPage)
        assert isinstance(page.entry, EntryRecord)


@FUZZ
@given(any_text)
def test_fuzz_entry_page_text(text):
    try:
        assert isinstance(parse_entry_page(text, SAMPLE_URL), EntryPage)
    except ParseError as exc:
        deliberate(exc)


@FUZZ
@given(ops_strategy)
def test_fuzz_parse_entry_nodes(ops):
    tree = parse_html(mutate(fixture("hand_recent_variants.html"), ops))
    for node in entry_wrappers(tree.body):
        try:
            assert isinstance(
                parse_entry(node, "https://kestrel-notes.dreamwidth.org/"), EntryRecord
            )
        except ParseError as exc:
            deliberate(exc)
