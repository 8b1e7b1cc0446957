"""A fake Dreamwidth: journals in memory, served over HTTP with core2 markup, for tests and demos.

model.py holds the data, sample.py and generate.py build journals, comments.py applies
Dreamwidth's comment paging/collapsing rules, render*.py print the pages, server.py serves them
(one 127.0.0.1 port per journal) with faults.py's failures and rate limit, minimum.py computes
the fewest requests a complete archive needs, export_fixtures.py writes sample pages to disk.
"""

from __future__ import annotations

from .comments import CommentView, ShownComment, comment_view, expansion_plan, shown_count
from .faults import Fault, RateLimit
from .generate import generate_journal
from .minimum import minimum_request_plan, minimum_requests
from .model import NO_USERPIC, FakeComment, FakeEntry, FakeJournal, StyleSettings
from .sample import big_thread_entry, build_sample_site, seed_entry
from .server import FakeSite, RequestRecord, serve_forever

__all__ = [
    "NO_USERPIC",
    "CommentView",
    "FakeComment",
    "FakeEntry",
    "FakeJournal",
    "FakeSite",
    "Fault",
    "RateLimit",
    "RequestRecord",
    "ShownComment",
    "StyleSettings",
    "big_thread_entry",
    "build_sample_site",
    "comment_view",
    "expansion_plan",
    "generate_journal",
    "minimum_request_plan",
    "minimum_requests",
    "seed_entry",
    "serve_forever",
    "shown_count",
]
