"""Hostile hosts against the page fetcher, over loopback: adult-content gates on other hosts,
robots.txt that redirects off the site or in a loop, and redirect hops into disallowed paths.

Each journal is a scripted StubServer; "the site's main host" (www.dreamwidth.org for real
journals) is a second StubServer passed as `api_root`, and a third one plays the stranger.
"""

from __future__ import annotations

import pytest

from scraper.errors import (
    AdultContentGate,
    FetchError,
    OffHost,
    RobotsDisallowed,
    RobotsUnreadable,
)
from scraper.fetch import FakeClock, HttpFetcher
from tests.httpstub import Reply, StubServer

CONTACT = "hostile@dwarchive.invalid"
GATE_FORM = "<form method=post><input name=lj_form_auth value=tok></form>"


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def journal(clock):
    with StubServer(clock) as srv:
        yield srv


@pytest.fixture
def www(clock):
    with StubServer(clock) as srv:
        yield srv


@pytest.fixture
def stranger(clock):
    with StubServer(clock) as srv:
        yield srv


def make(journal, clock, **kw):
    kw.setdefault("rate_per_minute", None)
    return HttpFetcher(journal.url, contact=CONTACT, clock=clock, **kw)


def pages(server):
    return [p for p in server.paths() if p != "/robots.txt"]


# --- adult-content gates ------------------------------------------------------------------------


def test_a_gate_on_another_host_is_refused_and_opens_nothing(journal, www, stranger, clock):
    gate = stranger.url + "journal/adult_concepts?ret=x"
    journal.script("/1.html", Reply(302, "", {"Location": gate}))
    stranger.script("/journal/adult_concepts?ret=x", Reply(200, GATE_FORM))
    with make(journal, clock, allow_adult_host=True, api_root=www.url) as f:
        with pytest.raises(OffHost) as info:
            f.get("1.html")
        assert not isinstance(info.value, AdultContentGate)
        assert info.value.target == gate and "another site" in str(info.value)
        for url in (gate, stranger.url + "journal/adult_explicit", stranger.url + "x"):
            with pytest.raises(OffHost):
                f.get(url)
        with pytest.raises(OffHost):
            f.post(gate, {"adult_check": "1"})
    assert stranger.requests == []
    assert pages(journal) == ["/1.html"]


def test_a_gate_on_the_sites_main_host_opens_only_its_gate_paths(journal, www, clock):
    gate = www.url + "journal/adult_concepts?ret=x"
    journal.script("/1.html", Reply(302, "", {"Location": gate}), Reply(200, "the entry"))
    www.script("/journal/adult_concepts?ret=x", Reply(200, GATE_FORM))
    www.script("/journal/adult_concepts", Reply(302, "", {"Location": journal.url + "1.html"}))
    www.script("/journal/adult_explicit", Reply(200, "explicit form"))
    www.script("/login", Reply(200, "login"))
    with make(journal, clock, allow_adult_host=True, api_root=www.url) as f:
        with pytest.raises(OffHost):  # before the site sent us there: no gate to go to
            f.get(www.url + "journal/adult_concepts")
        with pytest.raises(AdultContentGate) as info:
            f.get("1.html")
        assert info.value.gate_url == gate and info.value.url == journal.url + "1.html"
        assert "lj_form_auth" in f.get(gate).text
        back = f.post(www.url + "journal/adult_concepts", {"adult_check": "1"})
        assert back.text == "the entry" and back.final_url == journal.url + "1.html"
        assert f.get(www.url + "journal/adult_explicit").text == "explicit form"
        for other in ("login", "journal/adult_concepts_x", "journal/"):
            with pytest.raises(OffHost):
                f.get(www.url + other)
        with pytest.raises(OffHost):
            f.post(www.url + "login", {"user": "x"})
    assert [(r.method, r.path) for r in www.requests] == [
        ("GET", "/journal/adult_concepts?ret=x"),
        ("POST", "/journal/adult_concepts"),
        ("GET", "/journal/adult_explicit"),
    ]


def test_without_the_opt_in_a_gate_on_the_site_is_reported_not_opened(journal, www, clock):
    gate = www.url + "journal/adult_explicit?ret=x"
    journal.script("/1.html", Reply(302, "", {"Location": gate}))
    with make(journal, clock, api_root=www.url) as f:
        with pytest.raises(AdultContentGate) as info:
            f.get("1.html")
        assert info.value.gate_url == gate
        with pytest.raises(OffHost):
            f.get(gate)
        with pytest.raises(OffHost):
            f.post(gate, {"adult_check": "1"})
    assert www.requests == []


# --- robots.txt: redirects ------------------------------------------------------------------------


def test_robots_redirect_within_the_site_is_followed(journal, clock):
    journal.script("/robots.txt", Reply(301, "", {"Location": "/robots/real.txt"}))
    journal.script("/robots/real.txt", Reply(200, "User-Agent: *\nDisallow: /private/\n"))
    journal.script("/2020/", Reply(200, "year"))
    with make(journal, clock) as f:
        assert f.get("2020/").text == "year"
        with pytest.raises(RobotsDisallowed):
            f.get("private/x")
        assert f.robots is not None and "Disallow: /private/" in (f.robots.text or "")
    assert journal.paths() == ["/robots.txt", "/robots/real.txt", "/2020/"]


def test_robots_redirect_to_the_sites_main_host_is_followed(journal, www, clock):
    journal.script("/robots.txt", Reply(302, "", {"Location": www.url + "robots.txt"}))
    www.script("/robots.txt", Reply(200, "User-Agent: *\nDisallow: /\n"))
    with make(journal, clock, api_root=www.url) as f, pytest.raises(RobotsDisallowed):
        f.get("2020/")
    assert www.paths() == ["/robots.txt"]


def test_robots_redirect_off_the_site_cannot_be_read(journal, stranger, clock):
    journal.script("/robots.txt", Reply(302, "", {"Location": stranger.url + "robots.txt"}))
    stranger.script("/robots.txt", Reply(200, "User-Agent: *\nAllow: /\n"))
    journal.script("/2020/", Reply(200, "year"))
    with make(journal, clock) as f:
        with pytest.raises(RobotsUnreadable) as info:
            f.get("2020/")
        message = str(info.value)
        assert "could not be read" in message and "off the journal's host" in message
        assert "\n" not in message
        with pytest.raises(RobotsUnreadable):
            f.get("2021/")  # remembered: no second try this run
    assert stranger.requests == []
    assert journal.paths() == ["/robots.txt"]


@pytest.mark.parametrize("hops", ["loop", "six"])
def test_robots_redirect_loops_cannot_be_read(journal, clock, hops):
    if hops == "loop":
        journal.script("/robots.txt", Reply(302, "", {"Location": "/r.txt"}))
        journal.script("/r.txt", Reply(302, "", {"Location": "/robots.txt"}))
    else:
        journal.script("/robots.txt", Reply(302, "", {"Location": "/r1"}))
        for i in range(1, 7):
            journal.script(f"/r{i}", Reply(302, "", {"Location": f"/r{i + 1}"}))
    with make(journal, clock) as f, pytest.raises(RobotsUnreadable, match="could not be read"):
        f.get("2020/")
    assert "/2020/" not in journal.paths()
    assert len(journal.paths()) == (2 if hops == "loop" else 6)  # robots.txt + five redirects


def test_robots_that_cannot_be_read_can_be_overridden(journal, stranger, clock):
    journal.script("/robots.txt", Reply(302, "", {"Location": stranger.url + "robots.txt"}))
    journal.script("/2020/", Reply(200, "year"))
    journal.script("/2021/", Reply(200, "year"))
    with make(journal, clock, obey_robots=False, robots_override_reason="my journal") as f:
        assert f.get("2020/").status == 200
        assert f.get("2021/").status == 200
        assert f.robots is None  # nothing read, so nothing the crawl could cache as "allow all"
    assert len(f.warnings) == 1
    assert "could not be read" in f.warnings[0] and f.warnings[0].endswith("overridden: my journal")
    assert journal.paths() == ["/robots.txt", "/2020/", "/2021/"]


def test_robots_lost_to_server_errors_can_be_overridden_too(journal, clock):
    journal.script("/robots.txt", Reply(500, "err"))
    journal.script("/2020/", Reply(200, "year"))
    with make(journal, clock, max_attempts=2, obey_robots=False) as f:
        assert f.get("2020/").status == 200
    assert journal.paths() == ["/robots.txt", "/robots.txt", "/2020/"]


# --- robots.txt: every redirect hop ---------------------------------------------------------------


def test_a_redirect_into_a_disallowed_path_is_refused(journal, clock):
    journal.script("/robots.txt", Reply(200, "User-Agent: *\nDisallow: /private/\n"))
    journal.script("/public", Reply(302, "", {"Location": "/private/page"}))
    journal.script("/private/page", Reply(200, "secret"))
    with make(journal, clock) as f, pytest.raises(RobotsDisallowed) as info:
        f.get("public")
    assert info.value.url == journal.url + "private/page"
    assert journal.paths() == ["/robots.txt", "/public"]


def test_a_redirect_into_a_disallowed_path_is_followed_when_overridden(journal, clock):
    journal.script("/robots.txt", Reply(200, "User-Agent: *\nDisallow: /private/\n"))
    journal.script("/public", Reply(302, "", {"Location": "/private/page"}))
    journal.script("/private/page", Reply(200, "mine"))
    with make(journal, clock, obey_robots=False, robots_override_reason="mine") as f:
        assert f.get("public").text == "mine"
    assert len(f.warnings) == 1 and "disallows" in f.warnings[0]


def test_robots_is_loaded_for_a_hop_into_the_journal(clock):
    """A site page outside a prefixed journal root redirects into the journal: robots.txt of
    the journal is read before that hop is followed."""
    with StubServer(clock) as srv:
        srv.script("/nairiporter/robots.txt", Reply(200, "User-Agent: *\nDisallow: /\n"))
        srv.script("/journal/x", Reply(302, "", {"Location": "/nairiporter/2020/"}))
        root = srv.url + "nairiporter/"
        with (
            HttpFetcher(root, contact=CONTACT, clock=clock, rate_per_minute=None) as f,
            pytest.raises(RobotsDisallowed),
        ):
            f.get(srv.url + "journal/x")
        assert srv.paths() == ["/journal/x", "/nairiporter/robots.txt"]


def test_robots_failure_on_a_hop_is_a_fetch_error(journal, stranger, clock):
    journal.script("/robots.txt", Reply(302, "", {"Location": stranger.url}))
    with make(journal, clock) as f, pytest.raises(FetchError, match="could not be read"):
        f.get("2020/")
