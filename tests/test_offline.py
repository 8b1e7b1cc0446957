"""The suite cannot reach the internet: conftest's guard refuses lookups and connections that
are not loopback (the dreamwidth.org URLs in parser and store tests are data, never fetched)."""

from __future__ import annotations

import socket

import httpx
import pytest


def test_a_live_site_url_cannot_be_fetched_from_a_test():
    with pytest.raises(AssertionError, match="look up"):
        httpx.get("https://nairiporter.dreamwidth.org/", timeout=1)


def test_a_non_loopback_address_cannot_be_connected_to():
    with socket.socket() as s, pytest.raises(AssertionError, match="connect"):
        s.connect(("192.0.2.1", 80))


def test_loopback_still_works(site):
    assert httpx.get(site.url("tea_garden"), timeout=5).status_code == 200
