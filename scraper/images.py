"""Images (opt-in): fetch the pictures entries embed and the userpics they show, store each once.

- Finding: `<img src>` in entries' body_html (resolved against the entry URL), entries'
  userpic_url and profiles' userpic_url; data: URLs and non-http(s) schemes are skipped.
- Fetching: the shared fetch stack (`fetch.image_client`): retries, redirects checked at every
  hop, the one body reader (size cap, deadline), a polite token bucket per image host (separate
  from the journal's own rate), and a host policy: only the journal's site and the hosts its
  entries embed images from, on port 80/443 at public addresses (loopback only for a journal on
  loopback); the contact goes to the journal's site only. Only image/* content types are kept.
- Storing (`store.images`): `blobs` holds each distinct body once, keyed by sha256; `images` maps
  every URL to its blob (or to why it could not be fetched). Running again fetches only what is
  missing or failed for a passing reason ('error'); 404/410, oversized, non-image and refused
  images are not retried unless asked.

Exports use `local_image_map` to point at the local copies.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import sqlite_utils
from selectolax.lexbor import LexborHTMLParser

from .fetch.body import DEFAULT_MAX_BYTES
from .fetch.clock import Clock, SystemClock
from .fetch.hosts import Resolver
from .fetch.image_client import HostBuckets, ImageFetcher, ImageHosts, Outcome
from .store import images as store

PERMANENT_FAILURES = store.PERMANENT_FAILURES

Report = Callable[[str], None]


@dataclass(frozen=True)
class ImageRef:
    """An image URL the archive uses, the journal it was first seen in, and how it is used."""

    url: str
    journal: str
    kind: str  # 'entry' | 'userpic'


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
    refs: dict[str, ImageRef] = {}
    for j, url, body_html, userpic_url in store.entry_image_sources(db, journal):
        for image_url in find_image_urls(body_html, url):
            refs.setdefault(image_url, ImageRef(image_url, j, "entry"))
        if pic := _absolute(userpic_url, url):
            refs.setdefault(pic, ImageRef(pic, j, "userpic"))
    for j, userpic_url in store.profile_userpics(db, journal):
        if pic := _absolute(userpic_url, None):
            refs.setdefault(pic, ImageRef(pic, j, "userpic"))
    return list(refs.values())


# --- fetching and storing -----------------------------------------------------------------------


def _todo(
    db: sqlite_utils.Database, refs: Iterable[ImageRef], retry_failed: bool
) -> list[ImageRef]:
    done = store.image_states(db)
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
    max_attempts: int = 3,
    resolve: Resolver | None = None,
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
    clock = clock or SystemClock()
    buckets = HostBuckets(per_host_rate, clock)  # one per image host, across journals
    roots = store.journal_urls(db)
    for name in dict.fromkeys(ref.journal for ref in todo):
        hosts = ImageHosts(
            roots.get(name),
            [r.url for r in refs if r.journal == name and r.kind == "entry"],
            resolve=resolve,
        )
        fetcher = ImageFetcher(
            hosts,
            contact=contact,
            buckets=buckets,
            clock=clock,
            transport=transport,
            max_bytes=max_bytes,
            max_attempts=max_attempts,
        )
        try:
            for ref in todo:
                if ref.journal == name:
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
    outcome = fetcher.fetch(ref.url, ref.kind)
    now = fetcher.clock.now().astimezone(UTC).isoformat(timespec="seconds")
    now = now.replace("+00:00", "Z")
    with db.atomic():
        sha = None
        if outcome.status == "ok" and outcome.data is not None:
            sha = hashlib.sha256(outcome.data).hexdigest()
            new = store.save_blob(
                db,
                sha256=sha,
                content_type=outcome.content_type,
                data=outcome.data,
                first_url=ref.url,
                fetched_at=now,
            )
            summary["fetched"] += 1
            summary["new_blobs"] += new
            summary["bytes"] += len(outcome.data) if new else 0
        else:
            summary["failed"] += 1
        store.save_image(
            db,
            url=ref.url,
            journal=ref.journal,
            kind=ref.kind,
            sha256=sha,
            status=outcome.status,
            error=outcome.error,
            fetched_at=now,
        )
    if report is not None:
        report(
            f"image {ref.url}: {outcome.status}" + (f" ({outcome.error})" if outcome.error else "")
        )


def run_image_archive(
    db_path: str | os.PathLike[str],
    journal: str | None,
    *,
    contact: str | None,
    per_host_rate: float = 12,
    report: Report | None = None,
    transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
    resolve: Resolver | None = None,
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
                resolve=resolve,
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


def image_failures(
    db: sqlite_utils.Database | sqlite3.Connection, journal: str | None = None
) -> list[dict[str, Any]]:
    """Images that could not be fetched (for `status`): url, journal, kind, status, error."""
    return store.image_failures(db, journal)


def extension_for(content_type: str | None) -> str:
    """A file extension for a stored image ('.png'; '.bin' when unknown)."""
    ext = mimetypes.guess_extension((content_type or "").split(";")[0].strip()) or ".bin"
    return ".jpg" if ext in (".jpe", ".jpeg") else ext


def local_image_map(
    conn: sqlite_utils.Database | sqlite3.Connection,
) -> dict[str, tuple[str, str | None]]:
    """URL -> (sha256, content_type) of every image stored locally."""
    return store.local_image_map(conn)


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
