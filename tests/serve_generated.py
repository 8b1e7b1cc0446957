"""Serve one generated journal in its own process, for tests that kill dwarchive with SIGKILL.

    python -m tests.serve_generated NAME ENTRIES SEED URL_FILE LOG_FILE

Writes the journal's URL to URL_FILE (atomically, once it is serving) and appends one line per
request to LOG_FILE, "METHOD PATH STATUS", flushed before the answer goes out: a test watching
the file sees a request no later than dwarchive sees its answer. Runs until SIGTERM/SIGINT.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from scraper.fakesite import FakeSite, generate_journal
from scraper.fakesite.server import RequestRecord


class LoggingSite(FakeSite):
    """A FakeSite that also writes its request log to a file."""

    def __init__(self, journals, log_path: Path) -> None:
        super().__init__(journals)
        self._log_file = open(log_path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115

    def _log(self, record: RequestRecord) -> None:
        super()._log(record)
        with self._log_lock:
            self._log_file.write(f"{record.method} {record.path} {record.status}\n")
            self._log_file.flush()


def main(argv: list[str]) -> None:
    name, entries, seed, url_file, log_file = argv
    journal = generate_journal(name, int(entries), int(seed), comments=(0, 60))
    site = LoggingSite([journal], Path(log_file)).start()
    tmp = Path(url_file + ".tmp")
    tmp.write_text(site.url(name))
    os.replace(tmp, url_file)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    site.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
