"""The cleaner's walk over the source's tokens (html.parser's, split as HTML::Parser splits
them): Dreamwidth's tags renamed and handled (cuts, user tags, lj-raw, old ljuser spans, the
Rich Text Editor's user divs, templates and videos), tags eaten with their content, dropped or
printed as text, anonymous commenters' links and images, comments and declarations dropped.
Each run of text goes to the text rules (clean_text), each kept tag's attributes to
clean_attrs, its place among the open tags to clean_scope (OpenTags). One Cleaner per clean().
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .clean_attrs import Irreparable, clean_attrs
from .clean_scope import OpenTags
from .clean_tables import ERROR_TEMPLATE, ERROR_VIDEO, FORM_TAGS, TAG_UPDATES, CleanPolicy
from .clean_text import display_text, ehtml, error_notice
from .formats import FormatRules
from .userlink import SiteLinks, user_link_html

_TAG_NAME = re.compile(r"^\w(?:[\w\-:_]*\w)?$", re.ASCII)
_END_TAG_NAME = re.compile(r"^[\w\-:]+$", re.ASCII)


class Cleaner(HTMLParser):
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
        self.tags = OpenTags()
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
            self._emit("<strong>" + ERROR_TEMPLATE.format(name=ehtml(name)) + "</strong>")
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
            self._emit(ehtml(f"<{tag}>"))
            return
        if tag in FORM_TAGS and not self.tags.is_open("form"):
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
                self.tags.count["div"] += 1
                text = attrs.get("text") or "Read more..."
                self._emit(f'<div class="ljcut" text="{ehtml(text)}">')
            return
        if tag == "lj" and dwtags:
            user = attrs.get("name", attrs.get("user", attrs.get("comm")))
            self._emit(
                user_link_html(user, attrs.get("site"), self.links, no_link=self.tags.is_open("a"))
            )
            return
        if tag == "lj-raw" and dwtags:
            self.tags.count["lj-raw"] += 1
            return
        if tag.endswith(":set"):
            return
        self._generic_start(tag, attr_list, slashclose=slashclose)

    def _generic_start(
        self, tag: str, attr_list: list[tuple[str, str | None]], *, slashclose: bool
    ) -> None:
        attrs = clean_attrs(tag, attr_list, self.policy)
        if isinstance(attrs, Irreparable):
            self._total_fail(attrs.what)
            return
        if tag == "img" and self.policy.extractimages:
            src = dict(attrs).get("src", "")
            self._emit(
                f'<a class="ljimgplaceholder" href="{ehtml(src)}">'
                f'<img src="{ehtml(self.links.img_root)}/imageplaceholder3.png" alt="" /></a>'
            )
            self.tags.count["img"] += 1
            return
        if tag == "a" and self.policy.extractlinks:
            self.link_urls.append(dict(attrs).get("href", ""))
            self._emit("<b>")
            return
        if not self._permitted(tag):
            return
        self._emit(self.tags.start(tag, attrs, slashclose=slashclose))

    def _permitted(self, tag: str) -> bool:
        """The policy lets the tag through: every tag but `remove` in allow mode, only `allow`
        in deny mode."""
        allow = True if self.policy.mode == "allow" else tag in self.allow
        return allow and tag not in self.remove

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
                self._emit(user_link_html(name, None, self.links, no_link=self.tags.is_open("a")))
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
                        self.ljuser_text, None, self.links, no_link=self.tags.is_open("a")
                    )
                )
            return
        if self.no_mentions and tag == "blockquote":
            self.no_mentions = False
        dwtags = self.rules.dwtags
        if tag == "lj-raw" and dwtags:
            self.tags.uncount("lj-raw")
            return
        if tag == "lj-cut" and dwtags:
            return
        if self.policy.extractlinks and tag == "a" and self.link_urls:
            self._emit(f"</b> ({ehtml(self.link_urls.pop())})")
            return
        if not self._permitted(tag):
            return
        self._emit(self.tags.end(tag))

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
        self._emit(
            display_text(
                text,
                self.tags.count,
                self.rules,
                self.links,
                extractlinks=self.policy.extractlinks,
                no_mentions=self.no_mentions,
            )
        )

    # --- end of input ----------------------------------------------------------------------

    def _total_fail(self, what: str) -> None:
        self.failed = True
        self.extra = error_notice(self.source, what, addbreaks=self.rules.addbreaks)

    def _finish(self) -> None:
        for url in reversed(self.link_urls):
            self._emit(f"</b> ({ehtml(url)})")
            self.tags.count["a"] -= 1
        self.link_urls = []
        self._emit(self.tags.close_all())
        if self.failed:
            self._emit(self.extra)
