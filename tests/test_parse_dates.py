"""Dates in every core2 format (styles/core2.s2 lang_fmt_date_*), linked and unlinked, 12/24h."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from scraper.errors import ParseError
from scraper.parse import (
    date_readings,
    learn_dayfirst,
    parse_datetime_text,
    parse_entry_datetime,
    resolve_dayfirst,
)
from tests.parse_support import FUZZ, any_text, deliberate

# core2.s2 l.3140-3154, verbatim
CORE2_FORMATS = {
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
TIME_FORMATS = {"short": "%%hh%%:%%min%% %%a%%m", "short_24": "%%HH%%:%%min%%"}
MONTH_SHORT = [
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
MONTH_LONG = ["", "January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
DAY_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
DAY_LONG = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def ordinal(n: int) -> str:  # core2 lang_ordinal
    if 4 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}" + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def render(
    fmt: str, y: int, m: int, d: int, hh: int = 21, mi: int = 0, link: str | None = None
) -> str:
    """What S2.pm Date__date_format / DateTime__time_format print (optionally linkified)."""
    import datetime

    wd = datetime.date(y, m, d).weekday()
    values = {
        "m": str(m), "mm": f"{m:02d}", "d": str(d), "dd": f"{d:02d}", "yy": f"{y % 100:02d}",
        "yyyy": str(y), "mon": MONTH_SHORT[m], "month": MONTH_LONG[m], "da": DAY_SHORT[wd],
        "day": DAY_LONG[wd], "dayord": ordinal(d), "HH": f"{hh:02d}", "hh": f"{(hh % 12) or 12:02d}",
        "min": f"{mi:02d}", "a": "a" if hh < 12 else "p",
    }  # fmt: skip
    links = {}
    if link is not None:
        for k in ("d", "dd", "dayord"):
            links[k] = f"{link}/{y}/{m:02d}/{d:02d}/"
        for k in ("m", "mm", "mon", "month"):
            links[k] = f"{link}/{y}/{m:02d}/"
        for k in ("yy", "yyyy"):
            links[k] = f"{link}/{y}/"
    out = []
    for i, part in enumerate(fmt.split("%%")):
        if i % 2:
            v = values[part]
            out.append(f'<a href="{links[part]}">{v}</a>' if part in links else v)
        else:
            out.append(part)
    return "".join(out)


def datetime_node(date_html: str, time_text: str | None):
    time = f' <span class="time">{time_text}</span>' if time_text is not None else ""
    html = f'<span class="datetime"><span class="date">{date_html}</span>{time}</span>'
    return LexborHTMLParser(html).css_first(".datetime")


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("fmt", sorted(CORE2_FORMATS))
@pytest.mark.parametrize("tfmt", sorted(TIME_FORMATS))
@pytest.mark.parametrize(
    "link", [None, "", "https://nairiporter.dreamwidth.org", "http://127.0.0.1:8123"]
)
def test_entry_datetime_every_format(fmt, tfmt, link):
    # Friday 2010-04-30 21:00 (core2's own example date), and a day <= 12 (ambiguous d/m)
    for y, m, d, hh, mi in [
        (2010, 4, 30, 21, 0),
        (2025, 7, 4, 8, 15),
        (2009, 12, 1, 0, 5),
        (2024, 2, 29, 12, 30),
    ]:
        date_html = render(CORE2_FORMATS[fmt], y, m, d, link=link)
        time_text = render(TIME_FORMATS[tfmt], y, m, d, hh, mi)
        node = datetime_node(date_html, time_text)
        dayfirst = True if "dayfirst" in fmt else None
        posted_at, shown = parse_entry_datetime(node, dayfirst)
        assert posted_at == f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mi:02d}", (
            fmt,
            tfmt,
            link,
            date_html,
        )
        assert shown == f"{plain(date_html)} {time_text}"


def test_sample_style_single_link_around_date():
    node = datetime_node(
        '<a href="https://nairiporter.dreamwidth.org/2025/07/04/">Jul. 4th, 2025</a>', "08:15 am"
    )
    assert parse_entry_datetime(node) == ("2025-07-04T08:15", "Jul. 4th, 2025 08:15 am")


def test_link_wins_over_ambiguous_text():
    # short_dayfirst text, month-first default would say April 7th: the day link says July 4th
    node = datetime_node(render(CORE2_FORMATS["short_dayfirst"], 2025, 7, 4, link=""), "21:00")
    assert parse_entry_datetime(node)[0] == "2025-07-04T21:00"
    # unlinked: the caller's hint decides, default is month-first ("short")
    node = datetime_node(render(CORE2_FORMATS["short_dayfirst"], 2025, 7, 4), "21:00")
    assert parse_entry_datetime(node, True)[0] == "2025-07-04T21:00"
    assert parse_entry_datetime(node, None)[0] == "2025-04-07T21:00"


def test_time_variants():
    cases = {
        "9:00pm": "21:00", "09:00 pm": "21:00", "12:00 am": "00:00", "12:30 pm": "12:30",
        "00:00": "00:00", "23:59": "23:59", "8:15 AM": "08:15", "08:15 a.m.": "08:15",
    }  # fmt: skip
    for text, want in cases.items():
        assert parse_datetime_text(f"2025-07-04 {text}") == f"2025-07-04T{want}", text


def test_date_without_time_and_missing_node():
    node = datetime_node('<a href="/2025/07/04/">Jul. 4th, 2025</a>', None)
    assert parse_entry_datetime(node) == ("2025-07-04", "Jul. 4th, 2025")
    assert parse_entry_datetime(None) == (None, "")


def test_comment_date_texts():
    assert parse_datetime_text("2025-07-04 04:02 pm (UTC)") == "2025-07-04T16:02"
    assert parse_datetime_text("2025-07-04 16:02 (local)") == "2025-07-04T16:02"
    assert parse_datetime_text("Fri, Jul. 4th, 2025 04:02 pm (UTC)") == "2025-07-04T16:02"
    assert parse_datetime_text("2025-Jul-04, Friday 16:02 (UTC)") == "2025-07-04T16:02"
    assert parse_datetime_text("4 July 2025 16:02 (UTC)") == "2025-07-04T16:02"
    assert parse_datetime_text("04/07/2025 16:02 (UTC)") == "2025-07-04T16:02"  # dd/mm/yyyy
    assert parse_datetime_text("Page generated Jul. 4th, 2025 06:00 pm") == "2025-07-04T18:00"
    assert parse_datetime_text("Page generated 4/7/25 18:00", dayfirst=True) == "2025-07-04T18:00"


def test_invalid_dates():
    for text in [
        "",
        None,
        "no date here",
        "Feb. 30th, 2025",
        "13/13/25",
        "2025-02-30",
        "Jul. 2025",
        "25:61",
    ]:
        assert parse_datetime_text(text) is None, text


def test_readings_of_ambiguous_and_unambiguous_slashes():
    assert [r.value for r in date_readings("4/7/25 18:00")] == [
        "2025-04-07T18:00",
        "2025-07-04T18:00",
    ]
    assert [r.dayfirst for r in date_readings("4/7/25")] == [False, True]
    assert [r.value for r in date_readings("30/4/10")] == ["2010-04-30"]
    assert [r.value for r in date_readings("5/5/99")] == ["1999-05-05"]


def test_resolve_dayfirst():
    assert resolve_dayfirst(["30/4/10 09:00 pm (UTC)", "4/5/10"]) is True
    assert resolve_dayfirst(["4/30/10 09:00 pm (UTC)", "4/5/10"]) is False
    # both readings valid everywhere: the one not before the entry's date wins
    assert resolve_dayfirst(["3/7/25 14:15 (UTC)", "4/7/25"], not_before="2025-07-01") is True
    assert resolve_dayfirst(["7/3/25 14:15 (UTC)", "7/4/25"], not_before="2025-07-01") is False
    # no evidence: the hint, else month-first; nothing ambiguous: the hint
    assert resolve_dayfirst(["3/4/25"], hint=True) is True
    assert resolve_dayfirst(["3/4/25"]) is False
    assert resolve_dayfirst(["2025-07-04 04:02 pm (UTC)"]) is None


def test_learn_dayfirst():
    assert learn_dayfirst("4/7/25", "2025-07-04") is True
    assert learn_dayfirst("7/4/25", "2025-07-04") is False
    assert learn_dayfirst("Jul. 4th, 2025", "2025-07-04") is None
    assert learn_dayfirst(None, "2025-07-04") is None


@FUZZ
@given(any_text)
def test_fuzz_dates(text):
    for fn in (parse_datetime_text, date_readings):
        try:
            fn(text)
        except ParseError as exc:
            deliberate(exc)
    node = LexborHTMLParser(f"<span class='datetime'>{text}</span>").css_first(".datetime")
    try:
        posted_at, shown = parse_entry_datetime(node)
    except ParseError as exc:
        deliberate(exc)
        return
    assert posted_at is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?", posted_at)
    assert isinstance(shown, str)


@FUZZ
@given(st.lists(st.text(max_size=30), max_size=8), st.one_of(st.none(), st.text(max_size=12)))
def test_fuzz_resolve(texts, not_before):
    try:
        assert resolve_dayfirst(texts, not_before) in (True, False, None)
    except ParseError as exc:
        deliberate(exc)


def test_resolve_dayfirst_by_page_bounds_reply_order_and_nearness():
    # 5/12/25: May 12th or December 5th; the page was generated on 2025-07-04
    assert resolve_dayfirst(["5/12/25 16:14 (UTC)"], not_after="2025-07-05") is False
    assert resolve_dayfirst(["12/5/25 16:14 (UTC)"], not_after="2025-07-05") is True
    # a reply is never older than its parent: 6/5 then 5/6 means May 6th, June 5th (day-first)
    assert resolve_dayfirst(["6/5/25", "5/6/25"], pairs=[(0, 1)]) is True
    assert resolve_dayfirst(["5/6/25", "6/5/25"], pairs=[(0, 1)]) is False
    # clearly nearer the entry's date wins over the hint
    assert resolve_dayfirst(["8/5/25", "9/5/25"], near="2025-05-07", hint=False) is True
    # not clearly nearer: the hint
    assert resolve_dayfirst(["6/6/25", "7/6/25"], near="2025-06-20", hint=True) is True
