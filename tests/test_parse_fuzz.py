"""Every public parser of scraper.parse on hostile input: a record or a clean ParseError.

One registry names each parser of `scraper.parse.__all__`, how to call it, what it returns and
which real pages to damage for it. Hypothesis feeds each one arbitrary text, bytes decoded the
way the fetcher decodes a mis-encoded body, and fixture pages mutated structurally (tags cut,
doubled, swapped, spans moved, attributes garbled, truncated). Anything but the declared result
or a deliberate ParseError fails: an InternalParseError (an exception the parser did not
anticipate, turned into a ParseError by its guard) is a bug here. So does a call slower than
SLOW_CALL seconds (a parser that a page can make hang is a parser that a hostile page can stop an
archive with).

Default run: ~200 examples per parser. `pytest -m slow`: 10,000 per parser (issue 5's figure).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper import parse
from scraper.errors import ParseError
from scraper.parse import AtomFeed, DateReading, FeedEntry, InternalParseError
from scraper.parse.html import ParsedPage, parse_html
from scraper.records import (
    CommentRecord,
    EntryPage,
    EntryRecord,
    Interstitial,
    JournalInfo,
    ListingPage,
    ProfileRecord,
    SidebarRecord,
    TagsPage,
    YearPage,
)
from tests.parse_support import FIXTURES, any_text, mutate, ops_strategy

BASE = "https://nairiporter.dreamwidth.org/"
SLOW_CALL = 5.0  # seconds; the biggest fixture parses in ~20 ms


def _first_entry_node(text: str):
    tree = parse_html(text)
    node = tree.css_first(".entry-wrapper") or tree.css_first("div.entry") or tree.body
    if node is None:
        raise ParseError("no node to parse")  # nothing to hand the node parser: not its input
    return node


def _datetime_node(text: str):
    return parse_html(text).css_first(".datetime")


@dataclass(frozen=True)
class Parser:
    call: Callable[[str], object]
    returns: type | tuple[type, ...]
    pages: tuple[str, ...]  # fixture globs to mutate


def _list_of(kind: type) -> Callable[[object], bool]:
    return lambda value: isinstance(value, list) and all(isinstance(v, kind) for v in value)


PARSERS: dict[str, Parser] = {
    "parse_listing_page": Parser(
        lambda t: parse.parse_listing_page(t, BASE + "?skip=20"),
        ListingPage,
        ("site_recent*", "site_day*", "*recent*.html", "hand_day_community.html", "s2_*_day.html"),
    ),
    "parse_entry_page": Parser(
        lambda t: parse.parse_entry_page(t, BASE + "12345.html"),
        EntryPage,
        ("site_entry_*", "sample_entry.html", "hand_entry_*", "s2_*_entry*.html"),
    ),
    "parse_year_page": Parser(
        lambda t: parse.parse_year_page(t, BASE + "2025/"),
        YearPage,
        ("*year.html", "site_month.html"),
    ),
    "parse_profile_page": Parser(
        lambda t: parse.parse_profile_page(t, BASE + "profile"), ProfileRecord, ("*profile*",)
    ),
    "parse_tags_page": Parser(
        lambda t: parse.parse_tags_page(t, BASE + "tag/"), TagsPage, ("*tags*",)
    ),
    "parse_interstitial": Parser(
        lambda t: parse.parse_interstitial(t, 403, BASE + "1.html"),
        (Interstitial, type(None)),
        (
            "site_captcha.html",
            "site_adult.html",
            "hand_*ed*.html",
            "hand_429.html",
            "site_404.html",
            "site_entry_locked_403.html",
        ),
    ),
    "parse_adult_form": Parser(lambda t: parse.parse_adult_form(t, BASE), tuple, ("*adult*",)),
    "page_kind": Parser(parse.page_kind, str, ("site_*.html", "s2_*.html")),
    "parse_html": Parser(parse.parse_html, ParsedPage, ("site_recent.html",)),
    "parse_journal_info": Parser(
        lambda t: parse.parse_journal_info(t, BASE),
        JournalInfo,
        ("site_recent*.html", "site_entry_simple.html", "s2_zesty_recent.html"),
    ),
    "parse_sidebar": Parser(
        parse.parse_sidebar, SidebarRecord, ("site_recent.html", "site_entry_cut.html")
    ),
    "parse_comments": Parser(
        lambda t: parse.parse_comments(t, BASE + "12345.html", "2025-06-01"),
        list,
        (
            "site_entry_comments_page*",
            "site_entry_thread.html",
            "hand_entry_thread.html",
            "s2_*_entry*.html",
        ),
    ),
    "comment_pager": Parser(
        lambda t: parse.comment_pager(parse_html(t), BASE + "1.html?page=2"),
        tuple,
        ("site_entry_comments_page*",),
    ),
    "parse_entry": Parser(
        lambda t: parse.parse_entry(_first_entry_node(t), BASE, "nairiporter"),
        EntryRecord,
        ("site_entry_*", "hand_recent_variants.html", "s2_siteviews_*", "s2_negatives_*"),
    ),
    "parse_entry_datetime": Parser(
        lambda t: parse.parse_entry_datetime(_datetime_node(t)),
        tuple,
        ("site_entry_simple.html", "hand_recent_variants.html"),
    ),
    "parse_atom": Parser(parse.parse_atom, list, ("*.xml",)),
    "parse_atom_feed": Parser(parse.parse_atom_feed, AtomFeed, ("*.xml",)),
    "parse_datetime_text": Parser(parse.parse_datetime_text, (str, type(None)), ()),
    "date_readings": Parser(parse.date_readings, list, ()),
    "learn_dayfirst": Parser(
        lambda t: parse.learn_dayfirst(t, "2025-07-04"), (bool, type(None)), ()
    ),
    "resolve_dayfirst": Parser(
        lambda t: parse.resolve_dayfirst(t.split("|")[:8], not_before="2001-01-01"),
        (bool, type(None)),
        (),
    ),
}

ITEMS = {"parse_comments": CommentRecord, "parse_atom": FeedEntry, "date_readings": DateReading}
# Names exported by scraper.parse that are types, not parsers.
NOT_PARSERS = {
    "AtomFeed",
    "DateReading",
    "EntryNotShown",
    "FeedEntry",
    "InternalParseError",
    "PageKind",
    "ParsedPage",
    "Rendering",
}


def _pages(patterns: tuple[str, ...]) -> list[str]:
    names = sorted({p.name for pattern in patterns for p in FIXTURES.glob(pattern)})
    return [(FIXTURES / n).read_text(encoding="utf-8") for n in names]


def inputs(name: str) -> st.SearchStrategy[str]:
    """Arbitrary text, bytes decoded like a mis-encoded body, and the parser's own real pages
    damaged (short texts for the small parsers)."""
    strategies = [
        any_text,
        st.binary(max_size=2000).map(lambda b: b.decode("utf-8", errors="replace")),
    ]
    pages = _pages(PARSERS[name].pages)
    if pages:
        strategies.append(
            st.tuples(st.sampled_from(pages), ops_strategy).map(lambda page_ops: mutate(*page_ops))
        )
        strategies.append(
            st.sampled_from(pages).map(
                lambda p: p.encode("utf-8").decode("cp1252", errors="replace")
            )
        )  # mojibake
    return st.one_of(strategies)


def check(name: str, text: str) -> None:
    parser = PARSERS[name]
    started = time.perf_counter()
    try:
        value = parser.call(text)
    except InternalParseError as exc:
        raise AssertionError(f"{name}: {exc}") from exc
    except ParseError:
        value = ParseError
    elapsed = time.perf_counter() - started
    assert elapsed < SLOW_CALL, f"{name} took {elapsed:.1f} s on a {len(text)}-character input"
    if value is ParseError:
        return
    assert isinstance(value, parser.returns), f"{name} returned {type(value).__name__}"
    if name in ITEMS:
        assert _list_of(ITEMS[name])(value)


def _settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


def test_the_registry_covers_every_public_parser():
    exported = {n for n in parse.__all__ if callable(getattr(parse, n))} - NOT_PARSERS
    assert exported == set(PARSERS)


def test_every_registered_page_glob_finds_pages():
    for name, parser in PARSERS.items():
        assert not parser.pages or _pages(parser.pages), name


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_parser_survives_hostile_input(name):
    @_settings(200)
    @given(inputs(name))
    def run(text):
        check(name, text)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PARSERS))
def test_parser_survives_10000_hostile_inputs(name):
    @_settings(10_000)
    @given(inputs(name))
    def run(text):
        check(name, text)

    run()


@pytest.mark.parametrize(
    "name, page",
    [
        ("parse_listing_page", "site_recent.html"),
        ("parse_entry_page", "site_entry_thread.html"),
        ("parse_year_page", "site_year.html"),
        ("parse_profile_page", "site_profile_personal.html"),
        ("parse_tags_page", "site_tags.html"),
        ("parse_atom_feed", "site_atom.xml"),
        ("parse_comments", "site_entry_comments_page1.html"),
    ],
)
def test_undamaged_pages_give_records(name, page):
    """The fixtures being damaged are pages the parsers read in full (so the fuzz runs through
    the real parsing paths, not only the early refusals)."""
    value = PARSERS[name].call((FIXTURES / page).read_text(encoding="utf-8"))
    assert isinstance(value, PARSERS[name].returns) and value
