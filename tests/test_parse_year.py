"""Year archive pages: per-day counts and the years listed."""

from __future__ import annotations

import pytest
from hypothesis import given

from scraper.errors import ParseError
from scraper.parse import parse_year_page
from scraper.records import CalendarDay, JournalInfo, YearPage
from tests.parse_support import FUZZ, any_text, deliberate, fixture, mutate, ops_strategy
from tests.test_parse_entry import SAMPLE_SIDEBAR

NB = "https://nairiporter.dreamwidth.org"
SAMPLE_DAYS = (
    CalendarDay("2025-01-02", 1),
    CalendarDay("2025-01-14", 2),
    CalendarDay("2025-02-09", 1),
    CalendarDay("2025-03-03", 1),
    CalendarDay("2025-03-21", 3),
    CalendarDay("2025-05-01", 1),
    CalendarDay("2025-06-04", 1),
    CalendarDay("2025-06-11", 2),
    CalendarDay("2025-06-19", 1),
    CalendarDay("2025-06-27", 1),
    CalendarDay("2025-07-04", 1),
)


def test_sample_year_page():
    page = parse_year_page(fixture("sample_year.html"), NB + "/2025/")
    assert page == YearPage(
        journal=JournalInfo(
            "nairiporter", "personal", "Morning Notes", "small observations", NB + "/"
        ),
        year=2025,
        days=SAMPLE_DAYS,
        years=(2024, 2025),
        sidebar=SAMPLE_SIDEBAR,
    )
    assert sum(d.entry_count for d in page.days) == 15


def test_year_from_the_active_nav_item_and_loopback_links():
    html = fixture("sample_year.html").replace(NB, "http://127.0.0.1:8123")
    page = parse_year_page(html, "http://127.0.0.1:8123/calendar")
    assert page.year == 2025 and page.days == SAMPLE_DAYS and page.years == (2024, 2025)
    assert page.journal.name == "nairiporter"  # from <title>, the host has no name


def test_months_in_reverse_order_and_more_years():
    html = fixture("sample_year.html")
    html = html.replace(
        '<li class="active">2025</li>',
        '<li class="active">2025</li>\n<li><a href="/2026/">2026</a></li>',
    )
    first = html.index('<div class="month-wrapper">')
    last = html.rindex('<div class="month-wrapper">')
    end = html.index("<!-- month-wrapper -->", last) + len("<!-- month-wrapper -->")
    reordered = html[:first] + html[last:end] + html[first:last] + html[end:]
    page = parse_year_page(reordered, NB + "/2025/")
    assert page.days == SAMPLE_DAYS and page.years == (2024, 2025, 2026)


def test_year_without_entries_and_not_a_year_page():
    # core2 prints only the months with entries (YearPage::print_month, core2.s2:5989): an empty
    # div.year is a year without entries; a year page without div.year is not read as empty
    html = fixture("sample_year.html")
    start = html.index('<div class="year">')
    end = html.index("</div><!-- year>inner -->")
    empty = html[:start] + '<div class="year"><div class="inner">' + html[end:]
    page = parse_year_page(empty, NB + "/2025/")
    assert page.days == () and page.year == 2025
    no_year = html[:start] + html[html.index("<!-- year -->") :]
    with pytest.raises(ParseError, match="without readable days"):
        parse_year_page(no_year, NB + "/2025/")
    with pytest.raises(ParseError):
        parse_year_page(fixture("sample_recent.html"), NB + "/2025/")


@FUZZ
@given(ops_strategy)
def test_fuzz_year_mutations(ops):
    try:
        page = parse_year_page(mutate(fixture("sample_year.html"), ops), NB + "/2025/")
    except ParseError as exc:
        deliberate(exc)
        return
    assert isinstance(page, YearPage)
    assert all(d.day.startswith(f"{page.year:04d}-") for d in page.days)


@FUZZ
@given(any_text)
def test_fuzz_year_text(text):
    try:
        assert isinstance(parse_year_page(text, NB + "/2025/"), YearPage)
    except ParseError as exc:
        deliberate(exc)
