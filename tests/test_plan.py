"""Planner: fewest listing pages for full coverage; which collapsed threads to expand."""

from __future__ import annotations

from scraper.crawl.plan import collapsed_threads_to_fetch, plan_listing_cover
from tests.test_store import comment


def days(n, per_day=1, start=31):
    return [(f"2025-01-{start - i:02d}", per_day) for i in range(n)]


def test_one_entry_per_day_uses_skip_pages_not_day_pages():
    cal = days(30)  # 30 days with one entry each, newest first
    seen = {d: 1 for d, _ in cal[:10]}  # the root page showed 10
    skips, need = plan_listing_cover(cal, seen, page_size=10)
    assert skips == [10, 20]
    assert need == []


def test_scrollback_limit_forces_day_pages_for_older_days():
    cal = [(f"2024-{m:02d}-{d:02d}", 1) for m in range(12, 0, -1) for d in (20, 10)]  # 24
    seen = {d: 1 for d, _ in cal[:5]}
    skips, need = plan_listing_cover(cal, seen, page_size=5, max_scrollback=10)
    assert skips == [5]  # positions 5..9; skip is clamped at 10 - 5
    assert need == [d for d, _ in cal[10:]]


def test_day_pages_win_when_a_skip_page_would_complete_nothing():
    cal = [("2025-03-03", 1), ("2025-03-02", 30), ("2025-03-01", 1)]
    seen = {"2025-03-03": 1}
    skips, need = plan_listing_cover(cal, seen, page_size=10)
    # covering the 30-entry day needs skip pages 10, 20 and 30 (3 requests); its day page and
    # the last day's page cost 2
    assert (skips, need) == ([], ["2025-03-02", "2025-03-01"])


def test_no_more_pages_means_day_pages_only():
    cal = days(3, per_day=2)
    skips, need = plan_listing_cover(cal, {}, page_size=0)
    assert skips == [] and need == [d for d, _ in cal]


def test_topmost_collapsed_only_and_only_when_bodies_missing():
    cs = [
        comment(1),
        comment(2, parent=1, collapsed=True, full=False, body_html=None),
        comment(3, parent=2, collapsed=True, full=False, body_html=None),
        comment(4, parent=1),
        comment(5, parent=4, collapsed=True, full=False, body_html=None),
    ]
    assert collapsed_threads_to_fetch(cs, stored_bodies=set()) == [2, 5]
    assert collapsed_threads_to_fetch(cs, stored_bodies={2, 3}) == [5]
    assert collapsed_threads_to_fetch(cs, stored_bodies={2, 3, 5}) == []
