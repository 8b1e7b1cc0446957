"""Crawling: deciding what to fetch and in which order, with the to-do list kept in the database.

The pipeline of one crawl step: the runner (runner.py) takes the next queued item and fetches
it; the handler for its page kind (handlers.py: listings.py, entry_pages.py, incremental.py,
root.py) reads it with the parsers and returns records plus follow-up work (a `Step`); the
store's commit step saves them in one transaction. `reparse` runs the same handlers over stored
pages. jobs.py assembles fetcher, database and crawl for a run.
"""

from .endings import RunSummary
from .jobs import CrawlOptions, run_archive, run_journals
from .runner import Crawl
from .step import CrawlMode

__all__ = ["Crawl", "CrawlMode", "CrawlOptions", "RunSummary", "run_archive", "run_journals"]
