"""Pure planning: which pages give complete data with the fewest requests.

No I/O here: functions take what the archive already knows (calendar counts, what a page showed,
which comment bodies are stored) and return URLs-to-be as plain values, so the choices can be
unit-tested and benchmarked against the fake site's computed minimum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..records import CommentRecord


def plan_listing_cover(
    days_desc: Sequence[tuple[str, int]],
    seen: Mapping[str, int],
    page_size: int,
    *,
    first_page_positions: int | None = None,
    max_scrollback: int = 100,
) -> tuple[list[int], list[str]]:
    """Choose `/?skip=N` pages and day pages so that every day's entries are read.

    `days_desc` lists (day, visible entry count) newest first, as the year pages say; `seen`
    counts the entries already read per day (from the recent page). The recent page lists
    entries newest first, `page_size` per page, from any offset `skip` up to
    `max_scrollback - page_size` (Dreamwidth clamps larger values), so a skip page shows
    positions [skip, skip + page_size) of that order and nothing past `max_scrollback`. A day is
    complete once all its positions are on pages read; every other day needs its own day page.

    Minimises (skip pages + day pages) exactly, by dynamic programming over the days in order
    with the furthest position already covered as the state. Returns (skip values, days needing
    a day page), both in crawl order.
    """
    days = [(d, c) for d, c in days_desc if c > 0]
    spans: list[tuple[str, int, int]] = []
    pos = 0
    for day, count in days:
        spans.append((day, pos, pos + count))
        pos += count
    first = page_size if first_page_positions is None else first_page_positions
    max_skip = max_scrollback - page_size
    if page_size <= 0 or max_skip < 1:
        return [], [d for d, c in days if seen.get(d, 0) < c]

    memo: dict[tuple[int, int], tuple[int, tuple[int, ...], tuple[str, ...]]] = {}

    def best(i: int, covered_to: int) -> tuple[int, tuple[int, ...], tuple[str, ...]]:
        # cost, skip starts, day pages for days[i:], given positions < covered_to are read
        if i == len(spans):
            return 0, (), ()
        key = (i, covered_to)
        if key in memo:
            return memo[key]
        day, a, b = spans[i]
        count = b - a
        if seen.get(day, 0) >= count or b <= covered_to:
            result = best(i + 1, covered_to)
        else:
            cost, skips, pages = best(i + 1, covered_to)
            result = (cost + 1, skips, (day,) + pages)
            if b <= max_scrollback:
                start = max(covered_to, a)
                n = -(-(b - start) // page_size)
                starts = tuple(min(start + k * page_size, max_skip) for k in range(n))
                reach = min(start + n * page_size, max_scrollback)
                cost2, skips2, pages2 = best(i + 1, reach)
                if cost2 + n < result[0]:
                    result = (cost2 + n, starts + skips2, pages2)
        memo[key] = result
        return result

    # Only days starting inside the scrollback window can be read from skip pages (at most
    # max_scrollback of them, so the recursion stays shallow); older days need day pages.
    older = [(d, a, b) for d, a, b in spans if a >= max_scrollback]
    spans = [sp for sp in spans if sp[1] < max_scrollback]
    _, skips, pages = best(0, first)
    pages += tuple(d for d, a, b in older if seen.get(d, 0) < b - a)
    return sorted(set(skips)), list(pages)


def collapsed_threads_to_fetch(
    comments: Iterable[CommentRecord], stored_bodies: set[int]
) -> list[int]:
    """The collapsed comments whose `?thread=` view is needed.

    Dreamwidth prints a collapsed comment's whole subtree collapsed, and a `?thread=ID` view shows
    ID full with its subtree collapsed by the same rules. So only the topmost collapsed comment
    of each collapsed subtree is worth a request (a deleted or screened placeholder between two
    collapsed comments does not start a new subtree), and only when some comment in that subtree
    has no stored body yet.
    """
    comments = list(comments)
    collapsed = {c.commentid: c for c in comments if c.collapsed}
    parent_of = {c.commentid: c.parent_commentid for c in comments}
    children: dict[int, list[int]] = {}
    for c in comments:
        if c.parent_commentid is not None:
            children.setdefault(c.parent_commentid, []).append(c.commentid)

    def under_collapsed(cid: int) -> bool:
        # a collapsed ancestor's thread view shows this one too (even through a deleted or
        # screened placeholder in between)
        seen = set()
        parent = parent_of.get(cid)
        while parent is not None and parent not in seen:
            if parent in collapsed:
                return True
            seen.add(parent)
            parent = parent_of.get(parent)
        return False

    out = []
    for c in comments:
        if not c.collapsed or under_collapsed(c.commentid):
            continue
        stack, missing = [c.commentid], False
        while stack and not missing:
            cid = stack.pop()
            if cid in collapsed and cid not in stored_bodies:
                missing = True
            stack.extend(children.get(cid, ()))
        if missing:
            out.append(c.commentid)
    return out


def collapsed_subtree_sizes(
    comments: Iterable[CommentRecord], roots: Iterable[int]
) -> dict[int, int]:
    """For each root (a collapsed comment to open), how many collapsed comments its subtree
    shows on this page, itself included: what its `?thread=` views will have to bring."""
    comments = list(comments)
    children: dict[int, list[int]] = {}
    for c in comments:
        if c.parent_commentid is not None:
            children.setdefault(c.parent_commentid, []).append(c.commentid)
    collapsed = {c.commentid for c in comments if c.collapsed}
    sizes = {}
    for root in roots:
        stack, size, seen = [root], 0, set()
        while stack:
            cid = stack.pop()
            if cid in seen:
                continue
            seen.add(cid)
            size += cid in collapsed
            stack.extend(children.get(cid, ()))
        sizes[root] = size
    return sizes
