"""Search: Cyrillic, emoji and accents, entries and comments, bm25 ranking, snippets, filters,
odd queries (rewritten or refused, never a crash), and the `search` command.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from scraper.cli_read import open_for_reading
from scraper.cli_read import search as search_command
from scraper.errors import NotOurDatabase, QueryError
from scraper.read.search import quote_words, search
from tests.readside_archive import J2, J, build_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "archive.db"
    build_archive(path).close()
    return path


@pytest.fixture
def conn(archive):
    c = open_for_reading(archive)
    yield c
    c.close()


def ids(result) -> list[tuple[str, int, int | None]]:
    return [(h.kind, h.itemid, h.commentid) for h in result.hits]


def test_cyrillic_is_found_whatever_the_case(conn):
    for query in ("привет", "ПРИВЕТ", "Привет"):
        result = search(conn, query)
        assert ids(result) == [("entry", 101, None)]
        assert "[Привет]" in result.hits[0].snippet


def test_comments_are_searched_only_when_asked(conn):
    assert search(conn, "спасибо").hits == []
    result = search(conn, "спасибо", comments=True)
    assert ids(result) == [("comment", 101, 1001)]
    hit = result.hits[0]
    assert hit.url == f"https://{J}.dreamwidth.org/101.html?thread=1001#cmt1001"
    assert hit.author == "willowmere" and hit.date == "2024-03-05T12:00"
    assert "[спасибо]" in hit.snippet


def test_emoji_are_words(conn):
    result = search(conn, "🌻", comments=True)
    assert sorted(ids(result)) == [("comment", 101, 1005), ("entry", 202, None)]
    assert search(conn, "🌻").hits[0].snippet.startswith("[🌻]")


def test_accents_fold(conn):
    assert ids(search(conn, "cafe creme")) == [("entry", 303, None)]
    assert ids(search(conn, "CAFÉ")) == [("entry", 303, None)]


def test_subject_and_short_body_rank_above_a_passing_mention(conn):
    result = search(conn, "sunflowers")
    assert [h.itemid for h in result.hits] == [202, 11, 303]
    ranks = [h.rank for h in result.hits]
    assert ranks == sorted(ranks) and ranks[0] < ranks[-1]


def test_hits_carry_date_journal_url_and_edited_text(conn):
    hit = search(conn, "shed").hits[0]  # "and the shed" only exists in the edited version
    assert (hit.journal, hit.itemid, hit.subject) == (J, 202, "🌻 sunflowers")
    assert hit.date == "2024-07-04T08:15"
    assert hit.url == f"https://{J}.dreamwidth.org/202.html"
    assert hit.deleted is False


def test_journal_filter_and_limit(conn):
    assert [h.journal for h in search(conn, "sunflowers", journal=J2).hits] == [J2]
    assert len(search(conn, "walked", limit=3).hits) == 3
    assert len(search(conn, "walked", limit=50).hits) == 12


def test_fts_syntax_works(conn):
    assert ids(search(conn, "subject:sunflowers")) == [("entry", 202, None)]
    assert {h.itemid for h in search(conn, "sunflow*").hits} == {202, 11, 303}
    assert {h.itemid for h in search(conn, "tomatoes OR zinnia").hits} == {404}
    assert {h.itemid for h in search(conn, '"stray sunflowers"').hits} == {303}


def test_invalid_syntax_is_searched_word_by_word(conn):
    result = search(conn, "Привет, мир")
    assert result.note and "searched for the words" in result.note
    assert result.fts_query == '"Привет," "мир"'
    assert ids(result) == [("entry", 101, None)]


def test_strict_mode_refuses_invalid_syntax_with_a_clear_message(conn):
    with pytest.raises(QueryError, match="not a valid search query"):
        search(conn, "sunflowers AND", strict=True)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "(((",
        "NOT",
        "*",
        "a OR",
        "it's",
        "body:x",
        "'; DROP TABLE entries; --",
        "NEAR(",
        "^",
        "-sunflowers",
        "sunflowers AND",
        "🌻🌻🌻",
        "x" * 5000,
        "a\x00b",
        '))((""',
        ":",
        "NEAR(sunflowers fence, 2)",
        "\\",
        "%_%",
    ],
)
def test_odd_queries_never_crash(conn, query):
    result = search(conn, query, comments=True)
    assert isinstance(result.hits, list)
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 17


@pytest.mark.parametrize("query", ["", "   ", "\x00\x01"])
def test_empty_query_is_an_error(conn, query):
    with pytest.raises(QueryError, match="nothing to search for"):
        search(conn, query)


def test_quote_words():
    assert quote_words('say "hi" now') == '"say" """hi""" "now"'


# --- the command ------------------------------------------------------------------------------


def test_search_command_text(archive):
    result = CliRunner().invoke(
        search_command, ["sunflowers", "--db", str(archive), "--comments", "--limit", "2"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"1. entry · {J} · 2024-07-04T08:15 · 🌻 sunflowers")
    assert lines[1].strip() == f"https://{J}.dreamwidth.org/202.html"
    assert "[sunflowers]" in lines[2]
    assert len([ln for ln in lines if ln[:1].isdigit()]) == 2


def test_search_command_json_and_note(archive):
    result = CliRunner().invoke(
        search_command, ["Привет, мир", "--db", str(archive), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["hits"][0]["itemid"] == 101
    assert "searched for the words" in result.stderr


def test_search_command_errors_are_dwarchive_errors(archive, tmp_path):
    result = CliRunner().invoke(search_command, ["x", "--db", str(tmp_path / "none.db")])
    assert isinstance(result.exception, NotOurDatabase)
    result = CliRunner().invoke(
        search_command, ["sunflowers AND", "--db", str(archive), "--strict"]
    )
    assert isinstance(result.exception, QueryError)
