"""The pre-scan behind scraper.parse.guard: how deep and how big a tree a page makes, without
building it, in one linear pass.

`TreeScan(max_depth, max_elements).run(text)` tokenises the text as the HTML standard's tokenizer
(13.2.5) decides what a tag is: comments (`<!-->`, `--!>`), doctypes and bogus comments,
attribute values in quotes (a `>` inside them does not end the tag), the raw text of script,
style, xmp, iframe, noembed and noframes and the RCDATA of textarea and title, `<plaintext>`.
Each tag and each run of text goes to the tree model (scraper.parse.treemodel), O(1) amortised
per token. The scan stops once the elements pass `max_elements` (reconstruction can multiply
them); past `max_depth` the model goes on cheaply (the page is refused anyway) to report how
deep the page nests.
"""

from __future__ import annotations

import re

from .htmlkinds import (
    F_BITS,
    F_BUTTON,
    F_NAME,
    F_NS,
    F_UID,
    FAST_BLOCK,
    FAST_FORMAT,
    FAST_PLAIN,
    FAST_START,
    FAST_VOID,
    HTML,
    HTML_BITS,
    K_HTMLNS,
    K_MARKER,
    NOT_PLAIN,
    RAWTEXT,
    ROOT_FRAME,
    WS,
    ascii_lower,
    make_frame,
)
from .treemodel import E_ALIVE, E_FRAME, E_UID, TreeModel

# After a tag name: attributes as the tokenizer reads them (names may start with '=', values are
# quoted or run to whitespace or '>'); a '/' right before '>' marks a self-closing tag. Possessive
# quantifiers: no backtracking, linear in the tag's length.
ATTRS = (
    r"(?:[\t\n\f\r ]++|/(?!>)|[^\t\n\f\r />][^\t\n\f\r /=>]*+"
    r"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r >]++)?+)?+)*+"
)
# The next markup from a position: a start tag (name, attributes, '/', '>'), an end tag (name,
# '>'), a comment's start, or another '<!', '<?', '</' construct (a bogus comment). A '<' not
# followed by any of these is text, and the search passes over it.
_TOKEN = re.compile(
    r"<(?:([A-Za-z][^\t\n\f\r />]*+)(" + ATTRS + r")(/?)(>)?"
    r"|/([A-Za-z][^\t\n\f\r />]*+)" + ATTRS + r"/?(>)?"
    r"|(!--)|([!?/]))"
)
COMMENT_END = re.compile(r"--!?>")
_RAW_END: dict[str, re.Pattern[str]] = {}


def raw_end(name: str) -> re.Pattern[str]:
    pattern = _RAW_END.get(name)
    if pattern is None:
        pattern = _RAW_END[name] = re.compile(f"</{name}[{WS}/>]", re.IGNORECASE | re.ASCII)
    return pattern


class TreeScan(TreeModel):
    """One pass over a page's text: `run(text)`, then `max_depth`, `elements` and `work`."""

    # -- the text ----------------------------------------------------------------------------------

    def text(self, chunk: str) -> None:
        """Character data between tags: it ends the head and reopens formatting elements."""
        if self.in_head and chunk.strip(WS):
            self.in_head = False
            if self.head_noscript:
                self.leave_head_noscript()
        self.reconstruct()

    def run(self, text: str) -> None:
        n = len(text)
        at = 0
        search = _TOKEN.search
        stack, pos = self.stack, self.pos
        fast_start, html_bits = FAST_START.get, HTML_BITS.get
        while not self.stopped:
            m = search(text, at)
            if m is None:
                if at < n and (self.afe or self.in_head):
                    self.text(text[at:])
                return
            lt = m.start()
            if lt > at and (self.afe or self.in_head):
                self.text(text[at:lt])
            name, attrs, slash, close, end_name, end_close, comment, other = m.groups()
            if name is not None:
                if close is None:
                    return  # the page ends inside a tag: the tag is dropped
                at = m.end()
                name = name.lower() if name.isascii() else ascii_lower(name)
                depth = len(stack)
                self.work += depth
                top = stack[-1] if stack else ROOT_FRAME
                kind = fast_start(name) or (0 if name in NOT_PLAIN else FAST_PLAIN)
                if kind and not self.in_head and top[F_NS] == HTML and top[F_NAME] != "colgroup":
                    # the common cases, inlined (TreeModel.html_start has the same rules)
                    if kind == FAST_BLOCK:
                        p = pos.get("p")
                        if p and p[-1] >= top[F_BUTTON]:
                            self.pop_to(p[-1])
                            depth = len(stack)
                    else:
                        afe = self.afe
                        if afe:
                            last = afe[-1]
                            if last is not None and not (
                                last[E_ALIVE]
                                and last[E_FRAME] < depth
                                and stack[last[E_FRAME]][F_UID] == last[E_UID]
                            ):
                                self.reconstruct()
                                depth = len(stack)
                    if kind == FAST_VOID:
                        self.leaf()
                    else:
                        uid = self.uid = self.uid + 1
                        stack.append(
                            make_frame(
                                name,
                                HTML,
                                uid,
                                html_bits(name, K_HTMLNS),
                                stack[-1] if stack else ROOT_FRAME,
                                depth,
                            )
                        )
                        named = pos.get(name)
                        if named is None:
                            pos[name] = [depth]
                        else:
                            named.append(depth)
                        self.elements += 1
                        if depth + 3 > self.max_depth:
                            self.max_depth = depth + 3
                            if depth + 3 > self.depth_limit:
                                self.over = True
                        if kind == FAST_FORMAT:
                            self.add_formatting(name, attrs.strip(), uid)
                else:
                    self.start_tag(name, attrs, bool(slash))
                    if name in RAWTEXT or name == "plaintext":
                        at = self.raw_text(text, name, at)
            elif end_name is not None:
                if end_close is None:
                    return
                at = m.end()
                name = end_name.lower() if end_name.isascii() else ascii_lower(end_name)
                self.work += len(stack)
                top = stack[-1] if stack else ROOT_FRAME
                if top[F_NAME] == name and not top[F_BITS] & K_MARKER and name != "form":
                    # the common case: the end tag of the current node
                    entry = self.entry_of.get(top[F_UID])
                    if entry is None:
                        stack.pop()
                        (pos if top[F_NS] == HTML else self.fpos)[name].pop()
                    elif entry is self.last_formatting(name):
                        stack.pop()
                        pos[name].pop()
                        self.kill(entry)
                    else:
                        self.end_tag(name)
                else:
                    self.end_tag(name)
            elif comment is not None:
                if text.startswith(">", lt + 4):
                    at = lt + 5
                elif text.startswith("->", lt + 4):
                    at = lt + 6
                else:
                    found = COMMENT_END.search(text, lt + 4)
                    if found is None:
                        return  # the rest of the page is a comment
                    at = found.end()
            elif other == "/" and text.startswith(">", lt + 2):
                at = lt + 3  # '</>' is dropped
            else:  # doctype, CDATA outside foreign content, bogus comment: up to the next '>'
                close_at = text.find(">", lt + 2)
                if close_at < 0:
                    return
                at = close_at + 1
            if self.elements > self.max_elements:
                self.stopped = True

    def raw_text(self, text: str, name: str, at: int) -> int:
        """Where tokenising goes on after the start tag of a raw-text element (the element's
        end tag), or len(text) when the rest is its text."""
        top = self.top()
        if top[F_NAME] != name or top[F_NS] != HTML:
            return at  # foreign content, or not inserted: no raw text
        if name != "noframes" and self.last("frameset") >= 0:
            return at  # a frameset document ignores these
        if name == "plaintext":
            end = len(text)
        else:
            found = raw_end(name).search(text, at)
            end = found.start() if found else len(text)
        if name in ("textarea", "plaintext") and end > at:
            self.reconstruct()  # Lexbor reopens formatting elements inside them
        return end
