"""Shared helpers for the parser tests: fixture loading and page mutations for hypothesis."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# A few hundred examples per parser, reproducible, no per-example deadline (CI machines vary).
FUZZ = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_TAG = re.compile(r"<[^<>]*>")
_ATTR_VALUE = re.compile(r"""(=\s*)(["'])(.*?)\2""", re.DOTALL)

OPS = (
    "truncate",
    "delete_tag",
    "duplicate_tag",
    "swap_tags",
    "delete_span",
    "duplicate_span",
    "insert_text",
    "change_attr",
    "shuffle_block",
)

op_strategy = st.tuples(
    st.sampled_from(OPS),
    st.integers(min_value=0, max_value=10**7),
    st.integers(min_value=0, max_value=10**7),
    st.text(max_size=12),
)
ops_strategy = st.lists(op_strategy, min_size=1, max_size=6)


def mutate(html: str, ops) -> str:
    """Apply structural damage: delete/duplicate/swap tags, truncate, cut and paste spans..."""
    for op, a, b, text in ops:
        n = len(html)
        if n == 0:
            html = text
            continue
        if op == "truncate":
            html = html[: a % n]
        elif op in ("delete_tag", "duplicate_tag", "swap_tags"):
            tags = list(_TAG.finditer(html))
            if not tags:
                continue
            t = tags[a % len(tags)]
            if op == "delete_tag":
                html = html[: t.start()] + html[t.end() :]
            elif op == "duplicate_tag":
                html = html[: t.end()] + t.group(0) + html[t.end() :]
            else:
                u = tags[b % len(tags)]
                if u.start() == t.start():
                    continue
                first, second = sorted((t, u), key=lambda m: m.start())
                if first.end() > second.start():
                    continue
                html = (
                    html[: first.start()]
                    + second.group(0)
                    + html[first.end() : second.start()]
                    + first.group(0)
                    + html[second.end() :]
                )
        elif op == "delete_span":
            i, j = sorted((a % n, b % n))
            html = html[:i] + html[min(j, i + 4000) :]
        elif op == "duplicate_span":
            i = a % n
            j = min(n, i + (b % 3000))
            html = html[:j] + html[i:j] + html[j:]
        elif op == "insert_text":
            i = a % n
            html = html[:i] + text + html[i:]
        elif op == "change_attr":
            vals = list(_ATTR_VALUE.finditer(html))
            if not vals:
                continue
            v = vals[a % len(vals)]
            html = html[: v.start(3)] + text.replace(v.group(2), "") + html[v.end(3) :]
        elif op == "shuffle_block":
            # move a chunk of markup somewhere else
            i = a % n
            j = min(n, i + (b % 2000))
            chunk = html[i:j]
            rest = html[:i] + html[j:]
            k = (a // 7) % (len(rest) + 1)
            html = rest[:k] + chunk + rest[k:]
    return html


html_fragments = st.lists(
    st.sampled_from(
        [
            "<div class='entry-wrapper' id='entry-wrapper-12'>",
            "<div class='entry-content'>",
            "<div class='comment-thread' data-comment-depth='2'>",
            "<div id='cmt5' class='dwexpcomment'>",
            "<div class='comment' id='comment-cmt5'>",
            "<div class='comment-wrapper partial deleted'>",
            "<span class='datetime'><span class='date'><a href='/2025/13/45/'>x</a></span>",
            "<a href='/12.html#cutid1'>",
            "<h3 class='entry-title'>",
            "<span lj:user='x' class='ljuser'>",
            "<li class='page-back'><a href='/?skip=abc'>",
            "<td class='day-has-entries'><a href='/2025/02/30/'>7</a></td>",
            "<div id='archive-year'>",
            "<div class='tags-container'><ul class='ljtaglist'><li><a href='/tag/%ZZ'>t</a> [9]",
            "<div id='profile_page'><div class='details_stats'><p>Created on 2025-99-99 (#9,,9)</p>",
            "<span id='load-time'>Page generated 99/99/99 99:99</span>",
            "</div>",
            "</span>",
            "</a>",
            "text",
            "\x00",
            "&amp;",
            "<!--",
            "<body class='page-entry logged-out'>",
        ]
    ),
    max_size=40,
).map("".join)

any_text = st.one_of(st.text(max_size=300), html_fragments)


def deliberate(exc: BaseException) -> None:
    """A ParseError a parser raised on purpose, with a reason: anything the guard had to turn
    into one (InternalParseError, an exception the parser did not anticipate) is a bug."""
    import pytest

    from scraper.parse import InternalParseError

    if isinstance(exc, InternalParseError):
        pytest.fail(f"not a deliberate ParseError: {exc}")
