"""Entry and comment sources in Dreamwidth's markup formats, and how the site shows them.

The `editor` prop names the format (cgi-bin/DW/Formats.pm:40-84): html_casual0/1 (auto line breaks
and links; @mentions from 1 on), html_raw0 (plain HTML plus DW tags), html_extra_raw (no DW tags),
markdown0 (Text::Markdown, then the cleaner with @mentions), rte0 (cleaned with the default
format's options, as formatting_args falls back, CleanHTML.pm:1960-1967). Without the prop,
LJ::CleanHTML::clean_event guesses (CleanHTML.pm:1661-1703): a leading `!markdown` line means
markdown0, opt_preformatted html_raw0, imported entries or ones logged before 2019-05
html_casual0, everything else html_casual1; clean_comment guesses the same way minus `!markdown`
(CleanHTML.pm:1791-1812). Entries are cleaned with the event options (`mode allow`, eat
head/title/style/..., remove bgsound/embed/..., cleancss), comments with the comment options
(`mode deny` over the comment tag list, strongcleancss, anonymous comments also extractlinks).

`render_entry` gives the entry page's HTML and its cut; `entry_parts` splits it the way the fake
site's model stores an entry (body_html before the cut, cut_html behind it, cut_label);
`legacy_event_source` goes the other way for entries that only have body_html: an html_raw0
source equal to what the page shows, with `<cut text="...">` around cut_html and `<user name=x>`
for every ljuser span.
"""

from __future__ import annotations

import html as html_mod
import re
from datetime import datetime

from ..model import FakeJournal
from ..render.common import PageContext, ljuser, user_host_url
from .cleanhtml import (
    COMMENT_ALLOW,
    COMMENT_ANON_EAT,
    COMMENT_EAT,
    EVENT_REMOVE,
    SUBJECT_EAT,
    Cleaned,
    CleanOptions,
    canonical_username,
    clean,
    ehtml,
)
from .markdown import markdown

FORMAT_ARGS: dict[str, dict[str, bool]] = {
    "html_casual0": {"addbreaks": True, "at_mentions": False, "autolinks": True},
    "html_casual1": {"addbreaks": True, "at_mentions": True, "autolinks": True},
    "html_raw0": {"addbreaks": False, "at_mentions": False, "autolinks": False},
    "html_extra_raw": {
        "addbreaks": False,
        "at_mentions": False,
        "autolinks": False,
        "nodwtags": True,
    },
    "markdown0": {"markdown": True, "at_mentions": True, "autolinks": False},
}
KNOWN_FORMATS = frozenset(FORMAT_ARGS) | {"rte0"}
DEFAULT_FORMAT = "html_casual1"
MENTIONS_SINCE = "2019-05"
_LEGACY_MARKDOWN = re.compile(r"^\s*!markdown\s*\r?\n", re.IGNORECASE)
_LJUSER_SPAN = re.compile(
    r"<span\s+lj:user=['\"]([^'\"]+)['\"][^>]*class=['\"]ljuser['\"][^>]*>.*?</span>", re.DOTALL
)


def validate(fmt: str | None) -> str:
    """DW::Formats::validate: the canonical format id, '' when unknown ('markdown' is an alias)."""
    if fmt == "markdown":
        return "markdown0"
    return fmt if fmt in KNOWN_FORMATS else ""


def entry_format(
    source: str,
    editor: str | None,
    preformatted: bool = False,
    logtime: datetime | None = None,
    imported: bool = False,
) -> tuple[str, str]:
    """(format id, source to clean) for an entry: the editor prop or clean_event's guess."""
    if editor:
        return validate(editor) or DEFAULT_FORMAT, source
    stripped, found = _LEGACY_MARKDOWN.subn("", source, count=1)
    if found:
        return "markdown0", stripped
    if preformatted:
        return "html_raw0", source
    if imported or (logtime is not None and logtime.strftime("%Y-%m") < MENTIONS_SINCE):
        return "html_casual0", source
    return DEFAULT_FORMAT, source


def comment_format(
    editor: str | None,
    preformatted: bool = False,
    datepost: datetime | None = None,
    imported: bool = False,
) -> str:
    """The format a comment is cleaned with: editor prop or clean_comment's guess."""
    if editor:
        return validate(editor) or DEFAULT_FORMAT
    if preformatted:
        return "html_raw0"
    if imported or (datepost is not None and datepost.strftime("%Y-%m") < MENTIONS_SINCE):
        return "html_casual0"
    return DEFAULT_FORMAT


def _options(fmt: str, **base: object) -> tuple[CleanOptions, bool]:
    """clean() options for a format over `base`, and whether Markdown runs first."""
    opts = CleanOptions(**base)  # type: ignore[arg-type]
    args = FORMAT_ARGS.get(fmt, FORMAT_ARGS[DEFAULT_FORMAT])
    for name, value in args.items():
        setattr(opts, name, value)
    return opts, opts.markdown


def user_linker(journal: FakeJournal | None, user_types: dict[str, str] | None = None):
    """LJ::CleanHTML::user_link_html for local names: the ljuser span with the site's links."""
    owner = journal or FakeJournal(name="system")
    ctx = PageContext(
        journal=owner,
        base_url=user_host_url(owner.name),
        site_root="https://www.dreamwidth.org/",
        user_types=dict(user_types or {}),
    )

    def link(name: str) -> str:
        user = canonical_username(name)
        if not user:
            if not name:
                return "<b>[Unknown site tag]</b>"
            return f"<b>[Bad username or unknown identity: {ehtml(name)}]</b>"
        return ljuser(ctx, user)

    return link


def render_entry(
    source: str,
    fmt: str,
    journal: FakeJournal | None = None,
    user_types: dict[str, str] | None = None,
) -> Cleaned:
    """The entry page's HTML for `source` in format `fmt` (clean_event's options)."""
    opts, is_markdown = _options(
        fmt, mode="allow", eat=SUBJECT_EAT, remove=EVENT_REMOVE, cleancss=True
    )
    if is_markdown:
        source = markdown(source)
    return clean(source, opts, user_linker(journal, user_types))


def render_comment(
    source: str,
    fmt: str,
    anonymous: bool = False,
    journal: FakeJournal | None = None,
    user_types: dict[str, str] | None = None,
) -> str:
    """A comment's HTML for `source` in format `fmt` (clean_comment's options)."""
    opts, is_markdown = _options(
        fmt,
        mode="deny",
        allow=COMMENT_ALLOW,
        eat=COMMENT_ANON_EAT if anonymous else COMMENT_EAT,
        remove=frozenset(),
        cleancss=True,
        strongcleancss=True,
        extractlinks=anonymous,
    )
    if is_markdown:
        source = markdown(source)
    return clean(source, opts, user_linker(journal, user_types)).html


def entry_parts(cleaned: Cleaned) -> tuple[str, str | None, str | None]:
    """(body_html, cut_html, cut_label) as the fake site's model stores an entry.

    The model knows one cut, shown at the end of the body on list pages; whatever the cleaner
    printed after the cut closed may only be markup without text (closing tags, `<br />`), and
    is kept at the end of cut_html so the entry page shows exactly the cleaned text.
    """
    if not cleaned.cuts:
        return cleaned.html, None, None
    if len(cleaned.cuts) > 1:
        raise ValueError("the fake site's model shows one cut per entry")
    start, end, label = cleaned.cuts[0]
    anchor = '<a name="cutid1"></a>'
    assert cleaned.html[start - len(anchor) : start] == anchor
    after = cleaned.html[end:]
    if re.sub(r"<[^>]*>|\s", "", after):
        raise ValueError(f"text after the cut cannot be shown by the fake site: {after[:60]!r}")
    return cleaned.html[: start - len(anchor)], cleaned.html[start:], label


def legacy_event_source(body_html: str, cut_html: str | None, cut_label: str | None) -> str:
    """An html_raw0 `event` that shows as body_html (+ the cut) on the entry page."""

    def user_tag(m: re.Match[str]) -> str:
        return f'<user name="{m.group(1)}">'

    source = _LJUSER_SPAN.sub(user_tag, body_html)
    if cut_html is not None:
        inner = _LJUSER_SPAN.sub(user_tag, cut_html)
        text = f' text="{html_mod.escape(cut_label, quote=True)}"' if cut_label else ""
        source += f"<cut{text}>{inner}</cut>"
    return source
