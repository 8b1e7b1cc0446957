"""Storage: the SQLite schema, safe opening, idempotent saves and read-side summaries.

Knows nothing of HTTP or HTML: it saves `scraper.records` dataclasses and raw response bytes.
"""

from .database import (
    check_database_file,
    open_database,
    open_read_only,
    open_reader,
    run_read_only,
)
from .lock import RunLock, lock_is_held, run_is_alive
from .schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "RunLock",
    "check_database_file",
    "lock_is_held",
    "open_database",
    "open_read_only",
    "open_reader",
    "run_is_alive",
    "run_read_only",
]
