"""The HTML export's overview pages: the index (each journal at a glance, then the entries by
month), every tag and each tag's entries, and one page per day with entries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape
from urllib.parse import quote

from .html_entry import IndexItem
from .html_page import day_path, entry_path, page, tag_slug
from .pictures import heatmap_svg, monthly_svg, tag_cloud


def _entry_item(item: IndexItem, root: str, show_journal: bool) -> str:
    journal = f"{escape(item.journal)}: " if show_journal else ""
    comments = f" ({item.comments})" if item.comments else ""
    return (
        f'<li><span class="date">{escape(item.day or "")}</span>{journal}'
        f'<a href="{root}{entry_path(item.journal, item.itemid)}">'
        f"{escape(item.title)}</a>{comments}</li>"
    )


def glance_html(journal: str, title: str | None, items: list[IndexItem], root: str = "") -> str:
    """The pictures of one journal: numbers, heat maps (newest year first), months, tags."""
    days: Counter[str] = Counter(i.day for i in items if i.day)
    entry_months: Counter[str] = Counter(i.day[:7] for i in items if i.day)
    comment_months: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for item in items:
        comment_months.update(dict(item.comment_months))
        tags.update(item.tags)
    comments = sum(i.comments for i in items)
    dated = sorted(days)
    span = f" · {dated[0]} to {dated[-1]}" if dated else ""
    heading = "At a glance: " + escape(journal) + (f" · {escape(title)}" if title else "")
    parts = [
        (
            f'<section class="glance" data-journal="{escape(journal)}"><h2 class="glance">{heading}'
            "</h2>"
        ),
        (
            f'<p class="stats">{len(items)} entries · {comments} comments{span} · '
            f"{len(tags)} tags</p>"
        ),
    ]
    for year in sorted({int(d[:4]) for d in dated}, reverse=True):
        in_year = {d: n for d, n in days.items() if d.startswith(f"{year:04d}-")}
        parts.append(heatmap_svg(year, in_year, lambda d: f"{root}{day_path(journal, d)}"))
    parts.append(monthly_svg(entry_months, comment_months))
    parts.append(tag_cloud(tags, lambda t: f"{root}tags/{quote(tag_slug(t))}.html"))
    parts.append("</section>")
    return "".join(parts)


def index_page(
    summaries: list[IndexItem],
    show_journal: bool,
    titles: dict[str, str | None] | None = None,
) -> str:
    titles = titles or {}
    by_journal: dict[str, list[IndexItem]] = defaultdict(list)
    by_month: dict[str, list[IndexItem]] = defaultdict(list)
    for item in summaries:
        by_journal[item.journal].append(item)
        by_month[item.month].append(item)
    glance = "".join(glance_html(j, titles.get(j), items) for j, items in by_journal.items())
    sections = [
        f'<h2 class="month" id="m{escape(month)}">{escape(month)}</h2><ul class="entries">'
        + "".join(_entry_item(v, "", show_journal) for v in by_month[month])
        + "</ul>"
        for month in sorted(by_month, reverse=True)
    ]
    months = " ".join(
        f'<a href="#m{escape(m)}">{escape(m)}</a>' for m in sorted(by_month, reverse=True)
    )
    heading = titles.get(next(iter(by_journal), ""), None) if len(by_journal) == 1 else None
    body = (
        f"<h1>{escape(heading or 'Journal archive')}</h1>{glance}"
        f'<h2 id="by-month">Entries by month</h2><p class="meta">{months}</p>' + "".join(sections)
    )
    return page(heading or "Entries by month", body, "")


def tag_pages(summaries: list[IndexItem], show_journal: bool) -> dict[str, str]:
    """File name under tags/ -> page, including index.html."""
    by_tag: dict[str, list[IndexItem]] = defaultdict(list)
    for view in summaries:
        for tag in view.tags:
            by_tag[tag].append(view)
    pages = {}
    for tag, views in by_tag.items():
        items = "".join(_entry_item(v, "../", show_journal) for v in reversed(views))
        pages[f"{tag_slug(tag)}.html"] = page(
            f"Tag: {tag}", f'<h1>Tag: {escape(tag)}</h1><ul class="entries">{items}</ul>', "../"
        )
    listing = "".join(
        f'<li><a href="{quote(tag_slug(t))}.html">{escape(t)}</a> ({len(by_tag[t])})</li>'
        for t in sorted(by_tag, key=str.casefold)
    )
    pages["index.html"] = page("Tags", f'<h1>Tags</h1><ul class="entries">{listing}</ul>', "../")
    return pages


def day_pages(summaries: list[IndexItem], show_journal: bool) -> dict[str, str]:
    """Path under the export root -> page, one per journal and day with entries, each linking
    to the previous and next day with entries."""
    by_day: dict[tuple[str, str], list[IndexItem]] = defaultdict(list)
    for item in summaries:
        if item.day:
            by_day[(item.journal, item.day)].append(item)
    pages = {}
    keys = sorted(by_day)
    for n, (journal, day) in enumerate(keys):
        root = "../../"
        links = []
        if n > 0 and keys[n - 1][0] == journal:
            before = keys[n - 1][1]
            links.append(f'<a rel="prev" href="{root}{day_path(journal, before)}">← {before}</a>')
        if n + 1 < len(keys) and keys[n + 1][0] == journal:
            after = keys[n + 1][1]
            links.append(f'<a rel="next" href="{root}{day_path(journal, after)}">{after} →</a>')
        items = "".join(_entry_item(i, root, show_journal) for i in by_day[(journal, day)])
        body = (
            f"<h1>{escape(journal)}: {day}</h1>"
            f'<ul class="entries">{items}</ul><nav class="sequence">{"".join(links)}</nav>'
        )
        pages[day_path(journal, day)] = page(f"{journal}: {day}", body, root)
    return pages


__all__ = ["day_pages", "glance_html", "index_page", "tag_pages"]
