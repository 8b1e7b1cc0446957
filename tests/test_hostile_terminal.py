"""Nothing archived reaches a terminal as a control character: scraper.terminal.clean removes
escape sequences whole (clear screen, window title, colours, 8-bit forms) and control and bidi
override characters; `search` prints only cleaned text; format_table and json_text (for `query`
and `status`) print the hostile journal's rows with no escape left.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from scraper.cli_read import _MARK_END, _MARK_START, _print_hits
from scraper.cli_read import search as search_command
from scraper.fakesite.hostile import ESCAPES, build_hostile_journal
from scraper.read.search import search
from scraper.terminal import clean, format_table, json_text
from tests.readside_archive import Recorder, archive_through_fake_site

CONTROL = set(map(chr, [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]))
CONTROL |= set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _has_control(text: str) -> bool:
    return bool(CONTROL & set(text.replace("\n", "")))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\x1b[2Jb", "ab"),  # clear screen
        ("a\x1b[1;31mred\x1b[0m", "ared"),  # colours
        ("a\x1b]0;pwned\x07b", "ab"),  # window title, BEL-terminated
        ("a\x1b]2;pwned\x1b\\b", "ab"),  # window title, ST-terminated
        ("a\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # hyperlink
        ("a\x1bP1$qm\x1b\\b", "ab"),  # DCS
        ("a\x9b2Jb\x9d0;t\x9cc", "abc"),  # 8-bit CSI and OSC
        ("a\x1b(Bb\x1bcc", "abc"),  # charset switch, full reset
        ("a\x1b]0;unterminated title", "a"),
        ("safe\rEVIL", "safe EVIL"),  # a carriage return cannot overwrite the line
        ("x\x08\x08y\x00z\x07", "xyz"),  # backspace, NUL, bell
        ("abc\u202edcba", "abcdcba"),  # right-to-left override
        ("two\nlines\tand\u2028more", "two lines and more"),
        ("emoji 🌻 and кириллица", "emoji 🌻 and кириллица"),
    ],
)
def test_clean_removes_sequences_and_controls(raw, shown):
    assert clean(raw) == shown


def test_clean_can_keep_line_breaks():
    assert clean("one\r\ntwo\x1b[2J\nthree\rfour", newlines=True) == "one\ntwo\nthree\nfour"
    assert clean(None) == "" and clean(42) == "42"


def test_format_table_cleans_cells_and_aligns_wide_characters():
    table = format_table(
        ["subject\x1b[2J", "n"],
        [(f"Terminal {ESCAPES}title", 1), ("🌻🌻", None), (b"\x1b[2J", 3)],
    )
    assert not _has_control(table)
    lines = table.splitlines()
    assert lines[0].startswith("subject ") and lines[-1] == "(3 rows)"
    assert lines[3].startswith("🌻🌻") and "<4 bytes>" in lines[4]
    starts = {cell_len(line[: line.rfind(" ") + 1]) for line in (lines[0], lines[2], lines[4])}
    assert len(starts) == 1  # "n", "1" and "3" in one column, emoji counted two cells wide


def test_json_text_escapes_what_json_leaves_raw():
    text = json_text({"s": "a\x9b2J\u202eb\x1b"})
    assert not _has_control(text)
    assert json.loads(text) == {"s": "a\x9b2J\u202eb\x1b"}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-terminal")
    tracker = Recorder()
    try:
        archive_through_fake_site(
            tmp / "archive.db", [build_hostile_journal(tracker.url, thread_depth=3)]
        )
    finally:
        tracker.close()
    return tmp / "archive.db"


def test_the_hostile_archive_really_holds_escape_sequences(archive):
    import sqlite3

    conn = sqlite3.connect(archive)
    subjects = [r[0] for r in conn.execute("SELECT subject FROM entries")]
    comments = [r[0] for r in conn.execute("SELECT subject FROM comments")]
    assert any("\x1b]0;pwned" in s for s in subjects)
    assert any("\x1b[2J" in (s or "") for s in comments)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_search_prints_no_escape_sequence(archive, fmt):
    for words in ("Terminal", "pwned", "session"):
        result = CliRunner().invoke(
            search_command,
            [words, "--db", str(archive), "--comments", "--format", fmt],
            catch_exceptions=False,
            color=True,  # as on a terminal: click strips no escape sequence of its own
        )
        assert result.exit_code == 0
        assert "no matches" not in result.output, words
        assert not _has_control(result.output), repr(result.output)
        if fmt == "json" and words != "session":
            hits = json.loads(result.output)["hits"]
            assert any("\x1b" in (h["subject"] or "") for h in hits)  # the data is intact


def test_highlighting_on_a_terminal_is_our_only_escape(archive, capsys, monkeypatch):
    import sqlite3

    monkeypatch.setattr("click.utils.should_strip_ansi", lambda stream=None, color=None: False)
    conn = sqlite3.connect(archive)
    result = search(conn, "Terminal", comments=True, highlight=(_MARK_START, _MARK_END))
    _print_hits(result, ("\x1b[1m", "\x1b[0m"))
    out = capsys.readouterr().out
    assert "\x1b[1mTerminal\x1b[0m" in out
    assert not _has_control(out.replace("\x1b[1m", "").replace("\x1b[0m", ""))


def test_query_rows_through_format_table(archive):
    from scraper.store import open_read_only, run_read_only

    conn = open_read_only(archive)
    try:
        columns, rows = run_read_only(
            conn,
            "SELECT subject, body_text FROM entries UNION ALL SELECT subject, body_text "
            "FROM comments UNION ALL SELECT title, subtitle FROM journals",
        )
    finally:
        conn.close()
    assert any("\x1b" in str(v) for r in rows for v in r)
    assert not _has_control(format_table(columns, rows))
    assert not _has_control(json_text([dict(zip(columns, r)) for r in rows]))
