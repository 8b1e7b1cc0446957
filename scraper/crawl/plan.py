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
    max_run: int = 3,
) -> tuple[list[int], list[str]]:
    """Choose `/?skip=N` pages and day pages so that every day's entries are read.

    `days_desc` lists (day, visible entry count) newest first, as the year pages say; `seen`
    counts the entries already read per day (from the recent page). The recent page shows entries
    newest first, `page_size` per page, and reaches back only `max_scrollback` entries, so skip
    page k (k >= 1) shows positions [k*P, k*P+P) of that order. A day is complete once all its
    positions are on pages read; every other day needs its own day page. The plan minimises
    (skip pages + day pages) greedily, trying runs of up to `max_run` consecutive skip pages so a
    day spanning page boundaries is counted right.

    Returns (skip values, days needing a day page), both in crawl order.
    """
    days = [(d, c) for d, c in days_desc if c > 0]
    if page_size <= 0:
        return [], [d for d, c in days if seen.get(d, 0) < c]
    first = page_size if first_page_positions is None else first_page_positions
    spans: dict[str, tuple[int, int]] = {}
    pos = 0
    for day, count in days:
        spans[day] = (pos, pos + count)
        pos += count
    max_skip = max(0, max_scrollback - page_size)
    blocks = [k for k in range(1, max_skip // page_size + 1) if k * page_size < pos]

    def covered(chosen: set[int]) -> set[str]:
        out = set()
        for day, count in days:
            if seen.get(day, 0) >= count:
                out.add(day)
                continue
            start, end = spans[day]
            ok = True
            for p in range(start, end):
                if p < first:
                    continue
                k = p // page_size
                if k not in chosen or p >= max_scrollback:
                    ok = False
                    break
            if ok:
                out.add(day)
        return out

    def cost(chosen: set[int]) -> int:
        return len(chosen) + (len(days) - len(covered(chosen)))

    chosen: set[int] = set()
    best = cost(chosen)
    improved = True
    while improved:
        improved = False
        best_add: tuple[int, ...] | None = None
        for run in range(1, max_run + 1):
            for i in range(len(blocks) - run + 1):
                add = tuple(blocks[i : i + run])
                if all(b in chosen for b in add):
                    continue
                c = cost(chosen | set(add))
                if c < best:
                    best, best_add = c, add
        if best_add is not None:
            chosen |= set(best_add)
            improved = True
    done = covered(chosen)
    return [k * page_size for k in sorted(chosen)], [d for d, _ in days if d not in done]


def collapsed_threads_to_fetch(
    comments: Iterable[CommentRecord], stored_bodies: set[int]
) -> list[int]:
    """The collapsed comments whose `?thread=` view is needed.

    Dreamwidth prints a collapsed comment's whole subtree collapsed, and a `?thread=ID` view shows
    ID full with its subtree collapsed by the same rules. So only the topmost collapsed comment
    of each collapsed subtree is worth a request, and only when some comment in that subtree has
    no stored body yet.
    """
    comments = list(comments)
    collapsed = {c.commentid: c for c in comments if c.collapsed}
    children: dict[int, list[int]] = {}
    for c in comments:
        if c.parent_commentid is not None:
            children.setdefault(c.parent_commentid, []).append(c.commentid)
    out = []
    for c in comments:
        if not c.collapsed or c.parent_commentid in collapsed:
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
