"""Images (opt-in): fetch the pictures entries embed and the userpics they show, store each once.

- Finding: `<img src>` in entries' body_html (resolved against the entry URL), entries'
  userpic_url and profiles' userpic_url; data: URLs and non-http(s) schemes are skipped.
- Fetching: httpx with dwarchive's User-Agent, one polite TokenBucket per image host (separate
  from the journal's own rate), redirects followed by hand (each hop rate-limited, at most 5),
  Retry-After honoured, a size cap, and only image/* content types kept.
- Storing: `blobs` holds each distinct body once, keyed by sha256; `images` maps every URL to its
  blob (or to why it could not be fetched). Running again fetches only what is missing or failed
  for a passing reason ('error'); 404/410, oversized and non-image answers are not retried unless
  asked.

Exports use `local_image_map` to point at the local copies.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
import sqlite_utils
from selectolax.lexbor import LexborHTMLParser

from .errors import TooLarge
from .fetch.client import build_user_agent
from .fetch.clock import Clock, SystemClock
from .fetch.limiter import TokenBucket
from .fetch.retry_after import parse_retry_after
from .fetch.urls import LOOPBACK_HOSTS

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 600.0
PERMANENT_FAILURES = frozenset({"missing", "too_large", "not_image"})

Report = Callable[[str], None]


@dataclass(frozen=True)
class ImageRef:
    """An image URL the archive uses, the journal it was first seen in, and how it is used."""

    url: str
    journal: str
    kind: str  # 'entry' | 'userpic'


@dataclass(frozen=True)
class Outcome:
    """What fetching one image gave."""

    status: str  # 'ok' | 'error' | 'missing' | 'too_large' | 'not_image'
    data: bytes | None = None
    content_type: str | None = None
    error: str | None = None


# --- finding ------------------------------------------------------------------------------------


def _absolute(src: str | None, base_url: str | None) -> str | None:
    src = (src or "").strip()
    if not src:
        return None
    url = urljoin(base_url or "", src)
    return url if urlsplit(url).scheme in ("http", "https") else None


def find_image_urls(html: str | None, base_url: str | None = None) -> list[str]:
    """Absolute http(s) URLs of the `<img>` elements in `html`, in order, each once."""
    if not html or "<img" not in html.lower():
        return []
    urls: dict[str, None] = {}
    for node in LexborHTMLParser(html).css("img"):
        url = _absolute(node.attrs.get("src"), base_url)
        if url:
            urls[url] = None
    return list(urls)


def image_refs(db: sqlite_utils.Database, journal: str | None = None) -> list[ImageRef]:
    """Every image the journal's entries (or all journals') embed or show as userpic, each once."""
    where, params = ("WHERE journal = ?", [journal]) if journal else ("", [])
    refs: dict[str, ImageRef] = {}
    sql = (
        f"SELECT journal, url, body_html, userpic_url FROM entries {where} ORDER BY journal, itemid"
    )
    for j, url, body_html, userpic_url in db.execute(sql, params).fetchall():
        for image_url in find_image_urls(body_html, url):
            refs.setdefault(image_url, ImageRef(image_url, j, "entry"))
        if pic := _absolute(userpic_url, url):
            refs.setdefault(pic, ImageRef(pic, j, "userpic"))
    sql = f"SELECT journal, userpic_url FROM profiles {where} ORDER BY journal"
    for j, userpic_url in db.execute(sql, params).fetchall():
        if pic := _absolute(userpic_url, None):
            refs.setdefault(pic, ImageRef(pic, j, "userpic"))
    return list(refs.values())


# --- fetching -----------------------------------------------------------------------------------


class ImageFetcher:
    """GETs images politely: a token bucket per host, a size cap, redirects by hand."""

    def __init__(
        self,
        *,
        contact: str | None,
        per_host_rate: float = 12,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = 30.0,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.per_host_rate = per_host_rate
        self.max_bytes = max_bytes
        self._buckets: dict[str, TokenBucket] = {}
        headers = {"User-Agent": build_user_agent(contact), "Accept": "image/*"}
        self._clients = {
            trust: httpx.Client(
                headers=headers,
                timeout=timeout,
                transport=transport,
                trust_env=trust,
                follow_redirects=False,
            )
            for trust in (True, False)
        }

    def bucket(self, host: str) -> TokenBucket:
        if host not in self._buckets:
            self._buckets[host] = TokenBucket(self.per_host_rate, burst=2, clock=self.clock)
        return self._buckets[host]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()

    def fetch(self, url: str) -> Outcome:
        """Fetch one image; every failure becomes an Outcome, never an exception."""
        try:
            for _ in range(MAX_REDIRECTS + 1):
                outcome, next_url = self._get(url)
                if next_url is None:
                    return outcome
                url = next_url
            return Outcome("error", error=f"more than {MAX_REDIRECTS} redirects")
        except TooLarge as exc:
            return Outcome("too_large", error=str(exc))
        except httpx.HTTPError as exc:
            return Outcome("error", error=f"{type(exc).__name__}: {exc}"[:500])

    def _get(self, url: str) -> tuple[Outcome, str | None]:
        host = urlsplit(url).hostname or ""
        bucket = self.bucket(host)
        bucket.acquire()
        client = self._clients[host not in LOOPBACK_HOSTS]
        with client.stream("GET", url) as resp:
            if resp.is_redirect and resp.headers.get("location"):
                return Outcome("error"), urljoin(url, resp.headers["location"])
            if resp.status_code in (429, 503):
                self._back_off(bucket, resp)
            return self._read(url, resp), None

    def _back_off(self, bucket: TokenBucket, resp: httpx.Response) -> None:
        wait = parse_retry_after(resp.headers.get("retry-after"), self.clock.now())
        if wait is not None:
            bucket.block_until(self.clock.monotonic() + min(wait, MAX_RETRY_AFTER))
        bucket.slow_down()

    def _read(self, url: str, resp: httpx.Response) -> Outcome:
        if resp.status_code in (404, 410):
            return Outcome("missing", error=f"HTTP {resp.status_code}")
        if resp.status_code != 200:
            return Outcome("error", error=f"HTTP {resp.status_code}")
        content_type = resp.headers.get("content-type", "").split(";")[0].strip().lower()
        if not content_type.startswith("image/"):
            return Outcome("not_image", error=f"not an image ({content_type or 'no content type'})")
        declared = resp.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise TooLarge(f"{declared} bytes is over the {self.max_bytes}-byte cap", url=url)
        data = bytearray()
        for chunk in resp.iter_bytes():
            data += chunk
            if len(data) > self.max_bytes:
                raise TooLarge(f"over the {self.max_bytes}-byte cap", url=url)
        return Outcome("ok", bytes(data), content_type)


# --- storing ------------------------------------------------------------------------------------


def _store_blob(
    db: sqlite_utils.Database, outcome: Outcome, url: str, now: str
) -> tuple[str, bool]:
    """Insert the body once per sha256; returns (sha256, whether it was new)."""
    assert outcome.data is not None
    sha = hashlib.sha256(outcome.data).hexdigest()
    cur = db.execute(
        "INSERT OR IGNORE INTO blobs (sha256, content_type, size, data, first_url, fetched_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [sha, outcome.content_type, len(outcome.data), outcome.data, url, now],
    )
    return sha, cur.rowcount > 0


def _record(
    db: sqlite_utils.Database, ref: ImageRef, outcome: Outcome, sha: str | None, now: str
) -> None:
    db["images"].upsert(
        {
            "url": ref.url,
            "journal": ref.journal,
            "kind": ref.kind,
            "sha256": sha,
            "status": outcome.status,
            "error": outcome.error,
            "fetched_at": now,
        },
        pk="url",
    )


def _todo(
    db: sqlite_utils.Database, refs: Iterable[ImageRef], retry_failed: bool
) -> list[ImageRef]:
    done = {
        url: status
        for url, status in db.execute(
            "SELECT i.url, i.status FROM images i "
            "LEFT JOIN blobs b ON b.sha256 = i.sha256 "
            "WHERE (i.status = 'ok' AND b.sha256 IS NOT NULL) OR i.status != 'ok'"
        ).fetchall()
    }
    skip = {"ok"} | (set() if retry_failed else PERMANENT_FAILURES)
    return [r for r in refs if done.get(r.url) not in skip]


def archive_images(
    db: sqlite_utils.Database,
    journal: str | None,
    *,
    contact: str | None,
    per_host_rate: float = 12,
    clock: Clock | None = None,
    transport: httpx.BaseTransport | None = None,
    report: Report | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    retry_failed: bool = False,
) -> dict[str, int]:
    """Fetch the journal's images that are not stored yet; returns counts for a summary line.

    Keys: found (distinct URLs), skipped (already stored or permanently failed), fetched,
    new_blobs, bytes (of new blobs), failed."""
    refs = image_refs(db, journal)
    todo = _todo(db, refs, retry_failed)
    summary = {
        "found": len(refs),
        "skipped": len(refs) - len(todo),
        "fetched": 0,
        "new_blobs": 0,
        "bytes": 0,
        "failed": 0,
    }
    fetcher = ImageFetcher(
        contact=contact,
        per_host_rate=per_host_rate,
        clock=clock,
        transport=transport,
        max_bytes=max_bytes,
    )
    try:
        for ref in todo:
            _archive_one(db, fetcher, ref, summary, report)
    finally:
        fetcher.close()
    return summary


def _archive_one(
    db: sqlite_utils.Database,
    fetcher: ImageFetcher,
    ref: ImageRef,
    summary: dict[str, int],
    report: Report | None,
) -> None:
    outcome = fetcher.fetch(ref.url)
    now = fetcher.clock.now().isoformat(timespec="seconds")
    with db.atomic():
        sha = None
        if outcome.status == "ok":
            sha, new = _store_blob(db, outcome, ref.url, now)
            summary["fetched"] += 1
            summary["new_blobs"] += new
            summary["bytes"] += len(outcome.data or b"") if new else 0
        else:
            summary["failed"] += 1
        _record(db, ref, outcome, sha, now)
    if report is not None:
        report(
            f"image {ref.url}: {outcome.status}" + (f" ({outcome.error})" if outcome.error else "")
        )


def run_image_archive(
    db_path: str | os.PathLike,
    journal: str | None,
    *,
    contact: str | None,
    per_host_rate: float = 12,
    report: Report | None = None,
    transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
) -> dict[str, int]:
    """`archive --images`: open the archive, take the run lock, fetch what is missing."""
    from .store import RunLock, open_database

    db = open_database(db_path, create=False)
    try:
        with RunLock(db_path):
            return archive_images(
                db,
                journal,
                contact=contact,
                per_host_rate=per_host_rate,
                clock=clock,
                transport=transport,
                report=report,
            )
    finally:
        db.close()


def summary_line(summary: dict[str, int]) -> str:
    """One line for the end of `archive --images`."""
    return (
        f"images: {summary['found']} found, {summary['fetched']} fetched "
        f"({summary['new_blobs']} new files, {summary['bytes']} bytes), "
        f"{summary['failed']} failed, {summary['skipped']} already done"
    )


# --- reading back -------------------------------------------------------------------------------


def image_failures(db: sqlite_utils.Database | object, journal: str | None = None) -> list[dict]:
    """Images that could not be fetched (for `status`): url, journal, kind, status, error."""
    conn = getattr(db, "conn", db)
    where, params = ("AND journal = ?", [journal]) if journal else ("", [])
    cur = conn.execute(  # type: ignore[attr-defined]
        "SELECT url, journal, kind, status, error, fetched_at FROM images "
        f"WHERE status != 'ok' {where} ORDER BY journal, url",
        params,
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def extension_for(content_type: str | None) -> str:
    """A file extension for a stored image ('.png'; '.bin' when unknown)."""
    ext = mimetypes.guess_extension((content_type or "").split(";")[0].strip()) or ".bin"
    return ".jpg" if ext in (".jpe", ".jpeg") else ext


def local_image_map(conn: object) -> dict[str, tuple[str, str | None]]:
    """URL -> (sha256, content_type) of every image stored locally."""
    try:
        rows = conn.execute(  # type: ignore[attr-defined]
            "SELECT i.url, i.sha256, b.content_type FROM images i "
            "JOIN blobs b ON b.sha256 = i.sha256 WHERE i.status = 'ok'"
        ).fetchall()
    except Exception as exc:
        if "no such table" in str(exc):
            return {}
        raise
    return {url: (sha, ctype) for url, sha, ctype in rows}


__all__ = [
    "ImageFetcher",
    "ImageRef",
    "Outcome",
    "archive_images",
    "extension_for",
    "find_image_urls",
    "image_failures",
    "image_refs",
    "local_image_map",
    "run_image_archive",
    "summary_line",
]
