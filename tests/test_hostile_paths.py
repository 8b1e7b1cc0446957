"""A crafted database cannot make `export` write outside `--out`: image digests, dates, entry
numbers and journal names that are not what dwarchive writes are refused with one error line
(exit 1), and nothing appears outside the output directory, symlinks included.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from scraper.cli_read import run_export
from scraper.errors import NotOurDatabase
from scraper.read import paths
from tests.readside_archive import PIC_URL, add_stored_image, build_archive

FORMATS = ("markdown", "html", "json")


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "archive.db"
    db = build_archive(path)
    add_stored_image(db)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def archive(tmp_path, template):
    """A normal archive in tmp/box/archive.db; exports go to tmp/box/out (tmp/box is what must
    stay untouched apart from out/)."""
    box = tmp_path / "box"
    box.mkdir()
    shutil.copy(template, box / "archive.db")
    return box


def _craft(db: Path, sql: str, *params) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


CRAFTS = {
    "image digest": ("UPDATE images SET sha256 = ? WHERE url = ?", "../../../escaped", PIC_URL),
    "image digest with a slash": ("UPDATE images SET sha256 = ? WHERE url = ?", "/tmp/x", PIC_URL),
    "date": ("UPDATE entries SET posted_at = ? WHERE itemid = 101", "../../../../escaped"),
    "date not a date": ("UPDATE entries SET posted_at = ? WHERE itemid = 101", "2024-13-45T10:00"),
    "entry number": ("UPDATE entries SET itemid = ? WHERE itemid = 101", "1/../../../escaped"),
    "journal name": ("UPDATE entries SET journal = ? WHERE itemid = 101", ".."),
}


@pytest.mark.parametrize("kind", list(CRAFTS))
@pytest.mark.parametrize("fmt", FORMATS)
def test_crafted_values_are_refused_and_nothing_is_written_outside(archive, kind, fmt):
    sql, *params = CRAFTS[kind]
    if "blobs" not in sql and "digest" in kind:  # the blob must exist under the crafted digest
        _craft(archive / "archive.db", "UPDATE blobs SET sha256 = ?", params[0])
    _craft(archive / "archive.db", sql, *params)
    before = _tree(archive.parent)
    uses_value = fmt != "json" or "digest" in kind  # JSON names no file after an entry
    if uses_value:
        with pytest.raises(NotOurDatabase, match="which no dwarchive writes"):
            run_export(archive / "archive.db", fmt, archive / "out", None)
    else:  # the JSON export puts these values in no file name: it writes them as data
        run_export(archive / "archive.db", fmt, archive / "out", None)
    after = _tree(archive.parent)
    outside = {p for p in after - before if not p.startswith(("box/out", "box/archive.db"))}
    assert outside == set(), outside
    assert not any("escaped" in p for p in after)


def test_the_cli_gives_one_line_and_exit_1(archive, tmp_path):
    from click.testing import CliRunner

    from scraper.cli import cli

    _craft(archive / "archive.db", *CRAFTS["date"])
    result = CliRunner().invoke(
        cli,
        ["export", "--db", str(archive / "archive.db"), "--format", "markdown", "--out",
         str(archive / "out")],
    )  # fmt: skip
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dwarchive: error: the archive holds a date")
    assert "Traceback" not in result.output


def test_a_symlink_inside_out_does_not_lead_outside(archive, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (archive / "out").mkdir()
    os.symlink(elsewhere, archive / "out" / "images")
    with pytest.raises(NotOurDatabase, match="outside"):
        run_export(archive / "archive.db", "html", archive / "out", None)
    assert list(elsewhere.iterdir()) == []


def test_validators_accept_what_dwarchive_writes():
    assert paths.digest("a" * 64) == "a" * 64
    assert paths.day("2024-03-05T10:00") == "2024-03-05" and paths.day(None) is None
    assert paths.itemid(28407) == 28407 and paths.itemid("5230") == 5230
    assert paths.journal("tea_garden") == "tea_garden"
    assert paths.extension(".png") == ".png"
    for bad in ("A" * 64, "g" * 64, "a" * 63, None, 5):
        with pytest.raises(NotOurDatabase):
            paths.digest(bad)
    for bad in ("0", "-1", "1e3", "١٢", True, 1.5):
        with pytest.raises(NotOurDatabase):
            paths.itemid(bad)
    for bad in ("..", ".", "a/b", "a.b", "", "a\\b"):
        with pytest.raises(NotOurDatabase):
            paths.journal(bad)


def test_warc_file_symlinked_elsewhere_is_refused(archive, tmp_path):
    (archive / "out").mkdir()
    target = tmp_path / "elsewhere.warc.gz"
    os.symlink(target, archive / "out" / "archive.warc.gz")
    with pytest.raises(NotOurDatabase, match="outside"):
        run_export(archive / "archive.db", "warc", archive / "out", None)
    assert not target.exists()


def test_an_svg_or_html_image_is_copied_as_bin(archive):
    _craft(archive / "archive.db", "UPDATE blobs SET content_type = 'image/svg+xml'")
    run_export(archive / "archive.db", "html", archive / "out", None)
    copies = [p.name for p in (archive / "out" / "images").iterdir()]
    assert len(copies) == 1 and copies[0].endswith(".bin")
    _craft(archive / "archive.db", "UPDATE blobs SET content_type = 'text/html'")
    run_export(archive / "archive.db", "markdown", archive / "md", None)
    assert [p.suffix for p in (archive / "md" / "images").iterdir()] == [".bin"]
