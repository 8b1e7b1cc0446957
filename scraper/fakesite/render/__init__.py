"""Route a journal URL to its page: the fake site's equivalent of DW::Controller::Journal.

`render_journal()` turns (journal, path, query) into a `Response` for a logged-out reader:
renamed journals redirect, robots.txt is plain text, suspended/deleted/purged journals get their
status pages, /profile and the feeds are served, and the S2 views (recent, archive, day, month,
year, tags, entry pages) are rendered from the live model by the render_* modules. Unknown paths
get the site's 404 page, locked entries the 403 "Protected" notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import parse_qs, quote, unquote_plus, urlsplit

from ..comments import comment_view
from ..model import FakeJournal
from .archive import day_data, default_year, recent_data
from .common import PageContext
from .feed import atom_feed, last_modified, rss_feed
from .layouts import choose_rendering, renderer
from .profile import profile_page
from .site import (
    adult_page,
    deleted_page,
    not_found_page,
    protected_page,
    purged_page,
    suspended_page,
    tag_error_page,
    unknown_journal_page,
)

HTML = "text/html; charset=utf-8"
JOURNAL_CACHE = ("Cache-Control", "private, proxy-revalidate")
STYLESHEET = "body { font-family: 'Trebuchet MS', Arial, sans-serif; }\n"


@dataclass
class Response:
    """A rendered answer: status, headers and body bytes."""

    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def html(cls, status: int, text: str, journal_page: bool = False) -> Response:
        headers = [("Content-Type", HTML)]
        if journal_page:
            headers.append(JOURNAL_CACHE)
        return cls(status, text.encode("utf-8"), headers)

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Response:
        return cls(status, b"", [("Location", location), ("Content-Type", HTML)])


def parse_query(query: str) -> dict[str, str]:
    """First value of each query argument (blank values kept)."""
    return {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def adult_gate_url(ctx: PageContext, kind: str, return_url: str) -> str:
    """Where the adult-content check sends a reader (on the journal's own host here)."""
    return ctx.url(f"/journal/adult_{kind}?ret={quote(return_url, safe='')}")


def render_journal(
    journal: FakeJournal,
    path: str,
    query: str,
    ctx: PageContext,
    if_modified_since: str | None = None,
) -> Response:
    """The page for GET path?query on this journal, as an anonymous reader gets it."""
    if journal.renamed_to:
        target = (
            ctx.user_url(journal.renamed_to).rstrip("/") + path + (f"?{query}" if query else "")
        )
        return Response.redirect(target, 301)
    if path == "/robots.txt":
        text = "User-Agent: *\n" + ("Disallow: /\n" if journal.robots_block else "")
        return Response(200, text.encode(), [("Content-Type", "text/plain; charset=utf-8")])
    status_page = _status_page(journal, ctx)
    if status_page is not None:
        return status_page
    args = parse_query(query)
    if path == "/profile":
        return Response.html(200, profile_page(ctx))
    if path in ("/data/atom", "/data/atom/", "/data/rss", "/data/rss/"):
        return _feed(ctx, path, if_modified_since)
    if path == "/rss":
        return Response.redirect(ctx.url("/data/rss"), 301)
    if path.startswith("/res/") and path.endswith("/stylesheet"):
        return Response(200, STYLESHEET.encode(), [("Content-Type", "text/css")])
    full_url = ctx.url(path) + (f"?{query}" if query else "")
    if journal.adult and not ctx.adult_ok and _is_s2_view(path):
        return Response.redirect(adult_gate_url(ctx, "concepts", full_url))
    return _s2_view(journal, path, args, ctx, full_url)


def _status_page(journal: FakeJournal, ctx: PageContext) -> Response | None:
    if journal.status == "suspended":
        return Response.html(403, suspended_page(ctx))
    if journal.status == "deleted":
        return Response.html(404, deleted_page(ctx))
    if journal.status == "purged":
        return Response.html(410, purged_page(ctx.site_root))
    return None


def _feed(ctx: PageContext, path: str, if_modified_since: str | None) -> Response:
    modified = last_modified(ctx)
    headers = [("Content-Type", "text/xml; charset=utf-8")]
    if modified is not None:
        headers.append(("Last-Modified", http_date(modified)))
        if if_modified_since and _not_modified(modified, if_modified_since):
            return Response(304, b"", [h for h in headers if h[0] != "Content-Type"])
    body = atom_feed(ctx) if "atom" in path else rss_feed(ctx)
    return Response(200, body.encode("utf-8"), headers)


def http_date(moment: datetime) -> str:
    """RFC 7231 date for a naive UTC datetime."""
    return format_datetime(moment.replace(tzinfo=UTC), usegmt=True)


def _not_modified(modified: datetime, header: str) -> bool:
    """True when If-Modified-Since is not older than the feed's Last-Modified."""
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since is None:
        return False
    if since.tzinfo is not None:
        since = since.astimezone(UTC).replace(tzinfo=None)
    return modified.replace(microsecond=0) <= since


S2_PATTERNS = {
    "year": re.compile(r"^/(\d{4})/?$"),
    "month": re.compile(r"^/(\d{4})/(\d{2})/?$"),
    "day": re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/?$"),
    "entry": re.compile(r"^/(\d+)\.html$"),
    "tag": re.compile(r"^/tag/(.+)$"),
}


def _is_s2_view(path: str) -> bool:
    if path in ("/", "/tag/", "/tag", "/archive", "/archive/"):
        return True
    return any(p.match(path) for p in S2_PATTERNS.values())


def _s2_view(
    journal: FakeJournal, path: str, args: dict[str, str], ctx: PageContext, full_url: str
) -> Response:
    match = S2_PATTERNS["entry"].match(path)
    if match:
        return _entry_page(journal, int(match.group(1)), args, ctx, full_url)
    ctx = choose_rendering(journal, args, False, ctx)
    pages = renderer(ctx)
    if path == "/":
        return _page(ctx, pages.recent(ctx, recent_data(ctx, args.get("skip"))))
    if path == "/tag":
        return Response.redirect(ctx.url("/tag/"))
    if path == "/tag/":
        return _page(ctx, pages.tags(ctx))
    if path in ("/archive", "/archive/"):
        return _page(ctx, pages.year(ctx, default_year(ctx)) or "")
    legacy = re.match(r"^/(day|calendar)(/.*)$", path)
    if legacy:
        return Response.redirect(ctx.url(legacy.group(2)))
    match = S2_PATTERNS["tag"].match(path)
    if match:
        tag = unquote_plus(match.group(1)).rstrip("/")
        if tag not in journal.index.tags:
            return Response.html(404, tag_error_page(ctx.site_root))
        return _page(ctx, pages.recent(ctx, recent_data(ctx, args.get("skip"), tag)))
    match = S2_PATTERNS["year"].match(path)
    if match:
        return _page(ctx, pages.year(ctx, int(match.group(1))))
    match = S2_PATTERNS["month"].match(path)
    if match:
        return _page(ctx, pages.month(ctx, int(match.group(1)), int(match.group(2))))
    match = S2_PATTERNS["day"].match(path)
    if match:
        data = day_data(ctx, *(int(g) for g in match.groups()))
        return _page(ctx, pages.day(ctx, data) if data else None)
    return Response.html(404, not_found_page(ctx.site_root))


def _page(ctx: PageContext, text: str | None) -> Response:
    """A rendered S2 view: journal pages carry Cache-Control; siteviews pages are handed to the
    site scheme instead (DW::Controller::Journal returns before setting it); None is a 404."""
    if text is None:
        return Response.html(404, not_found_page(ctx.site_root))
    return Response.html(200, text, ctx.rendering != "siteviews")


def _entry_page(
    journal: FakeJournal, itemid: int, args: dict[str, str], ctx: PageContext, full_url: str
) -> Response:
    entry = journal.index.by_itemid.get(itemid)
    if entry is None:
        return Response.html(404, not_found_page(ctx.site_root))
    if not entry.is_public:
        return Response.html(403, protected_page(ctx.site_root, full_url))
    if entry.restrictions and not ctx.adult_ok:
        kind = "explicit" if entry.restrictions == "18" else "concepts"
        return Response.redirect(adult_gate_url(ctx, kind, full_url))
    ctx = choose_rendering(journal, args, True, ctx)
    pages = renderer(ctx)
    view_arg = args.get("view", "")
    if args.get("mode") == "reply" or "replyto" in args:
        return _page(ctx, pages.reply(ctx, entry))
    view_number = re.search(r"(\d+)", view_arg)
    comments = comment_view(
        entry,
        page=_int(args.get("page")),
        thread=_int(args.get("thread")),
        flat="flat" in view_arg,
        top_only="top-only" in view_arg,
        view=int(view_number.group(1)) if view_number else None,
    )
    return _page(ctx, pages.entry(ctx, entry, comments))


def render_adult_gate(ctx: PageContext, kind: str, query: str, form_auth: str) -> Response:
    """GET /journal/adult_concepts|adult_explicit?ret=URL: the interstitial."""
    ret = parse_query(query).get("ret", "")
    if not ret:
        return Response.redirect(ctx.site_root)
    entryid = 0
    match = re.search(r"/(\d+)\.html", urlsplit(ret).path)
    if match:
        entryid = int(match.group(1))
    form_url = ctx.url(f"/journal/adult_{kind}")
    return Response.html(200, adult_page(ctx, kind, ret, entryid, form_url, form_auth))


def render_unknown_journal(name: str, site_root: str) -> Response:
    return Response.html(404, unknown_journal_page(site_root, name))


def render_not_found(site_root: str) -> Response:
    return Response.html(404, not_found_page(site_root))
