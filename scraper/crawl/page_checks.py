"""Is a fetched page the page the crawl asked for? Status, captcha and page-kind checks that
every handler of a journal page makes before parsing it."""

from __future__ import annotations

from .. import parse
from ..errors import Blocked, ParseError
from .step import FetchedPage


def journal_page_problem(page: FetchedPage, expect: set[str]) -> str | None:
    """Why `page` is not a journal page of a kind in `expect` (None when it is).

    A captcha raises Blocked (stop at once: retrying gets IPs banned); a page of another kind
    raises ParseError (a recorded parse problem); a non-200 answer or another notice is a
    problem text (the item fails and is retried by the next run)."""
    if page.status != 200:
        return f"HTTP {page.status}"
    kind = parse.page_kind(page.parsed)
    if kind == "interstitial":
        notice = parse.parse_interstitial(page.parsed, page.status, page.url)
        if notice and notice.kind == "captcha":
            raise Blocked(f"captcha page at {page.url}: stopping", page.url)
        return notice.message if notice else "interstitial page"
    if kind not in expect:
        raise ParseError(f"expected a {'/'.join(sorted(expect))} page, got {kind}")
    return None
