"""The journal's Atom and RSS feeds (/data/atom, /data/rss) as LJ::Feed builds them.

The newest 25 entries an anonymous reader may see, by log time; Last-Modified is the newest
edit-or-log time among them (so new comments do not move it, only dw:reply-count changes).
Content is the full entry with cuts shown as links (opt_synlevel "cut", the default).
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from ..comments import shown_count
from ..model import FakeEntry
from .common import PageContext, ljuser, plain_subject
from .entry import cut_link, permalink

FEED_SIZE = 25


def feed_entries(ctx: PageContext) -> list[FakeEntry]:
    return ctx.journal.index.feed[:FEED_SIZE]


def last_modified(ctx: PageContext) -> datetime | None:
    """The feed's Last-Modified: the newest revision or log time of the entries it carries."""
    entries = feed_entries(ctx)
    if not entries:
        return None
    return max(ctx.journal.revtime(e) for e in entries)


def _w3c(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _atom_id(ctx: PageContext) -> str:
    return f"tag:dreamwidth.org,{ctx.journal.created:%Y-%m-%d}:{ctx.journal.userid}"


def _content(ctx: PageContext, entry: FakeEntry) -> str:
    text = entry.body_html + (cut_link(ctx, entry) if entry.cut_html is not None else "")
    if ctx.journal.is_community:
        text = f"Posted by: {ljuser(ctx, entry.poster)}<br /><br />" + text
    count_img = (
        f'<img src="{ctx.site_root}tools/commentcount?user={ctx.journal.name}&amp;ditemid={entry.itemid}" '
        'width="30" height="12" alt="comment count unavailable" style="vertical-align: middle;"/>'
    )
    return text + f"<br /><br />{count_img} comments"


def atom_feed(ctx: PageContext) -> str:
    j = ctx.journal
    entries = feed_entries(ctx)
    updated = last_modified(ctx) or j.page_generated
    ns = ctx.site_root.rstrip("/")
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        (
            "<!-- If you are running a bot please visit this policy page outlining rules you must respect. "
            f"{ctx.site_root}site/bot -->\n"
        ),
        f'<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dw={quoteattr(ns)}'
        + (' xmlns:idx="urn:atom-extension:indexing" idx:index="no"' if j.robots_block else "")
        + ">\n",
        f"  <id>{_atom_id(ctx)}</id>\n",
        f"  <title>{escape(j.title or j.display_name or j.name)}</title>\n",
    ]
    if j.subtitle:
        out.append(f"  <subtitle>{escape(j.subtitle)}</subtitle>\n")
    out += [
        f"  <author>\n    <name>{escape(j.display_name)}</name>\n  </author>\n",
        f'  <link rel="alternate" type="text/html" href={quoteattr(ctx.base_url)}/>\n',
        f'  <link rel="self" type="text/xml" href={quoteattr(ctx.url("/data/atom"))}/>\n',
        f"  <updated>{_w3c(updated)}</updated>\n",
        f'  <dw:journal username="{j.name}" type="{"community" if j.is_community else "personal"}"/>\n',
    ]
    for entry in entries:
        out.append(_atom_entry(ctx, entry))
    out.append("</feed>\n")
    return "".join(out)


def _atom_entry(ctx: PageContext, entry: FakeEntry) -> str:
    j = ctx.journal
    title = plain_subject(entry.subject) or f"{j.name} @ {entry.posted_at:%Y-%m-%dT%H:%M:%S}"
    parts = [
        "  <entry>\n",
        f"    <id>{_atom_id(ctx)}:{entry.itemid}</id>\n",
    ]
    if entry.poster != j.name:
        parts.append(f"    <author>\n      <name>{escape(entry.poster)}</name>\n    </author>\n")
        parts.append(f'    <dw:poster user="{escape(entry.poster)}"/>\n')
    parts += [
        f'    <link rel="alternate" type="text/html" href={quoteattr(permalink(ctx, entry))}/>\n',
        f'    <link rel="self" type="text/xml" href={quoteattr(ctx.url(f"/data/atom/?itemid={entry.itemid}"))}/>\n',
        f"    <title>{escape(title)}</title>\n",
        f"    <published>{_w3c(j.logtime(entry))}</published>\n",
        f"    <updated>{_w3c(j.revtime(entry))}</updated>\n",
    ]
    parts += [f"    <category term={quoteattr(tag)}/>\n" for tag in entry.tags]
    for key, value in (("music", entry.music), ("mood", entry.mood), ("security", entry.security)):
        if value is not None:
            parts.append(f"    <dw:{key}>{escape(value)}</dw:{key}>\n")
    parts.append(f"    <dw:reply-count>{shown_count(entry)}</dw:reply-count>\n")
    parts.append(f'    <content type="html">{escape(_content(ctx, entry))}</content>\n')
    parts.append("  </entry>\n")
    return "".join(parts)


def rss_feed(ctx: PageContext) -> str:
    j = ctx.journal
    entries = feed_entries(ctx)
    build = last_modified(ctx) or j.page_generated
    out = [
        "<?xml version='1.0' encoding='utf-8' ?>\n\n",
        (
            "<rss version='2.0' xmlns:lj='http://www.livejournal.org/rss/lj/1.0/' "
            "xmlns:atom10='http://www.w3.org/2005/Atom'>\n<channel>\n"
        ),
        f"  <title>{escape(j.title or j.name)}</title>\n  <link>{escape(ctx.base_url)}</link>\n",
        f"  <description>{escape(j.title or j.name)} - Dreamwidth Studios</description>\n",
        f"  <lastBuildDate>{format_datetime(build.replace(tzinfo=None), usegmt=False)[:-6]} GMT</lastBuildDate>\n",
        "  <generator>LiveJournal / Dreamwidth Studios</generator>\n",
        f"  <lj:journal>{j.name}</lj:journal>\n",
        f"  <lj:journaltype>{'community' if j.is_community else 'personal'}</lj:journaltype>\n",
    ]
    for entry in entries:
        link = permalink(ctx, entry)
        pub = format_datetime(j.logtime(entry))[:-6] + " GMT"
        out.append(
            f"<item>\n  <guid isPermaLink='true'>{link}</guid>\n  <pubDate>{pub}</pubDate>\n"
            f"  <title>{escape(plain_subject(entry.subject))}</title>\n  <link>{link}</link>\n"
            f"  <description>{escape(_content(ctx, entry))}</description>\n"
            + "".join(f"  <category>{escape(t)}</category>\n" for t in entry.tags)
            + f"  <comments>{link}</comments>\n  <lj:security>{entry.security}</lj:security>\n"
            f"  <lj:reply-count>{shown_count(entry)}</lj:reply-count>\n</item>\n"
        )
    out.append("</channel>\n</rss>\n")
    return "".join(out)
