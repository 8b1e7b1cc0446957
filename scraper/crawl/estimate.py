"""How much of a crawl is left: requests still to make and the time they will take.

The queue knows every page still to fetch, but not the comment pages and thread views that
entry and thread pages not read yet will lead to. Those are estimated from what the pages show:
a collapsed comment to open (`?thread=`) comes with the number of collapsed comments in its
subtree, and opening it resolves part of that subtree and leaves collapsed sub-subtrees, each a
further request. The rate at which resolved collapsed comments lead to further requests is learned
as the crawl goes (from a prior measured with Dreamwidth's collapsing rules on the fake site's
journals), so a queued thread of k collapsed comments counts 1 + r·(k-1) requests. An entry page
not read yet counts what the entry pages read so far led to per comment (entries of fewer than 50
comments show them all, in full, on their page). Until the listings are all read, entries not yet
listed are unknown: the total is then a lower bound (shown with '~').

Time left is requests left times the seconds a request takes: the rate limit's interval, or the
pace measured over the last requests when the site is slower than that.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..fetch import Fetcher
from ..kinds import PageKind
from ..store.queue import CrawlQueue

# Pages that list or count entries, and the planning that reads them: while any is pending,
# more entries may still be found.
LISTING_KINDS = frozenset(
    {
        PageKind.RECENT,
        PageKind.SKIP,
        PageKind.DAY,
        PageKind.YEAR,
        PageKind.PLAN_DAYS,
        PageKind.VERIFY_DAYS,
        PageKind.FEED,
    }
)
PLANNING_KINDS = frozenset({PageKind.PLAN_DAYS, PageKind.VERIFY_DAYS, PageKind.FINALIZE})
PAGING_FROM = 50  # DW: fewer comments than this all show, in full, on the entry page
PRIOR_ENTRY_EXTRA = 1 / 6  # requests an entry page leads to, per comment (big entries)
PRIOR_PAGE_EXTRA = 5.0  # requests a further comment page (?page=N) leads to
PRIOR_BRANCHING = 0.05  # requests per collapsed comment a thread view resolves
PRIOR_WEIGHT = 100  # the priors count as this many comments (pages: /20) already seen
PACE_WINDOW = 20  # requests over which the pace is measured


@dataclass(frozen=True)
class Estimate:
    """A snapshot of the crawl's progress."""

    phase: str  # 'listings' | 'entry pages' | 'comments' | 'profile' | 'finishing'
    done: int  # pages fetched in this run
    remaining: int  # requests still to make (estimated)
    settled: bool  # every listing read: `remaining` no longer misses unlisted entries
    seconds_left: float | None  # None while the pace is unknown

    @property
    def total(self) -> int:
        return self.done + self.remaining


class _Ratio:
    """A learned ratio: a prior worth `weight` units of evidence, then the evidence's own."""

    def __init__(self, prior: float, weight: float) -> None:
        self.amount = prior * weight
        self.units = weight

    def add(self, amount: float, units: float) -> None:
        self.amount += amount
        self.units += units

    @property
    def value(self) -> float:
        return self.amount / self.units if self.units > 0 else 0.0


class WorkEstimate:
    """Kept up to date by the runner as items are processed and queued."""

    def __init__(
        self,
        pending: Mapping[str, int],
        pending_entry_comments: Mapping[int, int],
        *,
        seconds_per_request: float | None,
    ) -> None:
        self.pending: Counter[str] = Counter(pending)
        self.interval = seconds_per_request  # the rate limit's; None when unlimited
        self.done = 0
        self.phase = "listings"
        self._big: dict[int, int] = {}  # big entries whose page is still to read: comments
        self._pages = 0  # comment pages (?page=N) queued
        self._threads = 0  # thread views queued
        self._thread_mass = 0  # sum of (collapsed comments - 1) over the queued thread views
        self._entry_extra = _Ratio(PRIOR_ENTRY_EXTRA, PRIOR_WEIGHT)
        self._page_extra = _Ratio(PRIOR_PAGE_EXTRA, PRIOR_WEIGHT / 20)
        self._branching = _Ratio(PRIOR_BRANCHING, PRIOR_WEIGHT)
        self._times: deque[float] = deque(maxlen=PACE_WINDOW + 1)
        for itemid, comments in pending_entry_comments.items():
            if comments >= PAGING_FROM:
                self._big[itemid] = comments

    # --- updates ---------------------------------------------------------------------------

    def step(
        self,
        kind: str,
        info: Mapping[str, object],
        enqueued: Sequence[tuple[str, Mapping[str, object]]],
        *,
        fetched: bool,
        at: float,
        was_pending: bool = True,
    ) -> None:
        """An item left the queue (done, failed or skipped), queueing `enqueued` (kind, info);
        `at` is the clock's monotonic time. `was_pending=False`: the estimate started after it
        was taken from the queue."""
        if was_pending and self.pending[kind] > 0:
            self.pending[kind] -= 1
        threads = [new for k, new in enqueued if k == PageKind.COMMENTS and _view(new) == "thread"]
        spawned = sum(self._thread_cost(t) for t in threads) + sum(
            1 for k, new in enqueued if k == PageKind.COMMENTS and _view(new) == "page"
        )
        if kind == PageKind.ENTRY:
            comments = self._big.pop(_int(info, "itemid"), None)
            if comments is not None and fetched:
                self._entry_extra.add(spawned, comments)
        elif kind == PageKind.COMMENTS and _view(info) == "page":
            self._pages -= 1
            if fetched:
                self._page_extra.add(spawned, 1)
        elif kind == PageKind.COMMENTS:
            self._threads -= 1
            size = _int(info, "size", 1)
            self._thread_mass -= size - 1
            if fetched:  # it resolved what its child views do not leave collapsed
                left = sum(_int(t, "size", 1) - 1 for t in threads)
                self._branching.add(len(threads), max(1, size - 1 - left))
        for new_kind, new_info in enqueued:
            self.pending[new_kind] += 1
            if new_kind == PageKind.ENTRY:
                comments = _int(new_info, "comments", 0)
                if comments >= PAGING_FROM:
                    self._big[_int(new_info, "itemid")] = comments
            elif new_kind == PageKind.COMMENTS and _view(new_info) == "page":
                self._pages += 1
            elif new_kind == PageKind.COMMENTS:
                self._threads += 1
                self._thread_mass += _int(new_info, "size", 1) - 1
        if fetched:
            self.done += 1
            self._times.append(at)
        self.phase = _phase(kind)

    def _thread_cost(self, info: Mapping[str, object]) -> float:
        return 1 + self._branching.value * (_int(info, "size", 1) - 1)

    # --- reading ---------------------------------------------------------------------------

    @property
    def settled(self) -> bool:
        return not any(self.pending[k] for k in LISTING_KINDS)

    def comment_requests(self) -> float:
        """Comment pages and thread views still to fetch (queued or not yet known)."""
        queued_threads = max(0, self._threads) + self._branching.value * max(0, self._thread_mass)
        queued_pages = max(0, self._pages) * (1 + self._page_extra.value)
        from_entries = sum(self._big.values()) * self._entry_extra.value
        return max(float(self.pending[PageKind.COMMENTS]), queued_threads + queued_pages) + (
            from_entries
        )

    def remaining(self) -> int:
        """Requests still to make: pages queued, and the comment requests still to come."""
        fetches = sum(
            n for k, n in self.pending.items() if k not in PLANNING_KINDS and k != PageKind.COMMENTS
        )
        return round(fetches + self.comment_requests())

    def seconds_per_request(self) -> float | None:
        measured = None
        if len(self._times) >= 2:
            measured = (self._times[-1] - self._times[0]) / (len(self._times) - 1)
        if self.interval is None:
            return measured
        return max(self.interval, measured or 0.0)

    def snapshot(self) -> Estimate:
        remaining = self.remaining()
        pace = self.seconds_per_request()
        return Estimate(
            phase=self.phase,
            done=self.done,
            remaining=remaining,
            settled=self.settled,
            seconds_left=None if pace is None else remaining * pace,
        )


def estimate_queue(
    pending: Mapping[str, int], entry_comments: Mapping[int, int], seconds_per_request: float
) -> Estimate:
    """The estimate for a queue left by an unfinished run (for `status`)."""
    return WorkEstimate(pending, entry_comments, seconds_per_request=seconds_per_request).snapshot()


def _int(info: Mapping[str, object], key: str, default: int = -1) -> int:
    value = info.get(key)
    return value if isinstance(value, int) else default


def _view(info: Mapping[str, object]) -> str:
    return "page" if info.get("view") == "page" else "thread"


def _phase(kind: str) -> str:
    if kind in LISTING_KINDS:
        return "listings"
    if kind == PageKind.ENTRY:
        return "entry pages"
    if kind == PageKind.COMMENTS:
        return "comments"
    if kind == PageKind.PROFILE:
        return "profile"
    return "finishing"


class ProgressTracker:
    """The estimate of one run, started from the queue as it stands after the first item and
    kept up to date with every item that ends."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self.estimate: WorkEstimate | None = None

    def item_done(
        self,
        queue: CrawlQueue,
        kind: str,
        info: Mapping[str, object],
        enqueued: Sequence[tuple[str, Mapping[str, object]]],
        *,
        fetched: bool,
    ) -> Estimate:
        at = self.fetcher.clock.monotonic()
        if self.estimate is None:  # the queue as it now stands, this item already out of it
            self.estimate = WorkEstimate(
                queue.pending_by_kind(),
                queue.pending_entry_comments(),
                seconds_per_request=self.fetcher.pace(),
            )
            self.estimate.step(kind, info, [], fetched=fetched, at=at, was_pending=False)
        else:
            self.estimate.interval = self.fetcher.pace()
            self.estimate.step(kind, info, enqueued, fetched=fetched, at=at)
        return self.estimate.snapshot()
