"""The README's schema section, generated from the code: every table of a freshly created archive
with what each of its columns means, then the views and the full-text indexes (table_docs.py).

    python -m scraper.read.schema_doc README.md          # rewrite the section in place
    python -m scraper.read.schema_doc --check README.md  # exit 1 when it is out of date

The section lies between the BEGIN and END marker comments; the rest of the file is untouched.
A table or column of the live schema that table_docs.py does not describe stops the generator
(exit 2), so the documentation cannot fall behind a migration.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from ..store import open_database
from ..store.read_queries import database_columns, fts_table_names
from .table_docs import FTS_TABLES, TABLES, column_descriptions, is_view

COMMAND = "python -m scraper.read.schema_doc README.md"
BEGIN = f"<!-- BEGIN generated schema: edit scraper/read/table_docs.py, then run `{COMMAND}` -->"
END = "<!-- END generated schema -->"


class Undocumented(Exception):
    """The live schema has tables or columns that table_docs.py does not describe (or the other
    way round)."""


def live_schema() -> tuple[dict[str, list[str]], list[str]]:
    """(table/view -> columns, FTS tables) of an archive created now by `open_database`."""
    with tempfile.TemporaryDirectory(prefix="dwarchive-schema-") as tmp:
        db = open_database(Path(tmp) / "schema.db")
        try:
            return database_columns(db.conn), fts_table_names(db.conn)
        finally:
            db.close()


def problems(columns: dict[str, list[str]], fts: list[str]) -> list[str]:
    """What the documentation lacks (or describes that does not exist), one line each."""
    found = [f"table {t} is not described" for t in columns if t not in TABLES]
    found += [f"{t} is described but not in the schema" for t in TABLES if t not in columns]
    for table, names in columns.items():
        if table in TABLES:
            described = column_descriptions(table, names)
            found += [f"column {table}.{c} is not described" for c in names if not described[c]]
    found += [f"full-text index {t} is not described" for t in fts if t not in FTS_TABLES]
    found += [f"{t} is described but not in the schema" for t in FTS_TABLES if t not in fts]
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(name: str, columns: list[str]) -> str:
    rows = [f"| `{c}` | {_cell(d)} |" for c, d in column_descriptions(name, columns).items()]
    head = f"**`{name}`**: {_cell(TABLES[name][0])}"
    return "\n".join([head, "", "| column | meaning |", "|---|---|", *rows])


def render(columns: dict[str, list[str]], fts: list[str]) -> str:
    """The section's Markdown (without the markers); Undocumented when anything is missing."""
    missing = problems(columns, fts)
    if missing:
        raise Undocumented("; ".join(missing))
    tables = [t for t in TABLES if t in columns and not is_view(t)]
    views = [t for t in TABLES if t in columns and is_view(t)]
    parts = [_table(t, columns[t]) for t in tables]
    parts.append(
        "**Views** (computed from the tables when queried; they hold no rows of their own):"
    )
    parts += [_table(v, columns[v]) for v in views]
    indexes = [f"- `{t}`: {_cell(FTS_TABLES[t])}" for t in fts]
    parts.append(
        "**Full-text indexes** (SQLite keeps each one's data in shadow tables named "
        "`<index>_data`, `_idx`, `_docsize` and `_config`):\n\n" + "\n".join(indexes)
    )
    return "\n\n".join(parts)


def section() -> str:
    """The whole generated section, markers included, for an archive created now."""
    return f"{BEGIN}\n\n{render(*live_schema())}\n\n{END}"


def rewrite(text: str, new_section: str) -> str:
    """`text` with the part from BEGIN to END replaced by `new_section`."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"no generated schema section: put the lines\n{BEGIN}\n{END}\nin it")
    return text[:start] + new_section + text[end + len(END) :]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scraper.read.schema_doc",
        description="Rewrite the README's schema section from the code (scraper/read/table_docs.py).",
    )
    parser.add_argument("readme", type=Path, help="the README to update (README.md)")
    parser.add_argument(
        "--check", action="store_true", help="only say whether it is up to date (exit 1 if not)"
    )
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    try:
        updated = rewrite(text, section())
    except (Undocumented, ValueError) as exc:
        print(f"schema_doc: {exc}", file=sys.stderr)
        return 2
    if updated == text:
        return 0
    if args.check:
        print(f"schema_doc: {args.readme} is out of date; run `{COMMAND}`", file=sys.stderr)
        return 1
    args.readme.write_text(updated, encoding="utf-8")
    print(f"schema_doc: rewrote the schema section of {args.readme}", file=sys.stderr)
    return 0


__all__ = ["BEGIN", "END", "Undocumented", "live_schema", "main", "problems", "render", "rewrite"]

if __name__ == "__main__":
    sys.exit(main())
