"""Making an archive of an older schema version from one today's code wrote: what later
migrations added (columns, tables) is taken away again, so the file has the old version's shape
with rows written by the real save functions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scraper.store import schema


def take_away_later_versions(path: str | Path, version: int) -> None:
    """Give the archive at `path` the shape of schema `version` (and that user_version)."""
    conn = sqlite3.connect(path)
    try:
        if version < 4:
            for table, columns in schema.V4_COLUMNS.items():
                for column in columns:
                    conn.execute(f"ALTER TABLE [{table}] DROP COLUMN [{column}]")
            for table in schema.V4_TABLES:
                conn.execute(f"DROP TABLE IF EXISTS [{table}]")
        if version < 3:
            conn.execute("DROP TABLE IF EXISTS host_state")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()
    finally:
        conn.close()
