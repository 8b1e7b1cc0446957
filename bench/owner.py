"""Owner mode against the anonymous reader's HTML path, on the same generated journals.

For owner-mode journals of the fake site (scraper.fakesite.protocol.build_owner_journal: every
security level, screened/frozen/deleted comments, an id gap), this archives each journal twice
(owner mode with the API key; anonymously, page by page) and reports both request counts, the
owner-mode minimum (session + ceil(items/500) syncitems + ceil(entries/100) getevents + comment
windows + expire, plus the login for the mood list, robots.txt and the profile page) and the
ratio anonymous / owner, and what a no-change owner-mode sync costs. Used by bench/requests.py,
which prints the table.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.common import CONTACT, archive_in_process

OWNER_TARGET = 1.05  # owner-mode requests / its minimum
NOCHANGE_OWNER_TARGET = 4  # session, syncitems, comment meta, expire


def bench_owner(entries: int, mean_comments: float, tmp: Path) -> dict:
    from scraper.crawl import CrawlMode
    from scraper.crawl.owner import OwnerAccess
    from scraper.crawl.owner_plan import minimum_requests
    from scraper.fakesite import FakeSite
    from scraper.fakesite.protocol import OWNER_API_KEY, OWNER_NAME, build_owner_journal
    from scraper.fakesite.protocol.entries import sync_items
    from scraper.parse.owner.secret import Secret

    journal = build_owner_journal(n_entries=entries, mean_comments=mean_comments)
    access = OwnerAccess(OWNER_NAME, Secret(OWNER_API_KEY), OWNER_NAME)
    comments = sum(len(e.comments) for e in journal.entries)
    maxid = max((c.jtalkid for e in journal.entries for c in e.comments), default=0)
    items = len(sync_items(journal, ""))
    minimum = minimum_requests(sync_items=items, entries=len(journal.entries), comment_maxid=maxid)
    minimum += 3  # login (the mood list), robots.txt and the profile page
    out: dict = {"entries": len(journal.entries), "comments": comments, "minimum": minimum}
    with FakeSite([journal]) as site:
        url = site.url(journal.name)
        t0 = time.perf_counter()
        owner_db = tmp / f"owner-{entries}.db"
        summary = archive_in_process(url, journal.name, owner_db, owner=access)
        out["owner_s"] = time.perf_counter() - t0
        out["owner_outcome"] = summary.outcome
        out["owner_requests"] = len(site.log(journal.name))
        site.clear_log()
        sync = archive_in_process(
            url, journal.name, owner_db, owner=access, mode=CrawlMode.INCREMENTAL, command="sync"
        )
        out["owner_sync_requests"] = len(site.log(journal.name))
        out["owner_sync_outcome"] = sync.outcome
        site.clear_log()
        t0 = time.perf_counter()
        anonymous = archive_in_process(url, journal.name, tmp / f"anon-{entries}.db")
        out["anonymous_s"] = time.perf_counter() - t0
        out["anonymous_outcome"] = anonymous.outcome
        out["anonymous_requests"] = len(site.log(journal.name))
    out["ratio"] = out["owner_requests"] / minimum
    out["anonymous_per_owner"] = out["anonymous_requests"] / out["owner_requests"]
    out["hours_anonymous_at_24"] = out["anonymous_requests"] / 24 / 60
    out["minutes_owner_at_60"] = out["owner_requests"] / 60
    return out


__all__ = ["CONTACT", "NOCHANGE_OWNER_TARGET", "OWNER_TARGET", "bench_owner"]
