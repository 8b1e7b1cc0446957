"""`dwarchive serve` as a real process, on an archive made by archiving the sample site through
the real CLI, asked over real HTTP on 127.0.0.1:

- every table and view answers, as an HTML page with its description and as JSON whose rows are
  exactly the file's rows; every canned query answers with exactly the rows its SQL gives;
- nothing writes the archive through it: write SQL, POSTs and Datasette's own write path are
  refused, and the file is byte for byte what it was;
- headless Chromium shows an entry's comment thread: the screenshot is not blank and the page
  lists the comments in thread order;
- it listens on 127.0.0.1 only (8001 or the first free port after it), Ctrl-C stops it cleanly,
  and without Datasette installed it says what to install, in one line.

No fixed sleeps: the server's URL line and its exit are awaited with deadlines.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

from scraper.cli import cli
from scraper.cli_serve import DEFAULT_PORT, INSTALL_HINT, PORTS_TRIED, datasette_app, listen
from scraper.errors import DwArchiveError
from scraper.fakesite import FakeSite, build_sample_site
from scraper.read.datasette_meta import CANNED_QUERIES, TABLES, database_columns
from tests.browser import ABSENT, CHROMIUM, HEADLESS

CONTACT = "serve@dwarchive.invalid"
NAME = "archive"  # the database's name in Datasette: the file's stem
STARTUP = 60.0  # seconds a server may take to print its URL (a cold, busy CI machine)


# --- the archive and the server ---------------------------------------------------------------


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """The sample site (nairiporter and tea_garden) archived through the real CLI."""
    path = tmp_path_factory.mktemp("serve") / f"{NAME}.db"
    with FakeSite(build_sample_site()) as site:
        for journal in site.journals:
            args = ["archive", site.url(journal), "--db", str(path), "--rate", "0", "-q"]
            result = CliRunner().invoke(cli, [*args, "--contact", CONTACT], catch_exceptions=False)
            assert result.exit_code == 0, result.stderr
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _reader(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


class Server:
    """`python -m scraper.cli serve --db DB ARGS...` (the `dwarchive` entry point) in its own
    process; `url` is read from its first line of output."""

    def __init__(self, db: Path, log: Path, *args: str) -> None:
        self.log = log
        self._stderr = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", "serve", "--db", str(db), *args],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.first_line = self.next_line(STARTUP)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", self.first_line)
        assert found, self.first_line + self.stderr()
        self.url, self.port = found.group(0), int(found.group(1))

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")  # end of output

    def next_line(self, timeout: float) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no output within {timeout}s; stderr: {self.stderr()}") from None

    def stderr(self) -> str:
        self._stderr.flush()
        return self.log.read_text(encoding="utf-8")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self._stderr.close()


@pytest.fixture(scope="module")
def before(archive) -> dict[str, Any]:
    """The archive's bytes and neighbours before any server touched it."""
    return {"sha256": _digest(archive), "files": sorted(p.name for p in archive.parent.iterdir())}


@pytest.fixture(scope="module")
def server(archive, before, tmp_path_factory):
    srv = Server(archive, tmp_path_factory.mktemp("log") / "stderr.txt", "--port", "0")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


# --- every table, view and canned query ---------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON cell as SQLite gave it (Datasette sends BLOBs as base64)."""
    if isinstance(value, dict) and value.get("$base64"):
        return base64.b64decode(value["encoded"])
    return value


def _all_rows(client: httpx.Client, name: str) -> tuple[int, list[dict]]:
    """Every row of a table or view, page after page, and the count Datasette reports."""
    rows: list[dict] = []
    url: str | None = f"/{NAME}/{name}.json?_shape=objects&_size=max"
    count = -1
    while url:
        response = client.get(url)
        assert response.status_code == 200, (name, response.text[:500])
        data = response.json()
        count = data["filtered_table_rows_count"] if count < 0 else count
        rows += data["rows"]
        url = data.get("next_url")
    return count, rows


def test_every_table_and_view_answers_with_the_files_rows(client, archive):
    conn = _reader(archive)
    try:
        columns = database_columns(conn)
        expected = {
            name: Counter(tuple(r) for r in conn.execute(f"SELECT * FROM [{name}]"))
            for name in columns
        }
    finally:
        conn.close()
    assert {"comment_threads", "entries_per_month", "entries", "comments", "pages"} <= set(columns)

    def fetch(name: str) -> tuple[str, str, int, list[dict]]:
        page = client.get(f"/{NAME}/{name}")
        assert page.status_code == 200, (name, page.text[:500])
        if name in CANNED_QUERIES:
            # A canned query of the same name answers at a view's address (Datasette looks for
            # queries first): its rows, with every parameter left empty, are the view's rows.
            sql = CANNED_QUERIES[name]["sql"]
            params = {p: "" for p in re.findall(r":(\w+)", sql)} | {"_shape": "array"}
            rows = client.get(f"/{NAME}/{name}.json", params=params).json()
            return name, page.text, len(rows), rows
        return (name, page.text, *_all_rows(client, name))

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(fetch, columns))
    for name, page, count, rows in answers:
        title = CANNED_QUERIES[name]["title"] if name in CANNED_QUERIES else TABLES[name][0]
        text = " ".join(LexborHTMLParser(page).body.text().split())
        assert title in text, f"{name}: no description"
        got = Counter(tuple(_plain(row[c]) for c in columns[name]) for row in rows)
        assert count == len(rows) == sum(expected[name].values()), name
        assert got == expected[name], name
    sizes = {name: len(rows) for name, _, _, rows in answers}
    assert sizes["journals"] == 2 and sizes["entries"] == 143 and sizes["comments"] == 199


def _thread_entry(conn: sqlite3.Connection) -> tuple[str, int]:
    """An entry whose comments branch: two or more threads, one at least three deep."""
    row = conn.execute(
        "SELECT journal, itemid FROM comments GROUP BY journal, itemid "
        "HAVING count(*) BETWEEN 5 AND 8 AND sum(parent_commentid IS NULL) >= 2 "
        "AND max(depth) >= 3 ORDER BY count(*) DESC, itemid DESC LIMIT 1"
    ).fetchone()
    return row[0], row[1]


def test_every_canned_query_answers_with_its_rows(client, archive):
    conn = _reader(archive)
    try:
        journal, itemid = _thread_entry(conn)
        tag = conn.execute(
            "SELECT tag FROM entry_tags GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 1"
        ).fetchone()[0]
        subject = conn.execute("SELECT subject FROM entries WHERE itemid = ?", [itemid]).fetchone()
        word = max(re.findall(r"\w+", subject[0]), key=len)
        calls = {
            "journal_months": [{"journal": "nairiporter"}, {"journal": ""}],
            "most_commented_entries": [{}],
            "tag_entries": [{"tag": tag}],
            "search_entries": [{"q": word}, {"q": ""}],
            "entry_thread": [{"journal": journal, "itemid": str(itemid)}],
        }
        assert set(calls) == set(CANNED_QUERIES), "every canned query is asked"
        for name, param_sets in calls.items():
            sql = CANNED_QUERIES[name]["sql"]
            for params in param_sets:
                response = client.get(f"/{NAME}/{name}.json", params={**params, "_shape": "array"})
                assert response.status_code == 200, (name, response.text[:500])
                expected = [dict(r) for r in conn.execute(sql, params)]
                assert response.json() == expected, (name, params)
                assert expected or params.get("q") == "", f"{name} {params}: no rows to check"
    finally:
        conn.close()


# --- read-only ------------------------------------------------------------------------------------

WRITES = [
    "DELETE FROM entries",
    "UPDATE entries SET subject = 'changed'",
    "INSERT INTO journals (name) VALUES ('intruder')",
    "DROP TABLE comments",
    "CREATE TABLE intruder (a)",
    "SELECT 1; DELETE FROM entries",
    "PRAGMA query_only = 0",
    "ATTACH DATABASE 'intruder.db' AS intruder",
    "VACUUM",
]


def test_nothing_can_write_the_archive_through_it(client, server, archive, before):
    for sql in WRITES:
        response = client.get(f"/{NAME}.json", params={"sql": sql})
        assert response.status_code == 400 and response.json()["ok"] is False, sql
    # Datasette lets a statement starting with WITH through; SQLite itself refuses the write.
    sneaky = client.get(f"/{NAME}.json", params={"sql": "WITH x AS (SELECT 1) DELETE FROM entries"})
    assert sneaky.status_code == 400
    assert "readonly database" in sneaky.json()["error"]
    # POSTs: the SQL box, a canned query (none of ours is a writing one), the row-insert API
    assert client.post(f"/{NAME}", data={"sql": "DELETE FROM entries"}).status_code >= 400
    thread = client.post(f"/{NAME}/entry_thread", data={"journal": "nairiporter", "itemid": "1"})
    assert thread.status_code >= 400
    assert client.post(f"/{NAME}/entries/-/insert", json={"row": {}}).status_code >= 400
    # the server still answers, and the file is exactly what it was
    assert client.get(f"/{NAME}/journals.json").status_code == 200
    assert _digest(archive) == before["sha256"]
    assert sorted(p.name for p in archive.parent.iterdir()) == before["files"]


def test_datasettes_own_write_path_is_read_only(archive, before):
    """What a plugin or a writing canned query would use: the database's write connection."""
    ds = datasette_app(archive)
    database = ds.get_database(NAME)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(database.execute_write("DELETE FROM entries"))
    database.close()
    assert _digest(archive) == before["sha256"]


def test_a_run_beside_it_is_seen_at_once(tmp_path):
    """Why not immutable: an archive run while serving (cron's sync) writes the file; the
    server's read-only connections see what it committed, and the run is not held up."""
    db = tmp_path / f"{NAME}.db"
    with FakeSite(build_sample_site()) as site:

        def archive(journal: str) -> None:
            args = ["archive", site.url(journal), "--db", str(db), "--rate", "0", "-q"]
            result = CliRunner().invoke(cli, [*args, "--contact", CONTACT], catch_exceptions=False)
            assert result.exit_code == 0, result.stderr

        archive("tea_garden")
        srv = Server(db, tmp_path / "stderr.txt", "--port", "0")
        try:
            names = f"{srv.url}{NAME}/journals.json?_shape=array&_col=name"
            assert [j["name"] for j in httpx.get(names, timeout=30).json()] == ["tea_garden"]
            archive("nairiporter")
            shown = [j["name"] for j in httpx.get(names, timeout=30).json()]
            assert sorted(shown) == ["nairiporter", "tea_garden"]
            count = f"{srv.url}{NAME}/entries.json?_size=0"
            assert httpx.get(count, timeout=30).json()["filtered_table_rows_count"] == 143
        finally:
            srv.stop()


# --- a thread in the browser --------------------------------------------------------------------


def _chromium(url: str, profile: Path, *extra: str) -> str:
    result = subprocess.run(
        [
            *HEADLESS,
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=3000",
            "--window-size=1200,1000",
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


def _thread_order(conn: sqlite3.Connection, journal: str, itemid: int) -> list[tuple[int, int]]:
    """(commentid, depth) in reading order, worked out from the reply links alone: each
    comment right after its parent, before the parent's later replies; siblings oldest first."""
    replies: dict[int | None, list[int]] = {}
    for commentid, parent in conn.execute(
        "SELECT commentid, parent_commentid FROM comments WHERE journal = ? AND itemid = ? "
        "ORDER BY commentid",
        [journal, itemid],
    ):
        replies.setdefault(parent, []).append(commentid)
    order: list[tuple[int, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for commentid in replies.get(parent, []):
            order.append((commentid, depth))
            walk(commentid, depth + 1)

    walk(None, 1)
    return order


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=ABSENT)
def test_chromium_shows_an_entrys_comments_in_thread_order(server, archive, tmp_path):
    from PIL import Image

    conn = _reader(archive)
    try:
        journal, itemid = _thread_entry(conn)
        expected = _thread_order(conn, journal, itemid)
        bodies = dict(
            conn.execute(
                "SELECT commentid, body_text FROM comments WHERE journal = ? AND itemid = ?",
                [journal, itemid],
            ).fetchall()
        )
    finally:
        conn.close()
    url = f"{server.url}{NAME}/entry_thread?journal={journal}&itemid={itemid}"
    shot = tmp_path / "serve.png"
    with ThreadPoolExecutor(2) as pool:
        picture = pool.submit(_chromium, url, tmp_path / "p1", f"--screenshot={shot}")
        dom = pool.submit(_chromium, url, tmp_path / "p2", "--dump-dom").result()
        picture.result()

    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 1000)
    colours = image.getcolors(maxcolors=1 << 24)  # [(count, (r, g, b)), ...]
    total = image.size[0] * image.size[1]
    assert len(colours) > 50  # anti-aliased text in several colours: not a blank page
    assert total - max(colours)[0] > 0.05 * total  # more than a background

    rows = LexborHTMLParser(dom).css("table.rows-and-columns tbody tr")
    shown = []
    for row in rows:
        cells = {td.attributes["class"].split()[0]: td.text(strip=True) for td in row.css("td")}
        commentid = int(re.search(r"[?&]thread=(\d+)", cells["col-url"]).group(1))
        shown.append((commentid, int(cells["col-depth"])))
        assert " ".join(bodies[commentid].split()) in " ".join(row.text().split())
    assert shown == expected
    assert len({depth for _, depth in shown}) >= 3 and [d for _, d in shown].count(1) >= 2


# --- listening, stopping, installing --------------------------------------------------------------


def test_it_listens_on_127_0_0_1_only(server):
    """The socket the real process listens on, as the kernel lists it (Linux)."""
    assert server.url == f"http://127.0.0.1:{server.port}/"
    tables = {v: Path(f"/proc/{server.proc.pid}/net/{v}") for v in ("tcp", "tcp6")}
    if not tables["tcp"].exists():
        pytest.skip("no /proc/PID/net/tcp here")
    listeners = []
    for version, table in tables.items():
        for line in table.read_text().splitlines()[1:] if table.exists() else []:
            local, state = line.split()[1], line.split()[3]
            address, port = local.rsplit(":", 1)
            if state == "0A" and int(port, 16) == server.port:  # 0A: LISTEN
                listeners.append((version, address))
    assert listeners == [("tcp", "0100007F")]  # 127.0.0.1, and nothing on other addresses


def test_port_8001_or_the_first_free_one():
    first = listen(None)
    try:
        host, port = first.getsockname()
        assert host == "127.0.0.1" and DEFAULT_PORT <= port < DEFAULT_PORT + PORTS_TRIED
        second = listen(None)  # that port is taken now: the next free one
        assert second.getsockname()[1] != port
        second.close()
        with pytest.raises(DwArchiveError, match=f"cannot listen on 127.0.0.1:{port}"):
            listen(port)  # a port asked for by name is not swapped for another
    finally:
        first.close()
    anywhere = listen(0)
    assert anywhere.getsockname()[0] == "127.0.0.1"
    anywhere.close()


def test_ctrl_c_stops_it_cleanly(archive, before, tmp_path):
    srv = Server(archive, tmp_path / "stderr.txt")  # the default port: 8001 or the next free
    try:
        assert "read-only" in srv.first_line and "Ctrl-C" in srv.first_line
        assert DEFAULT_PORT <= srv.port < DEFAULT_PORT + PORTS_TRIED
        assert httpx.get(srv.url, timeout=30).status_code == 200
        srv.proc.send_signal(signal.SIGINT)
        assert srv.proc.wait(timeout=30) == 0
        assert srv.next_line(30) == "stopped\n"
        assert "Traceback" not in srv.stderr() and "interrupted" not in srv.stderr()
        with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
            probe.connect(("127.0.0.1", srv.port))
    finally:
        srv.stop()
    assert _digest(archive) == before["sha256"]


def test_without_datasette_one_line_says_what_to_install(archive):
    """A real process in which `import datasette` fails, as on a machine without the extra."""
    code = (
        "import sys; sys.modules['datasette'] = None; from scraper.cli import main; "
        f"main(['serve', '--db', {str(archive)!r}])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 1
    assert result.stderr == f"dwarchive: error: {INSTALL_HINT}\n"
    assert result.stdout == ""


def test_no_archive_no_server(run, tmp_path):
    result = run("serve", "--db", tmp_path / "none.db", "--port", "0")
    assert result.exit_code == 1
    assert "no archive here yet" in result.stderr
    assert os.listdir(tmp_path) == []
