"""The fake Dreamwidth site: real HTTP, Dreamwidth's page rules, faults and the rate limit."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timedelta

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from scraper.fakesite.comments import comment_view, expansion_plan, shown_count
from scraper.fakesite.faults import Fault
from scraper.fakesite.generate import generate_journal
from scraper.fakesite.minimum import minimum_request_plan, minimum_requests
from scraper.fakesite.model import FakeComment, FakeEntry
from scraper.fakesite.render.dates import DATE_FORMATS, format_date, format_time
from scraper.fakesite.sample import SEED_PARAGRAPHS, big_thread_entry, build_sample_site, seed_entry
from scraper.fakesite.server import FakeSite


@pytest.fixture(scope="module")
def site():
    with FakeSite(build_sample_site()) as running:
        yield running


@pytest.fixture()
def fresh_site():
    with FakeSite(build_sample_site()) as running:
        yield running


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=5) as c:
        yield c


def get(client: httpx.Client, site: FakeSite, name: str, path: str, **kw) -> httpx.Response:
    return client.get(site.url(name).rstrip("/") + path, **kw)


def tree(response: httpx.Response) -> HTMLParser:
    return HTMLParser(response.text)


# --- frame and seed entry -------------------------------------------------------------------


def test_recent_page_has_core2_frame(site, client):
    r = get(client, site, "nairiporter", "/")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert "etag" not in r.headers and "last-modified" not in r.headers
    doc = tree(r)
    assert doc.css_first("title").text() == "nairiporter | Recent Entries"
    assert "page-recent" in doc.body.attributes["class"]
    assert doc.css_first("h1#title").text() == "Morning Notes"
    assert doc.css_first("h2#pagetitle").text() == "Recent Entries"
    assert len(doc.css("#primary .entry-wrapper")) == 20
    modules = [n.attributes["class"].split()[0] for n in doc.css("#secondary .module")]
    assert modules[:4] == [
        "module-userprofile",
        "module-navlinks",
        "module-calendar",
        "module-syndicate",
    ]
    assert modules[-2:] == ["module-credit", "module-cuttagcontrols"]
    assert doc.css_first("#secondary .journal-name").text() == "Nairi Porter"
    assert doc.css_first("#tertiary #load-time").text() == "Page generated Jul. 4th, 2025 06:00 pm"
    assert doc.css_first("#tertiary #site-branding").text() == "Powered by Dreamwidth Studios"


def test_seed_entry_pieces(site, client):
    journal = site.journal("nairiporter")
    seed = seed_entry(journal)
    r = get(client, site, "nairiporter", f"/{seed.itemid}.html")
    doc = tree(r)
    img = doc.css_first(f"#entry-{seed.itemid} .userpic img")
    assert img.attributes["alt"] == "nairiporter: (sunrays)"
    assert img.attributes["title"] == "nairiporter: sunrays"
    content = doc.css_first(".entry-content").text()
    assert content.startswith("The reports that Russia")
    assert content.endswith("economic and political woes.")
    assert all(p[:60] in content for p in SEED_PARAGRAPHS)
    calendar = doc.css_first(".module-calendar")
    assert calendar.css_first(".module-header").text() == "June 2025"
    linked = [a.text() for a in calendar.css("td.entry-day a")]
    assert linked == ["11", "18"]
    assert " 11" in calendar.text() and " 18" in calendar.text()
    assert "Page generated Jul. 4th, 2025 06:00 pm" in r.text
    assert doc.css_first("#site-branding").text() == "Powered by Dreamwidth Studios"
    # linkified date: each part its own root-relative link
    date_links = [a.attributes["href"] for a in doc.css(f"#entry-{seed.itemid} .datetime .date a")]
    assert date_links == ["/2025/06/", "/2025/06/18/", "/2025/"]
    assert doc.css_first(f"#entry-{seed.itemid} .datetime").text() == "Jun. 18th, 2025 07:40 pm"


# --- status codes ---------------------------------------------------------------------------


def test_unknown_pages_and_journals_are_404(site, client):
    assert get(client, site, "nairiporter", "/no/such/page").status_code == 404
    assert get(client, site, "nairiporter", "/999999.html").status_code == 404
    assert get(client, site, "nairiporter", "/2025/02/30/").status_code == 404
    r = client.get(site.url("nosuchjournal"))
    assert r.status_code == 404 and "Unknown Journal" in r.text


def test_locked_entries_403_and_absent_from_listings(site, client):
    journal = site.journal("nairiporter")
    locked = [e for e in journal.entries if not e.is_public]
    assert locked
    for entry in locked[:3]:
        r = get(client, site, "nairiporter", f"/{entry.itemid}.html")
        assert r.status_code == 403 and "Protected" in r.text
    day = locked[0].posted_at
    page = get(client, site, "nairiporter", f"/{day:%Y/%m/%d}/").text
    assert f"entry-{locked[0].itemid}" not in page
    recent_ids = {e.itemid for e in journal.index.recent}
    assert not recent_ids & {e.itemid for e in locked}


def test_year_counts_exclude_locked_entries(site, client):
    journal = site.journal("nairiporter")
    shared = next(
        e
        for e in journal.entries
        if not e.is_public and journal.index.day_entries(e.posted_at.date())
    )
    day = shared.posted_at.date()
    r = get(client, site, "nairiporter", f"/{day.year}/")
    link = tree(r).css_first(f'td.day-has-entries a[href$="/{day:%Y/%m/%d}/"]')
    public = len(journal.index.day_entries(day))
    total = sum(1 for e in journal.entries if e.posted_at.date() == day)
    assert int(link.text()) == public < total
    years = [li.text() for li in tree(r).css(".navigation.topnav li")]
    assert years == ["2022", "2023", "2024", "2025"]


def test_recent_scrollback_is_clamped(site, client):
    deep = get(client, site, "nairiporter", "/?skip=1000")
    at_limit = get(client, site, "nairiporter", "/?skip=80")
    ids = lambda r: [n.attributes["id"] for n in tree(r).css(".entry-wrapper")]
    assert ids(deep) == ids(at_limit) and len(ids(deep)) == 20
    back = tree(deep).css_first(".navigation.topnav li.page-back a")
    assert back.text() == "Previous 20"
    assert re.search(r"/\d{4}/\d{2}/\d{2}$", back.attributes["href"])  # a day page, not ?skip=100
    assert 'name="robots" content="noindex' in deep.text
    first = tree(get(client, site, "nairiporter", "/")).css_first(
        ".navigation.topnav li.page-back a"
    )
    assert first.attributes["href"].endswith("/?skip=20")


# --- comments -------------------------------------------------------------------------------


def test_big_entry_paging_and_collapsing(site, client):
    journal = site.journal("nairiporter")
    big = big_thread_entry(journal)
    assert len(big.comments) >= 60 and shown_count(big) >= 50
    view = comment_view(big)
    assert (view.page_size, view.pages, len(view.items)) == (25, 2, 25)
    for top in view.items:  # top-level comments full (or placeholders); first reply full
        assert top.full or top.placeholder
        if top.replies and not top.replies[0].placeholder:
            assert top.replies[0].full
    collapsed = view.collapsed_ids()
    assert collapsed
    r = get(client, site, "nairiporter", f"/{big.itemid}.html")
    doc = tree(r)
    assert doc.css_first(".comment-pages.toppages b").text() == "Page 1 of 2"
    assert len(doc.css(".comment-wrapper.partial")) >= len(collapsed)
    assert "(deleted comment)" in r.text and "(screened comment)" in r.text
    assert "(reply from suspended user)" in r.text
    assert '<span class="anonymous">(Anonymous)</span>' in r.text
    assert doc.css_first(f"#cmt{collapsed[0]}") is not None
    assert f"{big.itemid}.html?page=2#comments" in r.text
    assert (
        tree(get(client, site, "nairiporter", f"/{big.itemid}.html?page=99"))
        .css_first(".comment-pages.toppages b")
        .text()
        == "Page 2 of 2"
    )
    thread = get(client, site, "nairiporter", f"/{big.itemid}.html?thread={collapsed[0]}")
    root = tree(thread).css_first(f"#comment-cmt{collapsed[0]}").parent
    assert "full" in root.attributes["class"].split()
    assert tree(thread).css_first(".comment-pages b") is None  # one page, no pager
    pages, threads = expansion_plan(big)
    assert pages == 2 and threads


def test_flat_view_and_small_entries(site):
    journal = site.journal("nairiporter")
    big = big_thread_entry(journal)
    flat = comment_view(big, flat=True)
    nodes = list(flat.walk())
    assert all(n.depth == 1 for n in nodes)
    assert all(n.kind in ("full", "suspended") for n in nodes)
    small = seed_entry(journal)
    view = comment_view(small)
    assert view.pages == 1 and view.page_size == 50
    assert len(view.full_ids()) == shown_count(small) == 3


def test_placeholders_follow_visibility_rules():
    entry = FakeEntry(
        itemid=256 * 3 + 7, subject="x", body_html="x", posted_at=datetime(2025, 1, 1), poster="me"
    )
    cid = lambda n: (n << 8) + 7
    entry.comments = [
        FakeComment(cid(1), None, "a", state="deleted"),
        FakeComment(cid(2), cid(1), "b"),
        FakeComment(cid(3), None, "c", state="screened"),
        FakeComment(cid(4), None, "d", state="deleted"),
    ]
    view = comment_view(entry)
    kinds = [(n.commentid, n.kind) for n in view.walk()]
    assert kinds == [(cid(1), "deleted"), (cid(2), "full")]
    assert shown_count(entry) == 1


# --- feed, log, mutation --------------------------------------------------------------------


def test_feed_last_modified_and_304(fresh_site, client):
    site = fresh_site
    r = get(client, site, "nairiporter", "/data/atom")
    assert (
        r.status_code == 200
        and "<dw:reply-count>" in r.text
        and "<dw:security>public</dw:security>" in r.text
    )
    modified = r.headers["last-modified"]
    again = get(client, site, "nairiporter", "/data/atom", headers={"If-Modified-Since": modified})
    assert again.status_code == 304 and again.content == b""
    journal = site.journal("nairiporter")
    seed = seed_entry(journal)
    seed.comments.append(
        FakeComment(seed.next_commentid(journal), None, "newcomer", posted_at=datetime(2025, 7, 1))
    )
    assert (
        get(
            client, site, "nairiporter", "/data/atom", headers={"If-Modified-Since": modified}
        ).status_code
        == 304
    )
    seed.edited_at = datetime(2025, 7, 3, 12, 0)
    changed = get(
        client, site, "nairiporter", "/data/atom", headers={"If-Modified-Since": modified}
    )
    assert changed.status_code == 200 and changed.headers["last-modified"] != modified


def test_request_log_and_live_mutation(fresh_site, client):
    site = fresh_site
    site.clear_log()
    for path in ("/", "/2025/", "/2025/06/18/", "/robots.txt"):
        get(client, site, "nairiporter", path)
    assert site.count() == 4
    assert site.count(journal="nairiporter", path_prefix="/2025") == 2
    assert site.requests[0].method == "GET" and site.requests[0].status == 200
    journal = site.journal("nairiporter")
    new = FakeEntry(
        itemid=journal.next_itemid(),
        subject="Brand new",
        body_html="<p>hello</p>",
        posted_at=datetime(2025, 7, 3, 9, 0),
        poster="nairiporter",
    )
    journal.entries.append(new)
    assert f"entry-{new.itemid}" in get(client, site, "nairiporter", "/").text
    new.security = "private"
    assert f"entry-{new.itemid}" not in get(client, site, "nairiporter", "/").text
    assert get(client, site, "nairiporter", f"/{new.itemid}.html").status_code == 403


def test_community_pages(site, client):
    journal = site.journal("tea_garden")
    entry = next(e for e in journal.index.recent if e.comments)
    r = get(client, site, "tea_garden", f"/{entry.itemid}.html")
    doc = tree(r)
    poster = doc.css_first(".entry-poster")
    assert " posting in " in poster.text()
    assert [s.attributes["lj:user"] for s in poster.css("span.ljuser")] == [
        entry.poster,
        "tea_garden",
    ]
    assert "journal-type-C" in doc.css_first(".entry-wrapper").attributes["class"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", doc.css_first(".entry .datetime").text())
    recent = tree(get(client, site, "tea_garden", "/"))
    assert len(recent.css(".entry-wrapper")) == 10
    profile = get(client, site, "tea_garden", "/profile")
    assert "Administrators (2):" in profile.text and "Community Profile" in profile.text


def test_tags_page_has_the_style_attribute_bug(site, client):
    r = get(client, site, "nairiporter", "/tag/")
    assert "<span style='detail-tagcount'>[" in r.text
    assert tree(r).css_first("ul.ljtaglist.tags_multilevel") is not None


def test_robots_and_account_states(fresh_site, client):
    site = fresh_site
    assert get(client, site, "nairiporter", "/robots.txt").text == "User-Agent: *\n"
    journal = site.journal("nairiporter")
    journal.robots_block = True
    assert get(client, site, "nairiporter", "/robots.txt").text == "User-Agent: *\nDisallow: /\n"
    journal.status = "suspended"
    assert get(client, site, "nairiporter", "/").status_code == 403
    journal.status = "purged"
    assert get(client, site, "nairiporter", "/").status_code == 410
    journal.status, journal.renamed_to = "active", "tea_garden"
    moved = get(client, site, "nairiporter", "/2025/?x=1")
    assert (
        moved.status_code == 301
        and moved.headers["location"] == site.url("tea_garden") + "2025/?x=1"
    )


# --- faults and rate limit ------------------------------------------------------------------


def test_rate_limit_429_with_retry_after(fresh_site, client):
    site = fresh_site
    now = [1000.0]
    site.enable_rate_limit(clock=lambda: now[0])
    statuses = [get(client, site, "nairiporter", "/robots.txt").status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    refused = get(client, site, "nairiporter", "/robots.txt")
    assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
    assert "Please wait 60 seconds" in refused.text
    now[0] += 2.0  # 0.5 tokens per second
    assert get(client, site, "nairiporter", "/robots.txt").status_code == 200
    assert get(client, site, "nairiporter", "/robots.txt").status_code == 429
    site.disable_rate_limit()


def test_status_captcha_and_redirect_faults(fresh_site, client):
    site = fresh_site
    site.add_fault(
        Fault("status", path=r"^/2024/", times=1, params={"code": 503, "retry_after": 7})
    )
    first = get(client, site, "nairiporter", "/2024/")
    assert (first.status_code, first.headers["retry-after"]) == (503, "7")
    assert get(client, site, "nairiporter", "/2024/").status_code == 200
    site.add_fault(Fault("captcha", path=r"^/2023/"))
    gated = get(client, site, "nairiporter", "/2023/")
    assert gated.status_code == 302
    location = gated.headers["location"]
    assert location.startswith(site.www_url + "captcha?returnto=")
    assert "Captcha Check" in client.get(location).text
    site.add_fault(Fault("redirect", path=r"^/2022/", params={"to": "http://elsewhere.invalid/x"}))
    assert (
        get(client, site, "nairiporter", "/2022/").headers["location"]
        == "http://elsewhere.invalid/x"
    )


def test_adult_interstitial_flow(fresh_site):
    site = fresh_site
    site.add_fault(Fault("adult", path=r"^/2025/06/18/"))
    base = site.url("nairiporter").rstrip("/")
    with httpx.Client(timeout=5) as c:
        gate = c.get(base + "/2025/06/18/")
        assert (
            gate.status_code == 302 and "/journal/adult_concepts?ret=" in gate.headers["location"]
        )
        page = c.get(gate.headers["location"])
        doc = tree(page)
        assert doc.css_first("div.panel.callout h1.text-center").text() == "Discretion Advised"
        form = {i.attributes["name"]: i.attributes.get("value", "") for i in doc.css("form input")}
        assert {"ret", "journalid", "entryid", "lj_form_auth", "adult_check"} <= set(form)
        confirmed = c.post(base + "/journal/adult_concepts", data=form)
        assert confirmed.status_code == 302 and confirmed.headers["location"] == form["ret"]
        assert c.get(form["ret"]).status_code == 200
    assert httpx.get(base + "/2025/06/18/", timeout=5).status_code == 302  # no cookie, still gated


def test_reset_truncate_and_stall(fresh_site, client):
    site = fresh_site
    site.add_fault(Fault("reset", path=r"^/2023/", times=1))
    with pytest.raises(httpx.TransportError):
        get(client, site, "nairiporter", "/2023/")
    site.add_fault(Fault("truncate", path=r"^/2022/", times=1))
    with pytest.raises(httpx.TransportError):
        get(client, site, "nairiporter", "/2022/")
    stall = site.add_fault(Fault("stall", path=r"^/2024/", times=1))
    result: dict[str, int] = {}

    def fetch() -> None:
        result["status"] = httpx.get(site.url("nairiporter") + "2024/", timeout=5).status_code

    worker = threading.Thread(target=fetch)
    worker.start()
    worker.join(timeout=0.05)  # held: the request does not finish on its own
    assert worker.is_alive() and "status" not in result
    stall.release()
    worker.join(timeout=5)
    assert result["status"] == 200


# --- dates, generator, minimum --------------------------------------------------------------


def test_date_and_time_formats():
    t = datetime(2025, 7, 4, 8, 15)
    expected = {
        "iso": "2025-07-04",
        "short": "7/4/25",
        "short_dayfirst": "4/7/25",
        "short_dayfirst_full": "04/07/2025",
        "med": "Jul. 4th, 2025",
        "med_dayfirst": "4 Jul 2025",
        "med_day_iso": "2025-Jul-04, Friday",
        "med_day": "Fri, Jul. 4th, 2025",
        "long": "July 4th, 2025",
        "long_dayfirst": "4 July 2025",
        "long_day": "Friday, July 4th, 2025",
        "long_day_dayfirst": "Friday, 4 July 2025",
    }
    assert {f: format_date(t, f) for f in DATE_FORMATS} == expected
    assert (
        format_time(t, "short") == "08:15 am"
        and format_time(t + timedelta(hours=13), "short_24") == "21:15"
    )
    linked = format_date(t, "long_day", linkify=True)
    assert (
        linked
        == 'Friday, <a href="/2025/07/">July</a> <a href="/2025/07/04/">4th</a>, <a href="/2025/">2025</a>'
    )


def test_generator_is_deterministic_and_fast():
    start = time.perf_counter()
    big = generate_journal("bigjournal", 10_000, seed=3)
    assert time.perf_counter() - start < 5
    assert len(big.entries) == 10_000
    assert 40_000 <= sum(len(e.comments) for e in big.entries) <= 60_000
    a, b = generate_journal("small", 60, seed=9), generate_journal("small", 60, seed=9)
    assert [(e.itemid, e.subject, len(e.comments)) for e in a.entries] == [
        (e.itemid, e.subject, len(e.comments)) for e in b.entries
    ]


def test_minimum_requests_for_sample_journals():
    nairi, tea = build_sample_site()
    counts = minimum_requests(nairi)
    assert counts["total"] == sum(v for k, v in counts.items() if k != "total")
    assert counts["total"] == len(minimum_request_plan(nairi))
    assert counts["year_pages"] == 4 and counts["robots"] == counts["profile"] == 1
    assert counts["comment_pages"] >= 1 and counts["thread_views"] >= 1
    assert minimum_requests(tea)["year_pages"] == 2
