"""Images: found in bodies and userpics, fetched once each from a loopback server at a polite
per-host rate (on a fake clock) with retries, stored once per content hash, failures recorded and
reported, idempotent, and exports point at the local copies. The journal of these tests lives on
the same loopback server as its images (a journal on loopback may fetch loopback images).
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scraper.errors import DatabaseLocked
from scraper.fetch.clock import FakeClock
from scraper.images import archive_images, find_image_urls, image_failures, image_refs
from scraper.read.export_markdown import export_markdown
from scraper.records import JournalInfo
from scraper.store import save
from tests.readside_archive import J, entry, open_archive, png

RED = png(30, 20, (200, 30, 30))
BLUE = png(20, 30, (30, 30, 200))
BIG = png(30, 30, (1, 2, 3)) + bytes(range(256)) * 300  # 77 kB: over the 50 kB cap below


class Site:
    """A loopback image host: fixed answers per path, every request logged."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.times: list[float] = []  # arrival on the fake clock
        self.clock = clock or FakeClock()
        self.flaky_left = 3  # the default number of attempts: the first run gives up
        self.extra: dict[str, tuple[int, str, bytes, dict[str, str]]] = {}  # more answers
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                site.times.append(site.clock.monotonic())
                status, ctype, body, extra = site.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                if self.path != "/unsized-big.png":  # that one streams until the connection closes
                    self.send_header("Content-Length", str(len(body)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str) -> tuple[int, str, bytes, dict[str, str]]:
        if path in self.extra:
            return self.extra[path]
        if path == "/flaky.png" and self.flaky_left:
            self.flaky_left -= 1
            return 500, "text/plain", b"oops", {}
        if path == "/busy.png":
            return 429, "text/plain", b"slow down", {"Retry-After": "30"}
        return {
            "/a.png": (200, "image/png", RED, {}),
            "/a-copy.png": (200, "image/png", RED, {}),
            "/b.png": (200, "image/png", BLUE, {}),
            "/flaky.png": (200, "image/png", BLUE, {}),
            "/old-b.png": (302, "text/plain", b"", {"Location": "/b.png"}),
            "/page.html": (200, "text/html", b"<p>not an image</p>", {}),
            "/big.png": (200, "image/png", BIG, {}),
            "/unsized-big.png": (200, "image/png", BIG, {}),
        }.get(path, (404, "text/plain", b"no", {}))

    def count(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def site(clock):
    s = Site(clock)
    yield s
    s.close()


@pytest.fixture
def db(tmp_path, site):
    d = open_archive(tmp_path / "archive.db")
    save.save_journal(d, JournalInfo(J, "personal"), f"{site.base}/{J}/", "t0")
    b = site.base
    bodies = {
        1: f'<p>One <img src="{b}/a.png"></p>',
        2: f'<p>Two <img src="{b}/a.png"> <img src="{b}/a-copy.png"></p>',
        3: f'<p>Three <img src="{b}/a.png" srcset="{b}/big.png 2x"><img src="data:image/png;base64,AA"></p>',
        4: f'<img src="{b}/missing.png"><img src="{b}/page.html"><img src="{b}/big.png">'
        f'<img src="{b}/unsized-big.png">',
        5: f'<img src="{b}/old-b.png"><img src="{b}/flaky.png">',
    }
    records = [
        entry(
            n,
            f"Entry {n}",
            html,
            "text",
            posted_at=f"2024-01-0{n}T10:00",
            userpic_url=f"{b}/b.png" if n in (1, 2) else None,
        )
        for n, html in bodies.items()
    ]
    save.save_entries(d, J, records, "t0")
    yield d
    d.close()


def _run(db, clock=None, **kw):
    return archive_images(
        db,
        J,
        contact="tests@dwarchive.invalid",
        per_host_rate=12,
        clock=clock or FakeClock(),
        max_bytes=50_000,
        **kw,
    )


def test_find_image_urls_resolves_and_skips_data_urls():
    html = (
        '<img src="/x.png"><img src="x.png"><img src="data:image/png;base64,AA"><img src="">'
        '<img src="https://h.example/y.gif"><IMG SRC="/x.png">'
    )
    assert find_image_urls(html, "https://j.example/a/1.html") == [
        "https://j.example/x.png",
        "https://j.example/a/x.png",
        "https://h.example/y.gif",
    ]
    assert find_image_urls(None) == [] and find_image_urls("<p>no images</p>") == []


def test_images_are_stored_once_per_content(db, site, clock):
    summary = _run(db, clock)
    b = site.base
    assert {r.url for r in image_refs(db, J)} == {
        f"{b}/{p}"
        for p in (
            "a.png",
            "a-copy.png",
            "b.png",
            "missing.png",
            "page.html",
            "big.png",
            "unsized-big.png",
            "old-b.png",
            "flaky.png",
        )
    }
    assert site.count("/a.png") == 1 and site.count("/b.png") == 2  # b.png, and via old-b.png
    assert db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 2
    shas = dict(db.execute("SELECT url, sha256 FROM images").fetchall())
    red = hashlib.sha256(RED).hexdigest()
    assert shas[f"{b}/a.png"] == shas[f"{b}/a-copy.png"] == red
    assert shas[f"{b}/old-b.png"] == shas[f"{b}/b.png"] == hashlib.sha256(BLUE).hexdigest()
    blob = db.execute("SELECT data, content_type, size FROM blobs WHERE sha256 = ?", [red])
    assert blob.fetchone() == (RED, "image/png", len(RED))
    assert summary == {
        "found": 9,
        "skipped": 0,
        "fetched": 4,
        "new_blobs": 2,
        "bytes": len(RED) + len(BLUE),
        "failed": 5,
    }


def test_requests_are_polite(db, site, clock):
    _run(db, clock)
    # the images are on the journal's own host: the contact goes with them
    assert all(
        ua.startswith("dwarchive/") and "tests@dwarchive.invalid" in ua for _, ua in site.requests
    )
    # 12 per minute with a burst of 2: in any stretch of k requests after the first two, the
    # host saw them at least 5 s apart on average (retry backoffs only add to that)
    times = site.times
    assert len(times) == 12  # 9 images, old-b.png's redirect hop, flaky.png's 2 retries
    for i, j in itertools.combinations(range(len(times)), 2):
        assert times[j] - times[i] >= (j - i - 1) * 5.0 - 1e-6
    assert times[-1] - times[0] >= (len(times) - 2) * 5.0 - 1e-6


def test_failures_are_recorded_and_reported(db, site):
    lines: list[str] = []
    _run(db, report=lines.append)
    failures = {f["url"].rsplit("/", 1)[1]: f["status"] for f in image_failures(db, J)}
    assert failures == {
        "missing.png": "missing",
        "page.html": "not_image",
        "big.png": "too_large",
        "unsized-big.png": "too_large",
        "flaky.png": "error",
    }
    assert any("missing.png: missing (HTTP 404)" in line for line in lines)
    assert len(lines) == 9


def test_a_passing_failure_is_retried_within_the_run(db, site, clock):
    site.flaky_left = 2  # two 500s, then the image: the third attempt gets it
    _run(db, clock)
    assert site.count("/flaky.png") == 3
    assert "flaky.png" not in {f["url"].rsplit("/", 1)[1] for f in image_failures(db, J)}
    first, second, third = [t for (p, _), t in zip(site.requests, site.times) if p == "/flaky.png"]
    assert second - first >= 1 and third - second >= 2  # exponential backoff on the fake clock


def test_second_run_fetches_only_what_failed_for_a_passing_reason(db, site):
    _run(db)
    before = len(site.requests)
    summary = _run(db)
    assert [p for p, _ in site.requests[before:]] == ["/flaky.png"]  # the 500 is retried
    assert summary["fetched"] == 1 and summary["new_blobs"] == 0 and summary["skipped"] == 8
    assert "flaky.png" not in {f["url"].rsplit("/", 1)[1] for f in image_failures(db, J)}
    before = len(site.requests)
    assert _run(db)["fetched"] == 0 and len(site.requests) == before
    _run(db, retry_failed=True)
    assert sorted(p for p, _ in site.requests[before:]) == [
        "/big.png",
        "/missing.png",
        "/page.html",
        "/unsized-big.png",
    ]


def test_retry_after_holds_the_host(db, site, clock):
    save.save_entries(
        db,
        J,
        [entry(0, "Busy", f'<img src="{site.base}/busy.png">', "t", posted_at="2023-01-01T00:00")],
        "t1",
    )
    lines: list[str] = []
    _run(db, clock, report=lines.append)
    busy = [t for (p, _), t in zip(site.requests, site.times) if p == "/busy.png"]
    assert len(busy) == 3  # 429 three times: given up, 'error', tried again next run
    assert all(b - a >= 30.0 for a, b in itertools.pairwise(busy))  # Retry-After honoured
    later = [t for (p, _), t in zip(site.requests, site.times) if p != "/busy.png" and t > busy[0]]
    assert all(t - busy[0] >= 30.0 for t in later)  # the whole host waited
    assert any("busy.png: error" in line and "429" in line for line in lines)


def test_exports_point_at_local_copies(db, site, tmp_path):
    _run(db)
    db.conn.commit()
    export_markdown(db.conn, tmp_path / "md", J)
    text = (tmp_path / "md" / J / "2024-01-02-2.md").read_text()
    red_file = f"../images/{hashlib.sha256(RED).hexdigest()}.png"
    assert text.count(red_file) == 2  # a.png and a-copy.png: one file
    assert (
        tmp_path / "md" / "images" / f"{hashlib.sha256(RED).hexdigest()}.png"
    ).read_bytes() == RED
    four = (tmp_path / "md" / J / "2024-01-04-4.md").read_text()
    assert f"{site.base}/missing.png" in four  # not stored: the original address stays


def test_run_image_archive_takes_the_lock_and_sums_up(db, site, tmp_path):
    from scraper.images import run_image_archive, summary_line
    from scraper.store import RunLock

    db.conn.commit()
    path = tmp_path / "archive.db"
    with RunLock(path), pytest.raises(DatabaseLocked):
        run_image_archive(path, J, contact="tests@dwarchive.invalid", clock=FakeClock())
    assert site.requests == []
    summary = run_image_archive(path, J, contact="tests@dwarchive.invalid", clock=FakeClock())
    # (default 10 MB cap: big.png and unsized-big.png are stored, once, this time)
    assert summary_line(summary).startswith("images: 9 found, 6 fetched (3 new files")
