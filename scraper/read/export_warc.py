"""WARC export: the raw responses kept in `pages` (and downloaded images) as a WARC 1.0 file, so
the archive can go into the tools of the web-archiving world (pywb, ReplayWeb.page, warcio...).

Each stored page becomes a `response` record: an HTTP/1.1 status line and headers rebuilt from the
stored row (status, Content-Type, ETag, Last-Modified, Content-Length of the stored body), the
body, WARC-Date = when it was fetched. A `warcinfo` record opens the file. Bodies are stored
decoded, so no Content-Encoding is claimed.
"""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime
from email.utils import format_datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .. import __version__
from ..store import read_queries
from . import paths

WARC_NAME = "archive.warc.gz"


def warc_date(value: str | None, fallback: datetime) -> datetime:
    """A stored timestamp ('2026-01-01T00:00:00+00:00', '...Z', naive = UTC) as aware UTC."""
    try:
        moment = datetime.fromisoformat(value) if value else fallback
    except ValueError:
        moment = fallback
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def status_line(status: int | None) -> str:
    code = status or 200
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = "Unknown"
    return f"{code} {phrase}"


def http_headers(row: dict, body: bytes) -> StatusAndHeaders:
    """HTTP status line and headers for a stored response."""
    headers = [("Content-Type", row.get("content_type") or "application/octet-stream")]
    if row.get("etag"):
        headers.append(("ETag", row["etag"]))
    if row.get("last_modified"):
        headers.append(("Last-Modified", row["last_modified"]))
    if row.get("date"):
        headers.append(("Date", row["date"]))
    headers.append(("Content-Length", str(len(body))))
    return StatusAndHeaders(status_line(row.get("status")), headers, protocol="HTTP/1.1")


def _response(writer: WARCWriter, row: dict[str, Any], now: datetime) -> Any:
    body: bytes = row["body"] or b""
    moment = warc_date(row.get("fetched_at"), now)
    headers = http_headers({**row, "date": format_datetime(moment, usegmt=True)}, body)
    return writer.create_warc_record(
        row["url"],
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": _iso(moment)},
    )


def write_warc(
    conn: sqlite3.Connection,
    target: Path,
    journal: str | None = None,
    *,
    include_images: bool = True,
) -> int:
    """Write the WARC file (gzip per record); returns the number of response records."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    count = 0
    with open(target, "wb") as fh:
        writer = WARCWriter(fh, gzip=target.suffix == ".gz")
        info = {
            "software": f"dwarchive/{__version__}",
            "format": "WARC File Format 1.0",
            "description": "Raw responses stored by dwarchive"
            + (f" for journal {journal}" if journal else ""),
        }
        writer.write_record(writer.create_warcinfo_record(target.name, info))
        for row in read_queries.stored_pages(conn, journal):
            writer.write_record(_response(writer, row, now))
            count += 1
        if include_images:
            for row in read_queries.stored_image_responses(conn, journal):
                writer.write_record(_response(writer, row, now))
                count += 1
    return count


def export_warc(conn: sqlite3.Connection, out_dir: Path, journal: str | None = None) -> int:
    """Write `<out>/archive.warc.gz` (checked to stay inside `out_dir`, symlinks included);
    returns the number of response records."""
    return write_warc(conn, paths.OutDir(out_dir).path(WARC_NAME), journal)


__all__ = ["WARC_NAME", "export_warc", "http_headers", "status_line", "warc_date", "write_warc"]
