"""Handlers for entry pages and their comments: the entry page, its further comment pages and
collapsed threads, and the last step that marks comments no longer shown as deleted.

An entry page is read only when a listing could not show everything (cut text, comments); its
first page says how many comment pages there are, and every collapsed comment whose text is not
stored yet gets its `?thread=` view. A permalink check (`check` in the item's info) of an entry
that no listing shows any more tombstones it on a definite 404/410 and records it as locked on 403.
"""

from __future__ import annotations

from .. import parse
from ..kinds import PageKind
from ..records import CommentRecord
from ..store.commit import (
    MarkCommentsDeleted,
    MarkEntryDeleted,
    MarkEntryLocked,
    SaveComments,
    SaveEntries,
    SaveSidebar,
)
from ..store.queue import QueueItem
from .page_checks import journal_page_problem
from .plan import collapsed_subtree_sizes, collapsed_threads_to_fetch
from .step import CrawlContext, FetchedPage, Step


def _status_step(page: FetchedPage, item: QueueItem, ctx: CrawlContext) -> Step | None:
    """What a 403/404/410 for an entry means, or None for any other answer."""
    itemid = item.info.get("itemid")
    if page.status not in (403, 404, 410) or itemid is None:
        return None
    # an account-status page (suspended/deleted/purged journal or poster) says nothing about
    # this entry: neither tombstone nor lock it
    notice = parse.parse_interstitial(page.parsed, None, page.url)
    if notice is not None and notice.kind in ("suspended", "deleted", "purged"):
        return Step.failed(f"HTTP {page.status}: {notice.message[:200]}", keep_raw=False)
    if not item.info.get("check"):
        # listed as public in this crawl: a 403/404 now is a glitch or a change since; retried,
        # and an entry really gone is tombstoned by the next crawl's check
        return Step.failed(f"HTTP {page.status} for an entry its listing showed", keep_raw=False)
    step = Step(info={"status": page.status})
    if page.status == 403:
        step.records.append(MarkEntryLocked(itemid, ctx.entry_url(itemid)))
    elif item.kind == PageKind.ENTRY:
        step.records.append(MarkEntryDeleted(itemid))
    return step


def handle_entry_page(page: FetchedPage, item: QueueItem, ctx: CrawlContext) -> Step:
    """An entry page (NNN.html), a further comment page (?page=N) or a thread (?thread=N)."""
    status_step = _status_step(page, item, ctx)
    if status_step is not None:
        return status_step
    problem = journal_page_problem(page, {"entry"})
    if problem:
        return Step.failed(problem)
    step = Step()
    try:
        entry_page = parse.parse_entry_page(page.parsed, page.url)
    except parse.EntryNotShown:
        # a thread view that prints the comments only (zesty): the entry is stored already
        itemid = item.info.get("itemid")
        if itemid is None:
            raise
        _add_comments(step, itemid, tuple(parse.parse_comments(page.parsed, page.url)), ctx)
        return step
    itemid = entry_page.entry.itemid
    step.records += [
        SaveEntries((entry_page.entry,), entry_page.rendering),
        SaveSidebar(page.url, entry_page.sidebar),
    ]
    if ctx.plan and entry_page.thread_root is None and entry_page.comment_page == 1:
        for n in range(2, entry_page.comment_pages + 1):
            info = {"itemid": itemid, "view": "page"}
            step.follow(ctx.entry_url(itemid, f"page={n}"), PageKind.COMMENTS, info)
    _add_comments(step, itemid, entry_page.comments, ctx)
    return step


def _add_comments(
    step: Step, itemid: int, comments: tuple[CommentRecord, ...], ctx: CrawlContext
) -> None:
    """The comments one page shows, and the collapsed threads still to open."""
    step.records.append(SaveComments(itemid, comments))
    step.info = {"itemid": itemid, "comments": [c.commentid for c in comments]}
    if not ctx.plan:
        return
    with_text = ctx.archive.comments_with_text(itemid) | {
        c.commentid for c in comments if c.full and c.body_html is not None
    }
    threads = collapsed_threads_to_fetch(comments, with_text)
    sizes = collapsed_subtree_sizes(comments, threads)
    for cid in threads:
        info = {"itemid": itemid, "view": "thread", "size": sizes[cid]}
        step.follow(ctx.entry_url(itemid, f"thread={cid}"), PageKind.COMMENTS, info)
    step.follow("plan:finalize-comments", PageKind.FINALIZE)


def finalize_comments(item: QueueItem, ctx: CrawlContext) -> Step:
    """Comments no longer shown at all on an entry whose every comment page was read in this
    crawl were deleted (or screened) since: mark them 'deleted', keeping their text."""
    pages: dict[int, list[QueueItem]] = {}
    for done in ctx.archive.done_items(PageKind.ENTRY, PageKind.COMMENTS):
        if "comments" in done.info:
            pages.setdefault(done.info["itemid"], []).append(done)
    unfinished = ctx.archive.unfinished_itemids(PageKind.ENTRY, PageKind.COMMENTS)
    step = Step()
    marked = 0
    for itemid, items in pages.items():
        if itemid in unfinished or not any(
            "page=" not in i.url and "thread=" not in i.url for i in items
        ):
            continue
        seen = {cid for i in items for cid in i.info["comments"]}
        gone = tuple(cid for cid in ctx.archive.shown_comments(itemid) if cid not in seen)
        if gone:
            step.records.append(MarkCommentsDeleted(itemid, gone))
            marked += len(gone)
    step.info = {"marked_deleted": marked}
    return step
