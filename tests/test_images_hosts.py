"""Images only from where they should come: the host policy of `archive --images`, over loopback.

A journal on Dreamwidth may not make dwarchive fetch loopback, private or link-local addresses in
any spelling, nor ports other than 80/443, nor hosts its entries do not use; a journal on
loopback may fetch loopback only. Refused images are recorded (status 'refused', the reason) and
nothing is requested from them; redirects are checked at every hop; the contact address goes to
the journal's site only. Name resolution is injected (`resolve`) so no test looks anything up.
"""

from __future__ import annotations

import ipaddress

import pytest

from scraper.errors import OffHost
from scraper.fetch.clock import FakeClock
from scraper.fetch.hosts import AddressGuard, numeric_host
from scraper.fetch.image_client import ImageHosts
from scraper.images import archive_images, image_failures
from scraper.records import JournalInfo
from scraper.store import save
from tests.readside_archive import J, entry, open_archive, png
from tests.test_images import Site

DW_ROOT = "https://nairiporter.dreamwidth.org/"
CONTACT = "tests@dwarchive.invalid"
RED = png(10, 10, (200, 30, 30))

PUBLIC = {
    "img.example.org": ["93.184.216.34"],
    "v.dreamwidth.org": ["38.109.120.50"],
    "intranet.example.org": ["10.1.2.3"],
    "rebind.example.org": ["93.184.216.34", "127.0.0.1"],
    "metadata.example.org": ["169.254.169.254"],
    "v6local.example.org": ["fe80::1"],
}


class Resolver:
    """A fake DNS: fixed answers, every lookup recorded."""

    def __init__(self, table: dict[str, list[str]] | None = None) -> None:
        self.table = PUBLIC if table is None else table
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        self.asked.append(host)
        if host not in self.table:
            raise OSError(f"no such host {host}")
        return [ipaddress.ip_address(a) for a in self.table[host]]


# --- the policy, unit by unit -------------------------------------------------------------------


@pytest.mark.parametrize(
    "host, address",
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706434", "127.0.0.2"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("::1", "::1"),
        ("[::1]", "::1"),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
        ("169.254.169.254", "169.254.169.254"),
        ("img.example.org", None),
        ("cafe.example", None),
        ("localhost", None),
    ],
)
def test_numeric_host_forms(host, address):
    expected = ipaddress.ip_address(address) if address else None
    assert numeric_host(host) == expected


@pytest.mark.parametrize(
    "url, looked_up",
    [
        ("http://2130706434/a.png", False),
        ("http://0x7f.1/a.png", False),
        ("http://127.1/a.png", False),
        ("http://[::1]/a.png", False),
        ("http://[::ffff:127.0.0.1]/a.png", False),
        ("http://localhost/a.png", False),
        ("http://LOCALHOST./a.png", False),
        ("http://foo.localhost/a.png", False),
        ("http://10.0.0.5/a.png", False),
        ("http://192.168.1.1/a.png", False),
        ("http://169.254.169.254/latest/meta-data", False),
        ("http://[fe80::1]/a.png", False),
        ("http://0.0.0.0/a.png", False),
        ("http://intranet.example.org/a.png", True),
        ("http://rebind.example.org/a.png", True),  # one bad address is enough
        ("http://metadata.example.org/a.png", True),
        ("http://v6local.example.org/a.png", True),
    ],
)
def test_a_journal_on_the_web_never_reaches_local_addresses(url, looked_up):
    resolver = Resolver()
    hosts = ImageHosts(DW_ROOT, [url], resolve=resolver)
    with pytest.raises(OffHost, match="private or local address"):
        hosts.check(url)
    assert bool(resolver.asked) == looked_up  # numeric forms and localhost are read, not looked up


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://img.example.org:8443/a.png", "port 8443"),
        ("http://img.example.org:22/a.png", "port 22"),
        ("ftp://img.example.org/a.png", "not an http"),
        ("file:///etc/passwd", "not an http"),
        ("https://elsewhere.example.org/a.png", "not a host this journal's entries use"),
    ],
)
def test_ports_schemes_and_unknown_hosts_are_refused(url, reason):
    hosts = ImageHosts(DW_ROOT, ["https://img.example.org/a.png"], resolve=Resolver())
    with pytest.raises(OffHost, match=reason):
        hosts.check(url)


def test_known_hosts_of_a_journal_on_the_web():
    resolver = Resolver()
    hosts = ImageHosts(DW_ROOT, ["https://img.example.org/a.png"], resolve=resolver)
    hosts.check("https://img.example.org/b.png")  # an entry embeds images from there
    hosts.check("http://img.example.org:443/c.png")
    hosts.check("https://v.dreamwidth.org/1/2", "userpic")  # the site's userpic host
    with pytest.raises(OffHost, match="not the site's hosts"):
        hosts.check("https://img.example.org/pic.png", "userpic")  # userpics come from the site
    assert hosts.on_site("https://v.dreamwidth.org/1/2") and hosts.on_site(DW_ROOT + "x.png")
    assert not hosts.on_site("https://img.example.org/a.png")
    assert not hosts.on_site("https://dreamwidth.org.evil.example/a.png")


def test_a_journal_on_loopback_fetches_loopback_only():
    root = "http://127.0.0.1:8001/nairiporter/"
    linked = "http://127.0.0.1:8002/a.png"
    hosts = ImageHosts(root, [linked, "https://img.example.org/a.png"], resolve=Resolver())
    hosts.check(linked)  # any port on loopback, when an entry uses it
    hosts.check("http://127.0.0.1:8001/icon.png", "userpic")  # the journal's own host
    with pytest.raises(OffHost, match="not a host this journal"):
        hosts.check("http://127.0.0.1:8003/a.png")  # another port nobody embeds
    with pytest.raises(OffHost, match="not a loopback address"):
        hosts.check("https://img.example.org/a.png")
    with pytest.raises(OffHost):
        hosts.check("https://v.dreamwidth.org/1/2", "userpic")


def test_a_name_that_cannot_be_resolved_is_an_error_not_a_refusal():
    from scraper.errors import FetchError

    guard = AddressGuard(loopback_only=False, resolve=Resolver({}))
    with pytest.raises(FetchError) as info:
        guard.check("https://nowhere.example.org/a.png", "nowhere.example.org")
    assert not isinstance(info.value, OffHost)


# --- archive_images with real loopback servers ----------------------------------------------------


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def images(clock):
    s = Site(clock)
    yield s
    s.close()


@pytest.fixture
def other(clock):
    s = Site(clock)
    yield s
    s.close()


def _archive(tmp_path, root, bodies, **kw):
    db = open_archive(tmp_path / "archive.db")
    save.save_journal(db, JournalInfo(J, "personal"), root, "t0")
    save.save_entries(
        db,
        J,
        [
            entry(n, f"E{n}", html, "t", posted_at=f"2024-01-0{n}T10:00", **extra)
            for n, (html, extra) in enumerate(bodies, start=1)
        ],
        "t0",
    )
    return db


def test_a_journal_on_the_web_gets_no_loopback_image(tmp_path, images, clock):
    b, port = images.base, images.base.rsplit(":", 1)[1]
    bodies = [
        (f'<img src="{b}/a.png"><img src="http://localhost:{port}/a.png">', {}),
        (f'<img src="http://2130706433:{port}/a.png"><img src="http://[::1]:{port}/a.png">', {}),
        ('<img src="http://2130706433/a.png"><img src="http://0x7f.1/a.png">', {}),
        ("<p>icon</p>", {"userpic_url": f"{b}/b.png"}),
    ]
    db = _archive(tmp_path, DW_ROOT, bodies)
    lines: list[str] = []
    summary = archive_images(
        db, J, contact=CONTACT, clock=clock, report=lines.append, resolve=Resolver()
    )
    assert images.requests == []  # not one request reached the loopback server
    failures = image_failures(db, J)
    assert len(failures) == summary["found"] == summary["failed"] == 7
    assert {f["status"] for f in failures} == {"refused"}
    assert all(f["error"] and "refused" in f["error"] for f in failures)
    assert all(": refused (" in line for line in lines)
    archive_images(db, J, contact=CONTACT, clock=clock, resolve=Resolver())
    assert images.requests == []  # refused is final: not tried again
    summary = archive_images(
        db, J, contact=CONTACT, clock=clock, resolve=Resolver(), retry_failed=True
    )
    assert images.requests == [] and summary["failed"] == 7  # asked again: still refused
    db.close()


def test_redirects_are_checked_at_every_hop(tmp_path, images, other, clock):
    """A loopback journal's image redirects to another loopback port nobody embeds, and to a
    host on the web: both refused at the hop, neither contacted."""
    b = images.base
    images.extra = {
        "/to-other.png": (302, "text/plain", b"", {"Location": f"{other.base}/a.png"}),
        "/to-web.png": (302, "text/plain", b"", {"Location": "https://img.example.org/a.png"}),
        "/to-self.png": (302, "text/plain", b"", {"Location": "/a.png"}),
    }
    bodies = [
        (f'<img src="{b}/to-other.png"><img src="{b}/to-web.png"><img src="{b}/to-self.png">', {})
    ]
    db = _archive(tmp_path, f"{b}/{J}/", bodies)
    summary = archive_images(db, J, contact=CONTACT, clock=clock, resolve=Resolver())
    assert other.requests == []
    assert summary["fetched"] == 1 and summary["failed"] == 2
    failures = {f["url"].rsplit("/", 1)[1]: f for f in image_failures(db, J)}
    assert failures["to-other.png"]["status"] == failures["to-web.png"]["status"] == "refused"
    assert "redirects to" in failures["to-other.png"]["error"]
    assert [p for p, _ in images.requests] == [
        "/to-other.png",
        "/to-web.png",
        "/to-self.png",
        "/a.png",
    ]
    db.close()


def test_the_contact_goes_to_the_journals_site_only(tmp_path, images, other, clock):
    b, o = images.base, other.base
    images.extra = {"/hop.png": (302, "text/plain", b"", {"Location": f"{o}/a.png"})}
    bodies = [(f'<img src="{b}/a.png"><img src="{o}/b.png"><img src="{b}/hop.png">', {})]
    db = _archive(tmp_path, f"{b}/{J}/", bodies)
    summary = archive_images(db, J, contact=CONTACT, clock=clock, resolve=Resolver())
    assert summary["fetched"] == 3
    assert images.requests and all(CONTACT in ua for _, ua in images.requests)
    assert sorted(p for p, _ in other.requests) == ["/a.png", "/b.png"]
    assert all(CONTACT not in ua and ua.startswith("dwarchive/") for _, ua in other.requests)
    db.close()
