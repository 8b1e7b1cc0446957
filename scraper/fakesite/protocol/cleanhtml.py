"""What LJ::CleanHTML::clean makes of an entry or comment source: the fake site's own reading.

An independent implementation of the cleaner's token loop (cgi-bin/LJ/CleanHTML.pm:94-1408) for
the markup the fake journals use, as an entry page (or a comment) shows it to a reader:

* tokens as HTML::TokeParser gives them: tag and attribute names lower-cased, attribute values
  entity-decoded (and written back with LJ::ehtml in double quotes, original order), text kept raw;
  a `<` that does not open a tag is text (escaped to `&lt;`, like every `<` and `>` in text,
  CleanHTML.pm:1283-1287); HTML comments dropped;
* `cut`/`lj-cut`: on the entry page `<a name="cutidN"></a>` where the cut opens and nothing where
  it closes (CleanHTML.pm:561-649, 1124-1141); the offsets are reported so callers can split the
  text the way list pages show it (`Cleaned.cuts`);
* `user`/`lj` tags (`name`, `user` or `comm`) and ljuser spans become user links
  (CleanHTML.pm:665-675, 421-433, 2006-2065); names must be canonical usernames, else
  `<b>[Bad username or unknown identity: x]</b>`;
* `eat` tags vanish with their content (script always), `remove` tags vanish and keep their
  content, and in `deny` mode (comments) tags outside `allow` vanish; `on*`, `dynsrc` and `data`
  attributes and `javascript:`-like values go; `cleancss` drops `id` and styles with dangerous
  words, `strongcleancss` (comments) also `class`/`id` and positioning styles (CleanHTML.pm
  676-860); `lj:`/`site:` links are expanded against https://www.dreamwidth.org/;
* text in casual HTML: URLs become links (outside `<a>`), newlines become `<br />` (outside
  pre, textarea, lj-raw and tables without a cell open), `@name` becomes a user link where the
  format has @mentions (outside code, pre, textarea, lj-raw) (CleanHTML.pm:1237-1320, 1969-2004);
* closing tags that were never opened are ignored (`noearlyclose`), tags left open are closed at
  the end in reverse order (void elements excepted), tables are tracked so cells cannot open
  outside them (CleanHTML.pm:988-1066, 1070-1233, 1363-1372); anonymous comments (`extractlinks`) show
  links as `<b>text</b> (url)`.

Not covered: embeds, polls, templates, forms, `<div class="ljcut">`, CSS cleaning beyond the
word lists, image proxying (the fake journals use no images in sources).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

SITE_ROOT = "https://www.dreamwidth.org"

TAG_UPDATES = {
    "cut": "lj-cut",
    "poll": "lj-poll",
    "poll-item": "lj-pi",
    "poll-question": "lj-pq",
    "raw-code": "lj-raw",
    "site-embed": "lj-embed",
    "user": "lj",
}
VOID_TAGS = re.compile(
    r"^(?:area|base|basefont|br|col|embed|frame|hr|img|input|isindex|link|meta|param|source|track"
    r"|wbr|lj-embed|site-embed|poll-\d+|lj-poll-\d+)$"
)
TABLE_PARTS = frozenset(["tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup", "col"])
SUBJECT_EAT = frozenset(
    ["head", "title", "style", "layer", "iframe", "applet", "object", "xml", "param", "base"]
)
EVENT_REMOVE = frozenset(
    ["bgsound", "embed", "object", "link", "body", "meta", "noscript", "plaintext", "noframes"]
)
COMMENT_EAT = frozenset(["head", "title", "style", "layer", "iframe", "applet", "object"])
COMMENT_ANON_EAT = COMMENT_EAT | frozenset(
    ["table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup", "col", "font"]
)
COMMENT_ALLOW = frozenset(
    [
        "table",
        "tr",
        "td",
        "th",
        "tbody",
        "tfoot",
        "thead",
        "colgroup",
        "caption",
        "col",
        "a",
        "sub",
        "sup",
        "xmp",
        "bdo",
        "q",
        "span",
        "b",
        "i",
        "u",
        "tt",
        "s",
        "strike",
        "big",
        "small",
        "font",
        "abbr",
        "acronym",
        "cite",
        "code",
        "dfn",
        "em",
        "kbd",
        "samp",
        "strong",
        "var",
        "del",
        "ins",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "div",
        "blockquote",
        "address",
        "pre",
        "center",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "area",
        "map",
        "form",
        "textarea",
        "img",
        "br",
        "hr",
        "p",
        "col",
        "summary",
        "details",
        "ruby",
        "rt",
        "rp",
    ]
)
_BAD_CSS = ("/*", "[") + (
    "absolute",
    "fixed",
    "expression",
    "eval",
    "behavior",
    "cookie",
    "document",
    "window",
    "javascript",
    "-moz-binding",
)
_STRONG_CSS = re.compile(
    r"-moz-|absolute|relative|outline|z-index|(?<!-)(?:top|left|right|bottom)\s*:|filter|-webkit-",
    re.IGNORECASE,
)
_URL_IN_TEXT = re.compile(r"(https?://[^\s'\"<>]+[a-zA-Z0-9_/&=\-])")
_MENTION_FIRST = re.compile(
    r"^(@([\w\-]+)(?:\.([\w\-.]*[\w\-]))?)(?=$|\W)", re.MULTILINE | re.ASCII
)
_MENTION = re.compile(
    r"(\\.)|(?<=[^\w/])(@([\w\-]+)(?:\.([\w\-.]*[\w\-]))?)(?=$|\W)", re.MULTILINE | re.ASCII
)
_USERNAME = re.compile(r"^\s*([a-z0-9_\-]{1,25})\s*$")

# --- tokens -------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<comment><!--.*?-->)"
    r"|(?P<decl><![^>]*>)"
    r"|(?P<pi><\?[^>]*>)"
    r"|</(?P<end>[a-zA-Z][^\s>]*)\s*[^>]*>"
    r"|<(?P<start>[a-zA-Z][^\s/>]*)(?P<attrs>(?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?"
    r"|\s*/(?!>))*)\s*(?P<slash>/?)>",
    re.DOTALL,
)
_ATTR = re.compile(r"([^\s=>/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


@dataclass
class Token:
    """One HTML::TokeParser token: 'S' start tag, 'E' end tag, 'T' text, 'C' comment."""

    kind: str
    name: str = ""
    attrs: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""
    slash: bool = False


def tokens(source: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    for m in _TOKEN.finditer(source):
        if m.start() > pos:
            out.append(Token("T", text=source[pos : m.start()]))
        pos = m.end()
        if m.group("comment") or m.group("decl") or m.group("pi"):
            out.append(Token("C", text=m.group(0)))
        elif m.group("end"):
            out.append(Token("E", name=m.group("end").lower()))
        else:
            attrs = []
            for a in _ATTR.finditer(m.group("attrs") or ""):
                value = a.group(2)
                if value is None:
                    value = a.group(1).lower()
                elif value[:1] in "\"'":
                    value = value[1:-1]
                attrs.append((a.group(1).lower(), html.unescape(value)))
            out.append(
                Token("S", m.group("start").lower(), attrs, m.group(0), bool(m.group("slash")))
            )
    if pos < len(source):
        out.append(Token("T", text=source[pos:]))
    # HTML::Parser reports a run of text as one token
    merged: list[Token] = []
    for tok in out:
        if tok.kind == "T" and merged and merged[-1].kind == "T":
            merged[-1].text += tok.text
        else:
            merged.append(tok)
    return merged


# --- helpers ------------------------------------------------------------------------------------


def ehtml(text: str) -> str:
    """LJ::ehtml."""
    return (
        text.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def canonical_username(name: str | None) -> str:
    """LJ::canonical_username (cgi-bin/LJ/User/Account.pm:1283): '' when not a username."""
    m = _USERNAME.match((name or "").lower())
    return m.group(1).replace("-", "_") if m else ""


def expand_lj_url(rest: str) -> str:
    """ExpandLJURL for the common `lj://user/NAME` form (CleanHTML.pm:1498)."""
    parts = [p for p in rest.split("/") if p]
    if len(parts) >= 2 and parts[0] == "user":
        return f"{SITE_ROOT}/users/{canonical_username(parts[1])}/" + "".join(
            p + "/" for p in parts[2:]
        )
    return f"{SITE_ROOT}/error:bogus-lj-url"


UserLink = Callable[[str], str]


@dataclass
class CleanOptions:
    """The clean() options a format and a context give (see formats.py)."""

    mode: str = "allow"  # 'allow' (entries) | 'deny' (comments)
    allow: frozenset[str] = frozenset()
    eat: frozenset[str] = SUBJECT_EAT
    remove: frozenset[str] = EVENT_REMOVE
    addbreaks: bool = False
    at_mentions: bool = False
    autolinks: bool = True
    markdown: bool = False
    nodwtags: bool = False
    cleancss: bool = True
    strongcleancss: bool = False
    extractlinks: bool = False
    noearlyclose: bool = True


@dataclass
class Cleaned:
    """Cleaned HTML plus where each cut opened and closed (offsets in `html`) and its label."""

    html: str
    cuts: list[tuple[int, int | None, str | None]] = field(default_factory=list)


class _Cleaner:
    def __init__(self, opts: CleanOptions, user_link: UserLink) -> None:
        self.o = opts
        self.user_link = user_link
        self.out: list[str] = []
        self.open: dict[str, int] = {}
        self.stack: list[str] = []
        self.tables: list[dict[str, int]] = []
        self.cuts: list[tuple[int, int | None, str | None]] = []
        self.cut_open: list[int] = []
        self.link_urls: list[str] = []
        self.auto_links = opts.autolinks and not opts.extractlinks and not opts.markdown

    @property
    def size(self) -> int:
        return sum(len(part) for part in self.out)

    def count(self, tag: str) -> int:
        return self.open.get(tag, 0)

    def run(self, source: str) -> Cleaned:
        toks = tokens(source)
        i = 0
        eating_user_span: str | None = None
        while i < len(toks):
            tok = toks[i]
            i += 1
            if tok.kind == "S":
                tag = TAG_UPDATES.get(tok.name, tok.name)
                attrs = dict(tok.attrs)
                if eating_user_span is not None:
                    continue
                if (
                    tag == "span"
                    and attrs.get("class", "").lower() == "ljuser"
                    and not self.o.nodwtags
                ):
                    eating_user_span = ""
                    continue
                if tag in self.o.eat or tag == "script":
                    i = _skip_to_end(toks, i, tok.name)
                    continue
                self.start_tag(tag, tok)
            elif tok.kind == "E":
                tag = TAG_UPDATES.get(tok.name, tok.name)
                if eating_user_span is not None:
                    if tag == "span":
                        self.out.append(self.user_link(eating_user_span))
                        eating_user_span = None
                    continue
                self.end_tag(tag)
            elif tok.kind == "T":
                if eating_user_span is not None:
                    eating_user_span = tok.text
                    continue
                self.text(tok.text)
            # comments ('C') are dropped (no keepcomments)
        self.finish()
        return Cleaned("".join(self.out), self.cuts)

    # -- start tags ------------------------------------------------------------------------------

    def start_tag(self, tag: str, tok: Token) -> None:
        o = self.o
        attrs = dict(tok.attrs)
        if "@" in tag or "://" in tag:
            self.out.append(ehtml(f"<{tag}>"))
            return
        if tag == "lj-cut" and not o.nodwtags:
            label = attrs.get("text")
            if label is not None:
                label = label.replace("<", "&lt;").replace(">", "&gt;")
            number = len(self.cuts) + 1
            self.out.append(f'<a name="cutid{number}"></a>')
            self.cuts.append((self.size, None, label))
            self.cut_open.append(len(self.cuts) - 1)
            return
        if tag == "lj" and not o.nodwtags:
            user = attrs.get("name", attrs.get("user", attrs.get("comm")))
            self.out.append(self.user_link(user or ""))
            return
        if tag == "lj-raw" and not o.nodwtags:
            self.open["lj-raw"] = self.count("lj-raw") + 1
            return
        if tag.endswith(":set"):
            return
        kept: list[tuple[str, str]] = []
        strip = {"id"} if o.cleancss else set()
        for name, value in tok.attrs:
            if name in strip or name.startswith(("on", "dynsrc")) or name in ("data", "/"):
                continue
            value = value.replace("\t", "").replace("\n", "").replace("\x00", "")
            nowhite = re.sub(r"[\s\x0b]+", "", value)
            if re.search(
                r"(?:jscript|livescript|javascript|vbscript|^about|data):", nowhite, re.IGNORECASE
            ):
                continue
            if name == "style" and o.cleancss:
                value = value.replace("\\", "")
                if any(bad in value.lower() for bad in _BAD_CSS):
                    continue
                if o.strongcleancss and _STRONG_CSS.search(value):
                    continue
            if name in ("class", "id") and o.strongcleancss:
                continue
            if name == "href":
                lj = re.match(r"^(?:lj|site):(?://)?(.*)$", value, re.IGNORECASE)
                value = expand_lj_url(lj.group(1)) if lj else value.strip()
            kept.append((name, value))
        if tag == "a" and o.extractlinks:
            self.link_urls.append(dict(kept).get("href", ""))
            self.out.append("<b>")
            return
        if o.mode == "allow":
            allow = tag not in o.remove
        else:
            allow = tag in o.allow
        if not allow or tag in o.remove:
            return
        if (
            (tag in TABLE_PARTS and not self.tables)
            or (tag in ("td", "th") and not self.tables[-1].get("tr"))
            or (
                tag == "table"
                and self.tables
                and not (self.tables[-1].get("td") or self.tables[-1].get("th"))
            )
        ):
            allow = False
        rendered = "".join(f' {name}="{ehtml(value)}"' for name, value in kept)
        void = bool(VOID_TAGS.match(tag))
        slashclose = tok.slash and void
        if not allow:
            self.out.append(f"&lt;{tag}{rendered}{' /' if slashclose else ''}&gt;")
            return
        self.out.append(f"<{tag}{rendered}{' /' if slashclose else ''}>")
        if slashclose:
            return
        self.open[tag] = self.count(tag) + 1
        if tag == "table":
            self.tables.append({})
        elif self.tables:
            self.tables[-1][tag] = self.tables[-1].get(tag, 0) + 1
        if tag == "table" or not self.tables:
            self.stack.append(tag)

    # -- end tags --------------------------------------------------------------------------------

    def end_tag(self, tag: str) -> None:
        o = self.o
        if re.search(r"[^\w\-:]", tag):
            return
        if tag == "lj-raw" and not o.nodwtags:
            self.open["lj-raw"] = max(0, self.count("lj-raw") - 1)
            return
        if tag == "lj-cut" and not o.nodwtags:
            if self.cut_open:
                index = self.cut_open.pop()
                start, _, label = self.cuts[index]
                self.cuts[index] = (start, self.size, label)
            return
        if o.extractlinks and tag == "a" and self.link_urls:
            self.out.append(f"</b> ({ehtml(self.link_urls.pop())})")
            return
        allow = tag not in o.remove if o.mode == "allow" else tag in o.allow
        if not allow or tag in o.remove:
            return
        if ((tag in TABLE_PARTS or tag == "table") and not self.tables) or (
            tag in ("td", "th") and not self.tables[-1].get("tr")
        ):
            self.out.append(f"&lt;/{tag}&gt;")  # out of table scope: shown as text
            return
        if o.noearlyclose and not self.count(tag):
            return
        if not self.tables:
            while self.stack:
                close = self.stack.pop()
                if close == tag:
                    break
                self.open[close] = self.count(close) - 1
                if not VOID_TAGS.match(close):
                    self.out.append(f"</{close}>")
        if tag == "table":
            self.tables.pop()
            if self.stack and self.stack[-1] == "table":
                self.stack.pop()
        elif self.tables:
            if not self.tables[-1].get(tag):
                return
            self.tables[-1][tag] -= 1
        if self.count(tag):
            self.out.append(f"</{tag}>")
            self.open[tag] -= 1

    # -- text ------------------------------------------------------------------------------------

    def text(self, text: str) -> None:
        o = self.o
        auto_format = (
            not o.markdown
            and o.addbreaks
            and self.count("table") <= self.count("td") + self.count("th")
            and not self.count("pre")
            and not self.count("textarea")
            and not self.count("lj-raw")
        )
        urls: dict[int, str] = {}
        if auto_format and self.auto_links and not self.count("a"):

            def stash(m: re.Match[str]) -> str:
                url = m.group(1)
                tail = ""
                ent = re.match(r"^(.*?)(&(#39|quot|lt|gt)(;.*)?)$", url)
                if ent:
                    url, tail = ent.group(1), ent.group(2)
                urls[len(urls) + 1] = url
                return f"&url{len(urls)};{url}&urlend;{tail}"

            text = _URL_IN_TEXT.sub(stash, text)
        text = text.replace("<", "&lt;").replace(">", "&gt;")
        if auto_format:
            text = re.sub(r"\r?\n", "<br />", text)
            if not self.count("a"):
                text = re.sub(
                    r"&url(\d+);(.*?)&urlend;",
                    lambda m: f'<a href="{urls[int(m.group(1))]}">{m.group(2)}</a>',
                    text,
                )
        if (
            o.at_mentions
            and not o.nodwtags
            and not self.count("code")
            and not self.count("pre")
            and not self.count("textarea")
            and not self.count("lj-raw")
        ):
            text = self.mentions(text)
        self.out.append(text)

    def mentions(self, text: str) -> str:
        """convert_user_mentions (CleanHTML.pm:1969-2004)."""

        def tag(user: str, site: str | None) -> str:
            if site:
                return f"<b>[Bad username or site: {ehtml(user)} @ {ehtml(site)}]</b>"
            return self.user_link(user)

        text = _MENTION_FIRST.sub(lambda m: tag(m.group(2), m.group(3)), text)

        def later(m: re.Match[str]) -> str:
            if m.group(1) is not None:
                return "@" if m.group(1) == "\\@" else m.group(1)
            return tag(m.group(3), m.group(4))

        return _MENTION.sub(later, text)

    def finish(self) -> None:
        if self.o.extractlinks:
            for url in self.link_urls:
                self.out.append(f"</b> ({ehtml(url)})")
        if self.count("textarea"):
            self.out.append("</textarea>")
            self.open["textarea"] = 0
        for tag in reversed(self.stack):
            if VOID_TAGS.match(tag):
                continue
            if self.count(tag):
                self.out.append(f"</{tag}>")
                self.open[tag] -= 1
        size = self.size
        self.cuts = [
            (start, end if end is not None else size, lab) for start, end, lab in self.cuts
        ]


def _skip_to_end(toks: list[Token], i: int, name: str) -> int:
    """HTML::TokeParser get_tag("/name"): drop everything up to and including the end tag."""
    while i < len(toks):
        tok = toks[i]
        i += 1
        if tok.kind == "E" and tok.name == name:
            break
    return i


def clean(source: str, opts: CleanOptions, user_link: UserLink) -> Cleaned:
    """Clean `source` as LJ::CleanHTML::clean does with `opts` (entry-page view of cuts)."""
    cleaned = _Cleaner(opts, user_link).run(source)
    out = cleaned.html
    while re.search(r"<script\b", out, re.IGNORECASE):  # the extra-paranoid check
        out = re.sub(r"<script\b", "", out, flags=re.IGNORECASE)
    return Cleaned(out, cleaned.cuts)
