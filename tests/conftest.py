"""Shared fixtures: the fake Dreamwidth site on 127.0.0.1 and a CLI runner for real commands."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.fakesite import FakeSite, build_sample_site


@pytest.fixture
def site():
    """The sample site (nairiporter + tea_garden), fresh per test so tests may mutate it."""
    with FakeSite(build_sample_site()) as s:
        yield s


@pytest.fixture
def run():
    """Invoke `dwarchive ARGS...` in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "archive.db"


def table_dump(path, tables) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall() for t in tables}
    finally:
        conn.close()
