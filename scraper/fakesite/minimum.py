"""The fewest requests a complete anonymous archive of a journal needs, computed from the model.

This is a lower bound with perfect knowledge of the journal (an oracle knows where day
boundaries fall), for judging how close a real crawl comes. Terms of `minimum_requests()`:

* ``robots``        1: /robots.txt must be read before anything else.
* ``recent``        1: the recent page /, which also shows the newest N visible entries in full.
* ``skip_pages``    /?skip=S pages chosen together with ``day_pages`` (below) so that every one of
                    the newest min(V, max_scrollback) visible entries is shown on some fetched
                    listing. /?skip is clamped to max_scrollback - N, so older entries can only be
                    reached through the archive. A day counts as covered when all its entries lie
                    in the union of the recent page and the chosen skip windows; an uncovered day
                    costs one day page. The split is optimal (dynamic programming over runs of
                    consecutive days; any skip value 1..max_scrollback-N may be used).
* ``year_pages``    one /YYYY/ per year with visible entries: the only way to learn which days
                    have entries (and the per-day counts).
* ``day_pages``     /YYYY/MM/DD/ for every day with visible entries not covered above (all days
                    older than the scrollback limit, plus days the skip windows do not cover).
* ``entry_pages``   /NNN.html for every visible entry with shown comments, a cut, or an adult
                    flag: listings show neither comments nor text behind a cut.
* ``comment_pages`` ?page=2..P for entries whose top-level threads need more than one page.
* ``thread_views``  ?thread=ID views needed to see every shown comment in full (collapsed ones
                    carry no body), chosen greedily: open the topmost comment not yet seen in full;
                    a thread view applies the collapsing rules again to that comment's subtree.
                    In zesty, also one view per comment from a suspended user: zesty prints it
                    like a collapsed anonymous comment, and only its own view tells.
* ``profile``       1: /profile.
* ``total``         the sum.

`minimum_request_plan()` lists the URLs (paths) of such an archive in a sensible order.

Renderings (`rendering=`, one of model.RENDERINGS): what a page shows is the same in every
rendering, so the terms are the same, except the recent page's size. siteviews pages always show
core2's default of 20 entries (num_items_recent, styles/core2.s2:1299; the journal's own layers
are not loaded, LJ/User/Styles.pm:660-672), whatever `StyleSettings.entries_per_page` says; the
layouts print `entries_per_page` (the generator gives zesty journals that layout's default of 10,
styles/zesty/layout.s2:160). A ?thread= view in zesty prints only the comments, not the entry
(zesty:2514), which changes no count: the entry page is fetched anyway. `query` appends
viewing-style arguments (e.g. "format=light") to every S2 view of the plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from .comments import all_pages, comment_view, expansion_plan, shown_count
from .model import RENDERINGS, FakeEntry, FakeJournal

SITEVIEWS_PAGE_SIZE = 20  # num_items_recent in core2 (styles/core2.s2:1299), as siteviews prints it


def recent_page_size(journal: FakeJournal, rendering: str | None = None) -> int:
    """Entries per recent page in a rendering (None: the journal's own pages)."""
    if rendering is not None and rendering not in RENDERINGS:
        raise ValueError(f"unknown rendering {rendering!r}")
    if rendering == "siteviews":
        return SITEVIEWS_PAGE_SIZE
    return journal.style.items_per_page


@dataclass
class _Segment:
    day: object
    start: int
    end: int  # inclusive positions in the recent order


def _segments(entries: list[FakeEntry]) -> list[_Segment]:
    segments: list[_Segment] = []
    for pos, entry in enumerate(entries):
        day = entry.posted_at.date()
        if segments and segments[-1].day == day and segments[-1].end == pos - 1:
            segments[-1].end = pos
        else:
            segments.append(_Segment(day, pos, pos))
    return segments


def _windows_for(x: int, y: int, page: int, maxskip: int) -> list[int]:
    """Skip values whose windows [s, s+page) cover positions x..y (the root covers 0..page-1)."""
    starts: list[int] = []
    pos = max(x, page)
    while pos <= y:
        start = min(pos, maxskip)
        starts.append(start)
        pos = start + page
    return starts


def listing_plan(
    journal: FakeJournal,
    entries_per_page: int | None = None,
    max_scrollback: int | None = None,
    rendering: str | None = None,
) -> tuple[list[int], list[object]]:
    """(skip values, days needing a day page) covering every visible entry with fewest requests."""
    style = journal.style
    page = min(50, max(1, entries_per_page or recent_page_size(journal, rendering)))
    scrollback = max_scrollback or style.max_scrollback
    maxskip = max(0, scrollback - page)
    recent = journal.index.recent
    reach = min(len(recent), maxskip + page)
    segs = _segments(recent)
    best = [0] * (len(segs) + 1)
    choice: list[int | None] = [None] * (len(segs) + 1)
    for j in range(1, len(segs) + 1):
        best[j], choice[j] = best[j - 1] + 1, None
        if segs[j - 1].end >= reach:
            continue
        for i in range(1, j + 1):
            cost = best[i - 1] + len(
                _windows_for(segs[i - 1].start, segs[j - 1].end, page, maxskip)
            )
            if cost < best[j]:
                best[j], choice[j] = cost, i
    skips: list[int] = []
    day_segments: list[_Segment] = []
    j = len(segs)
    while j > 0:
        start = choice[j]
        if start is None:
            day_segments.append(segs[j - 1])
            j -= 1
        else:
            skips += _windows_for(segs[start - 1].start, segs[j - 1].end, page, maxskip)
            j = start - 1
    covered = _covered_positions(sorted(set(skips)), page, len(recent))
    days = {seg.day for seg in day_segments}
    for seg in segs:  # a day split across segments is covered only if every part is
        if any(p not in covered for p in range(seg.start, seg.end + 1)):
            days.add(seg.day)
    return sorted(set(skips)), sorted(days)  # type: ignore[type-var]


def _covered_positions(skips: list[int], page: int, total: int) -> set[int]:
    covered = set(range(min(page, total)))
    for skip in skips:
        covered.update(range(skip, min(skip + page, total)))
    return covered


def _needs_entry_page(entry: FakeEntry) -> bool:
    return (
        (entry.comments_enabled and shown_count(entry) > 0)
        or entry.cut_html is not None
        or entry.restrictions is not None
    )


def minimum_requests(
    journal: FakeJournal,
    entries_per_page: int | None = None,
    max_scrollback: int | None = None,
    rendering: str | None = None,
) -> dict[str, int]:
    """Itemised fewest requests for a complete anonymous archive (see the module docstring)."""
    index = journal.index
    skips, days = listing_plan(journal, entries_per_page, max_scrollback, rendering)
    entry_pages = comment_pages = thread_views = 0
    for entry in index.recent:
        if not _needs_entry_page(entry):
            continue
        entry_pages += 1
        if entry.comments_enabled and entry.comments:
            pages, threads = expansion_plan(entry)
            comment_pages += max(0, pages - 1)
            thread_views += len(threads)
            if rendering == "zesty":
                thread_views += len(zesty_probes(entry, threads))
    result = {
        "robots": 1,
        "recent": 1,
        "skip_pages": len(skips),
        "year_pages": len(index.years),
        "day_pages": len(days),
        "entry_pages": entry_pages,
        "comment_pages": comment_pages,
        "thread_views": thread_views,
        "profile": 1,
    }
    result["total"] = sum(result.values())
    return result


def zesty_probes(entry: FakeEntry, threads: list[int]) -> set[int]:
    """Comments from suspended users that zesty shows like collapsed anonymous comments
    (print_comment_partial, zesty/layout.s2:2338): a reader cannot tell them apart without
    opening each one's `?thread=` view, which then says 'suspended'."""
    views = [*all_pages(entry), *(comment_view(entry, thread=t) for t in threads)]
    return {
        c.commentid
        for view in views
        for c in view.walk()
        if c.kind == "suspended" and c.commentid not in threads
    }


def minimum_request_plan(
    journal: FakeJournal,
    entries_per_page: int | None = None,
    max_scrollback: int | None = None,
    rendering: str | None = None,
    query: str = "",
) -> list[str]:
    """The paths (with queries) of a minimal complete archive, in a sensible fetch order;
    `query` ("format=light") is appended to every S2 view."""
    index = journal.index
    skips, days = listing_plan(journal, entries_per_page, max_scrollback, rendering)
    views = ["/"] + [f"/?skip={s}" for s in skips]
    views += [f"/{y}/" for y in index.years]
    views += [f"/{d:%Y/%m/%d}/" for d in days]  # type: ignore[str-format]
    for entry in index.recent:
        if not _needs_entry_page(entry):
            continue
        views.append(f"/{entry.itemid}.html")
        if entry.comments_enabled and entry.comments:
            pages, threads = expansion_plan(entry)
            views += [f"/{entry.itemid}.html?page={n}" for n in range(2, pages + 1)]
            views += [f"/{entry.itemid}.html?thread={t}" for t in threads]
            if rendering == "zesty":
                probes = sorted(zesty_probes(entry, threads))
                views += [f"/{entry.itemid}.html?thread={t}" for t in probes]
    if query:
        views = [v + ("&" if "?" in v else "?") + query for v in views]
    return ["/robots.txt"] + views + ["/profile"]
