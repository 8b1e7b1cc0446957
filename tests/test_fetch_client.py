"""Fetcher against a scripted loopback server: retries, 429, timeouts, redirects, caps, robots, UA.

Time is a FakeClock shared with the server's request log, so waits are asserted on the fake
timeline (arrival times) and on the recorded sleeps; nothing sleeps for real.
"""

from __future__ import annotations

import itertools
import threading

import httpx
import pytest

try:
    from tests.httpstub import Reply, StubServer
except ImportError:  # tests/ not a package
    from httpstub import Reply, StubServer  # type: ignore[no-redef]

from scraper import __version__
from scraper.errors import (
    Blocked,
    DuplicateRequest,
    FetchError,
    OffHost,
    RateLimited,
    RobotsDisallowed,
    TooLarge,
)
from scraper.fetch import FakeClock, HttpFetcher, contact_from_env

CONTACT = "archivist@example.org"


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def server(clock):
    with StubServer(clock) as srv:
        yield srv


class Events(list):
    def __call__(self, kind, **info):
        self.append((kind, info))

    def of(self, kind):
        return [info for k, info in self if k == kind]


def make(server, clock, **kw):
    kw.setdefault("contact", CONTACT)
    kw.setdefault("rate_per_minute", None)
    return HttpFetcher(server.url, clock=clock, **kw)


def pages(server):
    """Requested paths other than robots.txt."""
    return [p for p in server.paths() if p != "/robots.txt"]


# --- basics -----------------------------------------------------------------------------------


def test_get_returns_result_with_metadata(server, clock):
    server.script(
        "/2020/",
        Reply(
            200,
            "caf\xe9".encode("latin-1"),
            {"Content-Type": "text/html; charset=ISO-8859-1", "ETag": '"v1"', "X-Thing": "1"},
        ),
    )
    clock.advance(3600)
    with make(server, clock) as f:
        r = f.get(server.url + "2020/#frag")
    assert r.status == 200 and r.ok and not r.not_modified
    assert r.url == server.url + "2020/#frag"
    assert r.final_url == server.url + "2020/"
    assert r.text == "café"
    assert r.body == b"caf\xe9"
    assert r.headers["x-thing"] == "1" and r.headers["content-type"].startswith("text/html")
    assert r.content_type == "text/html"
    assert r.etag == '"v1"' and r.last_modified is None
    assert r.fetched_at == "2026-01-01T01:00:00Z"
    assert r.attempts == 1 and r.elapsed >= 0
    assert pages(server) == ["/2020/"]


def test_bad_charset_falls_back_to_utf8_with_replacement(server, clock):
    server.script("/x", Reply(200, b"ok \xff", {"Content-Type": "text/html; charset=no-such"}))
    with make(server, clock) as f:
        assert f.get("x").text == "ok \ufffd"


def test_relative_urls_resolve_against_root(clock):
    with StubServer(clock) as srv:
        srv.script("/nairiporter/2020/", Reply(200, "year"))
        with HttpFetcher(
            srv.url + "nairiporter/", contact=CONTACT, clock=clock, rate_per_minute=None
        ) as f:
            assert f.root == srv.url + "nairiporter/"
            assert f.get("2020/").text == "year"
        assert srv.paths() == ["/nairiporter/robots.txt", "/nairiporter/2020/"]


def test_user_agent_carries_contact_and_connection_is_reused(server, clock):
    server.script("/a", Reply(200, "a"))
    server.script("/b", Reply(200, "b"))
    events = Events()
    with make(server, clock, on_event=events) as f:
        f.get("a")
        f.get("b")
        assert f.warnings == []
    ua = f"dwarchive/{__version__} (+{CONTACT})"
    assert all(r.headers["user-agent"] == ua for r in server.requests)
    assert all(r.headers.get("connection", "keep-alive") == "keep-alive" for r in server.requests)
    assert events.of("warning") == []


def test_no_contact_warns(server, clock):
    server.script("/a", Reply(200, "a"))
    events = Events()
    with make(server, clock, contact=None, on_event=events) as f:
        f.get("a")
    assert (
        server.requests[-1].headers["user-agent"] == f"dwarchive/{__version__} (+no contact given)"
    )
    assert len(f.warnings) == 1 and "contact" in f.warnings[0]
    assert events.of("warning") == [{"message": f.warnings[0]}]


def test_contact_from_env():
    assert contact_from_env({"DWARCHIVE_CONTACT": " me@example.org "}) == "me@example.org"
    assert contact_from_env({"DWARCHIVE_CONTACT": "  "}) is None
    assert contact_from_env({}) is None


def test_conditional_get_sends_validators_and_returns_304(server, clock):
    lm = "Wed, 01 Jul 2026 10:00:00 GMT"
    server.script("/data/atom", Reply(304, b"", {"Content-Length": "5000"}))
    with make(server, clock) as f:
        r = f.get("data/atom", etag='"abc"', last_modified=lm)
    sent = server.requests[-1].headers
    assert sent["if-modified-since"] == lm and sent["if-none-match"] == '"abc"'
    assert r.status == 304 and r.not_modified and r.body == b""
    assert r.etag == '"abc"' and r.last_modified == lm  # kept from the request


@pytest.mark.parametrize("status", [403, 404, 410])
def test_final_4xx_are_results(server, clock, status):
    body = "<h1>Suspended User</h1><p>The content at this URL is from a suspended user.</p>"
    server.script("/p", Reply(status, body))
    with make(server, clock) as f:
        r = f.get("p")
    assert r.status == status and "Suspended" in r.text and r.attempts == 1
    assert pages(server) == ["/p"]


# --- rate limiting: 429 and the bucket ----------------------------------------------------------


def test_429_waits_retry_after_then_retries_slower(server, clock):
    server.script("/p", Reply(429, "slow down", {"Retry-After": "7"}), Reply(200, "ok"))
    events = Events()
    with make(server, clock, rate_per_minute=24, on_event=events) as f:
        r = f.get("p")
        assert f.limiter.rate == 12  # slowed down for the rest of the run
        assert f.stats.rate_limited == 1 and f.stats.responses[429] == 1
    assert r.status == 200 and r.attempts == 2
    first, second = [q for q in server.requests if q.path == "/p"]
    assert second.at - first.at >= 7
    assert {"seconds": pytest.approx(7), "reason": "retry-after"} in events.of("wait")
    assert events.of("retry")[0]["attempt"] == 1


def test_429_http_date_retry_after(server, clock):
    # FakeClock wall time starts at 2026-01-01T00:00:00Z
    server.script(
        "/p", Reply(429, "", {"Retry-After": "Thu, 01 Jan 2026 00:02:00 GMT"}), Reply(200, "ok")
    )
    with make(server, clock) as f:
        f.get("p")
    first, second = server.requests[-2:]
    assert second.at - first.at >= 120


def test_429_without_retry_after_waits_60(server, clock):
    server.script("/p", Reply(429, ""), Reply(200, "ok"))
    with make(server, clock) as f:
        f.get("p")
    first, second = server.requests[-2:]
    assert second.at - first.at >= 60


def test_429_blocks_every_later_request_too(server, clock):
    server.script("/p", Reply(429, "", {"Retry-After": "30"}))
    server.script("/q", Reply(200, "q"))
    with make(server, clock, max_attempts=1) as f:
        with pytest.raises(RateLimited):
            f.get("p")
        f.get("q")  # allowed, but only after the deadline
    p, q = server.requests[-2:]
    assert q.at - p.at >= 30


def test_persistent_429_gives_up_with_rate_limited(server, clock):
    server.script("/p", Reply(429, "", {"Retry-After": "5"}))
    with make(server, clock, max_attempts=3) as f, pytest.raises(RateLimited) as info:
        f.get("p")
    assert info.value.exit_code == 75 and info.value.status == 429
    assert pages(server) == ["/p"] * 3
    times = [q.at for q in server.requests if q.path == "/p"]
    assert all(b - a >= 5 for a, b in itertools.pairwise(times))


def test_retry_after_over_cap_stops_at_once_and_holds_back(server, clock):
    server.script("/p", Reply(429, "", {"Retry-After": "3600"}))
    server.script("/q", Reply(200, "q"))
    with make(server, clock, max_retry_after=900) as f:
        with pytest.raises(RateLimited, match="3600"):
            f.get("p")
        with pytest.raises(RateLimited):
            f.get("q")  # refused without a request: the deadline is still an hour away
    assert pages(server) == ["/p"]
    assert clock.sleeps == []


def test_default_rate_spaces_requests(server, clock):
    for i in range(12):
        server.script(f"/{i}", Reply(200, str(i)))
    events = Events()
    with make(server, clock, rate_per_minute=24, on_event=events) as f:
        for i in range(12):
            f.get(f"{i}")
    times = [q.at for q in server.requests]  # robots.txt counts too
    assert len(times) == 13
    assert times[3] == times[0]  # burst of 4
    gaps = [b - a for a, b in itertools.pairwise(times[3:])]
    assert all(g == pytest.approx(2.5) for g in gaps)
    assert {e["reason"] for e in events.of("wait")} == {"rate"}
    assert f.stats.waits == 9 and f.stats.waited == pytest.approx(22.5)


# --- retries ----------------------------------------------------------------------------------


def test_5xx_twice_then_ok_backs_off_exponentially(server, clock):
    server.script("/p", Reply(503, "busy"), Reply(502, "bad"), Reply(200, "ok"))
    events = Events()
    with make(server, clock, on_event=events, rate_per_minute=24) as f:
        r = f.get("p")
        assert f.stats.retries == 2
        assert f.limiter.stats.acquired == 4  # robots.txt + every attempt through the limiter
    assert r.status == 200 and r.attempts == 3
    assert pages(server) == ["/p"] * 3
    assert len(clock.sleeps) == 2
    s1, s2 = clock.sleeps
    assert 1 <= s1 <= 2 and 2 <= s2 <= 3 and s2 >= s1  # 1*2**n + jitter(0..1)
    assert [e["reason"] for e in events.of("wait")] == ["retry", "retry"]
    assert [e["attempt"] for e in events.of("retry")] == [1, 2]
    assert "503" in events.of("retry")[0]["error"]
    statuses = [e["status"] for e in events.of("request") if e["url"].endswith("/p")]
    assert statuses == [503, 502, 200]


def test_5xx_forever_raises_fetch_error(server, clock):
    server.script("/p", Reply(500, "oops"))
    f = make(server, clock, max_attempts=4)
    with f, pytest.raises(FetchError, match="gave up after 4 attempts") as info:
        f.get("p")
    assert type(info.value) is FetchError and info.value.status == 500
    assert pages(server) == ["/p"] * 4
    assert clock.sleeps == sorted(clock.sleeps) and len(clock.sleeps) == 3


def test_503_retry_after_is_a_minimum(server, clock):
    server.script("/p", Reply(503, "", {"Retry-After": "20"}), Reply(200, "ok"))
    with make(server, clock) as f:
        f.get("p")
    first, second = server.requests[-2:]
    assert second.at - first.at >= 20


def test_timeout_is_retried(server, clock):
    release = threading.Event()
    server.script("/slow", Reply(200, "late", stall=release), Reply(200, "ok"))
    try:
        with make(server, clock, timeout=httpx.Timeout(0.3, connect=1)) as f:
            r = f.get("slow")
    finally:
        release.set()
    assert r.text == "ok" and r.attempts == 2
    assert len(clock.sleeps) == 1  # one backoff, on the fake clock


def test_timeouts_give_up(server, clock):
    release = threading.Event()
    server.script("/slow", Reply(200, "late", stall=release))
    events = Events()
    try:
        with (
            make(
                server,
                clock,
                timeout=httpx.Timeout(0.3, connect=1),
                max_attempts=2,
                on_event=events,
            ) as f,
            pytest.raises(FetchError, match="timed out"),
        ):
            f.get("slow")
    finally:
        release.set()
    assert pages(server) == ["/slow", "/slow"]
    assert [e["status"] for e in events.of("request") if e["url"].endswith("slow")] == [None, None]


def test_truncated_body_is_retried(server, clock):
    server.script("/p", Reply(200, b"x" * 50, content_length=100), Reply(200, b"y" * 100))
    with make(server, clock) as f:
        r = f.get("p")
    assert r.body == b"y" * 100 and r.attempts == 2


def test_connection_refused_is_a_fetch_error(clock):
    with StubServer(clock) as srv:
        url = srv.url
    f = HttpFetcher(url, contact=CONTACT, clock=clock, rate_per_minute=None, max_attempts=2)
    with f, pytest.raises(FetchError) as info:
        f.get("x")
    assert "ConnectError" in str(info.value) and len(clock.sleeps) >= 1


# --- size cap and duplicates ------------------------------------------------------------------


def test_size_cap(server, clock):
    server.script("/big", Reply(200, b"x" * 2000))
    server.script("/ok", Reply(200, b"x" * 1000))
    with make(server, clock, max_bytes=1000) as f:
        with pytest.raises(TooLarge):
            f.get("big")
        assert len(f.get("ok").body) == 1000
    assert pages(server) == ["/big", "/ok"]  # TooLarge is not retried


def test_same_url_is_never_fetched_twice(server, clock):
    server.script("/1.html", Reply(200, "e"))
    server.script("/1.html?page=2", Reply(200, "e2"))
    with make(server, clock) as f:
        f.get("1.html")
        with pytest.raises(DuplicateRequest):
            f.get("1.html#comments")
        with pytest.raises(DuplicateRequest):
            f.get(server.url.replace("127.0.0.1", "127.0.0.1") + "1.html")
        assert f.has_fetched("1.html")
        f.get("1.html?page=2")  # another query is another page
        assert f.get("1.html", allow_repeat=True).text == "e"
        with pytest.raises(DuplicateRequest):
            f.get("robots.txt")
    assert pages(server) == ["/1.html", "/1.html?page=2", "/1.html"]


# --- redirects --------------------------------------------------------------------------------


def test_same_host_redirect_is_followed(server, clock):
    server.script("/tag", Reply(301, "", {"Location": "/tag/"}))
    server.script("/tag/", Reply(200, "tags"))
    with make(server, clock) as f:
        r = f.get("tag")
        assert (
            r.final_url == server.url + "tag/" and r.url == server.url + "tag" and r.text == "tags"
        )
        with pytest.raises(DuplicateRequest):
            f.get("tag/")  # already fetched through the redirect
    assert pages(server) == ["/tag", "/tag/"]


def test_redirect_loop_and_too_many_redirects(server, clock):
    server.script("/a", Reply(302, "", {"Location": "/b"}))
    server.script("/b", Reply(302, "", {"Location": "/a"}))
    for i in range(7):
        server.script(f"/r{i}", Reply(302, "", {"Location": f"/r{i + 1}"}))
    with make(server, clock) as f:
        with pytest.raises(FetchError, match="loop"):
            f.get("a")
        with pytest.raises(FetchError, match="more than 5 redirects"):
            f.get("r0")
    assert pages(server) == ["/a", "/b"] + [f"/r{i}" for i in range(6)]


def test_captcha_redirect_blocks_after_one_request(server, clock):
    server.script("/2020/", Reply(302, "", {"Location": "/captcha?return=/2020/"}))
    with make(server, clock) as f, pytest.raises(Blocked) as info:
        f.get("2020/")
    assert info.value.exit_code == 75 and "captcha" in str(info.value)
    assert pages(server) == ["/2020/"]
    assert clock.sleeps == []


def test_captcha_on_another_host_blocks_too(server, clock):
    server.script("/p", Reply(302, "", {"Location": "https://www.dreamwidth.org/captcha/x"}))
    with make(server, clock) as f, pytest.raises(Blocked):
        f.get("p")


def test_off_host_redirect_is_refused_without_contacting_the_other_host(server, clock):
    with StubServer(clock) as other:
        target = other.url + "elsewhere"
        server.script("/p", Reply(302, "", {"Location": target}))
        with make(server, clock) as f, pytest.raises(OffHost) as info:
            f.get("p")
        assert other.requests == []
    assert target in str(info.value) and info.value.target == target
    assert pages(server) == ["/p"]


def test_off_host_urls_are_refused_before_any_request(server, clock):
    with make(server, clock) as f:
        for url in ("https://www.dreamwidth.org/", "http://localhost:1/x", "ftp://127.0.0.1/"):
            with pytest.raises(OffHost):
                f.get(url)
        with pytest.raises(OffHost):
            f.post(server.url + "journal/adult_concepts", {"adult_check": "1"})
    assert server.requests == []


# --- robots.txt -------------------------------------------------------------------------------


def test_robots_disallow(server, clock):
    server.script("/robots.txt", Reply(200, "User-Agent: *\nDisallow: /\n"))
    server.script("/2020/", Reply(200, "year"))
    with make(server, clock) as f:
        with pytest.raises(RobotsDisallowed):
            f.get("2020/")
        with pytest.raises(RobotsDisallowed):
            f.get("2021/")
        assert f.stats.requests == 1
    assert server.paths() == ["/robots.txt"]  # fetched once, lazily


def test_robots_partial_rules_and_agent_specific(server, clock):
    server.script(
        "/robots.txt",
        Reply(200, "User-Agent: dwarchive\nDisallow: /private/\n\nUser-Agent: *\nDisallow: /\n"),
    )
    server.script("/2020/", Reply(200, "year"))
    with make(server, clock) as f:
        assert f.get("2020/").status == 200
        with pytest.raises(RobotsDisallowed):
            f.get("private/x")


def test_robots_override_warns_once(server, clock):
    server.script("/robots.txt", Reply(200, "User-Agent: *\nDisallow: /\n"))
    server.script("/2020/", Reply(200, "year"))
    server.script("/2021/", Reply(200, "year"))
    events = Events()
    reason = "my own journal, backup"
    with make(
        server, clock, obey_robots=False, robots_override_reason=reason, on_event=events
    ) as f:
        f.get("2020/")
        f.get("2021/")
    warnings = [e["message"] for e in events.of("warning")]
    assert len(warnings) == 1
    assert "robots.txt disallows" in warnings[0] and warnings[0].endswith("overridden: " + reason)
    assert pages(server) == ["/2020/", "/2021/"]


@pytest.mark.parametrize("reply", [Reply(404, "nope"), Reply(403, "no")])
def test_robots_missing_allows_all(server, clock, reply):
    server.script("/robots.txt", reply)
    server.script("/2020/", Reply(200, "year"))
    with make(server, clock, max_attempts=2) as f:
        assert f.get("2020/").status == 200
        assert f.robots is not None and f.robots.allows_everything


def test_robots_unreachable_disallows_until_it_can_be_read(server, clock):
    """RFC 9309: a robots.txt lost to server errors means 'disallow all' for now."""
    server.script("/robots.txt", Reply(500, "err"), Reply(500, "err"))
    server.script("/2020/", Reply(200, "year"))
    with make(server, clock, max_attempts=2) as f:
        for path in ("2020/", "2021/"):
            with pytest.raises(FetchError, match="robots.txt of .* could not be read"):
                f.get(path)
    assert server.paths() == ["/robots.txt", "/robots.txt"]  # the failure is remembered


def test_robots_429_is_honoured(server, clock):
    server.script("/robots.txt", Reply(429, "", {"Retry-After": "9"}), Reply(404, ""))
    server.script("/2020/", Reply(200, "year"))
    with make(server, clock) as f:
        f.get("2020/")
    robots1, robots2, page = server.requests
    assert robots2.at - robots1.at >= 9 and page.path == "/2020/"


# --- events and stats -------------------------------------------------------------------------


def test_stats_and_request_events(server, clock):
    server.script("/a", Reply(200, b"12345"))
    server.script("/b", Reply(404, b"no"))
    events = Events()
    with make(server, clock, on_event=events) as f:
        f.get("a")
        f.get("b")
        stats = f.stats.as_dict()
    assert stats["requests"] == 3 and stats["responses"] == {200: 1, 404: 2}
    assert stats["bytes"] >= 7 and stats["retries"] == 0 and stats["rate_limited"] == 0
    reqs = events.of("request")
    assert [(e["method"], e["url"].rsplit("/", 1)[1], e["status"]) for e in reqs] == [
        ("GET", "robots.txt", 404),
        ("GET", "a", 200),
        ("GET", "b", 404),
    ]
    assert all(e["elapsed"] >= 0 for e in reqs)


def test_robots_of_a_prefixed_test_root(clock):
    with StubServer(clock) as srv:
        srv.script(
            "/nairiporter/robots.txt",
            Reply(200, "User-Agent: *\nDisallow: /2020/\nDisallow: /journal/\n"),
        )
        srv.script("/nairiporter/2021/", Reply(200, "ok"))
        root = srv.url + "nairiporter/"
        with HttpFetcher(root, contact=CONTACT, clock=clock, rate_per_minute=None) as f:
            assert f.get("2021/").status == 200
            with pytest.raises(RobotsDisallowed):
                f.get("2020/")
            assert f.get(srv.url + "journal/adult_concepts").status == 404  # a site page
        assert srv.paths() == [
            "/nairiporter/robots.txt",
            "/nairiporter/2021/",
            "/journal/adult_concepts",
        ]


def test_contact_must_fit_in_the_user_agent(server, clock):
    from scraper.errors import EXIT_USAGE, BadContact, DwArchiveError
    from scraper.fetch import build_user_agent

    assert build_user_agent(" me@example.org ") == f"dwarchive/{__version__} (+me@example.org)"
    assert build_user_agent("Jane Doe <jane@example.org>").endswith(
        "(+Jane Doe <jane@example.org>)"
    )
    bad = (
        "me@example.org\r\nX-Evil: 1",
        "me@example.org\nX-Evil: 1",
        "me\x00@example.org",
        "me\t@example.org",
        "me\x1b[2J@example.org",
        "me\x7f@example.org",
        "jürgen@example.org",
        "me@exämple.org",
        "me (at) example.org",
    )
    for contact in bad:
        with pytest.raises(BadContact) as info:
            build_user_agent(contact)
        assert isinstance(info.value, DwArchiveError) and info.value.exit_code == EXIT_USAGE
        assert "\n" not in str(info.value) and "\r" not in str(info.value)
    with pytest.raises(BadContact):  # the fetcher refuses it before any request
        make(server, clock, contact="me@example.org\r\nX-Evil: 1")
    assert server.requests == []
