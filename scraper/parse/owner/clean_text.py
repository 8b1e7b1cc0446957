"""The cleaner's text rules, as plain functions (LJ::CleanHTML::clean, CleanHTML.pm:1237-1317):
a run of text between tags with `<` and `>` escaped, line breaks made `<br />` and bare http(s)
URLs made links where auto-formatting is on, @mentions made user links; with the escaping
(LJ::ehtml) and Perl's truth for the open-tag counters the other cleaner modules share, and the
notice that ends an entry with irreparable markup (l.227-257).
"""

from __future__ import annotations

import html
import re
from collections import Counter

from .clean_tables import ERROR_MARKUP
from .formats import FormatRules
from .userlink import SiteLinks, convert_mentions

_URL = re.compile(r"(https?://[^ \t\n\r\f\v'\"<>]+[a-zA-Z0-9_/&=\-])")
_URL_ENTITY_TAIL = re.compile(r"^(.*?)(&(#39|quot|lt|gt)(;.*)?)$")
_URL_MARK = re.compile(r"&url(\d+);(.*?)&urlend;")


def ehtml(text: str) -> str:
    """LJ::ehtml: & < > " ' escaped."""
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def perl_true(n: int) -> bool:
    """A Perl counter in a boolean test: any non-zero value is true (counts can go below 0)."""
    return n != 0


def mark_urls(text: str) -> tuple[str, dict[int, str]]:
    """Bare http(s) URLs wrapped in `&urlN;...&urlend;` markers, numbered from 1, and the URL
    each number stands for; an entity ending a URL (&#39; &quot; &lt; &gt;) is left outside
    it. The markers survive the escaping of `<` and `>`; link_urls turns them into links."""
    urls: dict[int, str] = {}

    def mark(m: re.Match[str]) -> str:
        found = m.group(1)
        n = len(urls) + 1
        tail = _URL_ENTITY_TAIL.match(found)
        if tail:
            urls[n] = tail.group(1)
            return f"&url{n};{tail.group(1)}&urlend;{tail.group(2)}"
        urls[n] = found
        return f"&url{n};{found}&urlend;"

    return _URL.sub(mark, text), urls


def link_urls(text: str, urls: dict[int, str]) -> str:
    """mark_urls' markers -> `<a href="URL">text</a>`. A marker the text itself spelled out
    stands for no URL: an empty link, as Dreamwidth's `$urls{$1}` gives."""
    return _URL_MARK.sub(
        lambda m: f'<a href="{urls.get(int(m.group(1)), "")}">{m.group(2)}</a>', text
    )


def display_text(
    text: str,
    opencount: Counter[str],
    rules: FormatRules,
    links: SiteLinks,
    *,
    extractlinks: bool,
    no_mentions: bool,
) -> str:
    """A run of text as clean() prints it, given how many of each tag are open around it.

    Auto-formatting (line breaks, bare URLs) is on for formats that add breaks, outside pre,
    textarea, lj-raw and table parts outside their cells; URLs are not linked inside a link or
    when anonymous links are extracted. @mentions are off in code, pre, textarea, lj-raw, and
    where the caller says (`no_mentions`: inside a twitter-tweet blockquote)."""
    oc = opencount
    auto_format = (
        rules.addbreaks
        and not rules.markdown
        and oc["table"] <= oc["td"] + oc["th"]
        and not perl_true(oc["pre"])
        and not perl_true(oc["textarea"])
        and not perl_true(oc["lj-raw"])
    )
    urls: dict[int, str] = {}
    if auto_format and rules.autolinks and not extractlinks and not perl_true(oc["a"]):
        text, urls = mark_urls(text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    if auto_format:
        text = re.sub(r"\r?\n", "<br />", text)
        if not perl_true(oc["a"]):
            text = link_urls(text, urls)
    if (
        rules.at_mentions
        and not no_mentions
        and not perl_true(oc["code"])
        and not perl_true(oc["pre"])
        and not perl_true(oc["textarea"])
        and not perl_true(oc["lj-raw"])
    ):
        text = convert_mentions(text, links, no_link=perl_true(oc["a"]))
    return text


def error_notice(source: str, what: str, *, addbreaks: bool) -> str:
    """Dreamwidth's notice for irreparable markup (`what`: the tag, or tag and attribute, it
    could not repair), followed by the whole source escaped."""
    raw = ehtml(source)
    if addbreaks:
        raw = re.sub(r"\r?\n", "<br />", raw)
    return (
        "<div class='ljparseerror'>"
        + ERROR_MARKUP.format(tag=ehtml(what))
        + "<br /><br />"
        + '<div style="width: 95%; overflow: auto">'
        + raw
        + "</div></div>"
    )
