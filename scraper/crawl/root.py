"""The journal's front page and its profile: is this a journal we may archive, and whose?

`read_root` turns the first response of a crawl into the journal's recent-entries listing, or
into one clear reason why the address is not an archivable journal (NotAJournal; Blocked for a
captcha). The profile handler reads /profile once per crawl.
"""

from __future__ import annotations

from .. import parse
from ..errors import Blocked, NotAJournal, ParseError
from ..records import ListingPage
from ..store.commit import SaveJournal, SaveProfile
from ..store.queue import QueueItem
from .step import CrawlContext, FetchedPage, Step


def read_root(page: FetchedPage, ctx: CrawlContext) -> ListingPage:
    """The recent-entries listing at the journal's root, checked to be a journal's."""
    url = page.url
    if page.status in (404, 410):
        raise NotAJournal(f"no journal at {url} (HTTP {page.status})")
    if page.status != 200:
        notice = parse.parse_interstitial(page.parsed, page.status, url)
        what = notice.message if notice else f"HTTP {page.status}"
        raise NotAJournal(f"{url} is not an archivable journal: {what}")
    kind = parse.page_kind(page.parsed)
    if kind == "interstitial":
        notice = parse.parse_interstitial(page.parsed, page.status, url)
        if notice and notice.kind == "captcha":
            raise Blocked(f"captcha page at {url}: stopping (retrying gets IPs banned)", url)
        raise NotAJournal(f"{url} is not a journal: {notice.message if notice else kind}")
    if kind != "recent":
        raise NotAJournal(f"{url} is not a journal's recent-entries page (looks like {kind})")
    try:
        listing = parse.parse_listing_page(page.parsed, url)
    except ParseError as exc:
        raise NotAJournal(f"{url} does not look like a journal: {exc}") from None
    if not listing.journal.name:
        raise NotAJournal(f"{url}: the page does not say whose journal it is")
    return listing


def journal_step(listing: ListingPage, ctx: CrawlContext, step: Step) -> None:
    """Save the journal's name and title with `step` (and warn when it is not the journal the
    user asked for)."""
    name = listing.journal.name
    assert name is not None
    expected = ctx.expected_name
    if expected and name.lower() != expected.lower().replace("-", "_"):
        step.report("warning", message=f"{ctx.root} belongs to '{name}', not '{expected}'")
    step.records.insert(0, SaveJournal(listing.journal, ctx.root))


def handle_profile(page: FetchedPage, item: QueueItem, ctx: CrawlContext) -> Step:
    if page.status != 200:
        step = Step(info={"status": page.status})
        step.report("warning", message=f"profile not available (HTTP {page.status})")
        return step
    return Step(records=[SaveProfile(parse.parse_profile_page(page.parsed, page.url))])
