"""The journal at a glance, as inline SVG for the HTML export's index (no JavaScript, so the
export's Content-Security-Policy stays strict): a posting-calendar heat map per year, entries and
comments per month, and a tag cloud.

* `heatmap_svg`: one `<rect>` per day of the year (365 or 366), weeks as columns (Monday on
  top), the colour from the number of entries that day; each cell carries `data-date`,
  `data-count` and a `<title>` tooltip, and days with entries link to their day page.
* `monthly_svg`: two bar charts on one time axis, entries per month above, comments per month
  below, every month from the first to the last (empty months included); bars carry
  `data-month`/`data-count` and a tooltip.
* `tag_cloud`: tags as links, five sizes by the logarithm of their use count.

The functions take plain counts and return markup; export_html collects the counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from html import escape

CELL = 11
STEP = 13
HEAT_COLOURS = ("#ebedf0", "#c6e48b", "#7bc96f", "#239a3b", "#196127")
ENTRY_COLOUR = "#1a5b8a"
COMMENT_COLOUR = "#c47d12"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LEFT, _TOP = 30, 16


def _entries(n: int) -> str:
    return f"{n} {'entry' if n == 1 else 'entries'}"


def _comments(n: int) -> str:
    return f"{n} {'comment' if n == 1 else 'comments'}"


def heat_colour(count: int) -> str:
    """Colour of a day with `count` entries (0, 1, 2, 3, 4 or more)."""
    return HEAT_COLOURS[min(max(count, 0), len(HEAT_COLOURS) - 1)]


def heatmap_svg(
    year: int, counts: Mapping[str, int], link: Callable[[str], str | None] | None = None
) -> str:
    """The posting calendar of `year`: `counts` maps 'YYYY-MM-DD' to entries that day."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    offset = first.weekday()  # Monday = 0: the first column starts on the Monday before Jan 1
    weeks = (offset + days + 6) // 7
    width, height = _LEFT + weeks * STEP + 4, _TOP + 7 * STEP + 22
    total = sum(counts.get((first + timedelta(n)).isoformat(), 0) for n in range(days))
    active = sum(1 for n in range(days) if counts.get((first + timedelta(n)).isoformat(), 0))
    label = f"{year}: {_entries(total)} on {active} {'day' if active == 1 else 'days'}"
    out = [
        (
            f'<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
            f' width="{width}" height="{height}" role="img" aria-label="{escape(label)}"'
            f' data-year="{year}">'
        )
    ]
    for month in range(12):
        week = (offset + (date(year, month + 1, 1) - first).days) // 7
        out.append(
            f'<text x="{_LEFT + week * STEP}" y="{_TOP - 5}" class="axis">{_MONTHS[month]}</text>'
        )
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        out.append(f'<text x="0" y="{_TOP + row * STEP + CELL - 1}" class="axis">{name}</text>')
    for n in range(days):
        day = first + timedelta(n)
        iso = day.isoformat()
        count = counts.get(iso, 0)
        column, row = divmod(offset + n, 7)
        cell = (
            f'<rect x="{_LEFT + column * STEP}" y="{_TOP + row * STEP}" width="{CELL}"'
            f' height="{CELL}" rx="2" fill="{heat_colour(count)}" data-date="{iso}"'
            f' data-count="{count}"><title>{iso}: '
            f"{_entries(count)}</title></rect>"
        )
        target = link(iso) if (link and count) else None
        out.append(f'<a href="{escape(target)}">{cell}</a>' if target else cell)
    legend_y = _TOP + 7 * STEP + 8
    x0 = width - 5 * STEP - 34
    out.append(f'<text x="{x0 - 4}" y="{legend_y + 9}" class="axis" text-anchor="end">Less</text>')
    for n, colour in enumerate(HEAT_COLOURS):
        out.append(
            f'<rect x="{x0 + n * STEP}" y="{legend_y}" width="{CELL}" height="{CELL}" rx="2"'
            f' fill="{colour}"/>'
        )
    out.append(f'<text x="{x0 + 5 * STEP + 2}" y="{legend_y + 9}" class="axis">More</text>')
    out.append(f'<text x="{_LEFT}" y="{legend_y + 10}" class="year">{escape(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def month_range(months: list[str]) -> list[str]:
    """Every 'YYYY-MM' from the first to the last of `months` (empty list for none)."""
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def monthly_svg(entries: Mapping[str, int], comments: Mapping[str, int]) -> str:
    """Entries per month (bars up) and comments per month (bars below), 'YYYY-MM' -> count."""
    months = month_range([m for m in (*entries, *comments) if m[:4].isdigit()])
    if not months:
        return ""
    bar = max(3, min(14, 720 // len(months)))
    chart_h = 60
    width = _LEFT + len(months) * bar + 10
    height = 2 * chart_h + 52
    top_max = max(entries.values(), default=0) or 1
    bottom_max = max(comments.values(), default=0) or 1
    base_top, base_bottom = 14 + chart_h, 14 + chart_h + 24
    out = [
        (
            f'<svg class="monthly" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
            f' width="{width}" height="{height}" role="img"'
            ' aria-label="Entries and comments per month">'
        ),
        (
            f'<text x="0" y="10" class="axis">entries per month (most: {max(entries.values(), default=0)})'
            "</text>"
        ),
        (
            f'<text x="0" y="{height - 2}" class="axis">comments per month (most: '
            f"{max(comments.values(), default=0)})</text>"
        ),
        f'<line x1="{_LEFT}" y1="{base_top}" x2="{width - 10}" y2="{base_top}" class="base"/>',
        (
            f'<line x1="{_LEFT}" y1="{base_bottom}" x2="{width - 10}" y2="{base_bottom}"'
            ' class="base"/>'
        ),
    ]
    for n, month in enumerate(months):
        x = _LEFT + n * bar
        if month.endswith("-01") or n == 0:
            out.append(f'<text x="{x}" y="{base_top + 16}" class="axis">{month[:4]}</text>')
        e, c = entries.get(month, 0), comments.get(month, 0)
        h_e = round(chart_h * e / top_max)
        h_c = round(chart_h * c / bottom_max)
        out.append(
            f'<rect x="{x}" y="{base_top - h_e}" width="{bar - 1}" height="{h_e}"'
            f' fill="{ENTRY_COLOUR}" class="entries" data-month="{month}" data-count="{e}">'
            f"<title>{month}: {_entries(e)}</title></rect>"
        )
        out.append(
            f'<rect x="{x}" y="{base_bottom}" width="{bar - 1}" height="{h_c}"'
            f' fill="{COMMENT_COLOUR}" class="comments" data-month="{month}" data-count="{c}">'
            f"<title>{month}: {_comments(c)}</title></rect>"
        )
    out.append("</svg>")
    return "".join(out)


def tag_cloud(counts: Mapping[str, int], link: Callable[[str], str]) -> str:
    """Tags in alphabetical order, sized t1..t5 by log(uses)."""
    if not counts:
        return ""
    top = math.log(max(counts.values()) + 1)
    items = []
    for tag in sorted(counts, key=str.casefold):
        size = 1 + round(4 * math.log(counts[tag] + 1) / top) if top else 1
        items.append(
            f'<a class="t{min(size, 5)}" href="{escape(link(tag))}" '
            f'title="{_entries(counts[tag])}">'
            f"{escape(tag)}</a>"
        )
    return '<p class="tag-cloud">' + " ".join(items) + "</p>"


__all__ = ["heat_colour", "heatmap_svg", "month_range", "monthly_svg", "tag_cloud"]
