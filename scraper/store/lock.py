"""The run lock: at most one writing run per archive, on Linux, macOS and Windows.

`<db>.lock` beside the archive is locked with the `filelock` package (flock on Unix, msvcrt
locking on Windows). The operating system drops the lock when the holding process ends, however
it ends (kill -9 included), so a killed run never blocks the next one, and "is a run alive" is
exactly "is the lock held": no pid, no clock, nothing to go stale. The lock file itself carries
no meaning (it may stay after a run; the next run simply locks it again).

The lock is taken only after the --db path is known to be a dwarchive archive or new, so a
foreign file, a directory or a device never gets a `.lock` created beside it.
"""

from __future__ import annotations

import errno
import os
import warnings
from pathlib import Path
from typing import Self

from ..errors import DatabaseLocked
from .connect import make_parent, os_error
from .database import check_database_file, open_reader

with warnings.catch_warnings():
    # Off Windows and without fcntl, filelock falls back to a lock file's existence and warns at
    # import; that fallback still works for us, so the warning would only be noise on stderr.
    warnings.filterwarnings("ignore", message="only soft file lock is available")
    from filelock import FileLock, Timeout


def lock_path(db_path: str | os.PathLike) -> Path:
    """The lock file that guards the archive at `db_path`."""
    return Path(str(db_path) + ".lock")


class RunLock:
    """An exclusive, non-blocking lock on `<db>.lock`, released by the OS if the process dies.

    `acquire()` first checks the --db path (NotOurDatabase for a foreign file, a directory or a
    device; nothing is created then), then raises DatabaseLocked (exit 75) at once when another
    run holds the archive."""

    def __init__(self, db_path: str | os.PathLike):
        self.db_path = Path(db_path)
        self.path = lock_path(db_path)
        self._lock: FileLock | None = None

    def acquire(self) -> Self:
        check_database_file(self.db_path)  # refuses a foreign path before anything is created
        make_parent(self.db_path)
        lock = FileLock(self.path, thread_local=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise DatabaseLocked(
                f"another dwarchive run is using {self.db_path}; try again when it has finished"
            ) from None
        except OSError as exc:
            raise os_error(exc, f"the run lock {self.path}") from None
        self._lock = lock
        return self

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def lock_is_held(db_path: str | os.PathLike) -> bool | None:
    """Whether a run (of this process or another) holds the archive's run lock right now.

    False when no lock file exists (nothing is created to find out) or it is free; None when it
    cannot be told (the lock file cannot be opened, e.g. it belongs to another user). On a
    read-only medium no run can be writing: False. The check takes the lock for an instant, so a
    run starting in that very instant may exit 75 and simply run at its next schedule."""
    path = lock_path(db_path)
    if not path.exists():
        return False
    probe = FileLock(path, thread_local=False)
    try:
        probe.acquire(timeout=0)
    except Timeout:
        return True
    except OSError as exc:
        return False if exc.errno == errno.EROFS else None
    probe.release()
    return False


def run_is_alive(db_path: str | os.PathLike, run_id: int) -> bool | None:
    """Whether the `sync_runs` row `run_id` (one without finished_at) is a run still going.

    Runs hold the lock one at a time and each journal's row is finished before the next one is
    started, so an unfinished row is alive exactly when the lock is held and it is the archive's
    newest row; an older unfinished row is a run that was killed. None when the lock cannot be
    checked (see lock_is_held)."""
    held = lock_is_held(db_path)
    if not held:
        return held
    conn = open_reader(db_path)
    try:
        newest = conn.execute("SELECT max(id) FROM sync_runs").fetchone()[0]
    finally:
        conn.close()
    return newest == run_id
