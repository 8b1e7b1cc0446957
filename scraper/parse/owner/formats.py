"""Markup formats of entries and comments, and how Dreamwidth picks one when none is stored.

The formats are DW::Formats' (cgi-bin/DW/Formats.pm:40-84); what each one does to the text is
LJ::CleanHTML's %markup_formats (cgi-bin/LJ/CleanHTML.pm:1927-1957):

| format | line breaks -> <br /> | bare URLs -> links | @mentions | <user>/<cut> tags | Markdown |
|---|---|---|---|---|---|
| html_casual0 | yes | yes | no | yes | no |
| html_casual1 | yes | yes | yes | yes | no |
| html_raw0 | no | no | no | yes | no |
| html_extra_raw | no | no | no | no | no |
| markdown0 | no | no | yes | yes | yes (first) |

`rte0` and unknown names have no entry in %markup_formats, so formatting_args falls back to
the default html_casual1 (CleanHTML.pm:1960-1967); `markdown` is an alias of markdown0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_FORMAT = "html_casual1"  # $DW::Formats::default_format
KNOWN_FORMATS = ("html_casual0", "html_casual1", "html_raw0", "html_extra_raw", "markdown0", "rte0")
MENTIONS_SINCE = "2019-05"  # entries/comments logged before this predate @mentions


@dataclass(frozen=True)
class FormatRules:
    """The clean() options a format sets."""

    name: str  # the format the rules belong to (after validation and fallback)
    addbreaks: bool
    at_mentions: bool
    autolinks: bool
    dwtags: bool  # <user>, <cut>, <lj-raw> ... are Dreamwidth tags (not html_extra_raw)
    markdown: bool


_RULES = {
    "html_casual0": FormatRules("html_casual0", True, False, True, True, False),
    "html_casual1": FormatRules("html_casual1", True, True, True, True, False),
    "html_raw0": FormatRules("html_raw0", False, False, False, True, False),
    "html_extra_raw": FormatRules("html_extra_raw", False, False, False, False, False),
    "markdown0": FormatRules("markdown0", False, True, False, True, True),
}
_ALIASES = {"markdown": "markdown0"}

# LJ::CleanHTML::legacy_markdown (CleanHTML.pm:2069-2072): s/^\s*!markdown\s*\r?\n//is
_LEGACY_MARKDOWN = re.compile(r"\s*!markdown\s*\r?\n", re.IGNORECASE)


def rules_for(fmt: str | None) -> FormatRules:
    """formatting_args: the rules of a format name (html_casual1's for rte0 and unknown names)."""
    name = _ALIASES.get(fmt or "", fmt or "")
    return _RULES.get(name, _RULES[DEFAULT_FORMAT])


def strip_legacy_markdown(source: str) -> str | None:
    """The source without its leading `!markdown` line, or None when it has none."""
    m = _LEGACY_MARKDOWN.match(source)
    return source[m.end() :] if m else None


def _truthy(value: str | None) -> bool:
    """A prop as Perl tests it: absent, '' and '0' are false."""
    return value not in (None, "", "0")


def entry_format(
    source: str,
    *,
    editor: str | None,
    preformatted: str | None = None,
    imported: bool = False,
    logtime: str | None = None,
    syndicated: bool = False,
) -> tuple[str, str]:
    """(format, source to render) as LJ::CleanHTML::clean_event chooses (CleanHTML.pm:1661-1703).

    The `editor` prop wins when set. Otherwise, in this order: a leading `!markdown` line
    (removed) -> markdown0; a feed's preformatted post -> html_extra_raw (else html_casual0);
    opt_preformatted -> html_raw0; imported (import_source prop) -> html_casual0; logged before
    2019-05 -> html_casual0; else html_casual1."""
    if editor:
        return editor, source
    stripped = strip_legacy_markdown(source)
    if stripped is not None:
        return "markdown0", stripped
    if syndicated:
        return ("html_extra_raw" if _truthy(preformatted) else "html_casual0"), source
    if _truthy(preformatted):
        return "html_raw0", source
    if imported:
        return "html_casual0", source
    if logtime and logtime < MENTIONS_SINCE:
        return "html_casual0", source
    return DEFAULT_FORMAT, source


def comment_format(
    *,
    editor: str | None,
    preformatted: str | None = None,
    imported: bool = False,
    datepost: str | None = None,
) -> str:
    """The format of a comment (LJ::CleanHTML::clean_comment, CleanHTML.pm:1791-1813): like
    entries but with no `!markdown` magic and no feeds; `datepost` is compared like logtime."""
    if editor:
        return editor
    if _truthy(preformatted):
        return "html_raw0"
    if imported:
        return "html_casual0"
    if datepost and datepost < MENTIONS_SINCE:
        return "html_casual0"
    return DEFAULT_FORMAT
