"""The HTML export's index shows the journal at a glance: the demo journal (nairiporter, from the
sample site, archived through the real pipeline) gets a posting heat map per year with one cell
per day and the right count in each, entries and comments per month, a tag cloud, all inline SVG
or HTML (no script); every entry page links to its previous and next entry and to its day.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from scraper.cli_read import run_export
from scraper.fakesite import build_sample_site
from scraper.read.pictures import HEAT_COLOURS, heat_colour, month_range
from tests.readside_archive import archive_through_fake_site

J = "nairiporter"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pictures")
    journal = next(j for j in build_sample_site() if j.name == J)
    archive_through_fake_site(tmp / "archive.db", [journal])
    assert run_export(tmp / "archive.db", "html", tmp / "html", None) == 128
    conn = sqlite3.connect(tmp / "archive.db")
    entries = conn.execute(
        "SELECT itemid, subject, posted_at FROM entries ORDER BY posted_at, itemid"
    ).fetchall()
    comment_months = Counter(
        r[0][:7] for r in conn.execute("SELECT posted_at FROM comments WHERE posted_at IS NOT NULL")
    )
    conn.close()
    index = LexborHTMLParser((tmp / "html" / "index.html").read_text())
    return {
        "site": tmp / "html",
        "model": journal,
        "entries": entries,
        "comment_months": comment_months,
        "index": index,
    }


def test_one_heat_map_per_year_with_one_cell_per_day(demo):
    maps = demo["index"].css("svg.heatmap")
    years = [int(m.attrs["data-year"]) for m in maps]
    assert years == [2025, 2024, 2023, 2022]  # newest first
    for svg in maps:
        year = int(svg.attrs["data-year"])
        cells = svg.css("rect[data-date]")
        days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
        assert len(cells) == days
        assert [c.attrs["data-date"] for c in cells] == [
            (date(year, 1, 1) + timedelta(n)).isoformat() for n in range(days)
        ]


def test_heat_map_counts_are_the_journal_s_entries_per_day(demo):
    stored = Counter(posted[:10] for _, _, posted in demo["entries"])
    model = {d.isoformat(): len(e) for d, e in demo["model"].index.days.items()}
    assert stored == model  # the archive holds what the site shows, day by day
    shown = {}
    for cell in demo["index"].css("svg.heatmap rect[data-date]"):
        count = int(cell.attrs["data-count"])
        shown[cell.attrs["data-date"]] = count
        assert cell.attrs["fill"] == heat_colour(count)
        assert cell.css_first("title").text().startswith(f"{cell.attrs['data-date']}: {count} ")
    assert {d: n for d, n in shown.items() if n} == model
    assert sum(shown.values()) == 128 and max(shown.values()) == 3  # two days with three


def test_busy_days_link_to_day_pages_listing_their_entries(demo):
    site = demo["site"]
    links = demo["index"].css("svg.heatmap a")
    assert len(links) == len(demo["model"].index.days)
    for link in links:
        cell = link.css_first("rect")
        page = site / link.attrs["href"]
        assert page.name == f"{cell.attrs['data-date']}.html" and page.is_file()
        listed = LexborHTMLParser(page.read_text()).css("ul.entries li")
        assert len(listed) == int(cell.attrs["data-count"])


def test_entries_and_comments_per_month(demo):
    svg = demo["index"].css_first("svg.monthly")
    entries = Counter(posted[:7] for _, _, posted in demo["entries"])
    months = month_range(list(entries) + list(demo["comment_months"]))
    bars = {m: {} for m in months}
    for rect in svg.css("rect[data-month]"):
        bars[rect.attrs["data-month"]][rect.attrs["class"]] = int(rect.attrs["data-count"])
    assert list(bars) == months  # every month from the first to the last, empty ones too
    assert {m: b["entries"] for m, b in bars.items()} == {m: entries.get(m, 0) for m in months}
    assert {m: b["comments"] for m, b in bars.items()} == {
        m: demo["comment_months"].get(m, 0) for m in months
    }
    assert bars["2024-11"]["comments"] == max(b["comments"] for b in bars.values())  # the thread


def test_tag_cloud_links_every_tag_with_its_count(demo):
    cloud = demo["index"].css(".tag-cloud a")
    model = demo["model"].index.tags
    assert sorted(a.text() for a in cloud) == sorted(model)
    for a in cloud:
        assert a.attrs["title"].split()[0] == str(model[a.text()])
        assert (demo["site"] / a.attrs["href"].replace("%3A", ":")).is_file()
    sizes = {a.text(): int(a.attrs["class"][1]) for a in cloud}
    most = max(model, key=model.get)
    assert sizes[most] == 5 and min(sizes.values()) >= 1


def test_index_has_no_script_and_a_strict_policy(demo):
    text = (demo["site"] / "index.html").read_text()
    assert "<script" not in text
    assert demo["index"].css("[onload], [onclick], script, foreignObject") == []
    policy = demo["index"].css_first('meta[http-equiv="Content-Security-Policy"]')
    assert "default-src 'none'" in policy.attrs["content"]


def test_entry_pages_link_previous_next_and_their_day(demo):
    site, entries = demo["site"], demo["entries"]
    for n, (itemid, subject, posted) in enumerate(entries):
        page = site / "entries" / J / f"{itemid}.html"
        tree = LexborHTMLParser(page.read_text())
        nav = tree.css_first("nav.sequence")
        prev, nxt = nav.css_first("a[rel=prev]"), nav.css_first("a[rel=next]")
        if n == 0:
            assert prev is None
        else:
            assert prev.attrs["href"] == f"../../entries/{J}/{entries[n - 1][0]}.html"
        if n == len(entries) - 1:
            assert nxt is None
        else:
            assert nxt.attrs["href"] == f"../../entries/{J}/{entries[n + 1][0]}.html"
            assert (nxt.text().removesuffix(" →") or "") == (entries[n + 1][1] or "(no subject)")
        day = nav.css_first("a.day")
        assert day.attrs["href"] == f"../../days/{J}/{posted[:10]}.html"
        assert (page.parent / day.attrs["href"]).resolve().is_file()


def test_day_pages_chain_to_the_previous_and_next_day(demo):
    days = sorted((demo["site"] / "days" / J).glob("*.html"))
    assert [d.stem for d in days] == sorted(d.isoformat() for d in demo["model"].index.days)
    middle = LexborHTMLParser(days[1].read_text())
    assert middle.css_first("a[rel=prev]").attrs["href"].endswith(f"/{days[0].name}")
    assert middle.css_first("a[rel=next]").attrs["href"].endswith(f"/{days[2].name}")


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="chromium is absent")
def test_index_renders_the_pictures_in_chromium(demo, tmp_path):
    import subprocess

    from PIL import Image

    shot = tmp_path / "index.png"
    subprocess.run(
        [
            "/usr/bin/chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1000,1100",
            (demo["site"] / "index.html").as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    colours = {rgb: n for n, rgb in Image.open(shot).convert("RGB").getcolors(1 << 24)}

    def hex_rgb(value: str) -> tuple[int, int, int]:
        return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]

    assert colours.get(hex_rgb(HEAT_COLOURS[0]), 0) > 20_000  # the empty days
    for shade in HEAT_COLOURS[1:4]:  # days with one, two and three entries
        assert colours.get(hex_rgb(shade), 0) > 100, shade
    assert colours.get((26, 91, 138), 0) > 2_000  # entries-per-month bars (#1a5b8a)
