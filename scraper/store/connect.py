"""Opening the archive file: path checks, escaped SQLite URIs, read-only media, and the file's
failures as DwArchiveErrors.

Every connection the store hands out is an ArchiveConnection. Whatever SQL runs on it (ours,
sqlite-utils' or a user's query), a failure of the disk, the file or the medium (full, read-only,
I/O error, damaged, locked by another program) raises StorageFull, ArchiveReadOnly,
StorageError, NotOurDatabase or DatabaseLocked with a one-line message naming the file. Errors
that mean a bad query or a bug (no such table, syntax, constraint, "not authorized") stay sqlite3
errors for the caller to handle.

A read-only medium: SQLite cannot open a WAL-mode file there without its `-shm` index, so
`connect_read_only` falls back to `immutable=1` when, and only when, `mode=ro` fails for that
reason and no `-shm` exists (no writer can be active without one).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path
from urllib.parse import quote_from_bytes

from ..errors import (
    ArchiveReadOnly,
    DatabaseLocked,
    DwArchiveError,
    NotOurDatabase,
    StorageError,
    StorageFull,
)

SQLITE_HEADER = b"SQLite format 3\x00"

# --- paths ------------------------------------------------------------------------------------


def file_uri(path: Path, **params: str) -> str:
    """An SQLite `file:` URI for `path` with every special character (`?`, `#`, `%`, spaces,
    non-ASCII) percent-escaped, so the URI names exactly that file."""
    text = path.absolute().as_posix()
    if not text.startswith("/"):  # a Windows drive: file:///C:/...
        text = "/" + text
    uri = "file://" + quote_from_bytes(os.fsencode(text), safe="/:")
    if params:
        uri += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return uri


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def os_error(exc: OSError, what: str) -> DwArchiveError:
    """An OSError while touching `what` (a file or directory name) as one DwArchiveError."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return StorageFull(f"{what}: the disk is full ({reason}); free some space and run again")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ArchiveReadOnly(f"cannot write {what} ({reason}); its directory is read-only here")
    return StorageError(f"cannot use {what} ({reason})")


def file_state(path: Path) -> os.stat_result | None:
    """stat() of the --db path, or None when it does not exist; a directory, a device or an
    unreachable path is refused with one line before anything is opened or created."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:  # a parent that is a file (ENOTDIR), a loop, no permission
        raise StorageError(f"cannot use {path} ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise NotOurDatabase(f"{path} is a directory, not an archive file")
    if not stat.S_ISREG(st.st_mode):
        raise NotOurDatabase(f"{path} is not an archive file ({_kind(st.st_mode)})")
    return st


def read_header(path: Path) -> bytes:
    """The first 100 bytes of the file (SQLite's header), or a one-line error."""
    try:
        with open(path, "rb") as f:
            return f.read(100)
    except OSError as exc:
        raise StorageError(f"cannot read {path} ({exc.strerror or exc})") from None


def make_parent(path: Path) -> None:
    """Create the directory that will hold a new archive (and its lock)."""
    try:
        path.absolute().parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error(exc, str(path.absolute().parent)) from None


# --- sqlite3 errors ---------------------------------------------------------------------------


def storage_error(exc: sqlite3.Error, path: Path, *, writing: bool) -> DwArchiveError | None:
    """The DwArchiveError for an sqlite3 error caused by the file, disk or medium; None for
    errors that belong to the caller (bad SQL, constraints, a read-only connection's refusal)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    name = getattr(exc, "sqlite_errorname", "") or ""
    msg = str(exc)
    if primary == sqlite3.SQLITE_FULL:
        return StorageFull(
            f"{path}: the disk is full ({msg}); everything saved before this is kept: "
            "free some space and run again"
        )
    if primary == sqlite3.SQLITE_IOERR:
        verb = "write" if writing else "read"
        return StorageError(
            f"{path}: could not {verb} the archive ({msg}, {name}); is the disk full, "
            "removed or failing? Everything saved before this is kept"
        )
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) and writing:
        return ArchiveReadOnly(
            f"{path} is read-only here ({msg}); archive, sync and reparse need to write it "
            "(query, search, status and export only read)"
        )
    if primary == sqlite3.SQLITE_CANTOPEN:
        return StorageError(f"cannot open {path} ({msg})")
    if primary == sqlite3.SQLITE_NOTADB:
        return NotOurDatabase(f"{path} is not a dwarchive database ({msg})")
    if primary == sqlite3.SQLITE_CORRUPT:
        return StorageError(f"{path} is damaged ({msg}); restore it from a backup")
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseLocked(
            f"{path} is locked by another program ({msg}); try again when it has finished"
        )
    if primary == sqlite3.SQLITE_NOMEM:
        return StorageError(f"{path}: out of memory ({msg})")
    return None


class ArchiveCursor(sqlite3.Cursor):
    """A cursor whose file failures are DwArchiveErrors (see the module docstring)."""

    connection: ArchiveConnection

    def _fail(self, exc: sqlite3.Error) -> BaseException:
        return self.connection.translate(exc)

    def execute(self, sql, parameters=(), /):  # type: ignore[override]
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc

    def executemany(self, sql, seq_of_parameters, /):  # type: ignore[override]
        try:
            return super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc

    def executescript(self, sql_script, /):  # type: ignore[override]
        try:
            return super().executescript(sql_script)
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc

    def fetchone(self):
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc

    def fetchmany(self, size: int | None = None):
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc

    def fetchall(self):
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            raise self._fail(exc) from exc


class ArchiveConnection(sqlite3.Connection):
    """A connection to one archive file that reports the file's failures as DwArchiveErrors.

    A writing connection, when closed cleanly, switches the file from WAL back to a rollback
    journal (if no other connection has it open), so the closed archive is one self-contained
    file that any SQLite reader can open even on a read-only medium; the next writer turns WAL
    on again."""

    archive_path: Path
    writing: bool

    def translate(self, exc: sqlite3.Error) -> BaseException:
        return storage_error(exc, self.archive_path, writing=self.writing) or exc

    def cursor(self, factory=None):  # type: ignore[override]
        return super().cursor(factory or ArchiveCursor)

    def execute(self, sql, parameters=(), /):  # type: ignore[override]
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql, seq_of_parameters, /):  # type: ignore[override]
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, sql_script, /):  # type: ignore[override]
        return self.cursor().executescript(sql_script)

    def commit(self) -> None:
        try:
            super().commit()
        except sqlite3.Error as exc:
            raise self.translate(exc) from exc

    def rollback(self) -> None:
        try:
            super().rollback()
        except sqlite3.Error as exc:
            raise self.translate(exc) from exc

    def __exit__(self, *exc_info):  # type: ignore[override]
        try:
            return super().__exit__(*exc_info)
        except sqlite3.Error as exc:
            raise self.translate(exc) from exc

    def close(self) -> None:
        if getattr(self, "writing", False):
            try:
                if not self.in_transaction:
                    super().execute("PRAGMA busy_timeout = 0")
                    super().execute("PRAGMA journal_mode = DELETE")
            except sqlite3.Error:
                pass  # still WAL (a reader has it open, or the disk is full): readable anyway
        super().close()


def _connect(uri: str, path: Path, *, writing: bool, timeout: float) -> ArchiveConnection:
    try:
        conn = sqlite3.connect(
            uri, uri=True, timeout=timeout, check_same_thread=False, factory=ArchiveConnection
        )
    except sqlite3.Error as exc:
        raise storage_error(exc, path, writing=writing) or exc from None
    conn.archive_path = path
    conn.writing = writing
    return conn


def connect_for_writing(path: Path, *, timeout: float = 30) -> ArchiveConnection:
    """A read-write connection to `path` (created when absent)."""
    return _connect(file_uri(path), path, writing=True, timeout=timeout)


def _read_only_medium(exc: sqlite3.Error) -> bool:
    """mode=ro failed because nothing can be created beside the file (no -shm for WAL)."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY)


def _side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _probe(conn: ArchiveConnection) -> None:
    """Make SQLite open the file now (it opens lazily), so a failure shows here."""
    conn.execute("PRAGMA query_only = ON")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def connect_read_only(path: Path) -> ArchiveConnection:
    """A connection that can only read `path`, also on a read-only medium.

    `mode=ro` first; when that fails only because SQLite cannot create the WAL index (`-shm`)
    beside the file, the file is opened `immutable=1`: correct because with no `-shm` no writer
    can be active, and refused (one line) when a `-wal` holding unsaved pages is present, since
    an immutable reader would not see them."""
    conn = _connect(file_uri(path, mode="ro"), path, writing=False, timeout=5)
    try:
        _probe(conn)
        return conn
    except (DwArchiveError, sqlite3.Error) as exc:
        conn.close()
        cause = exc if isinstance(exc, sqlite3.Error) else exc.__cause__
        if not (isinstance(cause, sqlite3.Error) and _read_only_medium(cause)):
            raise
        if _side_file(path, "-shm").exists():  # a writer may be active: never immutable then
            raise StorageError(f"cannot read {path} ({cause})") from None
        wal = _side_file(path, "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StorageError(
                f"{path} cannot be read here: its last run did not finish and left {wal.name}, "
                f"which SQLite can only read beside a -shm file it cannot create on this "
                "read-only medium; copy the archive's files to a writable place and read it there"
            ) from None
    conn = _connect(file_uri(path, mode="ro", immutable="1"), path, writing=False, timeout=5)
    try:
        _probe(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def shared_read_only(path: Path) -> sqlite3.Connection:
    """A plain read-only connection any thread may use (Datasette's): `mode=ro` and
    query_only, so SQLite itself refuses every write."""
    conn = sqlite3.connect(file_uri(path, mode="ro"), uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    return conn
