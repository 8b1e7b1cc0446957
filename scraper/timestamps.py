"""The one way dwarchive writes and reads its own timestamps: UTC, ISO 8601, 'YYYY-MM-DDTHH:MM:SSZ'.

Every `*_at` column dwarchive sets itself (fetched_at, first_seen_at, started_at...) uses this
form, so they sort as text and read the same everywhere. Dates shown by the journal (posted_at)
are the site's, not these.
"""

from __future__ import annotations

from datetime import UTC, datetime

STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_stamp(moment: datetime | None = None) -> str:
    """`moment` (naive means UTC; default now) as 'YYYY-MM-DDTHH:MM:SSZ'."""
    if moment is None:
        moment = datetime.now(UTC)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


def utc_now() -> str:
    """Now, as a stamp."""
    return utc_stamp()


def parse_stamp(stamp: str | None) -> datetime | None:
    """A stamp (or any ISO 8601 time; naive means UTC) as an aware datetime; None if unreadable."""
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
