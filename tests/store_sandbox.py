"""Helpers for the storage tests: the real CLI in a subprocess, on a read-only mount, a full disk
or under a file-size limit.

Read-only media and full disks are made for real where the machine allows it: a user namespace
(`unshare -rm`, no root needed where the kernel allows it) gives a read-only bind mount (EROFS,
as on a read-only medium: even root cannot write) or a tiny tmpfs (ENOSPC). Without user
namespaces a non-root user gets read-only files with chmod; root (for whom chmod stops nothing)
and no namespaces means the test is skipped, and the simulated read-only test in
tests/test_store_readonly.py (which needs neither) still runs.
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTACT = "t@x.invalid"


def cli_argv(*args: object) -> list[str]:
    """argv that runs `dwarchive ARGS...` in a fresh interpreter."""
    return [sys.executable, "-m", "scraper.cli", *map(str, args)]


def run(argv: Sequence[str], **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "DWARCHIVE_CONTACT": CONTACT, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        list(argv),
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        **kw,
    )


def archive_argv(url: str, db: Path, *extra: object) -> list[str]:
    return cli_argv("archive", url, "--db", db, "--rate", "0", "-q", "--contact", CONTACT, *extra)


def one_error_line(result) -> str:
    """The single `dwarchive: error: ...` line of a failed command (asserts there is nothing
    else on stderr: no traceback)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("dwarchive: error: "), result.stderr
    return lines[0]


@functools.cache
def userns() -> bool:
    """Whether `unshare -rm` can make mounts here (user + mount namespace). Setting
    DWARCHIVE_TEST_NO_USERNS=1 pretends it cannot, to exercise the chmod and skip paths."""
    if os.environ.get("DWARCHIVE_TEST_NO_USERNS") == "1":
        return False
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null"],
        check=False,
        capture_output=True,
    )
    return probe.returncode == 0


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def read_only_technique() -> str | None:
    """How this machine can make files read-only for a real process: "mount", "chmod" or None."""
    if userns():
        return "mount"
    if not is_root() and os.name == "posix":
        return "chmod"
    return None


def run_read_only(paths: Sequence[Path], argv: Sequence[str]) -> subprocess.CompletedProcess:
    """Run argv with each of `paths` (files or directories) read-only for it, for real."""
    technique = read_only_technique()
    if technique == "mount":
        script = "".join(
            f'mount --bind "${i}" "${i}" && mount -o remount,ro,bind "${i}" && '
            for i in range(1, len(paths) + 1)
        )
        wrapped = ["unshare", "-rm", "sh", "-c", script + f'shift {len(paths)} && exec "$@"']
        return run([*wrapped, "sh", *map(str, paths), *argv])
    assert technique == "chmod", "no way to make a read-only file here"
    saved = {p: p.stat().st_mode for p in paths}
    try:
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        return run(argv)
    finally:
        for p, mode in saved.items():
            p.chmod(mode)


def run_on_tiny_disk(
    directory: Path, size_kib: int, seed: Sequence[Path], argv_for, out: Path
) -> tuple[subprocess.CompletedProcess, int]:
    """Mount a tmpfs of `size_kib` KiB on `directory` (in a user namespace), copy `seed` files
    into it, run `argv_for(directory)` there, then copy every file of it to `out` (a real
    directory) so the test can examine what the full disk left. Returns (result, exit code)."""
    argv = list(argv_for(directory))
    rc_file = out / "exit-code"
    # A small driver inside the namespace: seed the disk, run, keep what is left.
    driver = (
        "import os, shutil, subprocess, sys\n"
        "d, out, rc, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])\n"
        "seed, argv = sys.argv[5:5 + n], sys.argv[5 + n:]\n"
        "for s in seed: shutil.copy(s, d)\n"
        "r = subprocess.run(argv)\n"
        "open(rc, 'w').write(str(r.returncode))\n"
        "for name in os.listdir(d): shutil.copy(os.path.join(d, name), out)\n"
    )
    wrapped = [
        "unshare",
        "-rm",
        "sh",
        "-c",
        f'mount -t tmpfs -o size={size_kib}k tmpfs "$1" && shift && exec "$@"',
        "sh",
        str(directory),
        sys.executable,
        "-c",
        driver,
        str(directory),
        str(out),
        str(rc_file),
        str(len(seed)),
        *map(str, seed),
        *argv,
    ]
    result = run(wrapped)
    assert rc_file.exists(), result.stderr
    return result, int(rc_file.read_text())


def integrity(db: Path) -> str:
    """PRAGMA integrity_check of a database file (a -wal left beside it is recovered first)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def table_rows(db: Path, tables: Sequence[str]) -> dict[str, list]:
    conn = sqlite3.connect(f"{db.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    finally:
        conn.close()
