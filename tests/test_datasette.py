"""Datasette on an archive with no glue: every table and view answers, the FTS search box works,
foreign keys give labels, facets are set, each canned query runs; the metadata describes every
table, view and column; `dwarchive datasette-metadata` writes it.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner
from datasette.app import Datasette

from scraper.cli_read import datasette_metadata as metadata_command
from scraper.cli_read import open_for_reading
from scraper.read.datasette_meta import CANNED_QUERIES, database_columns, datasette_metadata
from scraper.store.readside import VIEWS
from tests.readside_archive import J2, J, add_pages, add_stored_image, build_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("datasette") / "archive.db"
    db = build_archive(path)
    add_pages(db)
    add_stored_image(db)
    db.close()
    return path


@pytest.fixture(scope="module")
def columns(archive):
    conn = open_for_reading(archive)
    try:
        return database_columns(conn)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def responses(archive, columns):
    """Every request the tests look at, made in one Datasette session."""
    metadata = datasette_metadata("archive", columns)
    paths = {f"table:{name}": f"/archive/{name}.json?_shape=objects&_size=5" for name in columns}
    paths.update(
        {
            "search_box": "/archive/entries.json?_search=sunflowers&_shape=objects",
            "labels": "/archive/entry_revisions.json?_labels=on&_shape=objects",
            "entries_facets": "/archive/entries.json?_size=0",
            "tags_facet": "/archive/entries_with_tags.json?_size=0",
            "per_month": "/archive/journal_months.json?_shape=array&journal=" + J,
            "per_month_all": "/archive/journal_months.json?_shape=array",
            "view_facets": "/archive/entries_per_month.json?_facet=journal&_size=0",
            "most_commented": "/archive/most_commented_entries.json?_shape=array",
            "tag_entries": "/archive/tag_entries.json?_shape=array&tag=gardens",
            "search": "/archive/search_entries.json?_shape=array&q=%F0%9F%8C%BB",
            "search_empty": "/archive/search_entries.json?_shape=array",
            "thread": f"/archive/entry_thread.json?_shape=array&journal={J}&itemid=101",
            "query_page": "/archive/most_commented_entries",
        }
    )

    async def fetch_all():
        ds = Datasette([str(archive)], metadata=metadata)
        out = {}
        for key, path in paths.items():
            response = await ds.client.get(path)
            out[key] = (response.status_code, response.text)
        return out

    return asyncio.run(fetch_all())


def _json(responses, key):
    status, text = responses[key]
    assert status == 200, (key, text[:500])
    return json.loads(text)


def test_every_table_and_view_answers(responses, columns):
    assert set(VIEWS) <= set(columns)
    for name in columns:
        _json(responses, f"table:{name}")
    rows = _json(responses, "table:comment_threads")["rows"]
    assert rows[0]["depth"] == 1


def test_fts_search_box_and_foreign_key_labels(responses):
    hits = _json(responses, "search_box")["rows"]
    assert {(r["journal"], r["itemid"]) for r in hits} == {(J, 202), (J, 303), (J2, 11)}
    revision = _json(responses, "labels")["rows"][0]
    assert revision["journal"] == {"value": J, "label": J}


def test_facets_from_metadata(responses):
    facets = _json(responses, "entries_facets")["facet_results"]
    assert {"journal", "security", "poster"} <= set(facets)
    tag_facet = _json(responses, "tags_facet")["facet_results"]["tags"]["results"]
    assert {r["value"]: r["count"] for r in tag_facet}["gardens"] == 2


def test_no_canned_query_hides_a_table_or_view(responses, columns):
    """Datasette routes /db/NAME to a canned query before a table or view of the same name."""
    from scraper.read.datasette_meta import CANNED_QUERIES

    assert not set(CANNED_QUERIES) & set(columns)
    facets = _json(responses, "view_facets")["facet_results"]
    facets = facets.get("results", facets)  # Datasette 1.0 nests them
    assert {r["value"] for r in facets["journal"]["results"]} >= {J}


def test_canned_queries_run(responses):
    per_month = _json(responses, "per_month")
    assert {"journal": J, "month": "2024-07", "entries": 2, "comments": 0} in per_month
    assert len(_json(responses, "per_month_all")) > len(per_month)
    most = _json(responses, "most_commented")
    assert (most[0]["journal"], most[0]["comments"]) == (J, 5)
    assert [r["subject"] for r in _json(responses, "tag_entries")] == [
        "Garden notes",
        "🌻 sunflowers",
    ]
    found = _json(responses, "search")
    assert [r["subject"] for r in found] == ["🌻 sunflowers"] and "<b>🌻</b>" in found[0]["snippet"]
    assert _json(responses, "search_empty") == []
    thread = _json(responses, "thread")
    assert [r["depth"] for r in thread] == [1, 2, 3, 4, 1]
    status, page = responses["query_page"]
    assert status == 200 and CANNED_QUERIES["most_commented_entries"]["title"] in page


def test_metadata_describes_every_table_view_and_column(columns):
    tables = datasette_metadata("archive", columns)["databases"]["archive"]["tables"]
    for name, cols in columns.items():
        assert name in tables, f"no description for table {name}"
        assert tables[name]["description"]
        described = tables[name]["columns"]
        missing = [c for c in cols if not described.get(c)]
        assert not missing, f"{name}: undescribed columns {missing}"


def test_metadata_command_writes_a_file(archive, tmp_path):
    target = tmp_path / "metadata.json"
    result = CliRunner().invoke(metadata_command, ["--db", str(archive), "--out", str(target)])
    assert result.exit_code == 0, result.output
    metadata = json.loads(target.read_text())
    assert set(CANNED_QUERIES) == set(metadata["databases"]["archive"]["queries"])
