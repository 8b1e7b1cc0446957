"""`dwarchive serve`: browse the archive in Datasette, read-only, on 127.0.0.1.

Datasette is an optional extra (`pip install 'dwarchive[serve]'`, or `pip install -e '.[serve]'`
in a checkout); without it the command says what to install in one line and exits 1. It runs
through Datasette's Python API in this process rather than `python -m datasette serve` in a
child process, because that lets it:

- bind the listening socket itself (127.0.0.1 only; port 8001, or the first free one after it)
  and hand that very socket to uvicorn, so the URL it prints is the one listening, with no race
  between finding a free port and Datasette binding it;
- give Datasette the project's metadata (scraper.read.datasette_meta: descriptions, facets,
  canned queries) as a dict, with no temporary file to clean up;
- add the archive as a Database whose every connection, the one Datasette would write through
  included, is `mode=ro` with `PRAGMA query_only`: SQLite itself refuses any write, whatever
  asks for it;
- stop cleanly on Ctrl-C (uvicorn shuts down; no child process to orphan).

Why not Datasette's immutable mode (`-i`): `immutable=1` promises SQLite that nobody changes the
file, but a `dwarchive sync` from cron may run while the archive is being browsed; an immutable
reader would then return wrong rows or report corruption and miss pages still in the WAL. A
`mode=ro` reader sees each committed run, consistently.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from .cli_options import db_option
from .cli_read import open_for_reading
from .errors import DwArchiveError
from .terminal import clean

HOST = "127.0.0.1"
DEFAULT_PORT = 8001
PORTS_TRIED = 100  # 8001..8100, then any free port
INSTALL_HINT = (
    "serve needs Datasette, the optional serve extra: pip install -e '.[serve]' in a checkout, "
    "or pip install 'dwarchive[serve]'"
)


def listen(port: int | None) -> socket.socket:
    """A socket bound to 127.0.0.1 and listening: on `port` (0: any free port), or without one
    on 8001 or the first free port after it. A given port that is taken is an error."""
    candidates = [port] if port is not None else [*range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED)]
    if port is None:
        candidates.append(0)
    for candidate in candidates:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if os.name != "nt":  # restart at once after a stop (TIME_WAIT); never shares a listener
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, candidate))
            sock.listen(128)
        except OSError as exc:
            sock.close()
            if port is not None:
                raise DwArchiveError(
                    f"cannot listen on {HOST}:{port} ({exc.strerror or exc}); leave out --port "
                    "to take the first free port"
                ) from None
            continue
        return sock
    raise DwArchiveError(f"no free port on {HOST}")  # pragma: no cover - even port 0 failed


def datasette_app(db_path: str | Path) -> Any:
    """A Datasette instance on the archive at `db_path` (upgraded first if it is from an older
    dwarchive), with the project's metadata, whose connections to the archive cannot write.
    Raises DwArchiveError when Datasette is not installed or the file is not an archive."""
    try:
        from datasette.app import Datasette  # type: ignore[import-untyped]
        from datasette.database import Database  # type: ignore[import-untyped]
    except ImportError:
        raise DwArchiveError(INSTALL_HINT) from None
    from .read.datasette_meta import database_columns, datasette_metadata
    from .store.connect import shared_read_only

    path = Path(db_path)
    conn = open_for_reading(path)  # refuses what is not an archive; upgrades an older one
    try:
        columns = database_columns(conn)
    finally:
        conn.close()

    class ReadOnlyArchive(Database):
        """The archive for Datasette: every connection read-only, the 'write' one too."""

        def connect(self, write: bool = False) -> sqlite3.Connection:
            conn = shared_read_only(path)
            self._all_file_connections.append(conn)
            return conn

    _quiet_client_errors()
    name = path.stem
    ds = Datasette(metadata=datasette_metadata(name, columns))
    ds.remove_database("_memory")  # added when no file is given; only the archive is served
    ds.add_database(ReadOnlyArchive(ds, path=str(path), is_mutable=True), name=name)
    return ds


class _ServerErrorsOnly:
    """Stands in for `rich` in datasette.handle_exception, which prints every error a page
    shows with rich and all local variables (a screenful for a typo in a SQL query) and fails
    the request when no exception is being handled (a POST to an unknown path). Errors the page
    itself explains (4xx: bad SQL, not found) print nothing; an error page with a 5xx status
    prints a plain traceback (other exceptions Datasette prints itself)."""

    def get_console(self) -> _ServerErrorsOnly:
        return self

    def print_exception(self, **_options: Any) -> None:
        status = getattr(sys.exc_info()[1], "status", None)
        if isinstance(status, int) and status >= 500:
            traceback.print_exc()


def _quiet_client_errors() -> None:
    import datasette.app  # type: ignore[import-untyped]  # noqa: F401  (registers the hooks first)
    import datasette.handle_exception as handling  # type: ignore[import-untyped]

    if getattr(handling, "rich", None) is not None:
        handling.rich = _ServerErrorsOnly()


def run_server(ds: Any, sock: socket.socket) -> None:
    """Serve `ds` on the listening `sock` until Ctrl-C (or SIGTERM)."""
    import uvicorn

    asyncio.run(ds.invoke_startup())
    config = uvicorn.Config(
        ds.app(),
        lifespan="on",
        log_level="warning",  # no access log: the terminal stays readable
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run(sockets=[sock])


@click.command()
@db_option()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help=f"Port on {HOST} [default: {DEFAULT_PORT}, or the first free one after it; "
    "0: any free port].",
)
def serve(db_path: str, port: int | None) -> None:
    """Browse the archive in Datasette on 127.0.0.1 (read-only; Ctrl-C stops it).

    Tables, views, facets and canned queries come with descriptions (the same metadata
    `dwarchive datasette-metadata` writes). Needs the serve extra: pip install
    'dwarchive[serve]'.
    """
    ds = datasette_app(db_path)
    sock = listen(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    click.echo(f"serving {clean(db_path)} read-only at {url} (Ctrl-C stops it)")
    try:
        run_server(ds, sock)
    except KeyboardInterrupt:  # uvicorn shut down cleanly, then re-raised the signal
        pass
    finally:
        sock.close()
    click.echo("stopped")


SERVE_COMMANDS = (serve,)

__all__ = ["SERVE_COMMANDS", "datasette_app", "listen", "serve"]
