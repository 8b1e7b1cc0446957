"""Headless Chromium, for the tests that look at pages as a browser shows them and for
docs/make_images.py: the binary, and the switches every run of it shares."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"  # Debian's package (.ci/run installs it)
ABSENT = f"{CHROMIUM} is absent: apt-get install -y chromium"

# Headless as root (CI), no GPU, and nothing of its own on the network (no first-run, sync,
# component or background requests): every request a test sees comes from the page.
HEADLESS = (
    CHROMIUM,
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
