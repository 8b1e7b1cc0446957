"""The HTML export of a hostile journal (scraper/fakesite/hostile.py), archived through the real
pipeline: opened in headless Chromium with every payload pointing at a recording server on
another loopback port, nothing reaches that server and no page navigates away; the markup left
is only what the sanitiser allows; a control run proves the harness sees what raw payloads do.
"""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.cli_read import run_export
from scraper.fakesite.hostile import NAME, PAYLOAD_PATHS, build_hostile_journal
from scraper.read.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LOCAL_IMAGE
from tests.browser import ABSENT, CHROMIUM, HEADLESS
from tests.readside_archive import Recorder, archive_through_fake_site


@pytest.fixture(scope="module")
def tracker():
    recorder = Recorder()
    yield recorder
    recorder.close()


@pytest.fixture(scope="module")
def site(tracker, tmp_path_factory):
    """The hostile journal archived with `dwarchive archive` and exported as HTML."""
    tmp = tmp_path_factory.mktemp("hostile-html")
    archive_through_fake_site(tmp / "archive.db", [build_hostile_journal(tracker.url)])
    assert tracker.requests == []  # the crawl itself never went near the tracker
    assert run_export(tmp / "archive.db", "html", tmp / "html", None) == 10
    return tmp / "html"


def _entry_page(site: Path, title: str) -> Path:
    return next(
        p for p in (site / "entries" / NAME).glob("*.html") if f"<h1>{title}</h1>" in p.read_text()
    )


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _chromium(url: str, profile: Path, *extra: str) -> str:
    """The DOM after the page (and its refresh timers) ran for 2 s of virtual time."""
    result = subprocess.run(
        [
            *HEADLESS,
            "--disable-features=Translate,OptimizationHints,MediaRouter",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=2000",
            "--dump-dom",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _harness(path: Path, pages: list[Path]) -> str:
    frames = "".join(
        f'<iframe src="{p.as_uri()}" width="800" height="600"></iframe>' for p in pages
    )
    path.write_text(f"<!DOCTYPE html><title>harness</title>{frames}", encoding="utf-8")
    return path.as_uri()


# --- what the browser does --------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(site, tracker, tmp_path_factory):
    """Three headless Chromium runs at once: (0) every page with archived HTML in frames of a
    harness page (each frame keeps its own CSP; a refresh or a form would navigate its frame,
    which the tracker would see), (1) a screenshot of the entry whose comments carry every
    payload (a meta refresh and a fixed full-page overlay among them), opened on its own, after
    2 s of virtual time, (2) the control: the same payloads, raw, pointing at a second
    recorder."""
    if not Path(CHROMIUM).exists():
        pytest.skip(ABSENT)
    tmp = tmp_path_factory.mktemp("chromium")
    entries = sorted((site / "entries" / NAME).glob("*.html"))
    assert len(entries) == 10
    framed = [*entries, site / "index.html", site / "tags" / "index.html"]
    framed += sorted((site / "days").rglob("*.html"))[:2]
    control = Recorder()
    try:
        raw = build_hostile_journal(control.url)  # the same payloads, not sanitised
        raw_page = tmp / "raw.html"
        raw_page.write_text(
            "<!DOCTYPE html><title>control</title>" + "".join(e.body_html for e in raw.entries[:5]),
            encoding="utf-8",
        )
        shot = tmp / "overlay.png"
        jobs = [
            (_harness(tmp / "all.html", framed),),
            (_entry_page(site, "Comments carry payloads too").as_uri(), f"--screenshot={shot}",
             "--window-size=900,700"),
            (raw_page.as_uri(),),
        ]  # fmt: skip
        with ThreadPoolExecutor(len(jobs)) as pool:
            runs = [
                pool.submit(_chromium, job[0], tmp / f"p{n}", *job[1:])
                for n, job in enumerate(jobs)
            ]
            doms = [r.result() for r in runs]
    finally:
        control.close()
    return {"doms": doms, "shot": shot, "control": set(control.paths())}


def test_chromium_opens_every_page_and_the_tracker_hears_nothing(browser, tracker):
    """No request reaches the tracker: no beacon, prefetch, refresh, form or frame."""
    assert tracker.requests == [], tracker.requests
    assert "<iframe" in browser["doms"][0]  # the harness itself is what was dumped


def test_the_control_shows_the_harness_sees_raw_payloads(browser):
    """The same payloads without the sanitiser do reach a tracker and navigate the page away:
    the empty recording above means the export stopped them, not that nothing could happen."""
    got = browser["control"]
    assert {"/beacon/img", "/beacon/style-background", "/navigated/refresh"} <= got, got
    assert len(got & set(PAYLOAD_PATHS)) >= 10, got
    assert "NAVIGATED-TO-TRACKER" in browser["doms"][2]


def test_the_page_stays_and_no_overlay_covers_it(browser):
    """The entry whose comments hold a meta refresh and a fixed full-page overlay, after 2 s:
    still the export's page (its navigation bar and heading at the top, on the page's own
    colour), not the tracker's page and not a white box over everything."""
    from PIL import Image

    image = Image.open(browser["shot"]).convert("RGB")
    assert image.getpixel((5, 5)) == (255, 253, 248)  # the export's background, #fffdf8
    nav = image.crop((0, 15, 450, 50)).getcolors(1 << 24)
    link_blue = sum(n for n, (r, g, b) in nav if b > 100 and r < 90 and g < 130)
    assert link_blue > 100  # "Entries by month  Tags" in the export's link colour
    heading = image.crop((0, 55, 900, 105)).getcolors(1 << 24)
    assert sum(n for n, (r, g, b) in heading if r + g + b < 200) > 300  # the dark <h1>


# --- what the markup is ---------------------------------------------------------------------------


FORBIDDEN = (
    "base, form, input, button, textarea, select, isindex, link, iframe, frame, object, embed, "
    "video, audio, source, track, picture, dialog, [popover], script, body style, [background], "
    "[srcset], [poster], [ping], [formaction], [onerror], [onclick], [autofocus], [target]"
)


def _user_content(tree: LexborHTMLParser) -> list:
    return tree.css(".entry-body, .comment-body")


def test_archived_html_keeps_only_allowed_elements_and_attributes(site):
    seen_tags: set[str] = set()
    for page in _pages(site):
        tree = LexborHTMLParser(page.read_text())
        for container in _user_content(tree):
            for node in container.css("*"):
                if node.mem_id == container.mem_id:  # css("*") includes the container itself
                    continue
                seen_tags.add(node.tag)
                assert node.tag in ALLOWED_TAGS, (page.name, node.tag)
                allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(node.tag, set())
                names = set(node.attrs.keys()) - ({"rel"} if node.tag == "a" else set())
                assert names <= allowed, (page.name, node.tag, names)
    assert {"a", "p", "b", "table", "div"} <= seen_tags


def test_no_navigation_form_beacon_or_overlay_survives(site, tracker):
    for page in _pages(site):
        text = page.read_text()
        tree = LexborHTMLParser(text)
        metas = tree.css("meta[http-equiv]")
        assert [m.attrs["http-equiv"] for m in metas] == ["Content-Security-Policy"]
        assert tree.css(FORBIDDEN) == [], (page.name, [n.tag for n in tree.css(FORBIDDEN)])
        for node in tree.css("[style]"):
            style = node.attrs["style"].lower()
            assert not re.search(r"position|url\(|float|margin|transform|z-index", style)
        for node in tree.css("img"):
            assert LOCAL_IMAGE.fullmatch(node.attrs.get("src") or ""), (page.name, node.attrs)
        for node in tree.css("a[href]"):
            scheme = urlsplit(node.attrs["href"]).scheme
            assert scheme in ("", "http", "https", "mailto"), (page.name, node.attrs["href"])
        for node in tree.css("*"):
            values = " ".join(v or "" for v in node.attrs.values()).lower()
            assert "script:" not in values and "data:" not in values, (page.name, node.attrs)
        assert tracker.url + "/beacon/img" not in re.findall(r'src="([^"]*)"', text)


def test_remote_pictures_become_links_and_the_csp_is_strict(site, tracker):
    page = _entry_page(site, "Pictures from the trip")
    tree = LexborHTMLParser(page.read_text())
    links = {a.attrs["href"]: a.text() for a in tree.css(".entry-body a")}
    assert links[f"{tracker.url}/beacon/img"] == "[image: a tracker pixel]"
    assert links[f"{tracker.url}/beacon/video-src"].startswith("[video: ")
    assert links[f"{tracker.url}/beacon/iframe"].startswith("[iframe: ")
    csp = tree.css_first('meta[http-equiv="Content-Security-Policy"]').attrs["content"]
    for directive in ("default-src 'none'", "base-uri 'none'", "form-action 'none'"):
        assert directive in csp
    assert "http:" not in csp and "script-src" not in csp


def test_remote_images_only_when_asked(tracker, site, tmp_path):
    db = site.parent / "archive.db"
    run_export(db, "html", tmp_path / "remote", None, remote_images=True)
    page = _entry_page(tmp_path / "remote", "Pictures from the trip")
    tree = LexborHTMLParser(page.read_text())
    assert f"{tracker.url}/beacon/img" in [i.attrs["src"] for i in tree.css("img")]
    assert "img-src 'self' file: http: https:" in page.read_text()
    assert tree.css("[srcset], [style*=url], link, video, iframe") == []


def test_deep_thread_nests_visually_25_levels_and_keeps_every_reply(site):
    page = _entry_page(site, "A very long thread")
    tree = LexborHTMLParser(page.read_text())
    comments = tree.css("article.comment")
    assert len(comments) == 300
    deepest = max(len([a for a in _ancestors(c) if a.tag == "article"]) for c in comments)
    assert deepest == 25  # 25 levels of nesting (+ the entry's own article)
    last = tree.css_first(f"#{comments[-1].attrs['id']} header").text()
    assert "reply to #" in last


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent
