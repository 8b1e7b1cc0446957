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
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from .formats import FormatRules
from .userlink import SiteLinks, convert_mentions, user_link_html

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
    r"^(?:area|base|basefont|br|col|embed|frame|hr|img|input|isindex|link|meta|param|source|"
    r"track|wbr|lj-embed|site-embed|poll-\d+|lj-poll-\d+)$"
)  # $slashclose_tags, l.81-82
FORM_TAGS = frozenset({"input", "select", "option"})
TABLE_PARTS = frozenset({"tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup", "col"})
_TAG_NAME = re.compile(r"^\w(?:[\w\-:_]*\w)?$", re.ASCII)
_END_TAG_NAME = re.compile(r"^[\w\-:]+$", re.ASCII)
_ATTR_NAME = re.compile(r"^[\w_:-]+$", re.ASCII)
_BAD_SCHEME = re.compile(r"(?:jscript|livescript|javascript|vbscript|^about|data):", re.IGNORECASE)
_URL = re.compile(r"(https?://[^ \t\n\r\f\v'\"<>]+[a-zA-Z0-9_/&=\-])")
_URL_ENTITY_TAIL = re.compile(r"^(.*?)(&(#39|quot|lt|gt)(;.*)?)$")
_URL_MARK = re.compile(r"&url(\d+);(.*?)&urlend;")
_CSS_DENY = ("/*", "[", "absolute", "fixed", "expression", "eval", "behavior", "cookie",
             "document", "window", "javascript", "-moz-binding")  # fmt: skip
_CSS_STRONG_DENY = re.compile(
    r"-moz-|absolute|relative|outline|z-index|(?<!-)(?:top|left|right|bottom)\s*:|filter|-webkit-",
    re.IGNORECASE,
)

ENTRY_EAT = (
    "head",
    "title",
    "style",
    "layer",
    "iframe",
    "applet",
    "object",
    "xml",
    "param",
    "base",
)
ENTRY_REMOVE = ("bgsound", "embed", "object", "link", "body", "meta", "noscript", "plaintext",
                "noframes")  # fmt: skip
COMMENT_EAT = ("head", "title", "style", "layer", "iframe", "applet", "object")
COMMENT_ANON_EAT = (*COMMENT_EAT, "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption",
                    "colgroup", "col", "font")  # fmt: skip
COMMENT_ALLOW = (
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
)  # fmt: skip  (@comment_all, l.1629-1640)

ERROR_MARKUP = (
    "[<strong>Error:</strong> Irreparable invalid markup ('&lt;{tag}&gt;') in entry. "
    "Owner must fix manually. Raw contents below.]"
)  # cleanhtml.error.markup.extra (bin/upgrading/en.dat:36)
ERROR_TEMPLATE = "[Error: unknown template {name}]"  # cleanhtml.error.template (en.dat:38)
ERROR_VIDEO = "[Error: unknown template 'video']"  # cleanhtml.error.template.video (en.dat:40)


@dataclass(frozen=True)
class CleanPolicy:
    """Which cleaner call this is: clean_event (entries) or clean_comment."""

    mode: str  # 'allow' (everything but `remove`) | 'deny' (only `allow`)
    eat: tuple[str, ...]
    remove: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    strongcleancss: bool = False
    nocss: bool = False
    extractlinks: bool = False
    extractimages: bool = False


ENTRY_POLICY = CleanPolicy(mode="allow", eat=ENTRY_EAT, remove=ENTRY_REMOVE)
COMMENT_POLICY = CleanPolicy(mode="deny", eat=COMMENT_EAT, allow=COMMENT_ALLOW, strongcleancss=True)
ANON_COMMENT_POLICY = CleanPolicy(
    mode="deny",
    eat=COMMENT_ANON_EAT,
    allow=COMMENT_ALLOW,
    strongcleancss=True,
    nocss=True,
    extractlinks=True,
    extractimages=True,
)


def _e(text: str) -> str:
    """LJ::ehtml: & < > " ' escaped."""
    return html.escape(text, quote=True).replace("&#x27;", "&#39;")


def _true(n: int) -> bool:
    """A Perl counter in a boolean test: any non-zero value is true (counts can go below 0)."""
    return n != 0


class _Cleaner(HTMLParser):
    """One clean() run. Feed the source, call close(), read `output`."""

    def __init__(
        self, source: str, rules: FormatRules, policy: CleanPolicy, links: SiteLinks
    ) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.rules = rules
        self.policy = policy
        self.links = links
        self.out: list[str] = []
        self.text: list[str] = []
        self.opencount: Counter[str] = Counter()
        self.tablescope: list[Counter[str]] = []
        self.tagstack: list[str] = []
        self.eat_to: str | None = None  # an `eat` tag: skip everything up to its end tag
        self.eatuntil: list[str] = []  # captures (lj-template, ljvideo) being skipped
        self.eating_ljuser = False
        self.ljuser_text = ""
        self.rte_user: list[str] | None = None  # RTE <div class="ljuser">: text up to </b>
        self.rte_skip_div = False  # ... then everything up to </div>
        self.cutcount = 0
        self.no_mentions = False  # inside <blockquote class="twitter-tweet">
        self.link_urls: list[str] = []  # extractlinks: hrefs of the open <a>s
        self.failed = False
        self.extra = ""  # the error notice after an irreparable tag
        self.eat = frozenset(policy.eat) | {"script"}
        self.remove = frozenset(policy.remove)
        self.allow = frozenset(policy.allow)

    # --- output ----------------------------------------------------------------------------

    @property
    def output(self) -> str:
        return "".join(self.out)

    def _emit(self, text: str) -> None:
        self.out.append(text)

    # --- tokens ----------------------------------------------------------------------------

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        self.text.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.text.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._flush_text()  # comments are dropped (keepcomments is never set)

    def handle_decl(self, decl: str) -> None:
        self._flush_text()

    def unknown_decl(self, data: str) -> None:
        self._flush_text()

    def handle_pi(self, data: str) -> None:
        self._flush_text()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush_text()
        if not self.failed:
            self._start(tag, attrs, slashclose=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush_text()
        if not self.failed:
            self._start(tag, attrs, slashclose=True)

    def handle_endtag(self, tag: str) -> None:
        self._flush_text()
        if not self.failed:
            self._end(tag)

    def close(self) -> None:
        super().close()
        self._flush_text()
        self._finish()

    # --- start tags ------------------------------------------------------------------------

    def _start(
        self, raw: str, attr_list: list[tuple[str, str | None]], *, slashclose: bool
    ) -> None:
        if self.eat_to is not None or self.rte_skip_div:
            return
        if self.rte_user is not None:
            return
        tag = TAG_UPDATES.get(raw, raw)
        attrs = {name: (value if value is not None else name) for name, value in attr_list}
        cls = (attrs.get("class") or "").lower()
        dwtags = self.rules.dwtags
        ljcut_div = tag == "div" and cls == "ljcut"

        if self.eatuntil:
            if tag == "lj-cut" or ljcut_div:
                self.cutcount += 1
            if tag == self.eatuntil[-1]:
                self.eatuntil.append(tag)
            return
        if tag == "lj-template" and dwtags:
            name = (attrs.get("name") or "").replace("-", "_")
            self._emit("<strong>" + ERROR_TEMPLATE.format(name=_e(name)) + "</strong>")
            if not slashclose:
                self.eatuntil.append("lj-template")
            return
        if tag == "span" and cls == "ljuser" and dwtags:
            self.eating_ljuser = True
            self.ljuser_text = ""
        if self.eating_ljuser:
            return
        if tag in ("div", "span") and cls == "ljvideo":
            self._emit("<strong>" + ERROR_VIDEO + "</strong>")
            self.eatuntil.append(tag)
            return
        if "@" in tag or "://" in tag:
            self._emit(_e(f"<{tag}>"))
            return
        if tag in FORM_TAGS and not _true(self.opencount["form"]):
            self._emit(f"&lt;{tag} ... &gt;")
            return
        if not _TAG_NAME.match(tag):
            self._total_fail(tag)
            return
        if tag in self.eat:
            self.eat_to = tag
            return
        if tag == "div" and attrs.get("class") == "ljuser" and dwtags:
            self.rte_user = []
            return
        if tag == "blockquote" and attrs.get("class") == "twitter-tweet":
            self.no_mentions = True
        if (tag == "lj-cut" or ljcut_div) and dwtags:
            self.cutcount += 1
            self._emit(f'<a name="cutid{self.cutcount}"></a>')
            if tag == "div":
                self.opencount["div"] += 1
                text = attrs.get("text") or "Read more..."
                self._emit(f'<div class="ljcut" text="{_e(text)}">')
            return
        if tag == "lj" and dwtags:
            user = attrs.get("name", attrs.get("user", attrs.get("comm")))
            self._emit(
                user_link_html(
                    user, attrs.get("site"), self.links, no_link=_true(self.opencount["a"])
                )
            )
            return
        if tag == "lj-raw" and dwtags:
            self.opencount["lj-raw"] += 1
            return
        if tag.endswith(":set"):
            return
        self._generic_start(tag, attr_list, slashclose=slashclose)

    def _clean_attrs(
        self, tag: str, attr_list: list[tuple[str, str | None]]
    ) -> list[tuple[str, str]] | None:
        """The attributes clean() keeps, in source order; None after a total failure."""
        kept: dict[str, str] = {}
        for name, value in attr_list:
            kept[name] = name if value is None else value
        kept.pop("id", None)  # cleancss strips ids (l.183-186)
        if self.policy.nocss:
            kept.pop("style", None)
        for name in list(kept):
            if name.startswith(("on", "dynsrc")):
                del kept[name]
                continue
            if name == "data":
                del kept[name]
                kept.pop("type", None)
                continue
            if re.search(r"(?:^=)|[\x0b\x0d]", name):
                self._total_fail(f"{tag} {name}")
                return None
            if not _ATTR_NAME.match(name):
                more = "[...] " if len(kept) > 1 else ""
                self._total_fail(f"{tag} {more}{name}")
                return None
            value = kept[name].replace("\t", "").replace("\n", "").replace("\x00", "")
            kept[name] = value
            if _BAD_SCHEME.search(re.sub(r"\s+", "", value)):
                del kept[name]
                continue
            if name == "style":
                style = value.replace("\\", "")
                low = style.lower()
                if any(word in low for word in _CSS_DENY) or (
                    self.policy.strongcleancss and _CSS_STRONG_DENY.search(style)
                ):
                    del kept[name]
                    continue
                kept[name] = style
            if name in ("class", "id") and self.policy.strongcleancss:
                del kept[name]
                continue
        if "href" in kept:
            kept["href"] = kept["href"].strip()
        return [(name, kept[name]) for name, _ in attr_list if name in kept]

    def _generic_start(
        self, tag: str, attr_list: list[tuple[str, str | None]], *, slashclose: bool
    ) -> None:
        attrs = self._clean_attrs(tag, attr_list)
        if attrs is None:
            return
        if tag == "img" and self.policy.extractimages:
            src = dict(attrs).get("src", "")
            self._emit(
                f'<a class="ljimgplaceholder" href="{_e(src)}">'
                f'<img src="{_e(self.links.img_root)}/imageplaceholder3.png" alt="" /></a>'
            )
            self.opencount["img"] += 1
            return
        if tag == "a" and self.policy.extractlinks:
            self.link_urls.append(dict(attrs).get("href", ""))
            self._emit("<b>")
            return
        if self.policy.mode == "allow":
            allow = tag not in self.remove
        else:
            allow = tag in self.allow
        if not allow or tag in self.remove:
            return
        if (
            (tag in TABLE_PARTS and not self.tablescope)
            or (tag in ("td", "th") and not _true(self.tablescope[-1]["tr"]))
            or (
                tag == "table"
                and self.tablescope
                and not (_true(self.tablescope[-1]["td"]) or _true(self.tablescope[-1]["th"]))
            )
        ):
            allow = False
        parts = [("<" if allow else "&lt;") + tag]
        parts.extend(f' {name}="{_e(value)}"' for name, value in attrs)
        if slashclose:
            if VOID_TAGS.match(tag):
                parts.append(" /")
                self.opencount[tag] -= 1
                if self.tablescope:
                    self.tablescope[-1][tag] -= 1
            else:
                slashclose = False
        if allow:
            parts.append(">")
            self.opencount[tag] += 1
            if tag == "table":
                self.tablescope.append(Counter())
            elif self.tablescope:
                self.tablescope[-1][tag] += 1
            if not slashclose and (tag == "table" or not self.tablescope):
                self.tagstack.append(tag)
        else:
            parts.append("&gt;")
        self._emit("".join(parts))

    # --- end tags --------------------------------------------------------------------------

    def _end(self, raw: str) -> None:
        if self.eat_to is not None:
            if raw == self.eat_to:
                self.eat_to = None
            return
        if self.rte_user is not None:
            if raw == "b":
                name = re.sub(r"\[[^]]+\]", "", "".join(self.rte_user), count=1)
                self.rte_user = None
                self.rte_skip_div = True
                self._emit(
                    user_link_html(name, None, self.links, no_link=_true(self.opencount["a"]))
                )
            return
        if self.rte_skip_div:
            if raw == "div":
                self.rte_skip_div = False
            return
        tag = TAG_UPDATES.get(raw, raw)
        if not _END_TAG_NAME.match(tag):
            return
        if self.eatuntil:
            if self.eatuntil[-1] == tag:
                self.eatuntil.pop()
            return
        if self.eating_ljuser:
            if tag == "span":
                self.eating_ljuser = False
                self._emit(
                    user_link_html(
                        self.ljuser_text, None, self.links, no_link=_true(self.opencount["a"])
                    )
                )
            return
        if self.no_mentions and tag == "blockquote":
            self.no_mentions = False
        dwtags = self.rules.dwtags
        if tag == "lj-raw" and dwtags:
            self.opencount["lj-raw"] -= 1
            if self.tablescope:
                self.tablescope[-1]["lj-raw"] -= 1
            return
        if tag == "lj-cut" and dwtags:
            return
        if self.policy.mode == "allow":
            allow = True
        else:
            allow = tag in self.allow
        if self.policy.extractlinks and tag == "a" and self.link_urls:
            self._emit(f"</b> ({_e(self.link_urls.pop())})")
            return
        if not allow or tag in self.remove:
            return
        out_of_table = (tag in TABLE_PARTS or tag == "table") and not self.tablescope
        if out_of_table or (tag in ("td", "th") and not _true(self.tablescope[-1]["tr"])):
            allow = False
        if allow and _true(self.opencount[tag]):
            if not self.tablescope:
                while self.tagstack:
                    close = self.tagstack.pop()
                    if close == tag:
                        break
                    self.opencount[close] -= 1
                    if not VOID_TAGS.match(close):
                        self._emit(f"</{close}>")
            if tag == "table":
                self.tablescope.pop()
                if self.tagstack and self.tagstack[-1] == "table":
                    self.tagstack.pop()
            elif self.tablescope:
                if not _true(self.tablescope[-1][tag]):
                    return
                self.tablescope[-1][tag] -= 1
            if _true(self.opencount[tag]):
                self._emit(f"</{tag}>")
                self.opencount[tag] -= 1
        elif not allow or (tag in FORM_TAGS and not _true(self.opencount["form"])):
            self._emit(f"&lt;/{tag}&gt;")

    # --- text ------------------------------------------------------------------------------

    def _flush_text(self) -> None:
        if not self.text:
            return
        text = "".join(self.text)
        self.text = []
        if self.failed or self.eat_to is not None or self.eatuntil or self.rte_skip_div:
            return
        if self.rte_user is not None:
            self.rte_user.append(text)
            return
        if self.eating_ljuser:
            self.ljuser_text = text
            return
        oc = self.opencount
        auto_format = (
            self.rules.addbreaks
            and not self.rules.markdown
            and oc["table"] <= oc["td"] + oc["th"]
            and not _true(oc["pre"])
            and not _true(oc["textarea"])
            and not _true(oc["lj-raw"])
        )
        urls: dict[int, str] = {}
        if (
            auto_format
            and self.rules.autolinks
            and not self.policy.extractlinks
            and not _true(oc["a"])
        ):

            def mark(m: re.Match[str]) -> str:
                found = m.group(1)
                n = len(urls) + 1
                tail = _URL_ENTITY_TAIL.match(found)
                if tail:
                    urls[n] = tail.group(1)
                    return f"&url{n};{tail.group(1)}&urlend;{tail.group(2)}"
                urls[n] = found
                return f"&url{n};{found}&urlend;"

            text = _URL.sub(mark, text)
        text = text.replace("<", "&lt;").replace(">", "&gt;")
        if auto_format:
            text = re.sub(r"\r?\n", "<br />", text)
            if not _true(oc["a"]):
                text = _URL_MARK.sub(
                    lambda m: f'<a href="{urls[int(m.group(1))]}">{m.group(2)}</a>', text
                )
        if (
            self.rules.at_mentions
            and not self.no_mentions
            and not _true(oc["code"])
            and not _true(oc["pre"])
            and not _true(oc["textarea"])
            and not _true(oc["lj-raw"])
        ):
            text = convert_mentions(text, self.links, no_link=_true(oc["a"]))
        self._emit(text)

    # --- end of input ----------------------------------------------------------------------

    def _total_fail(self, tag: str) -> None:
        self.failed = True
        raw = _e(self.source)
        if self.rules.addbreaks:
            raw = re.sub(r"\r?\n", "<br />", raw)
        self.extra = (
            "<div class='ljparseerror'>"
            + ERROR_MARKUP.format(tag=_e(tag))
            + "<br /><br />"
            + '<div style="width: 95%; overflow: auto">'
            + raw
            + "</div></div>"
        )

    def _finish(self) -> None:
        for url in reversed(self.link_urls):
            self._emit(f"</b> ({_e(url)})")
            self.opencount["a"] -= 1
        self.link_urls = []
        if _true(self.opencount["textarea"]):
            self._emit("</textarea>")
        self.opencount["textarea"] = 0
        for tag in reversed(self.tagstack):
            if VOID_TAGS.match(tag):
                continue
            if _true(self.opencount[tag]):
                self._emit(f"</{tag}>")
                self.opencount[tag] -= 1
        self.tagstack = []
        if self.failed:
            self._emit(self.extra)


def clean(source: str, rules: FormatRules, policy: CleanPolicy, links: SiteLinks) -> str:
    """The HTML Dreamwidth would display for `source` (before the final sanitising pass).

    For markdown formats, `source` is the Markdown converter's output already."""
    cleaner = _Cleaner(source, rules, policy, links)
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
