"""What owner mode needs from the fetcher, over loopback: the site's protocol endpoints on the
api origin, POST with a form or a raw body (retried like a GET), the `ljsession` cookie sent to
the journal's site only and never shown, and no Referer ever.
"""

from __future__ import annotations

import pytest

from scraper.errors import BadSessionCookie, FetchError, OffHost, RobotsDisallowed
from scraper.fetch import FakeClock, HttpFetcher, api_root_for
from tests.httpstub import Reply, StubServer

CONTACT = "owner@dwarchive.invalid"
SECRET = "v1:u42:s7:aSECRETx9:f0//1"
XML = "<?xml version='1.0'?><methodCall><methodName>LJ.XMLRPC.getevents</methodName></methodCall>"


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


class Events(list):
    def __call__(self, kind, **info):
        self.append((kind, info))


def make(server, clock, **kw):
    kw.setdefault("rate_per_minute", None)
    return HttpFetcher(server.url, contact=CONTACT, clock=clock, **kw)


def by_path(server, path):
    return [r for r in server.requests if r.path.split("?")[0] == path]


# --- the api origin -----------------------------------------------------------------------------


def test_api_root_for():
    assert api_root_for("https://nairiporter.dreamwidth.org/") == "https://www.dreamwidth.org/"
    assert api_root_for("https://foo-bar.livejournal.com/") == "https://www.livejournal.com/"
    assert api_root_for("http://127.0.0.1:8123/nairiporter/") == "http://127.0.0.1:8123/"
    assert api_root_for("http://localhost:8123/") == "http://localhost:8123/"


def test_protocol_endpoints_on_a_loopback_journal(journal, clock):
    """On loopback the endpoints share the journal's origin; robots.txt does not apply to them
    (the site's robots.txt never blocks them, and an owner may block robots from the journal)."""
    journal.script("/robots.txt", Reply(200, "User-Agent: *\nDisallow: /\n"))
    journal.script("/interface/flat", Reply(200, "ljsession\nv1:abc\nsuccess\nOK\n"))
    journal.script(
        "/interface/xmlrpc", Reply(200, "<methodResponse/>", {"Content-Type": "text/xml"})
    )
    journal.script("/export_comments?get=comment_meta&startid=0", Reply(200, "<livejournal/>"))
    root = journal.url
    with make(journal, clock, api_root=api_root_for(root)) as f:
        assert f.api_root == journal.url
        flat = f.post("interface/flat", {"mode": "sessiongenerate", "user": "nairiporter"})
        assert flat.status == 200 and flat.text.startswith("ljsession")
        rpc = f.post("interface/xmlrpc", content=XML, content_type="text/xml")
        assert rpc.text == "<methodResponse/>"
        meta = f.get("export_comments?get=comment_meta&startid=0")
        assert meta.text == "<livejournal/>"
        with pytest.raises(RobotsDisallowed):
            f.get("2020/")  # journal pages still obey robots.txt
    (flat_req,) = by_path(journal, "/interface/flat")
    assert flat_req.method == "POST" and flat_req.body == b"mode=sessiongenerate&user=nairiporter"
    assert flat_req.headers["content-type"] == "application/x-www-form-urlencoded"
    (rpc_req,) = by_path(journal, "/interface/xmlrpc")
    assert rpc_req.body == XML.encode() and rpc_req.headers["content-type"] == "text/xml"


def test_protocol_endpoints_on_the_sites_main_host(journal, www, stranger, clock):
    www.script("/interface/flat", Reply(200, "success\nOK\n"))
    www.script("/export_comments?get=comment_body&startid=0", Reply(200, "<livejournal/>"))
    with make(journal, clock, api_root=www.url) as f:
        assert f.post(www.url + "interface/flat", {"mode": "getchallenge"}).status == 200
        assert f.get(www.url + "export_comments?get=comment_body&startid=0").status == 200
        for refused in (www.url + "login", www.url + "interface/flatx", stranger.url):
            with pytest.raises(OffHost):
                f.get(refused)
            with pytest.raises(OffHost):
                f.post(refused, {"x": "1"})
        with pytest.raises(OffHost):
            f.post(stranger.url + "interface/flat", {"mode": "getchallenge"})
    with make(journal, clock) as f, pytest.raises(OffHost):  # no api_root: no endpoints
        f.post(www.url + "interface/flat", {"mode": "getchallenge"})
    assert [r.path for r in www.requests] == [
        "/interface/flat",
        "/export_comments?get=comment_body&startid=0",
    ]
    assert stranger.requests == []


def test_post_is_retried_on_transient_failures(journal, www, clock):
    www.script(
        "/interface/xmlrpc",
        Reply(503, "busy"),
        Reply(502, "bad gateway"),
        Reply(200, "<methodResponse/>"),
    )
    with make(journal, clock, api_root=www.url) as f:
        result = f.post(www.url + "interface/xmlrpc", content=XML, content_type="text/xml")
    assert result.status == 200 and result.attempts == 3
    posts = by_path(www, "/interface/xmlrpc")
    assert [r.method for r in posts] == ["POST"] * 3
    assert all(r.body == XML.encode() for r in posts)  # the same body every attempt
    assert len(clock.sleeps) == 2


def test_post_gives_up_like_a_get(journal, www, clock):
    www.script("/interface/flat", Reply(500, "oops"))
    with (
        make(journal, clock, api_root=www.url, max_attempts=2) as f,
        pytest.raises(FetchError, match="gave up after 2 attempts"),
    ):
        f.post(www.url + "interface/flat", {"mode": "syncitems"})
    assert len(by_path(www, "/interface/flat")) == 2


def test_post_takes_a_form_or_a_body_not_both(journal, clock):
    with make(journal, clock) as f, pytest.raises(ValueError):
        f.post("interface/flat", {"a": "1"}, content=b"x")


# --- the session cookie -------------------------------------------------------------------------


def test_session_cookie_goes_to_the_journals_site_only(journal, www, stranger, clock):
    journal.script("/2020/", Reply(302, "", {"Location": "/2020/index"}))
    journal.script("/2020/index", Reply(200, "year", {"Set-Cookie": "ljuniq=u1; Path=/"}))
    journal.script("/2021/", Reply(200, "year"))
    www.script("/interface/flat", Reply(200, "success\nOK\n"))
    journal.script("/away", Reply(302, "", {"Location": stranger.url + "x"}))
    with make(journal, clock, api_root=www.url) as f:
        f.get("robots.txt", allow_repeat=True)  # robots.txt itself (404 here)
        f.set_session_cookie(SECRET)
        f.get("2020/")
        f.get("2021/")
        f.post(www.url + "interface/flat", {"mode": "sessionexpire"})
        with pytest.raises(OffHost):
            f.get("away")
        f.set_session_cookie(None)
        f.get("2021/", allow_repeat=True)
    sent = [(r.path, r.headers.get("cookie", "")) for r in journal.requests + www.requests]
    with_session = [p for p, c in sent if f"ljsession={SECRET}" in c]
    assert with_session == ["/2020/", "/2020/index", "/2021/", "/away", "/interface/flat"]
    cookies_2021 = [c for p, c in sent if p == "/2021/"]
    # the jar's cookies stay beside the session; after set_session_cookie(None) it is gone
    assert cookies_2021 == [f"ljuniq=u1; ljsession={SECRET}", "ljuniq=u1"]
    assert stranger.requests == []


def test_session_value_is_never_shown(journal, www, stranger, clock):
    leak = f"{stranger.url}steal?v={SECRET}"
    journal.script(
        "/2020/",
        Reply(
            200,
            "year",
            {"Set-Cookie": f"ljsession={SECRET}; Path=/", "X-Echo": f"you sent {SECRET}"},
        ),
    )
    journal.script("/leak", Reply(302, "", {"Location": leak}))
    journal.script("/fail", Reply(500, f"error {SECRET}", {"Retry-After": "99999"}))
    events = Events()
    with make(journal, clock, api_root=www.url, on_event=events, max_attempts=2) as f:
        f.set_session_cookie(SECRET)
        result = f.get("2020/")
        errors = []
        for path in ("leak", "fail"):
            with pytest.raises(FetchError) as info:
                f.get(path)
            errors.append(info.value)
        with pytest.raises(OffHost) as info:
            f.get(leak)
        errors.append(info.value)
        shown = [repr(f), repr(f.session), repr(result), str(result.headers), *f.warnings]
    assert "[redacted]" in result.headers["set-cookie"] and "[redacted]" in result.headers["x-echo"]
    shown += [repr(e) + str(e) + repr(vars(e)) for e in errors]
    for exc in errors:
        chained = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        while chained is not None:
            shown.append(repr(chained) + str(chained))
            chained = chained.__cause__ or chained.__context__
    shown += [repr(info) for _, info in events]
    assert events and any("[redacted]" in s for s in shown)
    assert not [s for s in shown if SECRET in s]
    assert stranger.requests == []


@pytest.mark.parametrize(
    "value", ["a;b", "a b", "a,b", 'a"b', "a\\b", "é", "a\r\nX-Evil: 1", "a\x00", ""]
)
def test_a_session_value_that_is_not_a_cookie_value_is_refused(journal, clock, value):
    with make(journal, clock) as f:
        with pytest.raises(BadSessionCookie) as info:
            f.set_session_cookie(value)
        assert value not in str(info.value) or not value
        assert not f.session.is_set


# --- Referer -------------------------------------------------------------------------------------


def test_no_referer_is_ever_sent(journal, www, clock):
    journal.script("/a", Reply(301, "", {"Location": "/b"}))
    journal.script("/b", Reply(302, "", {"Location": "/c"}))
    journal.script("/c", Reply(200, "c"))
    www.script("/interface/flat", Reply(303, "", {"Location": journal.url + "d"}))
    journal.script("/d", Reply(200, "d"))
    with make(journal, clock, api_root=www.url) as f:
        f.get("a")
        f.post(www.url + "interface/flat", {"mode": "login"})
    requests = journal.requests + www.requests
    assert len(requests) == 6  # robots.txt, a, b, c, the POST, d
    assert not [r for r in requests if "referer" in r.headers]
