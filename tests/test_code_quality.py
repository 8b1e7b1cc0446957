"""The code's own rules, checked by the one test command: lint and format (ruff), types (mypy, as
configured in pyproject.toml), every SQL statement in scraper/store/, small modules with a
docstring each, each named in the README's package tree.

The tools run as subprocesses of this interpreter's environment (`python -m ruff`, `python -m
mypy`), so they are the versions the test extra installed; a tool that is not installed skips
its test with the reason.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scraper"
MAX_LINES = 400

SQL_CALL = re.compile(r"\.execute\(|executemany\(|executescript\(|\.query\(")
"""A statement run on a connection (DB-API or sqlite-utils' `db.query`)."""

SQL_HOMES = ("store", "fakesite")
"""Where SQL may run: the store, and the fake site (test scaffolding with its own little state)."""

PENDING_SPLIT: dict[str, str] = {}
"""Modules over MAX_LINES that belong to other branches' work and are to be split there; an
entry fails the test once its module is small enough (or gone), so the list only shrinks."""


def _modules(skip: tuple[str, ...] = ()) -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if not any(p.relative_to(PACKAGE).parts[0] == s for s in skip)
    )


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[test]' installs it)")
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# --- SQL lives in the store ---------------------------------------------------------------------


def test_every_sql_statement_runs_in_the_store():
    found = [
        f"{_name(path)}:{n}: {line.strip()}"
        for path in _modules(skip=SQL_HOMES)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SQL_CALL.search(line)
    ]
    assert not found, "SQL outside scraper/store/ (give it a named function there):\n" + "\n".join(
        found
    )


def test_the_sql_check_finds_what_it_looks_for():
    assert SQL_CALL.search('rows = conn.execute("SELECT 1").fetchall()')
    assert SQL_CALL.search("db.executemany(sql, rows)")
    assert SQL_CALL.search('for row in db.query("SELECT * FROM entries"):')
    assert not SQL_CALL.search("outcome = fetcher.fetch(url)")


# --- small modules, each saying what it is for ----------------------------------------------------


def test_modules_outside_fakesite_are_at_most_400_lines():
    sizes = {
        _name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in _modules(("fakesite",))
    }
    too_long = {n: s for n, s in sizes.items() if s > MAX_LINES and n not in PENDING_SPLIT}
    assert not too_long, f"modules over {MAX_LINES} lines (split them): {too_long}"
    done = [n for n in PENDING_SPLIT if sizes.get(n, 0) <= MAX_LINES]
    assert not done, f"no longer over {MAX_LINES} lines: remove from PENDING_SPLIT: {done}"


def test_every_module_has_a_docstring():
    missing = [
        _name(p) for p in _modules() if not ast.get_docstring(ast.parse(p.read_text("utf-8")))
    ]
    assert not missing, f"modules without a docstring saying what they are for: {missing}"


def _readme_tree() -> set[str]:
    """The module paths the README's package tree (Development section) names."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("### The package", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    named: set[str] = set()
    folders: list[str] = []
    for line in block.splitlines():
        name = line.strip().split(" ", 1)[0]
        if not name:
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        folders = folders[:depth]
        if name.endswith("/"):
            folders.append(name.rstrip("/"))
        elif name.endswith(".py"):
            named.add("/".join([*folders, name]))
    return named


def test_readme_package_tree_names_every_module():
    modules = {_name(p) for p in _modules()}
    tree = _readme_tree()
    assert not modules - tree, f"add to README.md's package tree: {sorted(modules - tree)}"
    assert not tree - modules, f"no such module, remove from the tree: {sorted(tree - modules)}"


# --- the tools ------------------------------------------------------------------------------------


def test_ruff_check_is_clean():
    result = _run_tool("ruff", "check", "--no-cache", "scraper", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = _run_tool("ruff", "format", "--check", "--no-cache", "scraper", "tests", "bench")
    assert result.returncode == 0, (
        "run `ruff format scraper tests bench`:\n" + result.stdout + result.stderr
    )


def test_mypy_is_clean():
    """`mypy scraper` with pyproject.toml's [tool.mypy] settings."""
    result = _run_tool("mypy", "scraper")
    assert result.returncode == 0, result.stdout + result.stderr
