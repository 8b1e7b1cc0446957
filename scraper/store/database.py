"""Opening archive databases safely: ours-or-refuse checks, migrations, WAL, read-only.

A file that is not a dwarchive database (or comes from a newer dwarchive), a directory or a device
is refused before a single byte of it is written. Writers hold the run lock (`lock.py`) so two
runs never interleave; readers get a connection that SQLite itself keeps read-only, which also
works on a read-only medium. Every connection maps the file's own failures (full disk, read-only,
I/O error) to one-line DwArchiveErrors (`connect.py`).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from ..errors import NotOurDatabase, QueryError, ReadOnlyQuery
from .connect import (
    SQLITE_HEADER,
    connect_for_writing,
    connect_read_only,
    file_state,
    make_parent,
    read_header,
)
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION


def _inspect(path: Path) -> tuple[int, int, int]:
    """(application_id, user_version, table count) of an existing file, read-only."""
    conn = connect_read_only(path)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise NotOurDatabase(f"{path} is not a dwarchive database ({exc})") from None
    finally:
        conn.close()
    return app_id, version, tables


def check_database_file(path: str | os.PathLike) -> bool:
    """True when `path` is an existing dwarchive database; False when absent or empty.

    Raises NotOurDatabase for anything else (another program's SQLite file, a text file, a
    directory, a device, a database written by a newer dwarchive) and StorageError when the file
    cannot be read; nothing is created or written to find out.
    """
    path = Path(path)
    st = file_state(path)
    if st is None or st.st_size == 0:
        return False
    if not read_header(path).startswith(SQLITE_HEADER):
        raise NotOurDatabase(f"{path} is not a dwarchive database (file is not a database)")
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
    """Open (or create) an archive for writing, migrated to the current schema.

    The caller holds the RunLock. Failures of the file or disk are DwArchiveErrors (StorageFull,
    ArchiveReadOnly, StorageError), here and in every statement run on the returned database."""
    path = Path(path)
    exists = check_database_file(path)
    if not exists and not create:
        raise NotOurDatabase(f"{path}: no archive here yet (run `dwarchive archive` first)")
    make_parent(path)
    conn = connect_for_writing(path)
    try:
        db = sqlite_utils.Database(conn)
        if not exists:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = OFF")
        migrate(db)
    except BaseException:
        conn.close()
        raise
    return db


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


def open_reader(path: str | os.PathLike) -> sqlite3.Connection:
    """A read-only connection to an existing archive for our own SQL (search, exports):
    mode=ro and query_only, on a read-only medium `immutable=1` (see connect.py)."""
    path = Path(path)
    if not check_database_file(path):
        raise NotOurDatabase(f"{path}: no archive here yet (run `dwarchive archive` first)")
    return connect_read_only(path)


def open_read_only(path: str | os.PathLike) -> sqlite3.Connection:
    """A connection that can only read, for any SQL (a user's `query` too): what open_reader
    gives, plus an authorizer that denies writes, ATTACH/DETACH and state-changing PRAGMAs."""
    conn = open_reader(path)
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
