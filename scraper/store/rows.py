"""Writing rows fast and counting what changed: the helpers every save_* function uses.

`upsert` and `insert_or_replace` run the SQL sqlite-utils' upsert_all()/insert_all(replace=True)
run, without their per-call schema introspection (on the hot path every page saves its raw body,
its modules and its records, and that overhead was most of the archiver's SQLite time).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils


@dataclass
class Changes:
    """What a save did: counts for progress lines and sync_runs."""

    new_entries: int = 0
    changed_entries: int = 0
    new_comments: int = 0
    changed_comments: int = 0
    deleted_entries: int = 0
    comment_texts: int = 0  # comments whose text was stored for the first time

    def add(self, other: Changes) -> None:
        self.new_entries += other.new_entries
        self.changed_entries += other.changed_entries
        self.new_comments += other.new_comments
        self.changed_comments += other.changed_comments
        self.deleted_entries += other.deleted_entries
        self.comment_texts += other.comment_texts


# --- direct upserts -------------------------------------------------------------------------------
#
# The SQL sqlite-utils' upsert()/upsert_all() runs (INSERT ... ON CONFLICT(pk) DO UPDATE SET every
# given column), without its per-call schema introspection (table and view lists, PRAGMA
# table_info) and savepoint: on the hot path (every page saves its raw body, its modules and its
# records) that overhead was most of the archiver's SQLite time. Same semantics: columns not given
# keep their stored values on conflict; a record missing a column another record of the same call
# has writes NULL there, like sqlite-utils does.

_SQL_CACHE: dict[tuple, str] = {}


def _value(v: object) -> object:
    if isinstance(v, (dict, list, tuple)):
        return json.dumps(v, default=repr, ensure_ascii=False)
    return v


def _columns(rows: Sequence[dict]) -> tuple[str, ...]:
    cols: dict[str, None] = {}
    for row in rows:
        for key in row:
            cols.setdefault(key, None)
    return tuple(cols)


def upsert(
    db: sqlite_utils.Database, table: str, rows: Sequence[dict], pk: str | Sequence[str]
) -> None:
    """Insert rows, or update the given columns of rows whose primary key `pk` exists."""
    if not rows:
        return
    if not db.conn.in_transaction:
        with db.atomic():
            upsert(db, table, rows, pk)
        return
    pks = (pk,) if isinstance(pk, str) else tuple(pk)
    cols = _columns(rows)
    key = ("upsert", table, cols, pks)
    sql = _SQL_CACHE.get(key)
    if sql is None:
        quoted = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c not in pks)
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        conflict = ", ".join(f'"{c}"' for c in pks)
        sql = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks}) ON CONFLICT({conflict}) {action}'
        _SQL_CACHE[key] = sql
    db.conn.executemany(sql, [tuple(_value(row.get(c)) for c in cols) for row in rows])


def insert_or_replace(db: sqlite_utils.Database, table: str, rows: Sequence[dict]) -> None:
    """INSERT OR REPLACE rows (sqlite-utils' insert_all(replace=True))."""
    if not rows:
        return
    if not db.conn.in_transaction:
        with db.atomic():
            insert_or_replace(db, table, rows)
        return
    cols = _columns(rows)
    key = ("replace", table, cols)
    sql = _SQL_CACHE.get(key)
    if sql is None:
        quoted = ", ".join(f'"{c}"' for c in cols)
        sql = f'INSERT OR REPLACE INTO "{table}" ({quoted}) VALUES ({", ".join("?" for _ in cols)})'
        _SQL_CACHE[key] = sql
    db.conn.executemany(sql, [tuple(_value(row.get(c)) for c in cols) for row in rows])


def get_row(db: sqlite_utils.Database, table: str, pk) -> dict | None:
    try:
        return db.table(table).get(pk)
    except sqlite_utils.db.NotFoundError:
        return None
