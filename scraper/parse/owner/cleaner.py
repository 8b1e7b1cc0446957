"""Dreamwidth's HTML cleaner, as far as it changes what a reader sees: LJ::CleanHTML::clean.

clean() (cgi-bin/LJ/CleanHTML.pm:94-1408) walks the source as HTML::TokeParser tokens and
writes HTML for display. This module walks the same token stream (the standard library's
html.parser, which splits text, tags, comments and entities the way HTML::Parser does) and
repeats the steps that decide the page's text and structure; the final safety pass (which tags
and attributes survive) is nh3's, in scraper.parse.owner.sanitize. What is reproduced, with
the lines of CleanHTML.pm:

- Dreamwidth tags, renamed first (l.295-306: cut -> lj-cut, user -> lj, raw-code -> lj-raw,
  site-embed -> lj-embed, poll -> lj-poll): on the entry page a cut keeps its content and
  leaves an anchor `<a name="cutidN"></a>` (l.641-649; a `<div class="ljcut">` also keeps its
  div); `<lj user=x>`/`<user name=x>` (and `comm=`, `site=`) become user links (l.665-676);
  `<lj-raw>` disappears but switches auto-formatting off inside (l.677-681, 1120-1123); an old
  ljuser span is replaced by a fresh link for the name it shows (l.422-433, 1104-1111); the Rich
  Text Editor's `<div class="ljuser">` likewise (l.532-547); `<lj-template>` and `ljvideo`
  print their error text (l.354-377, 436-450).
- Tags eaten with their content (the `eat` lists, l.486-490: head, title, style, iframe,
  object, script ...) and tags dropped without it (`remove`, and anything not allowed in the
  comment allow-list, l.974-1064); tags with an e-mail address or URL for a name are printed as
  text (l.454-457); form fields outside a form are printed as text (l.459-470).
- Table scope: table parts outside a table (or a cell outside a row) are printed as text
  (l.988-1004, 1162-1171); open tags are closed early when an outer one closes and at the end
  (l.1173-1206, 1356-1374); a close tag for something not open is dropped (noearlyclose).
- Text (l.1237-1317): `<` and `>` escaped; with line breaks on (casual formats; not inside
  pre, textarea, lj-raw, or a table outside its cells) newlines become `<br />` and bare
  http(s) URLs links; @mentions become user links (not in code, pre, textarea, lj-raw, or a
  twitter-tweet blockquote); HTML comments are dropped (l.1318-1336).
- Anonymous comments (extractlinks/extractimages, l.111, 889-937, 1154-1160): a link shows as
  `<b>text</b> (url)`, an image as a placeholder link.
- Irreparable markup (a bad tag or attribute name, l.227-257, 476-479, 734-750): the part
  cleaned so far, then Dreamwidth's error notice and the whole source escaped.

Not reproduced (they need the site's database or change no text): embeds and polls (expanded
later by LJ::expand_embedded), image proxying, lj:// links, CSS cleaning beyond dropping the
styles Dreamwidth drops.

The parts: clean_tables (tag lists, error texts, the policies), clean_parser (the token walk
and Dreamwidth's tags), clean_attrs (attributes), clean_scope (open tags and table scope),
clean_text (text runs, escaping, the error notice). clean(), has_embeds(), the tables and the
policies are importable from here.
"""

from __future__ import annotations

from collections.abc import Iterable

from .clean_parser import Cleaner
from .clean_tables import (
    ANON_COMMENT_POLICY,
    COMMENT_ALLOW,
    COMMENT_ANON_EAT,
    COMMENT_EAT,
    COMMENT_POLICY,
    ENTRY_EAT,
    ENTRY_POLICY,
    ENTRY_REMOVE,
    ERROR_MARKUP,
    ERROR_TEMPLATE,
    ERROR_VIDEO,
    FORM_TAGS,
    TABLE_PARTS,
    TAG_UPDATES,
    VOID_TAGS,
    CleanPolicy,
)
from .formats import FormatRules
from .userlink import SiteLinks

__all__ = [
    "ANON_COMMENT_POLICY",
    "COMMENT_ALLOW",
    "COMMENT_ANON_EAT",
    "COMMENT_EAT",
    "COMMENT_POLICY",
    "ENTRY_EAT",
    "ENTRY_POLICY",
    "ENTRY_REMOVE",
    "ERROR_MARKUP",
    "ERROR_TEMPLATE",
    "ERROR_VIDEO",
    "FORM_TAGS",
    "TABLE_PARTS",
    "TAG_UPDATES",
    "VOID_TAGS",
    "CleanPolicy",
    "clean",
    "has_embeds",
]


def clean(source: str, rules: FormatRules, policy: CleanPolicy, links: SiteLinks) -> str:
    """The HTML Dreamwidth would display for `source` (before the final sanitising pass).

    For markdown formats, `source` is the Markdown converter's output already."""
    cleaner = Cleaner(source, rules, policy, links)
    cleaner.feed(source)
    cleaner.close()
    return cleaner.output


def has_embeds(
    source: str, names: Iterable[str] = ("<poll-", "<lj-poll", "<site-embed", "<lj-embed")
) -> bool:
    """The source has polls or embeds: their content lives elsewhere on the site, so the
    rendered text lacks it (LJ::expand_embedded fills them in on the site's own pages)."""
    low = source.lower()
    return any(name in low for name in names)
