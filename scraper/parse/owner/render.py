"""Render raw entry and comment source the way Dreamwidth displays it: HTML and plain text.

The pipeline, per text:

1. The format: the `editor` prop, or Dreamwidth's guess when there is none
   (scraper.parse.owner.formats; LJ::CleanHTML::clean_event / clean_comment).
2. markdown0 only: Markdown -> HTML with markdown-it-py (CommonMark, raw HTML allowed), where
   Dreamwidth runs Text::Markdown (CleanHTML.pm:200-204).
3. Dreamwidth's cleaner: DW tags, cuts, user links, line breaks, autolinks, @mentions
   (scraper.parse.owner.cleaner; CleanHTML.pm:94-1408) with the options of clean_event,
   clean_comment or clean_subject.
4. nh3 with an allow-list (scraper.parse.owner.sanitize), after the page guard has measured the
   cleaned HTML (scraper.parse.guard: nh3's parser takes time growing with the square of the
   nesting depth). Text over the guard's limits is kept as escaped plain text instead (its
   source stays in `body_source`).
5. Text with scraper.parse.blocktext.block_text, the function the HTML path stores as body_text.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from ..guard import measure
from .cleaner import (
    ANON_COMMENT_POLICY,
    COMMENT_POLICY,
    ENTRY_POLICY,
    CleanPolicy,
    clean,
    has_embeds,
)
from .formats import FormatRules, comment_format, entry_format, rules_for
from .sanitize import html_text, inline_text, sanitize_comment, sanitize_entry, sanitize_subject
from .userlink import SiteLinks

_MARKDOWN = MarkdownIt("commonmark", {"html": True})
DEFAULT_LINKS = SiteLinks()

# clean_subject (CleanHTML.pm:1562-1586): deny mode, a few inline tags, no line breaks.
SUBJECT_RULES = FormatRules("subject", False, False, False, True, False)
SUBJECT_POLICY = CleanPolicy(
    mode="deny",
    eat=("head", "title", "style", "layer", "iframe", "applet", "object", "xml", "param", "base"),
    allow=("a", "b", "i", "u", "em", "strong", "cite"),
    remove=("bgsound", "embed", "object", "caption", "link", "font", "noscript"),
)


@dataclass(frozen=True)
class Rendered:
    html: str  # sanitised HTML, as the site's page shows the text
    text: str  # block_text of it (the HTML path's body_text)
    format: str  # the format used: the editor prop, or the guess
    embeds: bool  # has polls/embeds whose content only the site's own page shows


def _render(source: str, fmt: str, policy: CleanPolicy, links: SiteLinks, entry: bool) -> Rendered:
    rules = rules_for(fmt)
    if not source:
        return Rendered(html="", text="", format=fmt, embeds=False)
    text = _MARKDOWN.render(source) if rules.markdown else source
    cleaned = clean(text, rules, policy, links)
    if measure(cleaned).refusal() is not None:
        return _as_plain_text(source, fmt)
    safe = sanitize_entry(cleaned) if entry else sanitize_comment(cleaned)
    return Rendered(html=safe, text=html_text(safe), format=fmt, embeds=has_embeds(source))


_TAG = re.compile(r"<[^>]*>?")


def _as_plain_text(source: str, fmt: str) -> Rendered:
    """Text too deep or too big to parse in bounded time: its words, escaped, no markup."""
    lines = [" ".join(_html.unescape(line).split()) for line in _TAG.sub(" ", source).split("\n")]
    text = "\n".join(line for line in lines if line)
    body = "<br>".join(_html.escape(line) for line in text.split("\n"))
    return Rendered(html=body, text=text, format=fmt, embeds=False)


def render_entry(
    source: str,
    *,
    editor: str | None = None,
    preformatted: str | None = None,
    imported: bool = False,
    logtime: str | None = None,
    syndicated: bool = False,
    links: SiteLinks = DEFAULT_LINKS,
) -> Rendered:
    """An entry's `event` as its page shows it (LJ::Entry::event_html on the entry page: the
    whole text, cuts open). `preformatted` is the opt_preformatted prop, `imported` whether the
    entry has an import_source prop, `logtime` its logtime ('YYYY-MM-DD HH:MM:SS')."""
    fmt, body = entry_format(
        source,
        editor=editor,
        preformatted=preformatted,
        imported=imported,
        logtime=logtime,
        syndicated=syndicated,
    )
    return _render(body, fmt, ENTRY_POLICY, links, entry=True)


def render_comment(
    source: str,
    *,
    editor: str | None = None,
    preformatted: str | None = None,
    imported: bool = False,
    datepost: str | None = None,
    anonymous: bool = False,
    links: SiteLinks = DEFAULT_LINKS,
) -> Rendered:
    """A comment's body as the entry page shows it (LJ::CleanHTML::clean_comment as called by
    LJ::S2::EntryPage, cgi-bin/LJ/S2/EntryPage.pm:214-227). `anonymous` is LJ::Talk::
    treat_as_anon: anonymous commenters, and OpenID ones the journal does not trust (links
    shown as text, images as placeholders, no tables, no CSS)."""
    fmt = comment_format(
        editor=editor, preformatted=preformatted, imported=imported, datepost=datepost
    )
    policy = ANON_COMMENT_POLICY if anonymous else COMMENT_POLICY
    return _render(source, fmt, policy, links, entry=False)


def render_entry_subject(subject: str, *, links: SiteLinks = DEFAULT_LINKS) -> tuple[str, str]:
    """(plain text, HTML) of an entry subject: LJ::Entry::subject_html, which cleans only a
    subject with < or > in it (CleanHTML.pm:1566-1586), shown inside the title link."""
    if not subject:
        return "", ""
    source = subject
    if "<" in subject or ">" in subject:
        source = clean(subject, SUBJECT_RULES, SUBJECT_POLICY, links)
    safe = sanitize_subject(source).strip()
    return inline_text(safe), safe


def render_comment_subject(subject: str | None) -> tuple[str, str]:
    """(plain text, HTML) of a comment subject: the page prints it escaped, no markup
    (LJ::S2::EntryPage, cgi-bin/LJ/S2/EntryPage.pm:340)."""
    if not subject:
        return "", ""
    safe = _html.escape(subject, quote=False)
    return inline_text(safe), safe
