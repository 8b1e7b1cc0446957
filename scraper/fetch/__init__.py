"""Fetching: polite, bounded HTTP for one journal, one policy per module (like Scrapy's middlewares).

Knows nothing of HTML or SQL. The crawl layer builds one Fetcher per journal (sharing one
TokenBucket between journals of the same site) and calls get(). `Fetcher` is the interface
the crawl depends on; `HttpFetcher` (client.py) implements it over httpx by assembling:

  scope.py      which origins and paths may be requested; captcha, gate and host checks per hop
  dupes.py      the same URL is never fetched twice in one run
  robots.py     robots.txt loaded within the journal's site and checked on every hop
  retry.py      transient failures and 429s retried with tenacity (which decides when to stop)
  redirects.py  redirects followed by hand, each hop checked before it is requested
  exchange.py   one request through the rate limiter (limiter.py), no Referer, session cookie
  body.py       the one body reader: size cap, truncation, total deadline, charset validity
  session.py    the owner's session cookie: sent to the journal's site only, never shown
  useragent.py  the User-Agent with the contact (refused when it cannot go into a header)

`image_client.py` fetches images with the same stack under a stricter host policy (hosts.py).
"""

from .client import HttpFetcher
from .clock import Clock, FakeClock, SystemClock
from .interface import Fetcher
from .limiter import LimiterStats, TokenBucket
from .results import FetchResult, FetchStats
from .retry_after import parse_retry_after
from .robots import RobotsRules
from .urls import api_root_for, journal_name, journal_root, normalize_url, origin, same_origin
from .useragent import CONTACT_ENV, build_user_agent, contact_from_env

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
    "api_root_for",
    "build_user_agent",
    "contact_from_env",
    "journal_name",
    "journal_root",
    "normalize_url",
    "origin",
    "parse_retry_after",
    "same_origin",
]
