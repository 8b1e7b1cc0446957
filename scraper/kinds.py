"""The words dwarchive stores for what a page is, how a queued item stands and how a run ended.

They are `StrEnum`s, so they compare equal to the plain strings saved in the database
(`pages.kind`, `crawl_queue.kind`/`state`, `sync_runs.outcome`), and each carries the one-line
meaning the README and the Datasette metadata print: the documentation is generated from here.
"""

from __future__ import annotations

from enum import StrEnum


class PageKind(StrEnum):
    """What a page (or a planning step) of a crawl is: `pages.kind` and `crawl_queue.kind`."""

    FEED = "feed"
    RECENT = "recent"
    SKIP = "skip"
    DAY = "day"
    YEAR = "year"
    ENTRY = "entry"
    COMMENTS = "comments"
    PROFILE = "profile"
    ROBOTS = "robots"
    PLAN_DAYS = "plan_days"
    VERIFY_DAYS = "verify_days"
    FINALIZE = "finalize"
    PROTOCOL = "protocol"
    SYNCITEMS = "syncitems"
    GETEVENTS = "getevents"
    COMMENT_META = "comment_meta"
    COMMENT_BODY = "comment_body"
    OWNER_FINISH = "owner_finish"

    @property
    def meaning(self) -> str:
        return _PAGE_KIND_MEANINGS[self]


_PAGE_KIND_MEANINGS: dict[PageKind, str] = {
    PageKind.FEED: "the journal's Atom feed (/data/atom), read to notice new and edited entries",
    PageKind.RECENT: "the recent-entries page (the journal's front page)",
    PageKind.SKIP: "an older recent-entries page (/?skip=N)",
    PageKind.DAY: "a day page (/YYYY/MM/DD/): every entry of that day",
    PageKind.YEAR: "a year page (/YYYY/): entries per day",
    PageKind.ENTRY: "an entry page (NNN.html) with its first page of comments",
    PageKind.COMMENTS: "a further comment page (?page=N) or a collapsed thread (?thread=N)",
    PageKind.PROFILE: "the profile page",
    PageKind.ROBOTS: "the journal's robots.txt",
    PageKind.PLAN_DAYS: "planning step: choose the skip and day pages that show every entry",
    PageKind.VERIFY_DAYS: "planning step: day pages for days still short of their calendar count",
    PageKind.FINALIZE: "planning step: mark comments no longer shown as deleted",
    PageKind.PROTOCOL: "owner mode: one call of Dreamwidth's protocol or comment export",
    PageKind.SYNCITEMS: "owner mode: a syncitems answer (entries and comments changed since)",
    PageKind.GETEVENTS: "owner mode: a getevents answer (up to 100 entries, as typed)",
    PageKind.COMMENT_META: "owner mode: a comment_meta window (comment states, commenters)",
    PageKind.COMMENT_BODY: "owner mode: a comment_body window (up to 1,000 comments)",
    PageKind.OWNER_FINISH: "planning step (owner mode): calendar, tags and comment counts from "
    "what the protocol gave; the sync cursor kept",
}


class ItemState(StrEnum):
    """Where a queued item stands: `crawl_queue.state`."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"

    @property
    def meaning(self) -> str:
        return _ITEM_STATE_MEANINGS[self]


_ITEM_STATE_MEANINGS: dict[ItemState, str] = {
    ItemState.PENDING: "still to do",
    ItemState.DONE: "fetched and stored",
    ItemState.FAILED: "could not be fetched or read; the next run tries it again",
    ItemState.SKIPPED: "not fetched on purpose (robots.txt, adult-content notice)",
}


class RunOutcome(StrEnum):
    """How a run ended: `sync_runs.outcome`."""

    RUNNING = "running"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    RATE_LIMITED = "rate-limited"
    BLOCKED = "blocked"
    ERROR = "error"

    @property
    def meaning(self) -> str:
        return _RUN_OUTCOME_MEANINGS[self]


_RUN_OUTCOME_MEANINGS: dict[RunOutcome, str] = {
    RunOutcome.RUNNING: "still running (or killed: the next run resumes it)",
    RunOutcome.COMPLETE: "everything the journal shows is archived",
    RunOutcome.INCOMPLETE: "some pages failed or were skipped; the next run retries them",
    RunOutcome.RATE_LIMITED: "stopped by the site's rate limit (HTTP 429); try again later",
    RunOutcome.BLOCKED: "stopped by a captcha; wait before trying again",
    RunOutcome.ERROR: "stopped by an error (see message)",
}


def describe(values: type[PageKind | ItemState | RunOutcome]) -> str:
    """'a (meaning), b (meaning), ...': the documentation of a vocabulary."""
    return "; ".join(f"{v.value} ({v.meaning})" for v in values)


def listing(values: type[PageKind | ItemState | RunOutcome]) -> str:
    """'a, b or c': the values of a vocabulary for a column description."""
    words = [v.value for v in values]
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]
