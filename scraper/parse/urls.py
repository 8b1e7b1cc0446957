"""Journal URLs as the pages link them: permalinks NNN.html, archive days/months/years, tags,
query parameters. Every function takes any text and returns None for what is not such a link."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from urllib.parse import SplitResult, parse_qs, unquote_plus, urljoin, urlsplit

_ITEM_PATH = re.compile(r"/(\d{1,18})\.html$")
_DAY_PATH = re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/?$")
_MONTH_PATH = re.compile(r"/(\d{4})/(\d{1,2})/?$")
_YEAR_PATH = re.compile(r"/(\d{4})/?$")
_TAG_PATH = re.compile(r"/tag/([^/]+)/?$")


def split_url(url: str | None) -> SplitResult | None:
    if not url:
        return None
    return _split(url)


@functools.lru_cache(maxsize=8192)  # a journal's pages link the same addresses over and over
def _split(url: str) -> SplitResult | None:
    try:
        return urlsplit(url.strip())
    except ValueError:  # e.g. an invalid IPv6 host: not a link we can follow
        return None


clear_cache = _split.cache_clear  # for benchmarks: each pass starts as a new run would


def url_path(url: str | None) -> str:
    parts = split_url(url)
    return parts.path if parts else ""


def query_param(url: str | None, name: str) -> str | None:
    parts = split_url(url)
    if not parts or not parts.query:
        return None
    values = parse_qs(parts.query, keep_blank_values=True).get(name)
    return values[0] if values else None


def query_int(url: str | None, name: str) -> int | None:
    value = query_param(url, name)
    if value is None:
        return None
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


def fragment(url: str | None) -> str:
    parts = split_url(url)
    return parts.fragment if parts else ""


def itemid_from_url(url: str | None) -> int | None:
    """NNN of a permalink .../NNN.html (any host, any prefix)."""
    m = _ITEM_PATH.search(url_path(url))
    return int(m.group(1)) if m else None


def valid_date(y: int, mo: int, d: int) -> str | None:
    try:
        _dt.date(y, mo, d)
    except (ValueError, OverflowError):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def day_from_url(url: str | None) -> str | None:
    """'YYYY-MM-DD' of a day archive link .../YYYY/MM/DD/ (validated)."""
    m = _DAY_PATH.search(url_path(url))
    if not m:
        return None
    return valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def month_from_url(url: str | None) -> str | None:
    m = _MONTH_PATH.search(url_path(url))
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    if not (1 <= mo <= 12) or y < 1:
        return None
    return f"{y:04d}-{mo:02d}"


def year_from_url(url: str | None) -> int | None:
    m = _YEAR_PATH.search(url_path(url))
    if not m:
        return None
    y = int(m.group(1))
    return y if y >= 1 else None


def tag_from_url(url: str | None) -> str | None:
    """Tag name of a /tag/NAME or ?tag=NAME link (Dreamwidth's form for names with / or +)."""
    m = _TAG_PATH.search(url_path(url))
    if m:
        return unquote_plus(m.group(1)) or None
    return query_param(url, "tag") or None


def absolute(url: str | None, base: str | None) -> str | None:
    if url is None:
        return None
    url = url.strip()
    if not base:
        return url
    try:
        return urljoin(base, url)
    except ValueError:  # an unparsable base or link: keep the link as written
        return url


def strip_fragment(url: str | None) -> str | None:
    if url is None:
        return None
    return url.split("#", 1)[0]
