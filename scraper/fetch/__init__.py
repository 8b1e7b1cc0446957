"""Fetching: polite, bounded HTTP for one journal (rate limit, retries, robots, redirects, size cap).

Knows nothing of HTML or SQL. The crawl layer builds one Fetcher per journal (sharing one
TokenBucket between journals of the same site) and calls get(). `Fetcher` is the interface
the crawl depends on; `HttpFetcher` (client.py) implements it over httpx.
"""

from .client import CONTACT_ENV, HttpFetcher, build_user_agent, contact_from_env
from .clock import Clock, FakeClock, SystemClock
from .interface import Fetcher
from .limiter import LimiterStats, TokenBucket
from .results import FetchResult, FetchStats
from .retry_after import parse_retry_after
from .robots import RobotsRules
from .urls import journal_name, journal_root, normalize_url, origin, same_origin

__all__ = [
    "CONTACT_ENV",
    "Clock",
    "FakeClock",
    "FetchResult",
    "FetchStats",
    "Fetcher",
    "HttpFetcher",
    "LimiterStats",
    "RobotsRules",
    "SystemClock",
    "TokenBucket",
    "build_user_agent",
    "contact_from_env",
    "journal_name",
    "journal_root",
    "normalize_url",
    "origin",
    "parse_retry_after",
    "same_origin",
]
