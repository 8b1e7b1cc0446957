"""`--db` names with characters that mean something in an SQLite URI (`#`, `?`, `%41`, spaces):
every command opens exactly the named file, never the file the unescaped URI would name.

Each special name sits beside the decoy its unescaped URI used to open (`a` for `a#b.db`, `q`
for `q?x.db`, `pA.db` for `p%41.db`), and the decoy holds another journal: reading the wrong file
shows up as the wrong journal.
"""

from __future__ import annotations

import json
import shutil

import pytest

from scraper.fakesite import FakeSite, build_sample_site
from scraper.store import check_database_file, open_read_only
from scraper.store.connect import file_uri

NAMES = {  # special name -> the decoy its unescaped URI names
    "a#b.db": "a",
    "q?x.db": "q",
    "p%41.db": "pA.db",
    "sp ace&amp;=.db": None,
    "ünï.db": None,
}


@pytest.fixture(scope="module")
def site():
    with FakeSite(build_sample_site()) as s:
        yield s


def archive(run, site, journal, db):
    return run("archive", site.url(journal), "--db", db, "--rate", "0", "-q", "--contact", "t@x")


@pytest.fixture(scope="module")
def decoy(site, tmp_path_factory):
    from click.testing import CliRunner

    from scraper.cli import cli

    db = tmp_path_factory.mktemp("decoy") / "decoy.db"
    result = CliRunner().invoke(
        cli, ["archive", site.url("nairiporter"), "--db", str(db), "--rate", "0", "-q"]
    )
    assert result.exit_code == 0, result.output
    return db


def test_file_uri_escapes_every_special_character(tmp_path):
    uri = file_uri(tmp_path / "a#b?c%41 d.db", mode="ro")
    assert uri.endswith("/a%23b%3Fc%2541%20d.db?mode=ro")
    assert uri.startswith("file:///")


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_command_opens_the_named_file(run, site, decoy, tmp_path, name):
    directory = tmp_path / "dir"
    directory.mkdir()
    db = directory / name
    if NAMES[name]:
        shutil.copy(decoy, directory / NAMES[name])
    decoys = {p.name: p.read_bytes() for p in directory.iterdir()}

    result = archive(run, site, "tea_garden", db)
    assert result.exit_code == 0, result.stderr
    assert check_database_file(db)

    result = run("query", "SELECT name FROM journals", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [{"name": "tea_garden"}]
    result = run("status", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [s["name"] for s in json.loads(result.stdout)] == ["tea_garden"]
    result = run("search", "tea", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert "tea_garden" in result.stdout and "nairiporter" not in result.stdout
    out = tmp_path / "out"
    result = run("export", "--format", "json", "--db", db, "--out", out)
    assert result.exit_code == 0, result.stderr
    exported = [json.loads(line) for line in (out / "entries.jsonl").read_text().splitlines()]
    assert len(exported) == 15 and {e["journal"] for e in exported} == {"tea_garden"}
    result = run("sync", "--db", db, "--rate", "0", "-q")
    assert result.exit_code == 0, result.stderr
    result = run("reparse", "--db", db)
    assert result.exit_code == 0, result.stderr

    # Only the named file (and its lock) was created; the decoy is untouched.
    assert {p.name for p in directory.iterdir()} == {*decoys, name, f"{name}.lock"}
    for decoy_name, data in decoys.items():
        assert (directory / decoy_name).read_bytes() == data
    conn = open_read_only(db)
    try:
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 15
    finally:
        conn.close()
