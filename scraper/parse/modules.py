"""Sidebar and footer modules of an S2 journal page -> SidebarRecord.

Modules are `<div class="module-NAME module">` (core2 open_module) anywhere on the page (layouts
move them between #secondary, #tertiary and the header); each is recognised by its NAME class.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from ..records import CalendarDay, SidebarRecord, TagCount
from .dates import MONTHS, parse_datetime_text
from .html import (
    Node,
    PageInput,
    ParsedPage,
    attr,
    classes,
    css_all,
    first_int,
    guarded,
    in_user_content,
    outer_html,
    parse_html,
    text_of,
)
from .rendering import Rendering
from .tags import extract_tags
from .urls import day_from_url, month_from_url
from .users import userpic_keyword

_MODULE_CLASS = re.compile(r"^module-([A-Za-z0-9_]+)$")


def find_modules(root: Node | None) -> dict[str, Node]:
    """name -> first module node ('userprofile', 'calendar', 'tags_list', 'credit', ...)."""
    out: dict[str, Node] = {}
    for n in css_all(root, ".module"):
        if in_user_content(n):
            continue
        for c in classes(n):
            m = _MODULE_CLASS.match(c)
            if m and m.group(1) not in ("content", "header", "list", "list-item", "wrapper"):
                out.setdefault(m.group(1), n)
    return out


def _profile(mod: Node | None) -> dict[str, Any]:
    if mod is None:
        return {}
    out: dict[str, Any] = {}
    name = mod.css_first(".journal-name")
    if name is not None:
        out["profile_display_name"] = text_of(name) or None
    img = mod.css_first(".userpic img") or mod.css_first("img")
    if img is not None:
        out["profile_userpic_url"] = attr(img, "src") or None
        out["profile_userpic_keyword"] = userpic_keyword(img)
    site = mod.css_first(".journal-website-name a[href]")
    if site is not None:
        out["profile_website_name"] = text_of(site) or None
        out["profile_website_url"] = attr(site, "href") or None
    return out


def _month_from_header(text: str) -> str | None:
    words = re.findall(r"[A-Za-z]+", text)
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", text)
    mon = next((MONTHS[w.lower()] for w in words if w.lower() in MONTHS), None)
    if mon and years:
        return f"{int(years[0]):04d}-{mon:02d}"
    return None


def _calendar(mod: Node | None) -> dict[str, Any]:
    if mod is None:
        return {}
    days: dict[str, int] = {}
    month = None
    for a in css_all(mod, "a[href]"):
        href = attr(a, "href")
        day = day_from_url(href)
        if day:
            if day not in days:
                n = first_int(attr(a, "title"))
                days[day] = n if n is not None else 1
            continue
        mon = month_from_url(href)
        if mon and month is None:
            month = mon
    if month is None and days:
        # the month the most days belong to
        counts: dict[str, int] = {}
        for d in days:
            counts[d[:7]] = counts.get(d[:7], 0) + 1
        month = max(counts, key=lambda k: counts[k])
    if month is None:
        header = mod.css_first(".module-header")
        month = _month_from_header(text_of(header)) if header is not None else None
    out = {
        "calendar_month": month,
        "calendar_days": tuple(CalendarDay(d, n) for d, n in sorted(days.items())),
    }
    return out


# The tags module is the same on every page of a journal (and the costliest module to read), so
# its reading is kept per module HTML: extract_tags reads only the subtree it is given, so equal
# HTML gives equal tags, whether read from the page or from that HTML parsed on its own. A few
# entries cover the journals of one run.
@functools.lru_cache(maxsize=8)
def tags_of_module_html(html: str) -> tuple[TagCount, ...]:
    body = LexborHTMLParser(html).body
    content = body.css_first("*") if body is not None else None
    return tuple(extract_tags(content))


def _tags(mods: dict[str, Node]) -> dict[str, Any]:
    for key in ("tags_list", "tags_cloud", "tags_multilevel"):
        mod = mods.get(key)
        if mod is None:
            continue
        content = mod.css_first(".module-content") or mod
        header = mod.css_first(".module-header")
        htext = text_of(header).lower()
        limited = "popular" in htext or "most" in htext
        return {"tags": tags_of_module_html(outer_html(content)), "tags_module_limited": limited}
    return {}


def _zesty_calendar(tree: ParsedPage) -> dict[str, Any]:
    """zesty's mini calendar (lay_print_mini_calendar_box, zesty/layout.s2:1790): the latest month
    with entries, in a footer box, each day's entry count as the link text (:1708)."""
    days: dict[str, int] = {}
    for a in css_all(tree, "#extra table.month td a[href]"):
        day = day_from_url(attr(a, "href"))
        n = first_int(text_of(a))
        if day and n is not None:
            days.setdefault(day, n)
    if not days:
        return {}
    months = sorted({d[:7] for d in days})
    return {
        "calendar_month": months[-1],
        "calendar_days": tuple(CalendarDay(d, n) for d, n in sorted(days.items())),
    }


def _credit(mod: Node | None) -> tuple[tuple[str, str | None], ...]:
    if mod is None:
        return ()
    items = []
    lis = css_all(mod, "li")
    for li in lis:
        label = text_of(li)
        if not label:
            continue
        a = li.css_first("a[href]")
        items.append((label, attr(a, "href") if a is not None else None))
    if not items:
        content = mod.css_first(".module-content")
        label = text_of(content)
        if label:
            a = content.css_first("a[href]") if content is not None else None
            items.append((label, attr(a, "href") if a is not None else None))
    return tuple(items)


@guarded
def parse_sidebar(html: PageInput, dayfirst: bool | None = None) -> SidebarRecord:
    """Profile, calendar, tags, style credit and cut-tag modules; 'Page generated'; branding.

    `dayfirst` settles 'Page generated' dates in an ambiguous d/m/y format (learnt by the page
    parsers from the linkified entry dates).
    """
    tree = parse_html(html)
    mods = find_modules(tree.root)
    fields: dict[str, Any] = {}
    fields.update(_profile(mods.get("userprofile")))
    fields.update(_calendar(mods.get("calendar")))
    if tree.rendering is Rendering.ZESTY:
        fields.update(_zesty_calendar(tree))
    fields.update(_tags(mods))

    load = tree.css_first("#load-time")
    if load is not None:
        shown = text_of(load)
        fields["page_generated"] = shown or None
        fields["page_generated_at"] = parse_datetime_text(shown, dayfirst) if shown else None

    brand = tree.css_first("#site-branding")
    if brand is not None:
        a = brand.css_first("a")
        fields["powered_by"] = (text_of(a) if a is not None else text_of(brand)) or None

    fields["style_credit"] = _credit(mods.get("credit"))
    cut = mods.get("cuttagcontrols")
    if cut is not None:
        content = cut.css_first(".module-content") or cut
        fields["cut_tags_text"] = text_of(content) or None
    return SidebarRecord(**fields)
