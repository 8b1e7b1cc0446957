"""The HTML export's page frame and addresses: the CSS, the Content-Security-Policy, `page()`,
the relative paths of entry, day and tag pages, and archived HTML made safe to embed.
"""

from __future__ import annotations

import hashlib
import re
from html import escape

from . import paths
from .sanitize import ImageSrc, clean_html

CSS = """
body{font:16px/1.5 Georgia,serif;max-width:46em;margin:1.5em auto;padding:0 1em;color:#222;
background:#fffdf8}
a{color:#1a5b8a}nav{font:14px sans-serif;margin-bottom:1.5em}nav a{margin-right:1em}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}
.meta,.comment header{font:13px sans-serif;color:#666}
.tags a{font:13px sans-serif;background:#eef3f7;padding:0 .4em;border-radius:3px;margin-right:.3em}
.entry-body{margin:1em 0 2em}.entry-body img,.comment-body img{max-width:100%}
.comment{margin:.8em 0;padding:.4em .8em;background:#f6f4ee;border-left:3px solid #c9bfa5}
.replies{margin-left:1.4em}
.state-deleted>.comment-body,.state-screened>.comment-body{color:#888;font-style:italic}
.author{font-weight:bold;color:#333}.userpic{float:right;max-width:100px;margin:0 0 .5em 1em}
ul.entries{list-style:none;padding:0}ul.entries li{margin:.3em 0}
.date{font:13px monospace;color:#666;margin-right:.6em}
details{margin:1em 0;font-size:.95em}pre.revision{white-space:pre-wrap;font:inherit}
.entry-body,.comment-body{overflow-wrap:anywhere;overflow:hidden}
nav.sequence{display:flex;justify-content:space-between;gap:1em;margin:2em 0 1em}
.glance svg{max-width:100%;height:auto;display:block;margin:.3em 0 1em}
.glance svg text{font:9px sans-serif;fill:#666}.glance svg .base{stroke:#bbb}
.glance svg.heatmap text.year{font:bold 11px sans-serif;fill:#333}
.stats{font:14px sans-serif;color:#444}
.tag-cloud{font-family:sans-serif;line-height:2}.tag-cloud a{margin-right:.5em;text-decoration:none}
.tag-cloud .t1{font-size:.8em}.tag-cloud .t2{font-size:1em}.tag-cloud .t3{font-size:1.25em}
.tag-cloud .t4{font-size:1.55em}.tag-cloud .t5{font-size:1.9em;font-weight:bold}
"""


def csp(remote_images: bool = False) -> str:
    """The pages' Content-Security-Policy: nothing runs, nothing is submitted, no `<base>`;
    images only from the export itself (and http/https when remote images were asked for)."""
    images = "'self' file:" + (" http: https:" if remote_images else "")
    return (
        f"default-src 'none'; img-src {images}; style-src 'unsafe-inline'; "
        "base-uri 'none'; form-action 'none'"
    )


CSP = csp()


def page(title: str, body: str, root: str, *, remote_images: bool = False) -> str:
    """A complete page; `root` is the relative path from the page to the export root."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp(remote_images)}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<nav><a href="{root}index.html">Entries by month</a>'
        f'<a href="{root}tags/index.html">Tags</a></nav>\n{body}\n</body></html>\n'
    )


def display_time(value: str | None) -> str:
    """'2024-03-05T10:00' as '2024-03-05 10:00'."""
    return (value or "").replace("T", " ", 1) if value and value[:1].isdigit() else (value or "")


def tag_slug(tag: str) -> str:
    """A file name for a tag: readable where possible, unique always."""
    readable = re.sub(r"[^\w-]+", "-", tag, flags=re.UNICODE).strip("-").lower()[:40]
    digest = hashlib.sha1(tag.encode()).hexdigest()[:8]
    return f"{readable}-{digest}" if readable else digest


def entry_path(journal: str, itemid: int) -> str:
    return f"entries/{paths.journal(journal)}/{paths.itemid(itemid)}.html"


def day_path(journal: str, day: str) -> str:
    return f"days/{paths.journal(journal)}/{paths.day(day)}.html"


def user_html(
    html: str | None,
    base_url: str | None,
    image_src: ImageSrc | dict[str, str] | None = None,
    *,
    remote_images: bool = False,
) -> str:
    """Archived HTML made safe to embed (sanitize.clean_html); `image_src` maps an image URL to
    its local copy (a function, or a dict)."""
    resolve = image_src.get if isinstance(image_src, dict) else image_src
    return clean_html(html, base_url, resolve, remote_images=remote_images)


__all__ = [
    "CSP",
    "CSS",
    "csp",
    "day_path",
    "display_time",
    "entry_path",
    "page",
    "tag_slug",
    "user_html",
]
