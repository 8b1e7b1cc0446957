"""Parse an HTTP Retry-After header (delay-seconds or HTTP-date) into seconds to wait."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait according to `value`, or None when the header is absent or unreadable.

    `value` is either a non-negative number of seconds ("60"; decimals are tolerated) or an
    HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT"), which is read relative to `now` (aware UTC).
    A date in the past gives 0.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        if not math.isfinite(seconds):
            return None
        return max(0.0, seconds)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # "-0000" dates come back naive; HTTP-dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
