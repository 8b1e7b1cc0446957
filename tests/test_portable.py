"""dwarchive runs where `fcntl` does not exist (Windows): every module imports without it, and an
archive of the fake site completes, with the run lock still keeping a second run out.

Each check runs in a fresh interpreter whose `fcntl` import fails (`sys.modules['fcntl'] =
None` before anything is imported), as on Windows.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys

from tests import store_sandbox as sb

NO_FCNTL = "import sys\nsys.modules['fcntl'] = None  # as on Windows: `import fcntl` fails\n"


def run_without_fcntl(code: str, *args: object) -> subprocess.CompletedProcess:
    return sb.run([sys.executable, "-c", NO_FCNTL + code, *map(str, args)])


def cli_without_fcntl(*args: object) -> subprocess.CompletedProcess:
    code = (
        "import runpy\n"
        "sys.argv = ['dwarchive', *sys.argv[1:]]\n"
        "runpy.run_module('scraper.cli', run_name='__main__')\n"
    )
    return run_without_fcntl(code, *args)


def test_every_module_imports_without_fcntl():
    code = (
        "import importlib, json, pkgutil\n"
        "import scraper\n"
        "names = [m.name for m in pkgutil.walk_packages(scraper.__path__, 'scraper.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps({'modules': names, 'fcntl': sys.modules['fcntl'] is None}))\n"
    )
    result = run_without_fcntl(code)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no warning either
    report = json.loads(result.stdout)
    assert report["fcntl"] is True
    assert {"scraper.store", "scraper.store.lock", "scraper.cli", "scraper.fakesite.server"} <= set(
        report["modules"]
    )


def test_no_module_uses_a_platform_only_lock():
    """The lock is the filelock package's: no module imports fcntl or msvcrt itself."""
    offenders = [
        str(path.relative_to(sb.ROOT))
        for path in (sb.ROOT / "scraper").rglob("*.py")
        if re.search(r"^\s*(import|from)\s+(fcntl|msvcrt)\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def test_archive_through_the_fake_site_without_fcntl(site, tmp_path):
    db = tmp_path / "archive.db"
    result = cli_without_fcntl(
        "archive", site.url("tea_garden"), "--db", db, "--rate", "0", "--contact", "t@x.invalid"
    )
    assert result.returncode == 0, result.stderr
    assert "tea_garden: complete" in result.stdout
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 15
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()

    # The lock still keeps a second run out while one holds it, and is free afterwards.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            NO_FCNTL + "from scraper.store import RunLock\n"
            "lock = RunLock(sys.argv[1]).acquire()\n"
            "print('held', flush=True)\n"
            "sys.stdin.read()\n",
            str(db),
        ],
        cwd=sb.ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        second = cli_without_fcntl("sync", "--db", db, "--rate", "0", "-q")
        assert second.returncode == 75
        assert "another dwarchive run is using" in sb.one_error_line(second)
    finally:
        holder.stdin.close()
        assert holder.wait(timeout=30) == 0
        holder.stdout.close()
    again = cli_without_fcntl("sync", "--db", db, "--rate", "0", "-q")
    assert again.returncode == 0, again.stderr
    status = cli_without_fcntl("status", "--db", db)
    assert status.returncode == 0, status.stderr
    assert "tea_garden (community)" in status.stdout
