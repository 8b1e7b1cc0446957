"""The README's schema section is generated from the code and kept current: every table, view,
column and full-text index of a freshly created archive is described, the words stored for page
kinds, queue states and run outcomes are described from scraper/kinds.py, and the README says
exactly what `python -m scraper.read.schema_doc README.md` would write.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.crawl.handlers import HANDLERS, PlanHandling
from scraper.kinds import ItemState, PageKind, RunOutcome
from scraper.read import schema_doc
from scraper.read.datasette_meta import datasette_metadata
from scraper.read.table_docs import FETCHED_KINDS, PLANNING_KINDS, TABLES, column_descriptions

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def schema():
    return schema_doc.live_schema()


def test_readme_schema_section_is_current(schema):
    text = README.read_text(encoding="utf-8")
    start, end = text.find(schema_doc.BEGIN), text.find(schema_doc.END)
    assert 0 <= start < end, "README.md has lost its generated schema section markers"
    current = text[start : end + len(schema_doc.END)]
    expected = f"{schema_doc.BEGIN}\n\n{schema_doc.render(*schema)}\n\n{schema_doc.END}"
    assert current == expected, (
        f"README.md's schema section is out of date: run `{schema_doc.COMMAND}`"
    )


def test_every_table_column_view_and_index_of_a_new_archive_is_described(schema):
    columns, fts = schema
    assert schema_doc.problems(columns, fts) == []
    assert {"entries", "comments", "sync_runs", "comment_threads"} <= set(columns)
    assert fts == ["comments_fts", "entries_fts"]


def test_an_undescribed_column_or_table_stops_the_generator(schema):
    columns, fts = schema
    grown = {**columns, "journals": [*columns["journals"], "shoe_size"], "new_table": ["x"]}
    found = schema_doc.problems(grown, fts)
    assert "column journals.shoe_size is not described" in found
    assert "table new_table is not described" in found
    with pytest.raises(schema_doc.Undocumented, match="shoe_size"):
        schema_doc.render(grown, fts)


def test_stored_words_are_described_from_kinds(schema):
    columns, _ = schema
    outcome = column_descriptions("sync_runs", columns["sync_runs"])["outcome"]
    assert all(f"{v.value} = {v.meaning}" in outcome for v in RunOutcome)
    state = column_descriptions("crawl_queue", columns["crawl_queue"])["state"]
    assert all(f"{v.value} = {v.meaning}" in state for v in ItemState)
    queue_kind = column_descriptions("crawl_queue", columns["crawl_queue"])["kind"]
    assert all(f"{v.value} = {v.meaning}" in queue_kind for v in PageKind)
    page_kind = column_descriptions("pages", columns["pages"])["kind"]
    assert all(f"{v.value} = {v.meaning}" in page_kind for v in FETCHED_KINDS)
    assert not any(f"{v.value} = " in page_kind for v in PLANNING_KINDS)
    # the Datasette metadata says the same
    tables = datasette_metadata("archive", columns)["databases"]["archive"]["tables"]
    assert tables["sync_runs"]["columns"]["outcome"] == outcome
    assert tables["crawl_queue"]["columns"]["state"] == state


def test_planning_kinds_are_the_crawl_tables_planning_steps():
    """table_docs knows a planning step by its meaning ("planning step: ..."); the crawl's
    handler table is the authority."""
    planned = {kind for kind, handling in HANDLERS.items() if isinstance(handling, PlanHandling)}
    assert set(PLANNING_KINDS) == planned


def test_views_are_marked_as_views_in_the_metadata(schema):
    columns, _ = schema
    tables = datasette_metadata("archive", columns)["databases"]["archive"]["tables"]
    assert tables["comment_threads"]["description"].startswith("View: ")
    assert not tables["entries"]["description"].startswith("View: ")
    assert set(tables) == set(TABLES)


def test_command_checks_and_rewrites_only_the_section(tmp_path, capsys):
    readme = tmp_path / "README.md"
    stale = f"# Title\n\nbefore\n\n{schema_doc.BEGIN}\nold text\n{schema_doc.END}\n\nafter\n"
    readme.write_text(stale, encoding="utf-8")
    assert schema_doc.main(["--check", str(readme)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert readme.read_text(encoding="utf-8") == stale
    assert schema_doc.main([str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nbefore\n\n" + schema_doc.BEGIN)
    assert text.endswith(schema_doc.END + "\n\nafter\n")
    assert "**`sync_runs`**" in text and "old text" not in text
    assert schema_doc.main(["--check", str(readme)]) == 0
    readme.write_text("# no markers\n", encoding="utf-8")
    assert schema_doc.main([str(readme)]) == 2
    assert readme.read_text(encoding="utf-8") == "# no markers\n"
