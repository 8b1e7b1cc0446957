"""Shared fixtures: the fake Dreamwidth site on 127.0.0.1 and a CLI runner for real commands."""

from __future__ import annotations

import ipaddress
import socket
import sqlite3

import pytest
from click.testing import CliRunner

from scraper.cli import cli
from scraper.fakesite import FakeSite, build_sample_site


def _loopback(host) -> bool:
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True, scope="session")
def no_internet():
    """No test may reach the internet: name lookups and connections to anything but loopback
    fail the test at once (page URLs like https://name.dreamwidth.org/ in parser and store tests
    are data, never fetched; this makes sure of it)."""
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host, *args, **kwargs):
        if not _loopback(host.decode() if isinstance(host, bytes) else host):
            raise AssertionError(f"a test tried to look up {host!r}: tests must stay on 127.0.0.1")
        return real_getaddrinfo(host, *args, **kwargs)

    def check(address) -> None:
        if isinstance(address, tuple) and not _loopback(address[0]):
            raise AssertionError(f"a test tried to connect to {address!r}")

    def connect(self, address):
        check(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    socket.getaddrinfo, socket.socket.connect = getaddrinfo, connect
    socket.socket.connect_ex = connect_ex
    try:
        yield
    finally:
        socket.getaddrinfo, socket.socket.connect = real_getaddrinfo, real_connect
        socket.socket.connect_ex = real_connect_ex


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
