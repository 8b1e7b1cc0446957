"""Journal names and URLs -> root URLs; origins; normalisation for dedup; Retry-After parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.errors import NotAJournal
from scraper.fetch.retry_after import parse_retry_after
from scraper.fetch.urls import journal_name, journal_root, normalize_url, origin, same_origin


@pytest.mark.parametrize(
    ("given_", "root"),
    [
        ("nairiporter", "https://nairiporter.dreamwidth.org/"),
        ("  NairiPorter ", "https://nairiporter.dreamwidth.org/"),
        ("foo_bar", "https://foo-bar.dreamwidth.org/"),
        ("foo-bar", "https://foo-bar.dreamwidth.org/"),
        ("https://nairiporter.dreamwidth.org/", "https://nairiporter.dreamwidth.org/"),
        ("https://nairiporter.dreamwidth.org", "https://nairiporter.dreamwidth.org/"),
        (
            "https://NairiPorter.Dreamwidth.org/1234.html?thread=5#cmt5",
            "https://nairiporter.dreamwidth.org/",
        ),
        ("http://nairiporter.dreamwidth.org/2020/01/", "https://nairiporter.dreamwidth.org/"),
        ("nairiporter.dreamwidth.org/tag/", "https://nairiporter.dreamwidth.org/"),
        ("https://foo-bar.livejournal.com/123.html", "https://foo-bar.livejournal.com/"),
        ("https://someone.insanejournal.com/", "https://someone.insanejournal.com/"),
        ("http://127.0.0.1:8123/", "http://127.0.0.1:8123/"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123/"),
        ("http://localhost:8123/nairiporter/", "http://localhost:8123/nairiporter/"),
        ("http://localhost:8123/nairiporter", "http://localhost:8123/nairiporter/"),
        ("http://localhost:8123/nairiporter/?x=1#frag", "http://localhost:8123/nairiporter/"),
    ],
)
def test_journal_root(given_, root):
    assert journal_root(given_) == root


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "foo bar",
        "_foo",
        "foo_",
        "a" * 26,
        "ftp://nairiporter.dreamwidth.org/",
        "mailto:someone@example.org",
        "https://example.com/",
        "https://www.dreamwidth.org/profile?user=foo",
        "https://dreamwidth.org/",
        "https://a.b.dreamwidth.org/",
        "https://evil-dreamwidth.org/",
        "https://nairiporter.dreamwidth.org.evil.com/",
        "http://127.0.0.1:notaport/",
        "../etc/passwd",
    ],
)
def test_not_a_journal(bad):
    with pytest.raises(NotAJournal):
        journal_root(bad)


def test_journal_name():
    assert journal_name("https://foo-bar.dreamwidth.org/") == "foo_bar"
    assert journal_name("https://nairiporter.livejournal.com/") == "nairiporter"
    assert journal_name("http://127.0.0.1:8000/foo_bar/") == "foo_bar"
    assert journal_name("http://127.0.0.1:8000/") is None
    assert journal_name("https://www.dreamwidth.org/") is None


def test_same_origin():
    root = "https://nairiporter.dreamwidth.org/"
    assert same_origin("https://nairiporter.dreamwidth.org/2020/", root)
    assert same_origin("https://NAIRIPORTER.dreamwidth.org:443/x", root)
    assert not same_origin("http://nairiporter.dreamwidth.org/", root)
    assert not same_origin("https://other.dreamwidth.org/", root)
    assert not same_origin("https://nairiporter.dreamwidth.org:8443/", root)
    assert same_origin("http://127.0.0.1:8000/b/", "http://127.0.0.1:8000/a/")
    assert not same_origin("http://127.0.0.1:8001/a/", "http://127.0.0.1:8000/a/")
    assert origin("http://Example.org/x") == ("http", "example.org", 80)


@pytest.mark.parametrize(
    ("url", "norm"),
    [
        ("https://A.dreamwidth.org/1.html#comments", "https://a.dreamwidth.org/1.html"),
        (
            "https://a.dreamwidth.org/1.html?page=2#comments",
            "https://a.dreamwidth.org/1.html?page=2",
        ),
        ("https://a.dreamwidth.org:443", "https://a.dreamwidth.org/"),
        ("HTTP://127.0.0.1:80/x?b=2&a=1", "http://127.0.0.1/x?b=2&a=1"),
        ("http://127.0.0.1:8000/x", "http://127.0.0.1:8000/x"),
    ],
)
def test_normalize_url(url, norm):
    assert normalize_url(url) == norm


@given(
    path=st.text(alphabet="abc/._-~%", max_size=20),
    query=st.text(alphabet="abc=&%", max_size=10),
    frag=st.text(alphabet="abc", max_size=5),
)
def test_normalize_is_idempotent_and_ignores_fragment(path, query, frag):
    url = f"https://x.dreamwidth.org/{path}" + (f"?{query}" if query else "") + f"#{frag}"
    once = normalize_url(url)
    assert normalize_url(once) == once
    assert "#" not in once
    assert once == normalize_url(url.split("#")[0])


NOW = datetime(2026, 7, 13, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("60", 60.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("-5", 0.0),
        ("Mon, 13 Jul 2026 12:01:30 GMT", 90.0),
        ("Mon, 13 Jul 2026 11:00:00 GMT", 0.0),  # in the past
        (None, None),
        ("", None),
        ("soon", None),
        ("nan", None),
        ("Mon, 99 Jul 2026 12:01:30 GMT", None),
    ],
)
def test_parse_retry_after(value, seconds):
    assert parse_retry_after(value, NOW) == seconds
