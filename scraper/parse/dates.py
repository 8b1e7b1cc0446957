"""Dates and times as core2 prints them, normalised to 'YYYY-MM-DDTHH:MM' (no zone conversion).

core2 date formats (styles/core2.s2 lang_fmt_date_*), all supported in entry, comment and
'Page generated' dates:

    iso                 2010-04-30              short_dayfirst_full  30/04/2010
    short               4/30/10                 med                  Apr. 30th, 2010
    short_dayfirst      30/4/10                 med_dayfirst         30 Apr 2010
    med_day_iso         2010-Apr-30, Friday     med_day              Fri, Apr. 30th, 2010
    long                April 30th, 2010        long_dayfirst        30 April 2010
    long_day            Friday, April 30th, 2010
    long_day_dayfirst   Friday, 30 April 2010

times: short '08:15 am' (also '9:00pm'), short_24 '21:00'; comment times carry ' (UTC)' or
' (local)'. On recent/entry/day pages an entry's date is linkified (each date part links to its
archive page: the day part to /YYYY/MM/DD/), which settles the date without reading the words.

The only ambiguity is short vs short_dayfirst ('4/5/25'); callers resolve it per page.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .html import Node, attr, css_all, guarded, has_class, norm, text_of
from .urls import day_from_url

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}  # fmt: skip

_TIME_12 = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([aApP])\.?\s*[mM]\b\.?")
_TIME_24 = re.compile(r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_ISO_MON = re.compile(r"(?<!\d)(\d{4})-([A-Za-z]{3,9})\.?-(\d{1,2})(?!\d)")
_SLASH = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?!\d)")
_WORD = re.compile(r"[A-Za-z]+")
_DAYNUM = re.compile(r"(?<![\d:/-])(\d{1,2})(?:st|nd|rd|th)?(?![\d:/-])", re.IGNORECASE)
_YEAR4 = re.compile(r"(?<![\d:/-])(\d{4})(?![\d:/-])")
_ZONE = re.compile(r"\((UTC|local|GMT)\)", re.IGNORECASE)


@dataclass(frozen=True)
class DateReading:
    """One possible reading of a date text."""

    date: str  # 'YYYY-MM-DD'
    time: str | None  # 'HH:MM' or None when no time is shown
    dayfirst: bool | None  # for d/m/y texts: which order this reading assumes; None otherwise

    @property
    def value(self) -> str:
        return f"{self.date}T{self.time}" if self.time else self.date


def _two_digit_year(yy: int) -> int:
    return 2000 + yy if yy < 70 else 1900 + yy


def _valid(y: int, m: int, d: int) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1 <= y <= 9999):
        return None
    try:
        _dt.date(y, m, d)
    except ValueError:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def split_time(text: str) -> tuple[str | None, str]:
    """Find the time in `text`: ('HH:MM' or None, the text with the time removed)."""
    m = _TIME_12.search(text)
    if m:
        h, mi = int(m.group(1)), int(m.group(2))
        if 1 <= h <= 12 and 0 <= mi <= 59:
            ap = m.group(4).lower()
            h24 = (h % 12) + (12 if ap == "p" else 0)
            return f"{h24:02d}:{mi:02d}", text[: m.start()] + " " + text[m.end() :]
    for m in _TIME_24.finditer(text):
        h, mi = int(m.group(1)), int(m.group(2))
        if 0 <= h <= 23 and 0 <= mi <= 59:
            return f"{h:02d}:{mi:02d}", text[: m.start()] + " " + text[m.end() :]
    return None, text


@guarded
def date_readings(text: str | None, four_digit_both: bool = False) -> list[DateReading]:
    """Every valid reading of a date/time text in any core2 format ([] when there is no date).

    A d/m/y text with a four-digit year reads day-first (core2's short_dayfirst_full) unless
    `four_digit_both`: then both orders, day-first first (zesty's posted_date_format is a free
    %%dd%%/%%mm%%/%%yyyy%% pattern, zesty/layout.s2:256)."""
    if not text:
        return []
    t = norm(text)
    t = _ZONE.sub(" ", t)
    time, rest = split_time(t)

    m = _ISO.search(rest)
    if m:
        d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return [DateReading(d, time, None)] if d else []

    m = _ISO_MON.search(rest)
    if m:
        mon = MONTHS.get(m.group(2).lower())
        if mon:
            d = _valid(int(m.group(1)), mon, int(m.group(3)))
            return [DateReading(d, time, None)] if d else []

    m = _SLASH.search(rest)
    if m:
        a, b, y_raw = int(m.group(1)), int(m.group(2)), m.group(3)
        y = int(y_raw) if len(y_raw) == 4 else _two_digit_year(int(y_raw))
        out = []
        mf = _valid(y, a, b)
        df = _valid(y, b, a)
        if len(y_raw) == 4 and not four_digit_both:
            # short_dayfirst_full is the only core2 format with a 4-digit year: DD/MM/YYYY
            # (MM/DD/YYYY only when the day-first reading is impossible).
            first = df or mf
            return [DateReading(first, time, None)] if first else []
        if len(y_raw) == 4:
            if df and mf and df != mf:
                return [DateReading(df, time, True), DateReading(mf, time, False)]
            if df or mf:
                order = None if df == mf else bool(df)
                return [DateReading(df or mf or "", time, order)]
            return []
        if mf:
            out.append(DateReading(mf, time, False))
        if df and df != mf:
            out.append(DateReading(df, time, True))
        elif df and df == mf:
            out = [DateReading(mf, time, None)]
        return out

    # month-name formats: one month word, one day number (ordinal or not), one 4-digit year
    mon = None
    for w in _WORD.finditer(rest):
        mon = MONTHS.get(w.group(0).lower())
        if mon:
            rest_wo_month = rest[: w.start()] + " " + rest[w.end() :]
            break
    if not mon:
        return []
    ym = _YEAR4.search(rest_wo_month)
    if not ym:
        return []
    y = int(ym.group(1))
    rest2 = rest_wo_month[: ym.start()] + " " + rest_wo_month[ym.end() :]
    dm = _DAYNUM.search(rest2)
    if not dm:
        return []
    d = _valid(y, mon, int(dm.group(1)))
    return [DateReading(d, time, None)] if d else []


@guarded
def parse_datetime_text(text: str | None, dayfirst: bool | None = None) -> str | None:
    """'YYYY-MM-DDTHH:MM' (or 'YYYY-MM-DD' when no time is shown) for a date text, or None.

    For ambiguous d/m/y texts `dayfirst` chooses; without it month-first ('short') wins for
    two-digit years and day-first ('short_dayfirst_full') for four-digit years.
    """
    readings = date_readings(text)
    if not readings:
        return None
    return choose_reading(readings, dayfirst).value


def choose_reading(readings: Sequence[DateReading], dayfirst: bool | None) -> DateReading:
    """The reading for the page's order; without one, the first (the likelier core2 format)."""
    if len(readings) == 1 or dayfirst is None:
        return readings[0]
    for r in readings:
        if r.dayfirst is dayfirst:
            return r
    return readings[0]


@guarded
def learn_dayfirst(date_text: str | None, true_date: str | None) -> bool | None:
    """Given a shown date text and the date it really is, tell whether d/m/y texts are day-first."""
    if not date_text or not true_date:
        return None
    for r in date_readings(date_text):
        if r.date == true_date and r.dayfirst is not None:
            return r.dayfirst
    return None


def _day_link(node: Node) -> str | None:
    for a in css_all(node, "a[href]"):
        day = day_from_url(attr(a, "href"))
        if day:
            return day
    return None


@guarded
def parse_entry_datetime(
    datetime_node: Node | None, dayfirst: bool | None = None
) -> tuple[str | None, str]:
    """(posted_at, date_text) of an entry's span.datetime (or any node holding date and time).

    The date comes from the link to /YYYY/MM/DD/ when the page linkified it (one link around the
    whole date, or one link per date part); otherwise from the text in any core2 format.
    """
    if datetime_node is None:
        return None, ""
    date_text = text_of(datetime_node)
    date_node = None
    time_node = None
    for n in css_all(datetime_node, "span"):
        if date_node is None and has_class(n, "date"):
            date_node = n
        elif time_node is None and has_class(n, "time"):
            time_node = n
    day = _day_link(date_node if date_node is not None else datetime_node)
    if time_node is not None:
        time, _ = split_time(text_of(time_node))
        if time is None:
            time, _ = split_time(date_text)
    else:
        time, _ = split_time(date_text)
    if day:
        return (f"{day}T{time}" if time else day), date_text
    readings = date_readings(text_of(date_node) if date_node is not None else date_text)
    if not readings:
        return None, date_text
    r = choose_reading(readings, dayfirst)
    return (f"{r.date}T{time}" if time else r.date), date_text


@guarded
def resolve_dayfirst(
    texts: Sequence[str | None],
    not_before: str | None = None,
    hint: bool | None = None,
    not_after: str | None = None,
    near: str | None = None,
    pairs: Sequence[tuple[int, int]] = (),
    four_digit_both: bool = False,
    default: bool = False,
) -> bool | None:
    """Decide day-first vs month-first for all d/m/y dates (two-digit years) of one page.

    A first number > 12 anywhere settles it (day-first), a second number > 12 month-first.
    Otherwise each order is scored: dates before `not_before` (the entry's date minus a day) or
    after `not_after` (the page's generation date plus a day) and replies dated before their
    parent (`pairs` of (parent index, child index) into `texts`) count against it; then the order
    whose dates lie clearly nearer `near` (the entry's date) wins; then `hint` (learnt from the
    page's linkified entry dates); then `default` (month-first: 'short', core2's order).
    `four_digit_both` reads d/m/yyyy texts both ways too (see date_readings).
    """
    all_readings = [date_readings(t, four_digit_both) if t else [] for t in texts]
    ambiguous: list[int] = []
    for i, readings in enumerate(all_readings):
        orders = {r.dayfirst for r in readings}
        if orders == {True}:
            return True  # only the day-first reading is a date: first number > 12
        if orders == {False}:
            return False
        if True in orders and False in orders:
            ambiguous.append(i)
    if not ambiguous:
        return hint

    def value(i: int, dayfirst: bool) -> str | None:
        readings = all_readings[i]
        if not readings:
            return None
        return choose_reading(readings, dayfirst).value

    near_day = _ordinal(near)
    scores: dict[bool, tuple[int, int]] = {}
    for dayfirst in (False, True):
        violations = 0
        distance = 0
        for i in ambiguous:
            v = value(i, dayfirst) or ""
            if not_before and v[:10] < not_before:
                violations += 1
            if not_after and v[:10] > not_after:
                violations += 1
            if near_day is not None:
                d = _ordinal(v)
                if d is not None:
                    distance += abs(d - near_day)
        for parent, child in pairs:
            if 0 <= parent < len(texts) and 0 <= child < len(texts):
                vp, vc = value(parent, dayfirst), value(child, dayfirst)
                if vp and vc and vc < vp:
                    violations += 1
        scores[dayfirst] = (violations, distance)
    if scores[True][0] != scores[False][0]:
        return scores[True][0] < scores[False][0]
    d_true, d_false = scores[True][1], scores[False][1]
    if near_day is not None and d_true != d_false:
        small, large = sorted((d_true, d_false))
        if small * 2 < large:
            return d_true < d_false
    if hint is not None:
        return hint
    return default


def _ordinal(date: str | None) -> int | None:
    if not date:
        return None
    try:
        return _dt.date.fromisoformat(date[:10]).toordinal()
    except ValueError:
        return None


def day_after(date: str | None) -> str | None:
    if not date:
        return None
    try:
        d = _dt.date.fromisoformat(date[:10])
        return (d + _dt.timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):
        return date[:10]


def day_before(date: str | None) -> str | None:
    if not date:
        return None
    try:
        d = _dt.date.fromisoformat(date[:10])
    except ValueError:
        return None
    try:
        return (d - _dt.timedelta(days=1)).isoformat()
    except OverflowError:
        return d.isoformat()
