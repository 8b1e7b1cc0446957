"""Storage: the SQLite schema, safe opening, idempotent saves and read-side summaries.

Knows nothing of HTTP or HTML: it saves `scraper.records` dataclasses and raw response bytes.
"""

from .database import RunLock, check_database_file, open_database, open_read_only, run_read_only
from .schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "RunLock",
    "check_database_file",
    "open_database",
    "open_read_only",
    "run_read_only",
]
