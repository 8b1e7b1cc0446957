"""Markdown as Dreamwidth converts it: Text::Markdown 1.0.31 (Markdown.pl rules), a subset.

LJ::CleanHTML::clean runs `Text::Markdown::markdown` on `markdown0` text before cleaning it
(cgi-bin/LJ/CleanHTML.pm:201-204). This is an independent re-implementation of that converter's
documented pipeline for the constructs the fake site's journals use; where it differs from
CommonMark it follows Text::Markdown:

* blocks: setext and ATX headers, horizontal rules, lists that start only after a blank line or
  at the top (a list cannot interrupt a paragraph), tight items as `<li>text</li>` and items
  separated by blank lines as `<li><p>..</p></li>`, indented code blocks, blockquotes (inner lines
  indented by two spaces), block-level HTML left alone when its line starts with one of p, div,
  h1-h6, blockquote, pre, table, dl, ol, ul, script, noscript, form, fieldset, iframe, math, ins,
  del (up to the next blank line here), paragraphs as `<p>..</p>` joined by a blank line;
* spans: code spans, backslash escapes, inline links `[text](url "title")`, `<http://..>`
  autolinks, `&`/`<` encoded unless they start an entity or a tag (a tag name like `cut` or
  `user` is just inline HTML, so `<cut>` on its own line becomes `<p><cut></p>`), `**strong**`
  and `*em*` (also with `_`) only at the start of the text or after a non-word character, a
  second pass for nesting, and two trailing spaces for ` <br />`.

Not covered (unused here): reference-style links and images, nested lists, email autolinks.
`markdown(text)` ends with one newline like Text::Markdown.
"""

from __future__ import annotations

import hashlib
import re

_BLOCK_TAG = re.compile(
    r"^[ ]{0,3}<(p|div|h[1-6]|blockquote|pre|table|dl|ol|ul|script|noscript|form|fieldset|iframe"
    r"|math|ins|del)\b",
    re.IGNORECASE,
)
_MARKER_UL = r"[*+-]"
_MARKER_OL = r"\d+[.]"
_MARKER_ANY = rf"(?:{_MARKER_UL}|{_MARKER_OL})"
_HASH = re.compile("\x02[0-9a-f]{32}\x03")
_TAG = re.compile(r"<[a-zA-Z/!$](?:[^<>]|<[^<>]*>)*>")


class _Converter:
    """One conversion: hashed blocks and spans are swapped back in at the end (Markdown.pl's
    md5 table)."""

    def __init__(self) -> None:
        self.saved: dict[str, str] = {}

    def hide(self, text: str) -> str:
        key = "\x02" + hashlib.md5(text.encode("utf-8")).hexdigest() + "\x03"
        self.saved[key] = text
        return key

    def block(self, html: str) -> str:
        return "\n\n" + self.hide(html.rstrip("\n")) + "\n\n"

    def restore(self, text: str) -> str:
        while _HASH.search(text):
            text = _HASH.sub(lambda m: self.saved.get(m.group(0), ""), text)
        return text

    # -- blocks ----------------------------------------------------------------------------------

    def html_blocks(self, text: str) -> str:
        out: list[str] = []
        for chunk in re.split(r"(\n{2,})", text):
            if _BLOCK_TAG.match(chunk):
                out.append(self.block(chunk))
            else:
                out.append(chunk)
        return "".join(out)

    def block_gamut(self, text: str, wrap: bool = True) -> str:
        text = self.headers(text)
        for char in (r"\*", "-", "_"):
            text = re.sub(
                rf"^[ ]{{0,3}}({char}[ ]?){{3,}}[ \t]*$",
                lambda m: self.block("<hr />"),
                text,
                flags=re.MULTILINE,
            )
        text = self.lists(text)
        text = self.code_blocks(text)
        text = self.block_quotes(text)
        text = self.html_blocks(text)
        return self.paragraphs(text, wrap)

    def headers(self, text: str) -> str:
        def make(level: int, title: str) -> str:
            return self.block(f"<h{level}>{self.span_gamut(title)}</h{level}>")

        text = re.sub(
            r"^(.+)[ \t]*\n=+[ \t]*\n+", lambda m: make(1, m.group(1)), text, flags=re.MULTILINE
        )
        text = re.sub(
            r"^(.+)[ \t]*\n-+[ \t]*\n+", lambda m: make(2, m.group(1)), text, flags=re.MULTILINE
        )
        return re.sub(
            r"^(#{1,6})[ \t]*(.+?)[ \t]*#*\n+",
            lambda m: make(len(m.group(1)), m.group(2)),
            text,
            flags=re.MULTILINE,
        )

    def lists(self, text: str) -> str:
        whole = re.compile(
            rf"(?:(?<=\n\n)|\A\n?)(([ ]{{0,3}}({_MARKER_ANY})[ \t]+)(?s:.+?)"
            rf"(?:\Z|\n{{2,}}(?=\S)(?![ \t]*{_MARKER_ANY}[ \t]+)))",
            re.MULTILINE,
        )

        def one(m: re.Match[str]) -> str:
            kind = "ul" if re.fullmatch(_MARKER_UL, m.group(3)) else "ol"
            body = re.sub(r"\n{2,}", "\n\n\n", m.group(1))
            body = re.sub(r"\n{2,}\Z", "\n", body)
            if not body.endswith("\n"):
                body += "\n"
            items = re.finditer(
                rf"(\n)?(^[ \t]*)({_MARKER_ANY})[ \t]+((?s:.+?)(\n{{1,2}}))"
                rf"(?=\n*(?:\Z|\2{_MARKER_ANY}[ \t]+))",
                body,
                re.MULTILINE,
            )
            html = []
            for item in items:
                content = re.sub(r"(?m)^(\t|[ ]{1,4})", "", item.group(4))
                if item.group(1) or re.search(r"\n{2,}", item.group(4)):
                    inner = self.restore(self.block_gamut(content))
                else:
                    inner = self.span_gamut(content.rstrip("\n"))
                html.append(f"<li>{inner}</li>\n")
            return self.block(f"<{kind}>\n" + "".join(html) + f"</{kind}>\n")

        return whole.sub(one, text)

    def code_blocks(self, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            code = re.sub(r"(?m)^(\t|[ ]{1,4})", "", m.group(1))
            code = _encode_code(code).lstrip("\n").rstrip("\n")
            return self.block(f"<pre><code>{code}\n</code></pre>")

        return re.sub(
            r"(?:\n\n|\A)((?:(?:[ ]{4}|\t).*\n+)+)((?=^[ ]{0,4}\S)|\Z)",
            one,
            text,
            flags=re.MULTILINE,
        )

    def block_quotes(self, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            quoted = re.sub(r"(?m)^[ \t]*>[ \t]?", "", m.group(1))
            quoted = re.sub(r"(?m)^[ \t]+$", "", quoted)
            inner = self.restore(self.block_gamut(quoted))
            inner = re.sub(r"(?m)^", "  ", inner)
            inner = re.sub(
                r"(\s*<pre>.+?</pre>)",
                lambda p: re.sub(r"(?m)^  ", "", p.group(1)),
                inner,
                flags=re.DOTALL,
            )
            return self.block(f"<blockquote>\n{inner}\n</blockquote>")

        return re.sub(r"((?:^[ \t]*>[ \t]?.+\n(?:.+\n)*\n*)+)", one, text, flags=re.MULTILINE)

    def paragraphs(self, text: str, wrap: bool) -> str:
        text = re.sub(r"\A\n+", "", text)
        text = re.sub(r"\n+\Z", "", text)
        out = []
        for chunk in re.split(r"\n{2,}", text):
            if _HASH.fullmatch(chunk):
                out.append(chunk)
                continue
            chunk = self.span_gamut(chunk)
            if wrap:
                chunk = re.sub(r"^([ \t]*)", "<p>", chunk, count=1) + "</p>"
            out.append(chunk)
        return "\n\n".join(out)

    # -- spans -----------------------------------------------------------------------------------

    def span_gamut(self, text: str) -> str:
        text = re.sub(
            r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)",
            lambda m: self.hide("<code>" + _encode_code(m.group(2).strip(" \t")) + "</code>"),
            text,
            flags=re.DOTALL,
        )
        text = re.sub(
            r"<((?:https?|ftp):[^'\">\s]+)>",
            lambda m: self.hide(f'<a href="{m.group(1)}">{m.group(1)}</a>'),
            text,
            flags=re.IGNORECASE,
        )
        # inline HTML is copied verbatim (Markdown.pl shields * and _ inside tags)
        text = _TAG.sub(lambda m: self.hide(m.group(0)), text)
        text = re.sub(r"\\([\\`*_{}\[\]()>#+\-.!])", lambda m: self.hide(m.group(1)), text)
        text = re.sub(
            r"\[([^\[\]]*)\]\([ \t]*<?([^()\s>]*)>?[ \t]*(?:(['\"])(.*?)\3[ \t]*)?\)",
            self._anchor,
            text,
        )
        text = re.sub(r"&(?!#?[xX]?(?:[0-9a-fA-F]+|\w+);)", "&amp;", text)
        text = re.sub(r"<(?![a-zA-Z/?$!])", "&lt;", text)
        strong = r"(\*\*|__)(?=\S)(.+?[*_]*)(?<=\S)\1"
        em = r"(\*|_)(?=\S)(.+?)(?<=\S)\1"
        text = re.sub(r"\A" + strong, r"<strong>\2</strong>", text, flags=re.DOTALL)
        text = re.sub(r"\A" + em, r"<em>\2</em>", text, flags=re.DOTALL)
        for _ in range(2):
            text = re.sub(r"(?<=\W)" + strong, r"<strong>\2</strong>", text, flags=re.DOTALL)
            text = re.sub(r"(?<=\W)" + em, r"<em>\2</em>", text, flags=re.DOTALL)
        return re.sub(r" {2,}\n", " <br />\n", text)

    def _anchor(self, m: re.Match[str]) -> str:
        title = m.group(4)
        attr = "" if title is None else ' title="' + title.replace('"', "&quot;") + '"'
        return self.hide(f'<a href="{m.group(2)}"{attr}>') + m.group(1) + self.hide("</a>")


def _encode_code(code: str) -> str:
    return code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown(text: str) -> str:
    """HTML for Markdown text, as Text::Markdown gives it (one trailing newline)."""
    conv = _Converter()
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
    text = text.expandtabs(4)
    text = re.sub(r"^[ \t]+$", "", text, flags=re.MULTILINE)
    text = conv.html_blocks(text)
    text = conv.block_gamut(text)
    return conv.restore(text) + "\n"
