"""Dates and times the way core2 prints them: every entry/comment date and time format.

Formats are core2's `lang_fmt_date_*` / `lang_fmt_time_*` patterns (styles/core2.s2); a
"linkified" date (recent, entry, reply and day views) wraps each date part in its own link the
way LJ::S2 `Date__date_format` does: day parts (d, dd, dayord) link to /YYYY/MM/DD/, month
parts (m, mm, mon, month) to /YYYY/MM/, year parts (yy, yyyy) to /YYYY/, all root-relative.
"""

from __future__ import annotations

import html
from datetime import datetime

DATE_FORMATS: dict[str, str] = {
    "iso": "%%yyyy%%-%%mm%%-%%dd%%",
    "short": "%%m%%/%%d%%/%%yy%%",
    "short_dayfirst": "%%d%%/%%m%%/%%yy%%",
    "short_dayfirst_full": "%%dd%%/%%mm%%/%%yyyy%%",
    "med": "%%mon%%. %%dayord%%, %%yyyy%%",
    "med_dayfirst": "%%d%% %%mon%% %%yyyy%%",
    "med_day_iso": "%%yyyy%%-%%mon%%-%%dd%%, %%day%%",
    "med_day": "%%da%%, %%mon%%. %%dayord%%, %%yyyy%%",
    "long": "%%month%% %%dayord%%, %%yyyy%%",
    "long_dayfirst": "%%d%% %%month%% %%yyyy%%",
    "long_day": "%%day%%, %%month%% %%dayord%%, %%yyyy%%",
    "long_day_dayfirst": "%%day%%, %%d%% %%month%% %%yyyy%%",
}
TIME_FORMATS: dict[str, str] = {
    "short": "%%hh%%:%%min%% %%a%%m",
    "short_24": "%%HH%%:%%min%%",
}
MONTH_FORMATS: dict[str, str] = {
    "short": "%%m%%/%%yy%%",
    "med": "%%mon%% %%yyyy%%",
    "long": "%%month%% %%yyyy%%",
    "month": "%%month%%",
    "year": "%%yyyy%%",
}

MONTHS_LONG = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_SHORT = [
    "",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]
DAYS_LONG = ["", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
DAYS_SHORT = ["", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
DAYS_SHORTER = ["", "S", "M", "T", "W", "T", "F", "S"]


def ordinal(num: int) -> str:
    """core2 lang_ordinal: 1st, 2nd, 3rd, 4th, 11th, 21st ..."""
    if 4 <= num % 100 <= 20:
        return f"{num}th"
    return f"{num}" + {1: "st", 2: "nd", 3: "rd"}.get(num % 10, "th")


def _dow(moment: datetime) -> int:
    """Day of week 1 (Sunday) .. 7 (Saturday)."""
    return (moment.weekday() + 1) % 7 + 1


def _var(code: str, t: datetime) -> str:
    hour12 = t.hour % 12 or 12
    values = {
        "m": str(t.month),
        "mm": f"{t.month:02d}",
        "d": str(t.day),
        "dd": f"{t.day:02d}",
        "yy": f"{t.year % 100:02d}",
        "yyyy": str(t.year),
        "mon": MONTHS_SHORT[t.month],
        "month": MONTHS_LONG[t.month],
        "da": DAYS_SHORT[_dow(t)],
        "day": DAYS_LONG[_dow(t)],
        "dayord": ordinal(t.day),
        "H": str(t.hour),
        "HH": f"{t.hour:02d}",
        "h": str(hour12),
        "hh": f"{hour12:02d}",
        "min": f"{t.minute:02d}",
        "sec": f"{t.second:02d}",
        "a": "a" if t.hour < 12 else "p",
        "A": "A" if t.hour < 12 else "P",
    }
    return values.get(code, "")


def _link_for(code: str, t: datetime) -> str | None:
    if code in ("d", "dd", "dayord"):
        return f"/{t.year}/{t.month:02d}/{t.day:02d}/"
    if code in ("m", "mm", "mon", "month"):
        return f"/{t.year}/{t.month:02d}/"
    if code in ("yy", "yyyy"):
        return f"/{t.year}/"
    return None


def apply_pattern(pattern: str, t: datetime, linkify: bool = False) -> str:
    """Expand a %%var%% pattern; literal parts are HTML-escaped like the site does."""
    out: list[str] = []
    for i, part in enumerate(pattern.split("%%")):
        if i % 2 == 0:
            out.append(html.escape(part, quote=True))
            continue
        value = _var(part, t)
        link = _link_for(part, t) if linkify else None
        out.append(f'<a href="{link}">{value}</a>' if link else value)
    return "".join(out)


def format_date(t: datetime, fmt: str, linkify: bool = False) -> str:
    return apply_pattern(DATE_FORMATS.get(fmt, DATE_FORMATS["iso"]), t, linkify)


def format_time(t: datetime, fmt: str) -> str:
    return apply_pattern(TIME_FORMATS.get(fmt, TIME_FORMATS["short"]), t)


def format_month(year: int, month: int, fmt: str = "long") -> str:
    return apply_pattern(MONTH_FORMATS[fmt], datetime(year, month, 1))


def plural(n: int, phrase: str) -> str:
    """core2 get_plural_phrase for 'one // many' phrases with '#' standing for the number."""
    one, sep, many = phrase.partition(" // ")
    chosen = one if (n == 1 or not sep) else many
    return chosen.replace("#", f"{n}")


def secs_to_string(seconds: int) -> str:
    """core2 secs_to_string: '3 hours' after the entry etc."""
    if seconds < 60:
        return plural(seconds, "1 second // # seconds")
    if seconds < 3600:
        return plural(seconds // 60, "1 minute // # minutes")
    if seconds < 86400:
        return plural(seconds // 3600, "1 hour // # hours")
    return plural(seconds // 86400, "1 day // # days")
