"""Recent, tag and day pages: entries, navigation, day, sidebar."""

from __future__ import annotations

import pytest
from hypothesis import given

from scraper.errors import ParseError
from scraper.parse import parse_listing_page
from scraper.records import (
    CalendarDay,
    EntryRecord,
    JournalInfo,
    ListingPage,
    Navigation,
    SidebarRecord,
    TagCount,
)
from tests.parse_support import FUZZ, any_text, deliberate, fixture, mutate, ops_strategy
from tests.test_parse_entry import SAMPLE_ENTRY, SAMPLE_SIDEBAR

RECENT_URL = "https://nairiporter.dreamwidth.org/"
NB = "https://nairiporter.dreamwidth.org"


def test_sample_recent_page():
    page = parse_listing_page(fixture("sample_recent.html"), RECENT_URL)
    assert isinstance(page, ListingPage)
    assert (page.kind, page.day, page.tag) == ("recent", None, None)
    assert page.journal == JournalInfo(
        "nairiporter", "personal", "Morning Notes", "small observations", NB + "/"
    )
    assert page.navigation == Navigation(
        back_url=NB + "/?skip=20", forward_url=None, years=(), skip_back=20
    )
    # the sample's sidebar has no profile-module differences from the entry page, minus nothing
    assert page.sidebar == SAMPLE_SIDEBAR
    first, second, third = page.entries
    # personal journal, list page: the poster span is empty -> poster is the journal
    assert first == SAMPLE_ENTRY
    assert second == EntryRecord(
        itemid=12087, url=NB + "/12087.html", subject="", subject_html="",
        body_html="<p>Rain all afternoon. The gutters sang.</p><p>I finished the library book and started a new notebook.</p>",
        body_text="Rain all afternoon. The gutters sang.\nI finished the library book and started a new notebook.",
        poster="nairiporter", journal="nairiporter", posted_at="2025-06-27T21:40", date_text="Jun. 27th, 2025 09:40 pm",
        userpic_keyword="sunrays", userpic_url="https://v.dreamwidth.org/1184203/4417001", tags=("weather",),
        mood=None, music=None, location=None, security="public", comment_count=1, has_cut=False,
    )  # fmt: skip
    assert third == EntryRecord(
        itemid=11830, url=NB + "/11830.html", subject="Marigolds", subject_html="Marigolds",
        body_html=(
            "<p>Planted a row of marigolds along the fence, <b>finally</b>.</p><span class=\"cuttag_container\">"
            "<span style=\"display: none;\" id=\"span-cuttag___1\" class=\"cuttag\"></span><b>(&nbsp;<a href=\""
            + NB + "/11830.html#cutid1\">What else went in</a>&nbsp;)</b><div style=\"display: none;\" "
            "id=\"div-cuttag___1\" aria-live=\"assertive\"></div></span>"
        ),
        body_text="Planted a row of marigolds along the fence, finally.\n( What else went in )",
        poster="nairiporter", journal="nairiporter", posted_at="2025-06-19T19:05", date_text="Jun. 19th, 2025 07:05 pm",
        userpic_keyword="sunrays", userpic_url="https://v.dreamwidth.org/1184203/4417001", tags=("gardens",),
        mood=None, music=None, location="back garden", security="public", comment_count=2, has_cut=True,
    )  # fmt: skip


def test_tag_page_url():
    page = parse_listing_page(fixture("sample_recent.html"), NB + "/tag/tasting+notes?skip=20")
    assert (page.kind, page.tag, page.day) == ("tag", "tasting notes", None)
    assert len(page.entries) == 3


TC = "https://tea-club.dreamwidth.org"


def test_community_day_page():
    page = parse_listing_page(fixture("hand_day_community.html"), TC + "/2025/06/11/")
    assert (page.kind, page.day, page.tag) == ("day", "2025-06-11", None)
    assert page.journal == JournalInfo(
        "tea_club", "community", "Tea Club", "steeped in conversation", TC + "/"
    )
    # day pages link the neighbouring days without a trailing slash (DayPage.pm)
    assert page.navigation == Navigation(
        back_url=TC + "/2025/06/04", forward_url=TC + "/2025/06/14", skip_back=None
    )
    oolong, note, members = page.entries
    assert oolong == EntryRecord(
        itemid=20481, url=TC + "/20481.html", subject="Oolong & friends", subject_html="<b>Oolong</b> &amp; <i>friends</i>",
        body_html=(
            '<p>We tried four oolongs tonight.</p><span class="cut-wrapper"><span style="display: none;" '
            'id="span-cuttag_tea_club_20481_1" class="cuttag"></span><b class="cut-open">(&nbsp;</b><b class="cut-text">'
            '<a href="' + TC + '/20481.html#cutid1">Tasting notes</a></b><b class="cut-close">&nbsp;)</b></span>'
            '<div style="display: none;" id="div-cuttag_tea_club_20481_1" aria-live="assertive"></div>'
        ),
        body_text="We tried four oolongs tonight.\n( Tasting notes )",
        poster="willowmere", journal="tea_club", posted_at="2025-06-11T21:05", date_text="Jun. 11th, 2025 09:05 pm",
        userpic_keyword="teacup", userpic_url="https://v.dreamwidth.org/7001/5551201", tags=("oolong", "tasting notes"),
        mood=None, music=None, location=None, security="public", comment_count=41, has_cut=True, restrictions="nsfw",
    )  # fmt: skip
    assert note == EntryRecord(
        itemid=20737, url=TC + "/20737.html", subject="", subject_html="",
        body_html='Short note: the shop on Fifth has <a href="https://tea-club.dreamwidth.org/19001.html#cutid1">the old post</a> pinned.',
        body_text="Short note: the shop on Fifth has the old post pinned.",
        poster="tamsin_k", journal="tea_club", posted_at="2025-06-11T22:30", date_text="Jun. 11th, 2025 10:30 pm",
        userpic_keyword=None, userpic_url=None, tags=(), mood=None, music=None, location=None, security="public",
        comment_count=None,  # comments disabled: no read link, no reply link
        has_cut=False,  # a link to another entry's cut is not this entry's cut
    )  # fmt: skip
    assert members == EntryRecord(
        itemid=20993, url=TC + "/20993.html", subject="Members only", subject_html="Members only",
        body_html="<p>Meeting next week.</p>", body_text="Meeting next week.",
        poster="nairiporter", journal="tea_club", posted_at="2025-06-11T23:59", date_text="Jun. 11th, 2025 11:59 pm",
        userpic_keyword="Default", userpic_url="https://v.dreamwidth.org/1184203/4417001", tags=(), mood="busy",
        music=None, location=None, security="access", comment_count=2, has_cut=False, screened_count=1,
    )  # fmt: skip
    assert page.sidebar == SidebarRecord(
        profile_display_name="Tea Club", profile_userpic_url="https://v.dreamwidth.org/5000/600",
        profile_userpic_keyword="logo", calendar_month="2025-06",
        calendar_days=(CalendarDay("2025-06-04", 1), CalendarDay("2025-06-11", 3), CalendarDay("2025-06-14", 2)),
        tags=(TagCount("oolong", 9, "public"), TagCount("tasting notes", 1, "public")),
        page_generated="Page generated Jul. 4th, 2025 06:00 pm", page_generated_at="2025-07-04T18:00",
        powered_by="Dreamwidth Studios",
    )  # fmt: skip


def test_day_from_heading_and_entries_when_url_is_not_a_day():
    page = parse_listing_page(
        fixture("hand_day_community.html"), "https://tea-club.dreamwidth.org/day?x=1"
    )
    assert (
        page.kind == "day" and page.day == "2025-06-11"
    )  # body class page-day; entries' date links


KN = "https://kestrel-notes.dreamwidth.org"


def test_recent_variants_sticky_html_subject_nested_user_html_dayfirst():
    page = parse_listing_page(fixture("hand_recent_variants.html"), KN + "/?skip=20")
    assert page.kind == "recent"
    assert page.journal == JournalInfo("kestrel_notes", "personal", "Kestrel Notes", None, KN + "/")
    assert page.navigation == Navigation(
        back_url=KN + "/?skip=40", forward_url=KN + "/", skip_back=40
    )
    assert [e.itemid for e in page.entries] == [
        9001,
        9257,
        9513,
        9769,
    ]  # not the quoted entry-wrapper-77
    sticky, html_subject, cut, chorus = page.entries
    pic = "https://v.dreamwidth.org/4242/4243"
    assert sticky == EntryRecord(
        itemid=9001, url=KN + "/9001.html", subject="Read me first", subject_html="Read me first",
        body_html="<p>Welcome. Comments are screened.</p>", body_text="Welcome. Comments are screened.",
        poster="kestrel_notes", journal="kestrel_notes", posted_at="2025-01-01T00:05", date_text="1/1/25 00:05",
        userpic_keyword="hover", userpic_url=pic, tags=(), mood=None, music=None, location=None, security="public",
        comment_count=3, has_cut=False, sticky=True,
    )  # fmt: skip
    assert html_subject.subject == "Bold and italic"
    assert html_subject.subject_html == "<b>Bold</b> and <i>italic</i>"
    assert (
        html_subject.posted_at == "2025-06-30T07:45" and html_subject.date_text == "30/6/25 07:45"
    )
    assert html_subject.tags == ("birds", "field notes")  # not the 'fake' tag inside the body
    assert (html_subject.mood, html_subject.music, html_subject.location) == (
        "cheerful",
        "Holst & Vaughan Williams",
        None,
    )
    assert html_subject.comment_count == 12 and not html_subject.has_cut and not html_subject.sticky
    assert html_subject.body_text == (
        "First paragraph.\nNot this\nquoted entry text\nTags:\nfake\ncell one cell two\nLine one\nLine two\nA quote"
    )
    assert html_subject.body_html.startswith(
        '<p>First paragraph.</p><div class="entry-wrapper journal-other_user"'
    )
    assert html_subject.body_html.endswith(
        "Line one<br>Line two<br><blockquote>A quote</blockquote>"
    )
    assert cut == EntryRecord(
        itemid=9513, url=KN + "/9513.html", subject="Kestrels", subject_html="Kestrels",
        body_html=(
            '<p>Two kestrels on the pylon.</p><span class="cut-wrapper"><span style="display: none;" '
            'id="span-cuttag_kestrel_notes_9513_1" class="cuttag"></span><b class="cut-open">(&nbsp;</b><b class="cut-text">'
            '<a href="' + KN + '/9513.html#cutid1">Read more...</a></b><b class="cut-close">&nbsp;)</b></span>'
            '<div style="display: none;" id="div-cuttag_kestrel_notes_9513_1" aria-live="assertive"></div>'
        ),
        body_text="Two kestrels on the pylon.\n( Read more... )",
        poster="kestrel_notes", journal="kestrel_notes", posted_at="2025-06-13T18:20", date_text="13/6/25 18:20",
        userpic_keyword="hover", userpic_url=pic, tags=("birds",), mood=None, music=None, location="the marsh",
        security="public", comment_count=0, has_cut=True,
    )  # fmt: skip
    assert (chorus.posted_at, chorus.date_text, chorus.userpic_keyword, chorus.comment_count) == (
        "2025-06-12T05:10",
        "12/6/25 05:10",
        "Default",
        1,
    )
    assert page.sidebar == SidebarRecord(
        profile_display_name="K. Notes", profile_userpic_url=pic, profile_userpic_keyword="hover",
        calendar_month="2025-06",
        calendar_days=(CalendarDay("2025-06-12", 1), CalendarDay("2025-06-13", 1), CalendarDay("2025-06-30", 1)),
        # 'Page generated 4/7/25 18:00': day-first, learnt from the linkified entry dates
        page_generated="Page generated 4/7/25 18:00", page_generated_at="2025-07-04T18:00",
        style_credit=(
            ("Base style: Tabula Rasa by timeasmymeasure", "https://www.dreamwidth.org/customize/?layoutid=1"),
            ("Theme: Heron by H. Painter", "https://example.org/heron"),
            ("Resources: Icons by Someone", None),
        ),
        cut_tags_text="No cut tags", powered_by="Dreamwidth Studios",
    )  # fmt: skip


def test_empty_recent_page_and_non_listing():
    html = fixture("sample_recent.html")
    start = html.index('<div class="entry-wrapper')
    end = html.index('<div class="navigation bottomnav">')
    page = parse_listing_page(html[:start] + html[end:], RECENT_URL)
    assert page.entries == () and page.navigation.skip_back == 20
    with pytest.raises(ParseError):
        parse_listing_page("<html><body><p>hello</p></body></html>", RECENT_URL)


@FUZZ
@given(ops_strategy)
def test_fuzz_listing_mutations(ops):
    for name, url in (
        ("sample_recent.html", RECENT_URL),
        ("hand_day_community.html", TC + "/2025/06/11/"),
        ("hand_recent_variants.html", KN + "/?skip=20"),
    ):
        try:
            page = parse_listing_page(mutate(fixture(name), ops), url)
        except ParseError as exc:
            deliberate(exc)
            continue
        assert isinstance(page, ListingPage)
        assert all(isinstance(e, EntryRecord) for e in page.entries)
        assert len({e.itemid for e in page.entries}) == len(page.entries)


@FUZZ
@given(any_text)
def test_fuzz_listing_text(text):
    try:
        assert isinstance(parse_listing_page(text, RECENT_URL), ListingPage)
    except ParseError as exc:
        deliberate(exc)
