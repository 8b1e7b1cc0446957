"""Journal addresses on LiveJournal-code sites name the journal, communities included.

Besides NAME.site, the LiveJournal code addresses a journal by path: users./community./
syndicated.site/NAME/ (LJ::journal_base, for names that cannot be host names; LiveJournal's
FAQ 77 for communities), www.site/users|community/NAME/ and www.site/~NAME/ (older LiveJournal,
read by Dreamwidth's DW::FeedCanonicalizer), and InsaneJournal's asylums.insanejournal.com/NAME/
(DW::FeedCanonicalizer again). Each gives the journal's name, never the host's first label; the
root is the journal's own NAME.site address where the name can be a host name, else the path.
"""

from __future__ import annotations

import pytest

from scraper.errors import NotAJournal
from scraper.fetch.urls import api_root_for, journal_name, journal_root, site_domain


@pytest.mark.parametrize(
    ("address", "root", "name"),
    [
        # InsaneJournal communities live at asylums.insanejournal.com/NAME/ only
        (
            "https://asylums.insanejournal.com/somecomm/",
            "https://asylums.insanejournal.com/somecomm/",
            "somecomm",
        ),
        (
            "http://asylums.insanejournal.com/SomeComm/123.html?thread=4#t4",
            "https://asylums.insanejournal.com/somecomm/",
            "somecomm",
        ),
        (
            "asylums.insanejournal.com/somecomm",
            "https://asylums.insanejournal.com/somecomm/",
            "somecomm",
        ),
        # LiveJournal's community addresses (FAQ 77, and the older www forms)
        (
            "http://community.livejournal.com/tea_club/",
            "https://tea-club.livejournal.com/",
            "tea_club",
        ),
        (
            "https://www.livejournal.com/community/tea_club/2020/",
            "https://tea-club.livejournal.com/",
            "tea_club",
        ),
        (
            "https://tea-club.livejournal.com/profile",
            "https://tea-club.livejournal.com/",
            "tea_club",
        ),
        (
            "http://www.livejournal.com/users/someone/",
            "https://someone.livejournal.com/",
            "someone",
        ),
        ("http://www.livejournal.com/~someone/", "https://someone.livejournal.com/", "someone"),
        ("livejournal.com/~foo_bar", "https://foo-bar.livejournal.com/", "foo_bar"),
        # a name that cannot be a host name keeps its path address (LJ::journal_base)
        (
            "https://www.livejournal.com/users/_underscore_/",
            "https://users.livejournal.com/_underscore_/",
            "_underscore_",
        ),
        ("https://users.dreamwidth.org/_foo_/", "https://users.dreamwidth.org/_foo_/", "_foo_"),
        ("https://users.insanejournal.com/_x/", "https://users.insanejournal.com/_x/", "_x"),
        # Dreamwidth's own path forms
        (
            "https://community.dreamwidth.org/tea-garden/profile",
            "https://tea-garden.dreamwidth.org/",
            "tea_garden",
        ),
        (
            "https://www.dreamwidth.org/~nairiporter",
            "https://nairiporter.dreamwidth.org/",
            "nairiporter",
        ),
        (
            "https://syndicated.dreamwidth.org/some_feed/",
            "https://some-feed.dreamwidth.org/",
            "some_feed",
        ),
    ],
)
def test_a_journal_address_names_its_journal(address, root, name):
    assert journal_root(address) == root
    assert journal_name(root) == name
    assert journal_root(root) == root  # a root is its own root


@pytest.mark.parametrize(
    "address",
    [
        "https://asylums.insanejournal.com/",
        "https://www.livejournal.com/community/",
        "https://www.livejournal.com/users/",
        "https://www.dreamwidth.org/~",
        "https://users.dreamwidth.org/",
        "https://users.dreamwidth.org/a%20b/",
        "https://users.dreamwidth.org/___/",
        "https://users.dreamwidth.org/" + "a" * 26 + "/",
        "https://dreamwidth.org/",
        "https://www.dreamwidth.org/support/",
    ],
)
def test_a_site_page_is_not_a_journal(address):
    with pytest.raises(NotAJournal):
        journal_root(address)


def test_the_hosts_first_label_is_never_taken_for_the_journal():
    """The bug of issue 11: asylums.insanejournal.com read as the journal 'asylums'."""
    for host in ("asylums.insanejournal.com", "users.livejournal.com", "community.livejournal.com"):
        assert journal_name(f"https://{host}/") is None
        assert journal_name(f"https://{host}/name/") == "name"


def test_a_path_root_belongs_to_its_site():
    root = journal_root("https://asylums.insanejournal.com/somecomm/")
    assert site_domain(root) == "insanejournal.com"
    assert api_root_for(root) == "https://www.insanejournal.com/"
