"""The fake site's renderings other than core2, over real HTTP: siteviews, drifting, negatives, zesty.

Each test pins structural facts taken from Dreamwidth's S2 source (dreamwidth/dreamwidth at
075e52c6); the comment above each assertion cites the file:line it comes from. Paths are relative
to that repository: styles/siteviews/layout.s2 ("siteviews:N"), styles/drifting/layout.s2
("drifting:N"), styles/negatives/layout.s2 ("negatives:N"), styles/zesty/layout.s2 ("zesty:N"),
styles/core2.s2 ("core2.s2:N"), cgi-bin/LJ/... for the Perl side.
"""

from __future__ import annotations

import re

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from scraper.fakesite import FakeSite, build_sample_site, comment_view, generate_journal
from scraper.fakesite.generate import style_for
from scraper.fakesite.minimum import minimum_request_plan, minimum_requests, recent_page_size
from scraper.fakesite.model import RENDERINGS
from scraper.fakesite.sample import big_thread_entry, seed_entry

BIG = 28407  # nairiporter's open thread: 67 shown comments over 2 pages
SEED = 34557  # nairiporter's newest entry (2025-06-18 19:40), 3 comments


@pytest.fixture(scope="module")
def sites():
    """One fake site per journal style, serving the sample journals (nairiporter, tea_garden)."""
    out: dict[str, FakeSite] = {}
    for rendering in ("core2", "drifting", "negatives", "zesty"):
        journals = build_sample_site()
        for journal in journals:
            style_for(rendering, journal.style)
        nairi = journals[0]
        if rendering == "core2":
            nairi.style.entries_per_page = 10  # to tell siteviews' own page size apart
        if rendering == "zesty":
            nairi.style.entries_per_page = 10  # zesty's default num_items_recent (zesty:160)
        out[rendering] = FakeSite(journals).start()
    owner = build_sample_site()
    for journal in owner:
        journal.style.entry_pages_in_journal_style = False
    out["owner"] = FakeSite(owner).start()
    yield out
    for site in out.values():
        site.stop()


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=10) as c:
        yield c


def fetch(client, site: FakeSite, path: str, name: str = "nairiporter") -> httpx.Response:
    response = client.get(site.url(name).rstrip("/") + path)
    assert response.status_code == 200, (path, response.status_code)
    return response


def page(client, site: FakeSite, path: str, name: str = "nairiporter") -> HTMLParser:
    return HTMLParser(fetch(client, site, path, name).text)


def text(node) -> str:
    return node.text(deep=True) if node is not None else ""


ISO_DATE = r"\d{4}-\d{2}-\d{2}"
TIME_12 = r"\d{2}:\d{2} [ap]m"
TIME_24 = r"\d{2}:\d{2}"


# === siteviews ==================================================================================


def test_format_light_is_siteviews_in_the_lynx_skin(sites, client):
    doc = page(client, sites["core2"], "/?format=light")
    # ?format=light selects the lynx site skin (LJ/User/Styles.pm:665), whose body is
    # <body class="lynx"> (schemes/lynx.tt)
    assert doc.body.attributes["class"] == "lynx"
    # siteviews' Page::print prints no frame: no h1#title, no module sections (siteviews:22-35)
    assert doc.css_first("h1#title") is None
    assert doc.css(".module") == [] and doc.css_first("#secondary") is None
    # print_title only sets the window title to the view title (siteviews:37-40)
    assert text(doc.css_first("title")) == "Recent Entries"
    # the body is core2's RecentPage::print_body (core2.s2:5664-5696)
    assert doc.css_first("div#entries.hfeed") is not None


def test_format_light_ignores_the_journal_layout(sites, client):
    # every S2 view with format=light/style=site is siteviews, whatever the layout
    # (LJ/User/Styles.pm:660-672)
    for rendering in ("drifting", "negatives", "zesty"):
        doc = page(client, sites[rendering], "/?format=light")
        assert doc.body.attributes["class"] == "lynx"
        assert len(doc.css("#entries .entry-wrapper .contents.usercontent")) == 20
        entry = page(client, sites[rendering], f"/{BIG}.html?format=light")
        assert entry.css_first(".comment-info") is not None
        assert entry.css_first(".nest") is None and entry.css_first(".comment-text") is None


def test_siteviews_recent_page_shows_core2s_twenty(sites, client):
    # the journal shows 10 a page in its own style; siteviews loads none of the journal's layers,
    # so num_items_recent is core2's 20 (core2.s2:1299; LJ/S2/RecentPage.pm:141-143)
    assert len(page(client, sites["core2"], "/").css(".entry-wrapper")) == 10
    assert len(page(client, sites["core2"], "/?format=light").css(".entry-wrapper")) == 20
    journal = sites["core2"].journal("nairiporter")
    assert recent_page_size(journal, "siteviews") == 20
    assert recent_page_size(journal) == 10


def test_siteviews_skip_links_drop_the_parameter(sites, client):
    site = sites["core2"]
    base = site.url("nairiporter").rstrip("/")
    doc = page(client, site, "/?skip=20&format=light")
    # skip links keep only style=mine, never format=light (LJ/S2/RecentPage.pm:150-152, 279-312)
    back = doc.css_first(".navigation.topnav li.page-back a").attributes["href"]
    forward = doc.css_first(".navigation.topnav li.page-forward a").attributes["href"]
    assert back == base + "/?skip=40"
    assert forward == base + "/"


def test_siteviews_entry_markup_on_a_list_page(sites, client):
    doc = page(client, sites["core2"], "/?format=light")
    entry = doc.css_first(f"#entry-wrapper-{SEED}")
    # Page::print_entry (siteviews:200-241): header > inner > div.poster-info with the date
    info = entry.css_first(".header > .inner > .poster-info")
    # entry_date_format "iso" (siteviews:175), linkified on recent pages (core2.s2:5796);
    # print_time gets "short" for a logged-out reader (siteviews:210)
    assert text(info.css_first("span.datetime .date")) == "2025-06-18"
    assert re.fullmatch(TIME_12, text(info.css_first("span.datetime .time")))
    assert [a.attributes["href"] for a in info.css(".date a")] == [
        "/2025/",
        "/2025/06/",
        "/2025/06/18/",
    ]
    # the management links sit in header > div.action-box (siteviews:214-219)
    assert entry.css_first(".header > .action-box > .inner") is not None
    # metadata and tags in div.currents, tags captioned text_tags "Entry tags:" (siteviews:181,
    # 220-223)
    assert text(entry.css_first(".currents .tag .tag-text")) == "Entry tags:"
    # subject and body inside div.contents.usercontent > div.inner (siteviews:224-232)
    inner = entry.css_first("div.contents.usercontent > div.inner")
    assert text(inner.css_first("h3.entry-title a")) == "Why Moscow keeps to the sidelines"
    assert inner.css_first("div.entry-content") is not None
    # CommentInfo links carry the viewing-style argument (LJ/S2.pm:2209; LJ/Entry.pm:748-750);
    # the reply link says text_post_comment "Post a new comment" (siteviews:173)
    links = entry.css_first(".footer ul.entry-interaction-links")
    assert (
        links.css_first(".entry-permalink a")
        .attributes["href"]
        .endswith(f"/{SEED}.html?format=light")
    )
    assert (
        links.css_first(".entry-readlink a")
        .attributes["href"]
        .endswith(f"/{SEED}.html?format=light#comments")
    )
    reply = links.css_first(".entry-replylink a")
    assert text(reply) == "Post a new comment"
    assert reply.attributes["href"].endswith(f"/{SEED}.html?mode=reply&format=light")
    # the subject links to the bare permalink (EntryLite::formatted_subject, LJ/S2.pm:4292)
    assert inner.css_first("h3.entry-title a").attributes["href"].endswith(f"/{SEED}.html")


def test_siteviews_entry_page_comments_are_flat(sites, client):
    site = sites["core2"]
    journal = site.journal("nairiporter")
    view = comment_view(big_thread_entry(journal))
    doc = page(client, site, f"/{BIG}.html?format=light")
    # EntryPage::print_title: "user | subject" (siteviews:460-463)
    assert text(doc.css_first("title")).startswith("nairiporter | Open thread")
    # Entry::print_poster on an entry page: "Name (user) wrote" (siteviews:248-249)
    poster = doc.css_first(".entry-wrapper .poster-info .entry-poster")
    assert text(poster).startswith("Nairi Porter (") and text(poster).endswith(") wrote")
    # print_comments closes every div.comment-thread at once: no nesting, depth only in the
    # classes and the margin (siteviews:334-359)
    threads = doc.css("#comments div.comment-thread")
    assert len(threads) == len(list(view.walk()))
    assert doc.css("div.comment-thread div.comment-thread") == []
    depths = [n.depth for n in view.walk()]
    assert [int(t.attributes["class"].split("comment-depth-")[-1]) for t in threads] == depths
    margin = threads[1].css_first(".dwexpcomment").attributes["style"]
    assert margin.startswith(f"margin-left: {(depths[1] - 1) * 25}px")


def test_siteviews_full_comment_markup(sites, client):
    doc = page(client, sites["core2"], f"/{BIG}.html?format=light")
    comment = doc.css_first("#cmt21751 .comment-wrapper.full")
    # EntryPage::print_comment: header > inner > userpic + div.comment-info (siteviews:364-388)
    info = comment.css_first(".header > .inner > .comment-info")
    # the subject is printed as text, not a link (print_subject({"format" => "text"}),
    # siteviews:369; LJ/S2.pm:4270-4280)
    assert text(info.css_first("h4.comment-title > span")) == "Reading list, part one"
    assert info.css_first("h4.comment-title a") is None
    # Comment::print_poster without span.comment-from-text (siteviews:285-294)
    assert info.css_first(".comment-poster .comment-from-text") is None
    assert info.css_first(".comment-poster span.ljuser").attributes["lj:user"] == "willowmere"
    # ISO date and "short" time in UTC (siteviews:372-373, core2.s2:5832-5900); the date caption
    # is text_comment_date "" (siteviews:177)
    assert re.fullmatch(
        rf"{ISO_DATE} {TIME_12} \(UTC\)", text(info.css_first(".datetime span[title]"))
    )
    assert text(info.css_first(".comment-date-text")) == " "
    # "(link)" to the comment's own permalink, which never carries the argument
    # (siteviews:376; LJ/S2/EntryPage.pm:335)
    link = info.css_first("span.commentpermalink a")
    assert text(link) == "link" and link.attributes["href"].endswith("?thread=21751#cmt21751")
    # the text inside div.contents.usercontent (siteviews:389-391)
    assert comment.css_first("div.contents.usercontent > .inner > .comment-content") is not None
    # interaction links with siteviews' texts (siteviews:174, 179)
    links = comment.css_first(".footer ul.comment-interaction-links")
    assert text(links.css_first(".commentpermalink a")) == "Thread"
    assert text(links.css_first(".reply a")) == "Reply to this"
    # thread links keep the argument (LJ/S2/EntryPage.pm:433-439)
    assert (
        links.css_first(".thread a")
        .attributes["href"]
        .endswith("?thread=21751&format=light#cmt21751")
    )
    child = doc.css_first("#cmt22007 .comment-wrapper.full")
    # parent links keep it too (LJ/S2/EntryPage.pm:301)
    assert (
        child.css_first(".commentparent a")
        .attributes["href"]
        .endswith("?thread=21751&format=light#cmt21751")
    )


def test_siteviews_collapsed_comments_and_placeholders(sites, client):
    site = sites["core2"]
    view = comment_view(big_thread_entry(site.journal("nairiporter")))
    doc = page(client, site, f"/{BIG}.html?format=light")
    partial = doc.css(".comment-wrapper.partial")
    collapsed = [n.commentid for n in view.walk() if n.kind == "collapsed"]
    placeholders = [n for n in view.walk() if n.placeholder]
    assert len(partial) == len(collapsed) + len(placeholders)
    node = doc.css_first(f"#cmt{collapsed[0]} .comment-wrapper.partial")
    # core2's print_comment_partial (core2.s2:6541-6553) with print_time() in the properties:
    # comment_time_format "short_24" in siteviews (siteviews:184)
    assert re.fullmatch(
        rf"{ISO_DATE} {TIME_24} \(UTC\)", text(node.css_first(".datetime span[title]"))
    )
    expand = next(a for a in node.css("a") if text(a) == "Expand")
    assert expand.attributes["href"].endswith(
        f"?thread={collapsed[0]}&format=light#cmt{collapsed[0]}"
    )
    # placeholders: text_deleted / text_screened / text_fromsuspended (core2.s2:3012-3014, 6505-6540)
    assert (
        text(doc.css_first("#cmt25079 .comment-wrapper.deleted"))
        .strip()
        .startswith("(deleted comment)")
    )
    assert (
        text(doc.css_first("#cmt25847 .comment-wrapper.screened"))
        .strip()
        .startswith("(screened comment)")
    )
    assert (
        text(doc.css_first("#cmt27383 .comment-wrapper.from-suspended"))
        .strip()
        .startswith("(reply from suspended user)")
    )


def test_siteviews_comment_pager_is_a_pagination_list(sites, client):
    site = sites["core2"]
    doc = page(client, site, f"/{BIG}.html?format=light")
    # ItemRange::print: div.action-box with "Page N of M" and ul.pagination (siteviews:51-86),
    # top one from EntryPage::print_entry_footer (siteviews:296-302)
    top = doc.css_first(
        ".comment-pages-wrapper .comment-pages.toppages.comment-page-list.action-box"
    )
    assert text(top.css_first("p")) == "Page 1 of 2"
    hrefs = [a.attributes["href"] for a in top.css("ul.pagination ul.pages li a")]
    # page URLs keep the argument (LJ/S2/EntryPage.pm:555-561)
    assert [h.split("/")[-1] for h in hrefs] == [
        f"{BIG}.html?page=1&format=light#comments",
        f"{BIG}.html?page=2&format=light#comments",
    ]
    assert top.css_first("li.page-prev.disabled") is not None
    # the bottom pager sits in div.commment-pages-wrapper, spelled so (siteviews:329-331)
    assert doc.css_first(".commment-pages-wrapper .comment-pages.bottompages ul.pagination")
    second = page(client, site, f"/{BIG}.html?page=2&format=light")
    assert text(second.css_first("ul.pagination li.current a")) == "2"


def test_siteviews_thread_and_flat_views_keep_the_parameter(sites, client):
    site = sites["core2"]
    thread = page(client, site, f"/{BIG}.html?thread=22263&format=light")
    assert thread.body.attributes["class"] == "lynx"
    assert thread.css_first("#cmt22263 .comment-wrapper.full .comment-info") is not None
    flat = page(client, site, f"/{BIG}.html?view=flat&format=light")
    # CommentNav's url keeps the argument (LJ/S2/EntryPage.pm:540; core2.s2:6601-6614)
    nav = flat.css_first("div.comment-pages.toppages span.view-threaded a").attributes["href"]
    assert nav.endswith(f"{BIG}.html?format=light#comments")
    pages = flat.css(".comment-page-list ul.pages a")
    assert pages[1].attributes["href"].endswith("?view=flat&page=2&format=light#comments")


def test_style_site_is_siteviews_in_the_default_skin(sites, client):
    doc = page(client, sites["core2"], "/?style=site")
    # ?style=site: siteviews without the lynx skin (LJ/User/Styles.pm:660-672)
    assert doc.body.attributes["class"] == "celerity"
    assert len(doc.css(".entry-wrapper .contents.usercontent")) == 20
    assert doc.css_first(".entry-permalink a").attributes["href"].endswith(".html?style=site")


def test_owner_setting_serves_entry_pages_in_siteviews(sites, client):
    site = sites["owner"]
    # the journal's own pages stay core2 ...
    recent = page(client, site, "/")
    assert "page-recent" in recent.body.attributes["class"]
    assert recent.css_first("h1#title") is not None
    # ... but entry and reply pages are siteviews when use_journalstyle_entry_page is off
    # (LJ/S2.pm:93-116), in the default site skin and with no argument to carry
    entry = page(client, site, f"/{BIG}.html")
    assert entry.body.attributes["class"] == "celerity"
    assert entry.css_first(".entry-wrapper .contents.usercontent") is not None
    assert entry.css(".module") == []
    parent = entry.css_first("#cmt22007 .commentparent a").attributes["href"]
    assert parent.endswith("?thread=21751#cmt21751")
    for path in (f"/{BIG}.html?page=2", f"/{BIG}.html?thread=22263", f"/{BIG}.html?view=flat"):
        assert page(client, site, path).css_first(".comment-info") is not None
    reply = page(client, site, f"/{SEED}.html?mode=reply")
    # ReplyPage::print_body (siteviews:435-458)
    assert reply.css_first(".reply-page-wrapper .entry-wrapper") is not None


def test_siteviews_day_year_tags_and_reply_pages(sites, client):
    site = sites["core2"]
    day = page(client, site, "/2025/06/11/?format=light")
    # core2's DayPage::print_body (core2.s2:6172-6206) with the ISO date (siteviews:175)
    assert text(day.css_first("#archive-day .day h3.day-date")) == "2025-06-11"
    assert len(day.css("#archive-day .entry-wrapper .contents.usercontent")) == 2
    assert text(day.css_first("title")) == "2025-06-11"
    year = page(client, site, "/2025/?format=light")
    # core2's YearPage::print_body (core2.s2:5937-6035)
    assert year.css_first("#archive-year .year .month-wrapper table.month") is not None
    assert year.body.attributes["class"] == "lynx"
    tags = page(client, site, "/tag/?format=light")
    assert tags.css_first(".tags-container ul.ljtaglist") is not None
    reply = page(client, site, f"/{SEED}.html?mode=reply&format=light")
    # ReplyPage::print_body (siteviews:435-458)
    assert text(reply.css_first(".reply-page-wrapper h1")) == "Post a comment in response:"
    month = page(client, site, "/2025/06/?format=light")
    # MonthPage::print_body: dt > a > b with the ordinal (siteviews:477-499)
    assert text(month.css_first("#archive-month dl dt a b")) == "11th"


def test_site_pages_do_not_change_with_format_light(sites, client):
    site = sites["core2"]
    for path in ("/profile", "/data/atom"):
        plain = fetch(client, site, path).content
        light = fetch(client, site, path + "?format=light").content
        assert plain == light


# === drifting ===================================================================================


def test_drifting_frame_and_modules(sites, client):
    doc = page(client, sites["drifting"], "/")
    # Page::print_wrapper_start classes with layout_type "two-columns-left" (drifting:52,
    # core2.s2:4010-4044)
    assert doc.body.attributes["class"].startswith("page-recent two-columns column-left")
    # Page::print: #canvas > #header > .header-left with the titles, no h2#pagetitle
    # (drifting:1146-1166)
    assert text(doc.css_first("#canvas > #header > .header-left > h1#title")) == "Morning Notes"
    assert doc.css_first("h2#pagetitle") is None
    # the body and then the footer module section inside #primary (drifting:1172-1177)
    assert doc.css_first("#primary > #footer .module-powered") is not None
    # sidebar: calendar first, then navlinks titled "Navigation" (drifting:186-200, 1128-1141);
    # no profile, tags, syndicate or time module
    modules = [n.attributes["class"].split()[0] for n in doc.css("#secondary .module")]
    assert modules[:2] == ["module-calendar", "module-navlinks"]
    for absent in ("module-userprofile", "module-tags_list", "module-syndicate", "module-time"):
        assert absent not in modules
    assert text(doc.css_first(".module-navlinks h2.module-header")) == "Navigation"


def test_drifting_entry_markup(sites, client):
    doc = page(client, sites["drifting"], "/")
    entry = doc.css_first(f"#entry-{SEED} > .inner")
    # Page::print_entry: no div.header/.contents/.footer, div.subject with the subject
    # (drifting:1193-1200)
    assert entry.css_first(".header") is None and entry.css_first(".contents") is None
    assert entry.css_first("div.subject > h3.entry-title a") is not None
    # div.friends-color-wrapper with userpic and poster (drifting:1202-1205)
    assert entry.css_first("div.friends-color-wrapper > div.userpic") is not None
    # the date always in "long_day" (drifting:1207-1209), linkified (core2.s2:5796-5823)
    assert text(entry.css_first("div.datetime-container .date")) == "Wednesday, June 18th, 2025"
    assert re.fullmatch(TIME_12, text(entry.css_first("div.datetime-container .time")))
    assert entry.css_first("div.entry-content") is not None


def test_drifting_comment_markup(sites, client):
    doc = page(client, sites["drifting"], f"/{BIG}.html")
    comment = doc.css_first("#comment-cmt21751 > .inner")
    # EntryPage::print_comment: div.subject, div.comment-userpic, then div.comment-content
    # wrapping the date, the text and the links (drifting:1227-1269)
    assert comment.css_first("div.subject > h4.comment-title") is not None
    assert comment.css_first("div.comment-userpic .comment-poster") is not None
    outer = comment.css_first("div.comment-content")
    when = text(outer.css_first("div.datetime-container .datetime span[title]"))
    assert re.fullmatch(r"Tuesday, November 5th, 2024 \d\d:\d\d [ap]m \(UTC\)", when)
    # the text is core2's div.comment-content inside div.comment-text (drifting:1250-1252)
    assert text(outer.css_first("div.comment-text > div.comment-content")).startswith("Comment t0:")
    assert outer.css_first("ul.comment-interaction-links") is not None
    # text_comment_date and text_comment_from are "" (drifting:269-270)
    assert text(outer.css_first(".comment-date-text")) == " "
    assert text(comment.css_first(".comment-from-text")) == ""
    # print_comments and print_comment_partial are core2's: nested comment-thread divs
    assert doc.css_first("div.comment-thread div.comment-thread #cmt22007") is not None
    assert doc.css_first("#cmt25079 .comment-wrapper.deleted") is not None


def test_drifting_day_and_year_pages(sites, client):
    site = sites["drifting"]
    day = page(client, site, "/2025/06/11/")
    # DayPage::print_body: navigation, h2.day-title in "long", entries; no #archive-day
    # (drifting:1341-1361)
    assert text(day.css_first("#primary h2.day-title")) == "June 11th, 2025"
    assert day.css_first("#archive-day") is None
    assert len(day.css("#primary .entry-wrapper")) == 2
    year = page(client, site, "/2025/")
    # YearPage::print_body/print_month: h2.month-title > a, table.month-table; no #archive-year
    # or .year (drifting:1365-1401)
    assert year.css_first("#archive-year") is None and year.css_first(".year") is None
    titles = [a.attributes["href"] for a in year.css("h2.month-title a")]
    assert titles and all(re.search(r"/2025/\d\d/$", h) for h in titles)
    journal = site.journal("nairiporter")
    counts = {str(d): len(es) for d, es in journal.index.days.items() if d.year == 2025}
    got = {}
    for a in year.css("table.month-table td.day-has-entries p a"):  # core2's YearWeek::print
        y, m, d = re.search(r"(\d{4})/(\d\d)/(\d\d)/$", a.attributes["href"]).groups()
        got[f"{y}-{m}-{d}"] = int(text(a))
    assert got == counts


# === negatives ==================================================================================


def test_negatives_frame_and_modules(sites, client):
    doc = page(client, sites["negatives"], "/")
    # layout_type "two-columns-right" (negatives:45)
    assert doc.body.attributes["class"].startswith("page-recent two-columns column-right")
    # navlinks in the header section "two", the calendar in the footer section "three",
    # horizontal (negatives:178-184, 1054-1058, 1083-1085)
    assert doc.css_first("#header .module-section-two .module-navlinks") is not None
    calendar = doc.css_first("#footer .module-section-three .module-calendar.calendar-horizontal")
    assert calendar is not None and calendar.css("span.entry-day a")
    # the view's navigation also in #secondary (negatives:1073-1078)
    assert doc.css_first("#secondary #page-navigation-top li.page-back a") is not None


def test_negatives_entry_markup(sites, client):
    doc = page(client, sites["negatives"], "/")
    entry = doc.css_first(f"#entry-{SEED} > .inner")
    # Page::print_entry: div.header with userpic, div.subject ("&raquo;", subject) and
    # div.datetime "(poster date)" (negatives:859-875)
    header = entry.css_first("div.header")
    assert header.css_first("div.userpic") is not None
    assert text(header.css_first("div.subject")).startswith("\u00bbWhy Moscow")
    stamp = header.css_first("div.datetime")
    assert text(stamp).startswith("(") and text(stamp).endswith(")")
    # core2's span.datetime inside it, in the journal's own formats (med, short)
    assert text(stamp.css_first("span.datetime .date")) == "Jun. 18th, 2025"
    # body, tags and div.footer straight inside the entry, no div.contents (negatives:876-883)
    assert entry.css_first(".contents") is None
    assert entry.css_first("div.entry-content") is not None
    assert entry.css_first("div.footer > ul.entry-interaction-links") is not None


def test_negatives_dates_follow_the_journal_settings(sites, client):
    # tea_garden uses iso dates and 24-hour times: negatives prints Entry::time_display()
    # with the properties (negatives:872, core2.s2:5793-5823)
    doc = page(client, sites["negatives"], "/", "tea_garden")
    stamp = doc.css_first(".entry-wrapper div.header div.datetime")
    assert re.fullmatch(ISO_DATE, text(stamp.css_first(".date")))
    assert re.fullmatch(TIME_24, text(stamp.css_first(".time")))


def test_negatives_comment_markup(sites, client):
    doc = page(client, sites["negatives"], f"/{BIG}.html")
    comment = doc.css_first("#comment-cmt21751 > .inner")
    # EntryPage::print_comment: no div.header/.contents; div.datetime > a[title=Permalink]
    # around the date (negatives:996-1006)
    assert comment.css_first(".header") is None and comment.css_first(".contents") is None
    link = comment.css_first("div.datetime > a[title=Permalink]")
    assert link.attributes["href"].endswith("?thread=21751#cmt21751")
    assert re.fullmatch(
        rf"{ISO_DATE} {TIME_12} \(UTC\)", text(link.css_first("span.datetime span[title]"))
    )
    # poster, subject, text, then div.footer with the links (negatives:1023-1033)
    assert comment.css_first("h4.comment-title") is not None
    assert comment.css_first("div.comment-content") is not None
    assert comment.css_first("div.footer > ul.comment-interaction-links") is not None


def test_negatives_day_and_year_pages(sites, client):
    site = sites["negatives"]
    day = page(client, site, "/2025/06/11/")
    # DayPage::print_body prints only the entries (negatives:981-990)
    assert day.css_first("#archive-day") is None and day.css_first(".day-date") is None
    assert len(day.css("#primary .entry-wrapper")) == 2
    year = page(client, site, "/2025/")
    # YearPage::print_body: div.entry > div.subject with the year links, months in <center>
    # (negatives:890-906); no #archive-year / .year
    assert text(year.css_first("#primary > div.entry > div.subject li.active")) == "2025"
    assert year.css_first("#archive-year") is None
    # YearWeek::print: td.entry, the day number, a link with the count (negatives:928-945)
    journal = site.journal("nairiporter")
    counts = {str(d): len(es) for d, es in journal.index.days.items() if d.year == 2025}
    got = {}
    for a in year.css("center td.entry a"):
        y, m, d = re.search(r"(\d{4})/(\d\d)/(\d\d)/$", a.attributes["href"]).groups()
        got[f"{y}-{m}-{d}"] = int(text(a))
    assert got == counts


# === zesty ======================================================================================


def test_zesty_frame(sites, client):
    doc = page(client, sites["zesty"], "/")
    # <body class="USER-VIEW"> (zesty:1836); title "view [journal]" (zesty:315, 1587-1592) with
    # text_view_recent "Recent" (zesty:199)
    assert doc.body.attributes["class"] == "nairiporter-recent"
    assert text(doc.css_first("title")) == "Recent [Morning Notes]"
    # lay_header: h1 and p in div#header (zesty:1771-1787); tabs in div#navi (zesty:1612-1641)
    assert text(doc.css_first("#header h1")) == "Morning Notes"
    assert text(doc.css_first("#navi #tab-current")) == "Recent"
    # none of core2's frame
    assert doc.css_first("h1#title") is None and doc.css_first(".entry-wrapper") is None
    assert page(client, sites["zesty"], "/2025/").body.attributes["class"] == "nairiporter-archive"


def test_zesty_recent_entries(sites, client):
    doc = page(client, sites["zesty"], "/")
    entries = doc.css("#entries > div.entry")
    # num_items_recent 10 (zesty:160)
    assert len(entries) == 10
    first = entries[0]
    # lay_print_entry: div.left > div.userpic, div.right > div.header > div.title >
    # h2#entry-ID > a (zesty:1403-1463)
    link = first.css_first("div.right > div.header > div.title > h2 a")
    assert first.css_first("div.right h2").attributes["id"] == f"entry-{SEED}"
    assert link.attributes["href"].endswith(f"/{SEED}.html")
    # the date only as text: posted_time_format / posted_date_format (zesty:224-260, 1238-1274)
    posted = text(first.css_first("div.posted"))
    assert re.fullmatch(r"posted by nairiporter at 07:40pm on 18/06/2025 under .+", posted)
    # the text in div.text > core2's div.entry-content (zesty:1278-1286)
    assert first.css_first("div.text > div.entry-content") is not None
    # "There are N comments on this entry." (zesty:1298-1336)
    assert text(first.css_first("div.links")).strip().startswith("There are 3 comments on this")
    # div.back-forward around the entries (zesty:1866-1912)
    back = doc.css_first("div.back-forward div.back a")
    assert back.attributes["href"].endswith("/?skip=10")


def test_zesty_dates_ignore_the_journal_settings(sites, client):
    # tea_garden's iso/short_24 settings: Zesty prints its own formats (zesty:248, 260)
    doc = page(client, sites["zesty"], "/", "tea_garden")
    posted = text(doc.css_first("#entries div.posted"))
    assert re.search(r" at \d\d:\d\d[ap]m on \d\d/\d\d/\d{4}", posted)


def test_zesty_entry_page_comments(sites, client):
    site = sites["zesty"]
    view = comment_view(big_thread_entry(site.journal("nairiporter")))
    doc = page(client, site, f"/{BIG}.html")
    # lay_print_entry_comments_bar (zesty:2500-2510, 1310-1311)
    bar = doc.css_first("div.entry-comments-bar span.comments-title")
    assert text(bar).startswith("There are 67 comments over 2 pages.")
    # print_comments nests every comment in div.nest (zesty:2285, 2333-2335, 2344, 2361)
    assert len(doc.css("#comments > div.nest")) == len(view.items)
    full = doc.css_first("#cmt21751")
    # a full comment: div.state > div.comment.dwexpcomment#cmtID (zesty:2291-2294)
    assert full.attributes["class"].startswith("comment dwexpcomment ")
    assert full.parent.attributes["id"] == "state21751"
    assert full.css_first("div.right div.title h3").attributes["id"] == "t21751"
    posted = text(full.css_first("div.posted"))
    assert re.fullmatch(r"posted by willowmere at \d\d:\d\d[ap]m on 05/11/2024", posted)
    assert full.css_first("div.text > div.comment-content") is not None
    # a reply sits inside its parent's div.nest, after the parent's div.state (zesty:2333)
    reply = doc.css_first("#cmt22007")
    assert reply.parent.parent.parent.css_first("#state21751") is not None
    # collapsed: only a.title and span.poster, no date (zesty:2338-2357)
    collapsed = [n.commentid for n in view.walk() if n.kind == "collapsed"]
    titles = [a.attributes["href"] for a in doc.css("div.collapsed-comment > a.title")]
    assert any(h.endswith(f"?thread={collapsed[0]}#cmt{collapsed[0]}") for h in titles)
    assert not re.search(
        r"\d\d/\d\d/\d{4}", text(doc.css_first("div.collapsed-comment > span.poster"))
    )
    # the deleted placeholder (zesty:2347-2348)
    assert "(deleted comment)" in [text(s) for s in doc.css("div.collapsed-comment > span.title")]
    # comment pagination; its "&larr;" goes to url_last (zesty:2433-2435)
    pager = doc.css_first("div.comment-pagination")
    assert pager.css("a")[0].attributes["href"].endswith(f"{BIG}.html?page=2")


def test_zesty_thread_view_prints_only_the_comments(sites, client):
    doc = page(client, sites["zesty"], f"/{BIG}.html?thread=22263")
    # EntryPage::print_body returns lay_print_comments() for a thread (zesty:2514-2516)
    assert doc.css_first("div.entry") is None
    assert doc.css_first("#comments #cmt22263") is not None
    assert text(doc.css_first("title")).endswith(": comments [Morning Notes]")  # zesty:2190-2192


def test_zesty_day_and_year_pages(sites, client):
    site = sites["zesty"]
    day = page(client, site, "/2025/06/11/")
    # DayPage::print_body: the entries, nothing else (zesty:2055-2065)
    assert len(day.css("div.entry")) == 2 and day.css_first("div.back-forward") is None
    year = page(client, site, "/2025/")
    # YearPage::print_body: div#calendar > div.calendar-month (zesty:2681-2711)
    months = year.css("#calendar > div.calendar-month")
    assert months and months[0].css_first("h2.title a").attributes["href"].endswith("/2025/01/")
    journal = site.journal("nairiporter")
    counts = {str(d): len(es) for d, es in journal.index.days.items() if d.year == 2025}
    got = {}
    # lay_print_week: td.full.cell > div.count > a (zesty:1719-1726)
    for a in year.css("#calendar td.full.cell div.count a"):
        y, m, d = re.search(r"(\d{4})/(\d\d)/(\d\d)/$", a.attributes["href"]).groups()
        got[f"{y}-{m}-{d}"] = int(text(a))
    assert got == counts


# === every rendering ============================================================================

VIEWS = (
    "/",
    "/?skip=10",
    "/2024/",
    "/2025/06/",
    "/2025/06/11/",
    "/tag/",
    "/tag/books",
    f"/{BIG}.html",
    f"/{BIG}.html?page=2",
    f"/{BIG}.html?view=flat",
    f"/{BIG}.html?thread=22263",
    f"/{SEED}.html?mode=reply",
    "/archive",
)


@pytest.mark.parametrize("rendering", ["core2", "drifting", "negatives", "zesty", "owner"])
def test_every_view_renders(sites, client, rendering):
    for path in VIEWS:
        fetch(client, sites[rendering], path)
        fetch(client, sites[rendering], path + ("&" if "?" in path else "?") + "format=light")


def test_minimum_model_and_generator_know_the_renderings():
    journal = generate_journal("rend", 90, 5, rendering="zesty")
    assert journal.style.layout == "zesty" and journal.style.entries_per_page == 10  # zesty:160
    assert (
        generate_journal("rend", 90, 5, rendering="siteviews").style.entry_pages_in_journal_style
        is False
    )
    assert set(RENDERINGS) == {"core2", "siteviews", "drifting", "negatives", "zesty"}
    # siteviews lists 20 entries a page whatever the journal's setting (core2.s2:1299)
    skips = minimum_requests(journal, rendering="siteviews")["skip_pages"]
    assert skips == minimum_requests(journal, entries_per_page=20)["skip_pages"]
    plan = minimum_request_plan(journal, rendering="siteviews", query="format=light")
    assert plan[0] == "/robots.txt" and plan[-1] == "/profile"
    assert all(p.endswith("format=light") for p in plan[1:-1])
    assert len(plan) == minimum_requests(journal, rendering="siteviews")["total"]
    with pytest.raises(ValueError):
        generate_journal("rend", 10, 5, rendering="nosuch")


def test_seed_entry_is_the_newest():
    nairi = build_sample_site()[0]
    assert seed_entry(nairi).itemid == SEED and big_thread_entry(nairi).itemid == BIG


def test_layout_fixtures_are_current():
    """tests/fixtures/layout_*.html are what export_fixtures renders today (regenerate with
    `python -m scraper.fakesite.export_fixtures tests/fixtures`)."""
    import json
    from pathlib import Path

    from scraper.fakesite.export_fixtures import layout_fixture_pages

    fixtures = Path(__file__).parent / "fixtures"
    manifest = json.loads((fixtures / "layout_manifest.json").read_text(encoding="utf-8"))
    pages = layout_fixture_pages()
    assert sorted(f"{name}.html" for name in pages) == sorted(manifest)
    for name, (response, url, facts) in pages.items():
        assert (fixtures / f"{name}.html").read_bytes() == response.body, name
        assert manifest[f"{name}.html"]["url"] == url
    for rendering in ("siteviews", "drifting", "negatives", "zesty"):
        for view in ("recent", "day", "year", "entry"):
            assert f"layout_{rendering}_{view}.html" in manifest


def test_siteviews_entry_without_comments_enabled(sites, client):
    site = sites["core2"]
    journal = site.journal("nairiporter")
    entry = seed_entry(journal)
    entry.comments_enabled = False
    try:
        doc = page(client, site, f"/{SEED}.html?format=light")
    finally:
        entry.comments_enabled = True
    # print_comment_section is printed anyway (siteviews:304-332), with no comment loaded
    # (LJ/S2/EntryPage.pm:195-197) and no read or reply link (core2.s2:5626-5652)
    assert doc.css_first("#comments") is not None
    assert doc.css("#comments .comment-thread") == []
    assert doc.css_first(".entry-wrapper ul.entry-interaction-links") is None
