"""Write representative fake-site pages to disk as parser fixtures (tests/fixtures/site_*.html).

    python -m scraper.fakesite.export_fixtures tests/fixtures

Pages are rendered from the sample site with the real site's URLs
(https://nairiporter.dreamwidth.org/, https://tea-garden.dreamwidth.org/,
https://www.dreamwidth.org/) so they look like saved Dreamwidth pages. Alongside the pages,
site_manifest.json records each fixture's URL, HTTP status and the facts a parser test can check
(ids, counts, dates).

The same sample journal in every other rendering goes to layout_<rendering>_<view>.html
(`layout_fixture_pages()`): recent, day, year, entry (the 72-comment open thread's first page:
full and collapsed comments, deleted, screened and suspended placeholders) and entry_thread (a
?thread= view of its first collapsed comment) for drifting, negatives and zesty; the same views
asked with ?format=light for siteviews, plus layout_siteviews_entry_owner.html (the entry page
without a parameter, as served when the owner turned off "show entry pages in my journal style":
siteviews in the default site skin). layout_manifest.json holds their URLs and facts.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from urllib.parse import quote

from .comments import CommentView, comment_view, shown_count
from .generate import ZESTY_ENTRIES_PER_PAGE, style_for
from .model import FakeEntry, FakeJournal
from .render import Response, render_adult_gate, render_journal
from .render.common import PageContext, user_host_url
from .render.site import captcha_page
from .sample import big_thread_entry, build_sample_site, seed_entry

SITE_ROOT = "https://www.dreamwidth.org/"
FORM_AUTH = "c0:1751652000:4b1d0a7e5c3f2e1d0c9b8a7f6e5d4c3b"


def _ctx(journal: FakeJournal, types: dict[str, str]) -> PageContext:
    return PageContext(
        journal=journal, base_url=user_host_url(journal.name), site_root=SITE_ROOT, user_types=types
    )


def _page(journal: FakeJournal, types: dict[str, str], target: str) -> tuple[Response, str]:
    path, _, query = target.partition("?")
    ctx = _ctx(journal, types)
    return render_journal(journal, path, query, ctx), ctx.url(target)


def fixture_pages() -> dict[str, tuple[Response, str, dict]]:
    """kind -> (response, url, facts) for every fixture."""
    nairi, tea = build_sample_site()
    types = {j.name: j.journal_type_letter for j in (nairi, tea)}
    seed, big = seed_entry(nairi), big_thread_entry(nairi)
    cut_entry = next(e for e in nairi.entries if e.subject == "<i>Linden</i> season")
    nosubject = next(e for e in nairi.entries if e.subject == "" and e.posted_at.year == 2025)
    locked = next(e for e in nairi.entries if not e.is_public)
    first_view = comment_view(big)
    thread_root = first_view.collapsed_ids()[0]
    tea_entry = max(
        (e for e in tea.entries if e.is_public), key=lambda e: (len(e.comments), e.itemid)
    )
    tea_day = next(d for d, es in tea.index.days.items() if len(es) > 1)
    pages: dict[str, tuple[Response, str, dict]] = {}

    def add(kind: str, journal: FakeJournal, target: str, **facts: object) -> None:
        response, url = _page(journal, types, target)
        pages[kind] = (response, url, dict(facts))

    add("recent", nairi, "/", entries=nairi.style.entries_per_page)
    add("recent_skip", nairi, "/?skip=20", skip=20)
    add(
        "year",
        nairi,
        "/2025/",
        year=2025,
        days={str(d): n for d, n in _year_days(nairi, 2025).items()},
    )
    add("month", nairi, "/2025/06/", month="2025-06")
    add(
        "day",
        nairi,
        "/2025/06/11/",
        day="2025-06-11",
        itemids=[e.itemid for e in nairi.index.day_entries(cut_entry.posted_at.date())],
    )
    add(
        "entry_simple",
        nairi,
        f"/{seed.itemid}.html",
        itemid=seed.itemid,
        comments=shown_count(seed),
        userpic="sunrays",
    )
    add("entry_cut", nairi, f"/{cut_entry.itemid}.html", itemid=cut_entry.itemid, has_cut=True)
    add("entry_nosubject", nairi, f"/{nosubject.itemid}.html", itemid=nosubject.itemid, comments=0)
    add(
        "entry_comments_page1",
        nairi,
        f"/{big.itemid}.html",
        itemid=big.itemid,
        comments=shown_count(big),
        page=1,
        pages=first_view.pages,
        full=len(first_view.full_ids()),
        collapsed=len(first_view.collapsed_ids()),
    )
    second = comment_view(big, page=2)
    add(
        "entry_comments_page2",
        nairi,
        f"/{big.itemid}.html?page=2",
        itemid=big.itemid,
        page=2,
        full=len(second.full_ids()),
        collapsed=len(second.collapsed_ids()),
    )
    thread = comment_view(big, thread=thread_root)
    add(
        "entry_thread",
        nairi,
        f"/{big.itemid}.html?thread={thread_root}",
        itemid=big.itemid,
        thread=thread_root,
        full=len(thread.full_ids()),
        collapsed=len(thread.collapsed_ids()),
    )
    add("entry_flat", nairi, f"/{big.itemid}.html?view=flat", itemid=big.itemid, view="flat")
    add("entry_locked_403", nairi, f"/{locked.itemid}.html", itemid=locked.itemid)
    add(
        "entry_community",
        tea,
        f"/{tea_entry.itemid}.html",
        itemid=tea_entry.itemid,
        poster=tea_entry.poster,
        comments=shown_count(tea_entry),
    )
    add("recent_community", tea, "/", entries=tea.style.entries_per_page)
    add(
        "day_community",
        tea,
        f"/{tea_day:%Y/%m/%d}/",
        day=str(tea_day),
        date_format="iso",
        time_format="short_24",
    )
    add("tags", nairi, "/tag/", tags=len(nairi.index.tags))
    add("profile_personal", nairi, "/profile", name="nairiporter")
    add(
        "profile_community",
        tea,
        "/profile",
        name="tea_garden",
        maintainers=tea.maintainers,
        members=len(tea.members),
    )
    add("404", nairi, "/no/such/page")
    add("atom", nairi, "/data/atom", entries=min(25, len(nairi.index.feed)))
    _special_pages(pages, nairi, types)
    return pages


def _year_days(journal: FakeJournal, year: int) -> dict:
    return {d: len(es) for d, es in journal.index.days.items() if d.year == year}


def _special_pages(pages: dict, nairi: FakeJournal, types: dict[str, str]) -> None:
    ctx = _ctx(nairi, types)
    ret = ctx.url("/2025/06/18/")
    returnto = quote(ret, safe="")
    pages["captcha"] = (
        Response.html(200, captcha_page(SITE_ROOT, ret, FORM_AUTH)),
        f"{SITE_ROOT}captcha?returnto={returnto}",
        {},
    )
    pages["adult"] = (
        render_adult_gate(ctx, "concepts", f"ret={returnto}", FORM_AUTH),
        ctx.url(f"/journal/adult_concepts?ret={returnto}"),
        {"journalid": nairi.userid},
    )
    for status in ("suspended", "deleted", "purged"):
        clone = copy.copy(nairi)
        clone.status = status
        response, url = _page(clone, types, "/")
        pages[status] = (response, url, {"status": response.status})


LAYOUT_RENDERINGS = ("siteviews", "drifting", "negatives", "zesty")


def _comment_facts(entry: FakeEntry, view: CommentView) -> dict:
    """Which comments a page shows, and how (ids are dtalkids)."""
    by_id = {c.commentid: c for c in entry.comments}
    nodes = list(view.walk())
    return {
        "comments": shown_count(entry),
        "page": view.page,
        "pages": view.pages,
        "full": [n.commentid for n in nodes if n.full],
        "collapsed": [n.commentid for n in nodes if n.kind == "collapsed"],
        "deleted": [n.commentid for n in nodes if n.kind == "deleted"],
        "screened": [n.commentid for n in nodes if n.kind == "screened"],
        "suspended": [n.commentid for n in nodes if n.kind == "suspended"],
        "parents": {str(n.commentid): n.parent_id for n in nodes if n.parent_id},
        "depths": {str(n.commentid): n.depth for n in nodes},
        "dates_utc": {
            str(n.commentid): by_id[n.commentid].posted_at.strftime("%Y-%m-%d %H:%M")
            for n in nodes
            if not n.placeholder
        },
    }


def layout_fixture_pages() -> dict[str, tuple[Response, str, dict]]:
    """name -> (response, url, facts) for the layout_<rendering>_<view>.html fixtures."""
    pages: dict[str, tuple[Response, str, dict]] = {}
    for rendering in LAYOUT_RENDERINGS:
        nairi, tea = build_sample_site()
        types = {j.name: j.journal_type_letter for j in (nairi, tea)}
        if rendering != "siteviews":
            style_for(rendering, nairi.style)
        if rendering == "zesty":
            nairi.style.entries_per_page = ZESTY_ENTRIES_PER_PAGE
        query = "format=light" if rendering == "siteviews" else ""
        big = big_thread_entry(nairi)
        first = comment_view(big)
        thread_root = first.collapsed_ids()[0]
        day = nairi.index.day_entries(next(d for d in nairi.index.days if str(d) == "2025-06-11"))
        year_counts = {str(d): len(es) for d, es in nairi.index.days.items() if d.year == 2025}
        per_page = 20 if rendering == "siteviews" else nairi.style.items_per_page
        views: list[tuple[str, str, dict]] = [
            (
                "recent",
                "/",
                {
                    "itemids": [e.itemid for e in nairi.index.recent[:per_page]],
                    "entries": per_page,
                },
            ),
            ("day", "/2025/06/11/", {"day": "2025-06-11", "itemids": [e.itemid for e in day]}),
            ("year", "/2025/", {"year": 2025, "days": year_counts}),
            (
                "entry",
                f"/{big.itemid}.html",
                {"itemid": big.itemid, "posted_at": str(big.posted_at)[:16]}
                | _comment_facts(big, first),
            ),
            (
                "entry_thread",
                f"/{big.itemid}.html?thread={thread_root}",
                {"itemid": big.itemid, "thread": thread_root}
                | _comment_facts(big, comment_view(big, thread=thread_root)),
            ),
        ]
        for view, target, facts in views:
            if query:
                target += ("&" if "?" in target else "?") + query
            response, url = _page(nairi, types, target)
            facts = {"rendering": rendering, "view": view} | facts
            pages[f"layout_{rendering}_{view}"] = (response, url, facts)
        if rendering == "siteviews":
            nairi.style.entry_pages_in_journal_style = False
            response, url = _page(nairi, types, f"/{big.itemid}.html")
            facts = {"rendering": rendering, "view": "entry", "skin": "celerity"}
            facts |= {"itemid": big.itemid} | _comment_facts(big, first)
            pages["layout_siteviews_entry_owner"] = (response, url, facts)
    return pages


def export_fixtures(outdir: str | Path) -> list[Path]:
    """Write every fixture page plus site_manifest.json and layout_manifest.json."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    manifest = {}
    for kind, (response, url, facts) in fixture_pages().items():
        name = "site_atom.xml" if kind == "atom" else f"site_{kind}.html"
        path = out / name
        path.write_bytes(response.body)
        written.append(path)
        manifest[name] = {"url": url, "status": response.status, **facts}
    manifest_path = out / "site_manifest.json"
    manifest_path.write_text(
        json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
    written.append(manifest_path)
    layouts = {}
    for name, (response, url, facts) in layout_fixture_pages().items():
        path = out / f"{name}.html"
        path.write_bytes(response.body)
        written.append(path)
        layouts[path.name] = {"url": url, "status": response.status, **facts}
    layout_path = out / "layout_manifest.json"
    layout_path.write_text(
        json.dumps(layouts, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
    written.append(layout_path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    outdir = args[0] if args else "tests/fixtures"
    for path in export_fixtures(outdir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
