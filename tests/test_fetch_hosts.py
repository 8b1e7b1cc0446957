"""Fetcher with an injected httpx.MockTransport: real hostnames (renames, adult gate), streaming caps."""

from __future__ import annotations

import gzip

import httpx
import pytest

from scraper.errors import (
    AdultContentGate,
    Blocked,
    FetchError,
    JournalRenamed,
    OffHost,
    TooLarge,
)
from scraper.fetch import FakeClock, HttpFetcher, TokenBucket

ROOT = "https://nairiporter.dreamwidth.org/"
GATE = "https://www.dreamwidth.org/journal/adult_concepts?ret=https%3A%2F%2Fnairiporter.dreamwidth.org%2F12.html"


class Site:
    """A MockTransport handler: routes by full URL (without query), logs requests."""

    def __init__(self, routes):
        self.routes = routes
        self.log: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.log.append(request)
        key = f"{request.url.scheme}://{request.url.host}{request.url.path}"
        handler = self.routes.get(key)
        if handler is None:
            return httpx.Response(404, text="not found")
        return handler(request) if callable(handler) else handler

    def urls(self):
        return [str(r.url) for r in self.log if not r.url.path.endswith("robots.txt")]


def fetcher(site, **kw):
    kw.setdefault("contact", "a@example.org")
    kw.setdefault("rate_per_minute", None)
    kw.setdefault("clock", FakeClock())
    return HttpFetcher(ROOT, transport=httpx.MockTransport(site), **kw)


def test_renamed_journal_is_reported():
    site = Site(
        {
            ROOT + "2020/": httpx.Response(
                301, headers={"Location": "https://newname.dreamwidth.org/2020/"}
            )
        }
    )
    with fetcher(site) as f, pytest.raises(JournalRenamed) as info:
        f.get("2020/")
    assert str(info.value).startswith("journal renamed: now at https://newname.dreamwidth.org/")
    assert info.value.target == "https://newname.dreamwidth.org/2020/"
    assert info.value.new_root == "https://newname.dreamwidth.org/"
    assert site.urls() == [ROOT + "2020/"]


def test_redirect_to_site_page_is_plain_off_host():
    site = Site(
        {ROOT + "x": httpx.Response(302, headers={"Location": "https://www.dreamwidth.org/login"})}
    )
    with fetcher(site) as f, pytest.raises(OffHost) as info:
        f.get("x")
    assert "renamed" not in str(info.value) and "https://www.dreamwidth.org/login" in str(
        info.value
    )


def test_https_to_http_downgrade_is_refused():
    site = Site(
        {
            ROOT + "x": httpx.Response(
                302, headers={"Location": "http://nairiporter.dreamwidth.org/x"}
            )
        }
    )
    with fetcher(site) as f, pytest.raises(OffHost):
        f.get("x")


def gate_site():
    confirmed = {"yes": False}

    def entry(request: httpx.Request) -> httpx.Response:
        if "ljuniq=abc" in request.headers.get("cookie", "") and confirmed["yes"]:
            return httpx.Response(200, text="the entry")
        return httpx.Response(302, headers={"Location": GATE})

    def gate(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(
                200,
                text="<form method=post><input name=lj_form_auth value=tok></form>",
                headers={"Set-Cookie": "ljuniq=abc; Domain=.dreamwidth.org; Path=/"},
            )
        assert request.content == b"ret=x&adult_check=1&lj_form_auth=tok"
        confirmed["yes"] = True
        return httpx.Response(302, headers={"Location": ROOT + "12.html"})

    return Site(
        {ROOT + "12.html": entry, "https://www.dreamwidth.org/journal/adult_concepts": gate}
    )


def test_adult_gate_is_reported_not_followed():
    site = gate_site()
    with fetcher(site) as f:
        with pytest.raises(AdultContentGate) as info:
            f.get("12.html")
        assert info.value.gate_url == GATE and info.value.url == ROOT + "12.html"
        # not opted in: the gate's host stays off limits
        with pytest.raises(OffHost):
            f.get(GATE)
        with pytest.raises(OffHost):
            f.post(GATE, {"adult_check": "1"})
    assert site.urls() == [ROOT + "12.html"]


def test_adult_gate_flow_when_opted_in():
    site = gate_site()
    with fetcher(site, allow_adult_host=True) as f:
        with pytest.raises(OffHost):  # no gate seen yet: nothing to post to
            f.post(GATE, {"adult_check": "1"})
        with pytest.raises(AdultContentGate) as info:
            f.get("12.html")
        form = f.get(info.value.gate_url)  # the crawl layer reads the form token from this
        assert form.status == 200 and "lj_form_auth" in form.text
        back = f.post(info.value.gate_url, {"ret": "x", "adult_check": "1", "lj_form_auth": "tok"})
        assert back.status == 200 and back.text == "the entry"
        assert back.final_url == ROOT + "12.html"
        again = f.get("12.html", allow_repeat=True)
        assert again.text == "the entry"
        with pytest.raises(OffHost):  # opting in opens the gate's host, not the whole web
            f.get("https://other.example.org/")
    methods = [(r.method, str(r.url).split("?")[0]) for r in site.log]
    assert methods == [
        ("GET", ROOT + "robots.txt"),
        ("GET", ROOT + "12.html"),
        ("GET", "https://www.dreamwidth.org/journal/adult_concepts"),
        ("POST", "https://www.dreamwidth.org/journal/adult_concepts"),
        ("GET", ROOT + "12.html"),
        ("GET", ROOT + "12.html"),
    ]
    assert "ljuniq=abc" in site.log[-1].headers["cookie"]


def test_opting_in_opens_the_gate_paths_of_www_and_nothing_else():
    site = gate_site()
    with fetcher(site, allow_adult_host=True) as f:
        with pytest.raises(AdultContentGate):
            f.get("12.html")
        for url in ("https://www.dreamwidth.org/login", "https://www.dreamwidth.org/"):
            with pytest.raises(OffHost):
                f.get(url)
            with pytest.raises(OffHost):
                f.post(url, {"user": "x"})
    assert site.urls() == [ROOT + "12.html"]


def test_a_gate_off_the_site_is_refused_even_when_opted_in():
    evil = "https://evil.example/journal/adult_concepts?ret=x"
    site = Site(
        {
            ROOT + "1.html": httpx.Response(302, headers={"Location": evil}),
            "https://evil.example/journal/adult_concepts": httpx.Response(200, text="form"),
        }
    )
    with fetcher(site, allow_adult_host=True) as f:
        with pytest.raises(OffHost) as info:
            f.get("1.html")
        assert not isinstance(info.value, AdultContentGate) and info.value.target == evil
        with pytest.raises(OffHost):
            f.get(evil)
        with pytest.raises(OffHost):
            f.post(evil, {"adult_check": "1"})
    assert site.urls() == [ROOT + "1.html"]


def test_explicit_gate_too():
    gate = "https://www.dreamwidth.org/journal/adult_explicit?ret=x"
    site = Site({ROOT + "1.html": httpx.Response(302, headers={"Location": gate})})
    with fetcher(site) as f, pytest.raises(AdultContentGate) as info:
        f.get("1.html")
    assert info.value.gate_url == gate


def test_captcha_is_blocked_not_retried():
    site = Site(
        {
            ROOT + "2020/": httpx.Response(
                302, headers={"Location": "https://www.dreamwidth.org/captcha"}
            )
        }
    )
    clock = FakeClock()
    with fetcher(site, clock=clock) as f, pytest.raises(Blocked):
        f.get("2020/")
    assert site.urls() == [ROOT + "2020/"] and clock.sleeps == []


def test_streamed_body_without_length_is_cut_at_cap():
    pulled = []

    def chunks():
        for i in range(100):
            pulled.append(i)
            yield b"x" * 100

    site = Site({ROOT + "big": lambda r: httpx.Response(200, content=chunks())})
    with fetcher(site, max_bytes=1000) as f, pytest.raises(TooLarge):
        f.get("big")
    assert len(pulled) < 20  # stopped reading soon after the cap


def test_announced_length_over_cap_refused_before_reading():
    site = Site(
        {ROOT + "big": httpx.Response(200, content=b"x" * 10, headers={"Content-Length": "999999"})}
    )
    with fetcher(site, max_bytes=1000) as f, pytest.raises(TooLarge, match="999999"):
        f.get("big")


def test_gzip_is_decoded_and_cap_applies_to_decoded_size():
    page = b"<p>hello</p>" * 1000
    packed = gzip.compress(page)
    site = Site(
        {
            ROOT + "a": lambda r: httpx.Response(
                200, content=iter([packed]), headers={"Content-Encoding": "gzip"}
            ),
            ROOT + "b": lambda r: httpx.Response(
                200, content=iter([packed]), headers={"Content-Encoding": "gzip"}
            ),
        }
    )
    with fetcher(site, max_bytes=len(page)) as f:
        assert f.get("a").body == page
        assert f.stats.bytes == len(packed) + len("not found")  # wire bytes (+ robots 404)
    with fetcher(site, max_bytes=len(page) - 1) as f, pytest.raises(TooLarge):
        f.get("b")  # a small gzip cannot smuggle a large body past the cap


def test_connect_errors_are_retried_then_fail():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    site = Site({ROOT + "x": refuse})
    clock = FakeClock()
    with fetcher(site, clock=clock, max_attempts=3) as f, pytest.raises(FetchError) as info:
        f.get("x")
    assert "gave up after 3 attempts" in str(info.value)
    assert len(site.urls()) == 3 and len(clock.sleeps) == 2


def test_one_bucket_shared_by_journals_of_one_site():
    clock = FakeClock()
    bucket = TokenBucket(24, burst=4, clock=clock)
    site = Site({})
    times = []
    for name in ("one", "two", "three"):
        f = HttpFetcher(
            f"https://{name}.dreamwidth.org/",
            contact="a@example.org",
            limiter=bucket,
            transport=httpx.MockTransport(lambda r: (times.append(clock.monotonic()), site(r))[1]),
        )
        assert f.clock is clock
        with f:
            f.get("2020/")  # + robots.txt
    assert len(times) == 6
    assert times[3] == times[0] and times[4] - times[3] == pytest.approx(2.5)
