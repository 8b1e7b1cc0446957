"""The renderings that rewrite core2's markup, read to the same records as core2.

tests/fixtures/s2_<rendering>_<view>.html are written by hand from Dreamwidth's S2 source (repo
HEAD 075e52c6), each with the S2 file:line it follows in its opening comment: siteviews (what
?format=light / ?style=site and site-styled entry pages serve), drifting, negatives and zesty.
All of them show the same journal: the entries and comments below are what every rendering must
give, field for field, whatever its markup (date_text is the date as that page shows it, so it
is the one field that differs).
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from scraper.errors import ParseError
from scraper.parse import (
    EntryNotShown,
    Rendering,
    page_kind,
    parse_comments,
    parse_entry_page,
    parse_html,
    parse_interstitial,
    parse_listing_page,
    parse_tags_page,
    parse_year_page,
)
from scraper.records import CalendarDay, CommentRecord, EntryRecord, TagCount
from tests.parse_support import fixture

NB = "https://nairiporter.dreamwidth.org"
BODY_A = (
    "The light came in low over the roofs this morning, and for a few minutes every window on "
    "the street turned the colour of apricots.\nI took the long way to the bakery. Willow wrote "
    "about hers last week."
)


def _entry(itemid: int, **fields: object) -> EntryRecord:
    base: dict[str, object] = {
        "itemid": itemid,
        "url": f"{NB}/{itemid}.html",
        "subject": "",
        "subject_html": "",
        "body_html": "",
        "body_text": "",
        "poster": "nairiporter",
        "journal": "nairiporter",
        "posted_at": None,
        "date_text": "",
        "userpic_keyword": None,
        "userpic_url": None,
        "tags": (),
        "mood": None,
        "music": None,
        "location": None,
        "security": "public",
        "comment_count": None,
        "has_cut": False,
    }
    base.update(fields)
    return EntryRecord(**base)  # type: ignore[arg-type]


ENTRY_A = _entry(
    12345,
    subject="Apricot windows",
    subject_html="Apricot windows",
    body_text=BODY_A,
    posted_at="2025-07-04T08:15",
    userpic_keyword="sunrays",
    userpic_url="https://v.dreamwidth.org/1184203/4417001",
    tags=("gardens", "weather"),
    mood="calm",
    music="Erik Satie - Gymnopédie No. 1",
    comment_count=5,
)
ENTRY_B = _entry(
    12112,
    body_text="Short one: the heat is back.\nWindows open all night.",
    posted_at="2025-07-02T21:40",
    security="access",
    comment_count=0,
)
ENTRY_C = _entry(
    11890,
    subject="Notes on rain",
    subject_html="Notes on <i>rain</i>",
    body_text="Rain at last, the kind that stays.\n( More about the gutters )",
    posted_at="2025-06-30T07:05",
    userpic_keyword="rain",
    userpic_url="https://v.dreamwidth.org/1184207/4417001",
    tags=("weather",),
    location="Lisbon",
    comment_count=1,
    has_cut=True,
)
DAY_ENTRIES = (
    _entry(
        11722,
        subject="Market day",
        subject_html="Market day",
        body_text="Cherries, finally. More tonight.",
        posted_at="2025-06-14T10:00",
        tags=("market",),
        comment_count=2,
    ),
    _entry(
        11735,
        subject="Evening",
        subject_html="Evening",
        body_text="Cherry jam, six jars.",
        posted_at="2025-06-14T19:30",
        userpic_keyword="sunrays",
        userpic_url="https://v.dreamwidth.org/1184203/4417001",
        comment_count=0,
    ),
)


def _comment(commentid: int, parent: int | None, depth: int, **fields: object) -> CommentRecord:
    base: dict[str, object] = {
        "commentid": commentid,
        "parent_commentid": parent,
        "depth": depth,
        "author": None,
        "author_kind": None,
        "subject": "",
        "subject_html": "",
        "body_html": None,
        "body_text": None,
        "posted_at": None,
        "date_text": None,
        "state": "visible",
        "full": True,
        "collapsed": False,
    }
    base.update(fields)
    return CommentRecord(**base)  # type: ignore[arg-type]


COMMENTS = (
    _comment(
        51201,
        None,
        1,
        author="willowmere",
        author_kind="user",
        subject="Lovely",
        subject_html="Lovely",
        body_html="Apricot windows is exactly the right description. Ours do that in <i>October</i>.",
        body_text="Apricot windows is exactly the right description. Ours do that in October.",
        posted_at="2025-07-04T16:02",
        userpic_keyword="Default",
    ),
    _comment(
        51457,
        51201,
        2,
        author="nairiporter",
        author_kind="user",
        body_html="Thank you! It lasted ten minutes.<br>Then the clouds came.",
        body_text="Thank you! It lasted ten minutes.\nThen the clouds came.",
        posted_at="2025-07-04T17:30",
        userpic_keyword="Default",
        edited_text="Edited",
    ),
    _comment(
        52481,
        51201,
        2,
        author="oolong_owl",
        author_kind="user",
        subject="Same here",
        subject_html="Same here",
        posted_at="2025-07-05T08:00",
        full=False,
        collapsed=True,
    ),
    _comment(
        51713,
        None,
        1,
        author_kind="anonymous",
        subject="Question",
        subject_html="Question",
        body_html=f'Which bakery? <a href="{NB}/11890.html">The one from the rain post?</a>',
        body_text="Which bakery? The one from the rain post?",
        posted_at="2025-07-05T09:11",
    ),
    _comment(51969, 51713, 2, state="deleted", full=False),
    _comment(
        52225,
        51969,
        3,
        author="leafreader",
        author_kind="user",
        body_html="The one by the school, surely.",
        body_text="The one by the school, surely.",
        posted_at="2025-07-06T10:20",
    ),
)
YEAR_DAYS = (
    CalendarDay("2025-06-14", 2),
    CalendarDay("2025-06-30", 1),
    CalendarDay("2025-07-02", 1),
    CalendarDay("2025-07-04", 1),
)


def _same_entry(got: EntryRecord, want: EntryRecord) -> None:
    """Every field but the rendering's own date text and the body HTML's serialisation."""
    assert got.date_text and want.posted_at and got.date_text != want.posted_at
    normal = dataclasses.replace(got, date_text="", body_html="")
    assert normal == want, got


def _same_comments(got: tuple[CommentRecord, ...] | list[CommentRecord], rendering: str) -> None:
    want = list(COMMENTS)
    if rendering == "zesty":
        # zesty prints no date on a collapsed comment (print_comment_partial, zesty/layout.s2:2338)
        want[2] = dataclasses.replace(want[2], posted_at=None)
    normal = []
    for c in got:
        assert (c.date_text is None) == (c.posted_at is None), c
        edited = "Edited" if c.edited_text and c.edited_text.startswith("Edited ") else None
        assert edited is None or "2025-07-04" in (c.edited_text or "")
        normal.append(dataclasses.replace(c, date_text=None, edited_text=edited))
    assert normal == want


RECENT = {
    "siteviews": "s2_siteviews_recent.html",
    "zesty": "s2_zesty_recent.html",
}
ENTRY_PAGES = {
    "siteviews": "s2_siteviews_entry.html",
    "drifting": "s2_drifting_entry.html",
    "negatives": "s2_negatives_entry.html",
    "zesty": "s2_zesty_entry.html",
}
YEAR_PAGES = {
    "siteviews": "s2_siteviews_year.html",
    "drifting": "s2_drifting_year.html",
    "negatives": "s2_negatives_year.html",
    "zesty": "s2_zesty_year.html",
}
DAY_PAGES = {
    "siteviews": "s2_siteviews_day.html",
    "negatives": "s2_negatives_day.html",
    "zesty": "s2_zesty_day.html",
}
RENDERING = {
    "siteviews": Rendering.SITEVIEWS,
    "drifting": Rendering.CORE2,
    "negatives": Rendering.CORE2,
    "zesty": Rendering.ZESTY,
}


@pytest.mark.parametrize("layout", sorted(RECENT))
def test_recent_page(layout):
    url = NB + ("/?format=light" if layout == "siteviews" else "/")
    page = parse_html(fixture(RECENT[layout]))
    assert page.rendering == RENDERING[layout] and page_kind(page) == "recent"
    listing = parse_listing_page(page, url)
    assert listing.kind == "recent" and listing.rendering == RENDERING[layout]
    assert listing.journal.name == "nairiporter"
    for got, want in zip(listing.entries, (ENTRY_A, ENTRY_B, ENTRY_C), strict=True):
        _same_entry(got, want)
    assert listing.navigation.back_url == NB + "/?skip=" + ("20" if layout == "siteviews" else "10")
    assert listing.navigation.skip_back and listing.navigation.forward_url is None


def test_recent_page_as_a_tag_listing():
    listing = parse_listing_page(fixture("s2_siteviews_recent.html"), NB + "/tag/weather")
    assert listing.kind == "tag" and listing.tag == "weather" and len(listing.entries) == 3


@pytest.mark.parametrize("layout", sorted(ENTRY_PAGES))
def test_entry_page(layout):
    url = f"{NB}/12345.html" + ("?format=light" if layout == "siteviews" else "")
    page = parse_html(fixture(ENTRY_PAGES[layout]))
    assert page.rendering == RENDERING[layout] and page_kind(page) == "entry"
    got = parse_entry_page(page, url)
    _same_entry(got.entry, ENTRY_A)
    _same_comments(got.comments, layout)
    pages = 2 if layout in ("siteviews", "zesty") else 1  # the fixtures with a comment pager
    assert (got.comment_page, got.comment_pages, got.thread_root) == (1, pages, None)
    assert parse_comments(page, url, got.entry.posted_at) == list(got.comments)


@pytest.mark.parametrize("layout", sorted(DAY_PAGES))
def test_day_page(layout):
    page = parse_html(fixture(DAY_PAGES[layout]))
    assert page_kind(page) == "day"
    for url in (NB + "/2025/06/14/", None):
        listing = parse_listing_page(page, url)
        assert (listing.kind, listing.day) == ("day", "2025-06-14")
        for got, want in zip(listing.entries, DAY_ENTRIES, strict=True):
            _same_entry(got, want)
    nav = parse_listing_page(page, NB + "/2025/06/14/").navigation
    if layout != "zesty":  # zesty's DayPage::print_body (:2055) prints no day navigation
        assert nav.back_url == NB + "/2025/06/13/" and nav.forward_url == NB + "/2025/06/15/"


@pytest.mark.parametrize("layout", sorted(YEAR_PAGES))
def test_year_page(layout):
    page = parse_html(fixture(YEAR_PAGES[layout]))
    assert page.rendering == RENDERING[layout] and page_kind(page) == "year"
    year = parse_year_page(page, NB + "/2025/")
    assert (year.year, year.days, year.years) == (2025, YEAR_DAYS, (2023, 2024, 2025))
    # the sidebar calendar (day numbers as link text) is never read as the year's counts
    assert parse_year_page(page, None).days == YEAR_DAYS


def test_zesty_tags_page():
    page = parse_html(fixture("s2_zesty_tags.html"))
    assert page_kind(page) == "tags"
    assert parse_tags_page(page, NB + "/tag/").tags == (
        TagCount("gardens", 1, "public"),
        TagCount("weather", 3, "public"),
        TagCount("tea garden", 2, "protected"),
    )


def test_zesty_sidebar_calendar_and_journal():
    listing = parse_listing_page(fixture("s2_zesty_recent.html"), NB + "/")
    assert listing.journal.name == "nairiporter" and listing.journal.title == "Morning Notes"
    assert listing.sidebar.calendar_month == "2025-07"
    assert listing.sidebar.calendar_days == (CalendarDay("2025-07-02", 1), YEAR_DAYS[-1])
    assert listing.sidebar.powered_by == "Dreamwidth Studios"


def test_zesty_thread_view_shows_no_entry_but_its_comments():
    # zesty/layout.s2:2512: EntryPage::print_body prints only the comments of a ?thread= view
    text = fixture("s2_zesty_entry_thread.html")
    url = f"{NB}/12345.html?thread=51713"
    assert page_kind(text) == "entry"
    with pytest.raises(EntryNotShown):
        parse_entry_page(text, url)
    got = parse_comments(text, url)
    assert [(c.commentid, c.parent_commentid, c.depth) for c in got] == [
        (51713, None, 1),
        (51969, 51713, 2),
        (52225, 51969, 3),
    ]
    assert got[0].body_text == COMMENTS[3].body_text and got[2].posted_at == "2025-07-06T10:20"


def test_drifting_comment_body_is_the_text_only():
    """drifting/layout.s2:1241 wraps date, text and links in an extra div.comment-content."""
    got = parse_entry_page(fixture("s2_drifting_entry.html"), f"{NB}/12345.html")
    for c in got.comments:
        if c.full:
            assert c.posted_at and "Link" not in (c.body_text or "")
            assert "Date" not in (c.body_text or "") and "Reply" not in (c.body_text or "")


def test_siteviews_subjects_and_bodies_inside_usercontent():
    """siteviews/layout.s2:225,389 print subject and text inside div.contents.usercontent."""
    listing = parse_listing_page(fixture("s2_siteviews_recent.html"), NB + "/?format=light")
    assert [e.subject for e in listing.entries] == ["Apricot windows", "", "Notes on rain"]
    assert all(e.body_text for e in listing.entries)


def test_zesty_dates_in_a_month_first_format():
    """posted_date_format is the journal's own (zesty/layout.s2:256): a date whose day is past
    12 settles the page's order, the day page's URL settles it too."""
    month_first = re.sub(
        r" on (\d\d)/(\d\d)/(\d{4})", r" on \2/\1/\3", fixture("s2_zesty_recent.html")
    )
    assert "on 06/30/2025" in month_first
    listing = parse_listing_page(month_first, NB + "/")
    assert [e.posted_at for e in listing.entries] == [
        ENTRY_A.posted_at,
        ENTRY_B.posted_at,
        ENTRY_C.posted_at,
    ]
    day = re.sub(r" on (\d\d)/(\d\d)/(\d{4})", r" on \2/\1/\3", fixture("s2_zesty_day.html"))
    assert "on 06/14/2025" in day
    assert [e.posted_at for e in parse_listing_page(day, NB + "/2025/06/14/").entries] == [
        "2025-06-14T10:00",
        "2025-06-14T19:30",
    ]


def test_zesty_journal_titles_are_not_notices():
    text = fixture("s2_zesty_recent.html").replace(
        "<h1>Morning Notes</h1>", "<h1>Deleted, protected: not found (error 429)</h1>"
    )
    assert parse_interstitial(text, 200, NB + "/") is None and page_kind(text) == "recent"


# --- never silent ---------------------------------------------------------------------------


def test_a_listing_whose_entries_no_parser_reads_is_refused():
    # zesty markup under a core2 body class: the entries area links NNN.html, no entry parses
    text = fixture("s2_zesty_recent.html").replace(
        '<body class="nairiporter-recent">', '<body class="page-recent logged-out">'
    )
    assert page_kind(text) == "recent"
    with pytest.raises(ParseError, match="links entry 12345 but no entry parsed"):
        parse_listing_page(text, NB + "/")


def test_a_listing_that_loses_one_entry_is_refused():
    text = fixture("s2_siteviews_recent.html").replace(
        'class="entry-wrapper entry-wrapper-even', 'class="wrapper entry-wrapper-even', 1
    )
    text = text.replace('class="entry" id="entry-12112"', 'class="entry"', 1)
    with pytest.raises(ParseError, match="links entry 12112 outside the entries that parsed"):
        parse_listing_page(text, NB + "/?format=light")


@pytest.mark.parametrize("name", ["s2_siteviews_recent.html", "s2_zesty_recent.html"])
def test_an_entry_without_its_body_is_refused(name):
    text = fixture(name).replace('<div class="entry-content">', '<div class="entry-text">', 1)
    with pytest.raises(ParseError, match="without a body"):
        parse_listing_page(text, NB + "/")


@pytest.mark.parametrize("layout", sorted(ENTRY_PAGES))
def test_an_entry_page_without_its_body_is_refused(layout):
    text = fixture(ENTRY_PAGES[layout]).replace(
        '<div class="entry-content">', '<div class="entry-text">', 1
    )
    with pytest.raises(ParseError, match="entry 12345 without a body"):
        parse_entry_page(text, f"{NB}/12345.html")


@pytest.mark.parametrize("layout", sorted(ENTRY_PAGES))
def test_a_full_comment_without_a_date_is_refused(layout):
    text = fixture(ENTRY_PAGES[layout])
    if layout == "zesty":
        text = text.replace(" at 04:02pm on 04/07/2025", "", 1)
    else:  # the date Comment::time_display prints (core2.s2:5899) emptied
        text = re.sub(r'(<span title="7 hours after journal entry[^"]*">)[^<]*', r"\1", text)
    with pytest.raises(ParseError, match="comment 51201: full comment without a readable date"):
        parse_entry_page(text, f"{NB}/12345.html")


@pytest.mark.parametrize("layout", sorted(ENTRY_PAGES))
def test_a_full_comment_without_its_text_is_refused(layout):
    text = fixture(ENTRY_PAGES[layout])
    text = text.replace(
        '<div class="comment-content">Apricot windows', '<div class="x">Apricot windows', 1
    )
    # drifting: without print_text's div.comment-content the one left is its wrapper, whose date
    # is then taken for text: the comment is refused for the missing date
    reason = "a full comment without its text|full comment without a readable date"
    with pytest.raises(ParseError, match=f"comment 51201: ({reason})"):
        parse_entry_page(text, f"{NB}/12345.html")


@pytest.mark.parametrize("layout", sorted(YEAR_PAGES))
def test_a_year_page_without_readable_days_is_refused(layout):
    text = re.sub(
        r'(<a href="[^"]*/2025/\d\d/\d\d/">)\d+</a>', r"\1many</a>", fixture(YEAR_PAGES[layout])
    )
    with pytest.raises(ParseError, match="year page without readable days"):
        parse_year_page(text, NB + "/2025/")
    text = re.sub(r"<table.*?</table>", "", fixture(YEAR_PAGES[layout]), flags=re.DOTALL)
    if layout == "siteviews":  # core2: an empty div.year is a year without entries
        assert parse_year_page(text, NB + "/2025/").days == ()
    else:
        with pytest.raises(ParseError, match="year page without readable days"):
            parse_year_page(text, NB + "/2025/")


def test_zesty_thread_view_of_a_suspended_users_comment():
    """zesty shows a suspended user's comment collapsed, as '(no subject) - (anonymous)'; its
    ?thread= view prints it full with no poster, no text and no reply link (:2178, :2264)."""
    text = fixture("s2_zesty_entry_thread.html")
    text = text.replace(">Question</a></h2>", ">(no subject)</a></h2>", 1)
    text = text.replace("Which bakery? <a href", "<a hidden href", 1)
    text = re.sub(
        r"\[<a class=\"cmt_reply\" href=\"[^\"]*replyto=51713\">reply</a>\]",
        "[user is suspended]",
        text,
    )
    got = parse_comments(text, f"{NB}/12345.html?thread=51713")
    assert (got[0].commentid, got[0].state, got[0].full, got[0].author) == (
        51713,
        "suspended",
        False,
        None,
    )
    assert [c.commentid for c in got[1:]] == [51969, 52225]


def test_zesty_collapsed_replies_do_not_lend_their_ids():
    """A deleted comment shows no id (print_comment_partial :2338); its replies sit inside its
    div.collapsed-comment. With only collapsed replies its id is unknown: it is left out,
    never given a reply's id."""
    text = fixture("s2_zesty_entry.html")
    start = text.index('<div class="nest">', text.index("(deleted comment)"))
    end = text.index('<div id="c-reply-52225"></div>')
    collapsed = (
        '<div class="nest">\n    <div class="collapsed-comment">\n        <a class="title" href="'
        f'{NB}/12345.html?thread=52225#cmt52225">(no subject)</a> &mdash; <span class="poster">'
        "(anonymous)</span>\n    </div>\n    "
    )
    text = text[:start] + collapsed + text[end + len('<div id="c-reply-52225"></div>') :]
    got = parse_entry_page(text, f"{NB}/12345.html").comments
    ids = [c.commentid for c in got]
    assert len(ids) == len(set(ids)) and 51969 not in ids
    reply = got[-1]
    assert (reply.commentid, reply.collapsed, reply.depth, reply.author_kind) == (
        52225,
        True,
        3,
        "anonymous",
    )


@pytest.mark.parametrize(
    "view, kind",
    [
        ("recent", "recent"),
        ("day", "day"),
        ("archive", "year"),
        ("month", "month"),
        ("entry", "entry"),
        ("reply", "entry"),
        ("tags", "tags"),
        ("read", "unknown"),
        ("icons", "unknown"),
    ],
)
def test_page_kind_of_every_zesty_view(view, kind):
    """zesty's body class is $.journal.username-$.view (layout.s2:1818); view names from
    LJ/S2/*Page.pm (YearPage.pm:25 'archive')."""
    text = fixture("s2_zesty_tags.html").replace("nairiporter-tags", f"tea_garden-{view}")
    page = parse_html(text)
    assert page.rendering == Rendering.ZESTY and page_kind(page) == kind


@pytest.mark.parametrize(
    "body, kind",
    [
        ('<div id="archive-month"><div class="inner"></div></div>', "month"),  # siteviews:477
        ('<div class="tags-container"><div class="inner"></div></div>', "tags"),  # core2:6726
        ('<div class="reply-page-wrapper"><h2>x</h2></div>', "entry"),  # siteviews:435
        ('<div id="archive-day"><div id="entries"></div></div>', "day"),  # core2:6172
    ],
)
def test_page_kind_of_siteviews_views_in_any_site_skin(body, kind):
    for skin in ("lynx", "celerity", "gradation"):
        text = f'<html><body class="{skin}"><div id="content">{body}</div></body></html>'
        page = parse_html(text)
        assert page.rendering == Rendering.SITEVIEWS and page_kind(page) == kind
