"""Opening archive databases safely: ours-or-refuse checks, migrations, WAL, run lock, read-only.

A file that is not a dwarchive database (or comes from a newer dwarchive) is refused before a
single byte of it is written. Writers take an exclusive lock file beside the database so two runs
never interleave; readers get a connection that SQLite itself keeps read-only.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path
from typing import Self

import sqlite_utils

from ..errors import DatabaseLocked, NotOurDatabase, QueryError, ReadOnlyQuery
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION


def _inspect(path: Path) -> tuple[int, int, int]:
    """(application_id, user_version, table count) of an existing file, read-only."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotOurDatabase(f"{path} is not a dwarchive database ({exc})") from None
    return app_id, version, tables


def check_database_file(path: Path) -> bool:
    """True when `path` is an existing dwarchive database; False when absent or empty.

    Raises NotOurDatabase for anything else (another program's SQLite file, a text file, a
    database written by a newer dwarchive).
    """
    if not path.exists() or path.stat().st_size == 0:
        return False
    app_id, version, tables = _inspect(path)
    if app_id != APPLICATION_ID:
        if app_id == 0 and tables == 0:
            return False
        raise NotOurDatabase(f"{path} is not a dwarchive database; refusing to touch it")
    if version > SCHEMA_VERSION:
        raise NotOurDatabase(
            f"{path} was written by a newer dwarchive (schema {version}, this one knows "
            f"{SCHEMA_VERSION}); upgrade dwarchive"
        )
    return True


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Apply every migration newer than the file's user_version; returns the versions applied."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    applied = []
    for version in sorted(MIGRATIONS):
        if version <= current:
            continue
        with db.atomic():
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {int(version)}")
        applied.append(version)
    return applied


def open_database(path: str | os.PathLike, *, create: bool = True) -> sqlite_utils.Database:
    """Open (or create) an archive for writing, migrated to the current schema."""
    path = Path(path)
    exists = check_database_file(path)
    if not exists and not create:
        raise NotOurDatabase(f"{path}: no archive here yet (run `dwarchive archive` first)")
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    if not exists:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = OFF")
    migrate(db)
    return db


# --- the run lock -----------------------------------------------------------------------------


class RunLock:
    """An exclusive, non-blocking lock on `<db>.lock`, released by the OS if the process dies."""

    def __init__(self, db_path: str | os.PathLike):
        self.path = Path(str(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise DatabaseLocked(
                f"another dwarchive run (pid {holder}) is using {self.path.with_suffix('')}; "
                "try again when it has finished"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


# --- read-only access -------------------------------------------------------------------------

_READ_ACTIONS = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE,
}
# Read-only pragmas whose argument names what to read (a table, an index, a row limit), unlike
# `PRAGMA user_version = 5`, where an argument means a write.
_PRAGMAS_TAKING_A_NAME = {
    "table_info",
    "table_xinfo",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
}
# Every pragma a read-only query may run (those above, and these only without an argument).
_SAFE_PRAGMAS = _PRAGMAS_TAKING_A_NAME | {
    "user_version",
    "application_id",
    "database_list",
    "compile_options",
    "page_count",
    "page_size",
    "freelist_count",
    "journal_mode",
    "encoding",
    "table_list",
    "function_list",
    "pragma_list",
    "collation_list",
    "data_version",
}


def _read_only_authorizer(action: int, arg1, arg2, dbname, source) -> int:
    if action in _READ_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
        # FTS5 asks for this when it first opens its shadow tables; SQLite itself never lets a
        # statement write sqlite_master here (mode=ro, query_only), so allowing it is safe.
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and arg1:
        name = arg1.lower()
        if name in _SAFE_PRAGMAS and (arg2 is None or name in _PRAGMAS_TAKING_A_NAME):
            return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def open_read_only(path: str | os.PathLike) -> sqlite3.Connection:
    """A connection that can only read: mode=ro, query_only, and an authorizer that denies
    writes, ATTACH/DETACH and state-changing PRAGMAs."""
    path = Path(path)
    if not check_database_file(path):
        raise NotOurDatabase(f"{path}: no archive here yet (run `dwarchive archive` first)")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(_read_only_authorizer)
    return conn


def run_read_only(conn: sqlite3.Connection, sql: str) -> tuple[list[str], list[tuple]]:
    """Run one user query; a write attempt becomes ReadOnlyQuery with a one-line reason."""
    try:
        cur = conn.execute(sql)
        rows = cur.fetchall()
    except sqlite3.DatabaseError as exc:
        msg = str(exc)
        if "not authorized" in msg or "readonly" in msg or "read-only" in msg:
            raise ReadOnlyQuery(f"query refused: the archive is read-only here ({msg})") from None
        raise QueryError(f"query failed: {msg}") from None
    except sqlite3.Warning as exc:  # e.g. "You can only execute one statement at a time."
        raise QueryError(f"query failed: {exc}") from None
    columns = [d[0] for d in cur.description or []]
    return columns, rows
