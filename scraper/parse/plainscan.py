"""The guard's fast path: the shape of a page whose markup the HTML parser takes as written.

Most pages (what Dreamwidth prints, with user HTML its cleaner balanced) are well-formed: every
end tag closes the current element, nothing is closed or reopened implicitly. For such a page the
tree is the nesting as written, and `plain_shape(text)` reads its depth, elements and stack walks
with a plain stack in a fraction of the full model's time (scraper.parse.treemodel). At the first
token where the parser could do anything else it gives up and returns None, and the full model
reads the page instead:

* an end tag that is not the current element's (misnesting, a stray or implied end tag), apart
  from </h1>..</h6> closing any heading and </form> closing a form with only plain elements
  above it (the form alone leaves the stack; its frame stays counted, as in the full model);
* a start tag the current elements would close or change: a block, <hr> or <table> inside an open
  <p>; <li> (<dd>, <dt>) inside another with no list between; a heading directly inside a
  heading; a nested <a>, <button>, <form> or <select>; <option> outside a plain select; what a
  select closes; ruby annotations;
* tables written other than table > (caption | colgroup | thead/tbody/tfoot > tr > td/th), apart
  from the tbody a <tr> and the row a cell imply (counted), and anything the parser would
  foster-parent;
* svg, math, template, frameset, plaintext, nobr, image, isindex; <noscript> in the head;
* a page that ends inside a tag.

Raw text (script, style, xmp, iframe, noembed, noframes, textarea, title) is skipped to its end
tag, as the tokenizer does. The counts are the full model's for the same page (the tests check
that on every fixture page and on random well-formed pages). One regex match per token (the
text before it included), ~0.65 us a tag: a 190 KB entry page in 3.7 ms, a 79 KB year page in
2.2 ms (half of it the regex).
"""

from __future__ import annotations

import re

from .htmlkinds import (
    CLOSES_P,
    DEFAULT_SCOPE,
    HEAD_TAGS,
    HEADINGS,
    IMPLIED_END,
    RAWTEXT,
    SPECIAL,
    VOID,
    WS,
    ascii_lower,
)
from .treescan import ATTRS, raw_end

# One token with the text before it: (text, start tag name, end tag name, broken, lone '<', end).
# Comments and bogus comments are consumed whole (to the end of the page when unclosed) and match
# no name group; a '<' that starts no markup is text, as the tokenizer reads it.
_PLAIN_TOKEN = re.compile(
    r"([^<]*+)(?:"
    r"<([A-Za-z][^\t\n\f\r />]*+)" + ATTRS + r"/?>"
    r"|</([A-Za-z][^\t\n\f\r />]*+)" + ATTRS + r"/?>"
    r"|<!--(?:>|->|.*?--!?>|.*)"
    r"|<(/?[A-Za-z])"
    r"|<[!?/][^>]*+>?"
    r"|(<)"
    r"|()\Z)",
    re.DOTALL,
)

# Per start tag, what the fast path must look at (0: nothing, a plain element).
_VOID, _GIVE_UP, _CLOSER, _P, _LI, _DDT, _HEADING, _ONCE, _OPTION, _RAW = range(1, 11)
_TABLE, _SECTION, _TR, _CELL, _COL, _RUBY, _NOSCRIPT, _IGNORED, _SPECIAL_PLAIN = range(11, 20)
# The special elements other than address, div and p (and body, never pushed here): an <li> or
# <dd>/<dt> stays open inside one.
_LIST_OR_SPECIAL = SPECIAL - {"address", "body", "div", "p"}

_START_KIND: dict[str, int] = {
    **dict.fromkeys(_LIST_OR_SPECIAL, _SPECIAL_PLAIN),
    **dict.fromkeys(VOID - {"hr", "image"}, _VOID),
    **dict.fromkeys(CLOSES_P, _CLOSER),
    "hr": _VOID,
    "p": _P,
    "li": _LI,
    "dd": _DDT,
    "dt": _DDT,
    **dict.fromkeys(HEADINGS, _HEADING),
    **dict.fromkeys(("a", "button", "form", "select"), _ONCE),
    "option": _OPTION,
    "optgroup": _OPTION,
    **dict.fromkeys(RAWTEXT, _RAW),
    "table": _TABLE,
    **dict.fromkeys(("tbody", "thead", "tfoot", "caption", "colgroup"), _SECTION),
    "tr": _TR,
    "td": _CELL,
    "th": _CELL,
    "col": _COL,
    **dict.fromkeys(("rb", "rp", "rt", "rtc"), _RUBY),
    "noscript": _NOSCRIPT,
    **dict.fromkeys(("html", "head", "body"), _IGNORED),
    **dict.fromkeys(
        ("svg", "math", "template", "frameset", "plaintext", "nobr", "image", "isindex"), _GIVE_UP
    ),
}
_TABLE_CONTEXT = frozenset({"table", "tbody", "thead", "tfoot", "tr", "#tbody", "#tr", "colgroup"})
_IMPLIED = {"#tbody": "tbody", "#tr": "tr"}
_TABLE_ENDS = frozenset({"table", "tbody", "thead", "tfoot", "tr"})
_TRACKED = frozenset({"p", "a", "button", "form", "select"})  # open ones are counted
_FORM_STAYS = IMPLIED_END | DEFAULT_SCOPE  # </form> pops these first, or leaves the form
_IN_TABLE = frozenset({"tbody", "thead", "tfoot", "caption", "colgroup", "tr", "td", "th", "col"})
_CLOSES_P = CLOSES_P | {"hr", "table"}
_SECTIONS = frozenset({"tbody", "thead", "tfoot", "#tbody"})


def plain_shape(text: str) -> tuple[int, int, int] | None:
    """(depth, elements, work) of a page the parser takes as written, None for any other page
    (see the module docstring). Depth counts <html> and <body>; elements count html, head and
    body; work is the sum over tags of the stack depth."""
    stack: list[str] = []
    push, pop = stack.append, stack.pop
    finditer = _PLAIN_TOKEN.finditer
    kind_of = _START_KIND.get
    opened: dict[str, int] = {}  # open elements by name, for the names the rules ask about
    li_marks: list[int] = []  # the count of open list/special elements inside each open <li>
    ddt_marks: list[int] = []
    blocks = 0  # open special elements other than address, div and p
    depth = elements = work = 0
    in_head = True

    def remove_form() -> bool:
        """</form> when the form is not the current element: the parser takes the form alone out
        of the stack (unless what is above it says otherwise: then the full model reads it)."""
        nonlocal blocks
        if not opened.get("form") or li_marks or ddt_marks:
            return False
        index = len(stack) - 1 - stack[::-1].index("form")
        if any(name in _FORM_STAYS for name in stack[index + 1 :]):
            return False
        stack[index] = ""  # out of the stack; counted in the depth as the full model does
        opened["form"] -= 1
        blocks -= 1
        return True

    tokens = finditer(text)
    restart = True
    while restart:
        restart = False
        for m in tokens:
            words, name, end_name, broken, lone, end = m.groups()
            if (
                (words or lone)
                and end is None  # text after the last markup is never looked at
                and (in_head or (stack and stack[-1] in _TABLE_CONTEXT))
                and (lone or words.strip(WS))
            ):
                if stack and stack[-1] in _TABLE_CONTEXT:
                    return None  # text the parser would foster-parent
                in_head = False
            if name is not None:
                name = name.lower() if name.isascii() else ascii_lower(name)
                kind = kind_of(name, 0)
                if (
                    (not kind or (kind == _CLOSER and not opened.get("p")))
                    and not in_head
                    and not (stack and stack[-1] in _TABLE_CONTEXT)
                ):  # the common cases: an element that changes nothing else, a block with no <p> open
                    size = len(stack)
                    work += size
                    push(name)
                    elements += 1
                    if size + 3 > depth:  # noqa: PLR1730 (faster than max() here)
                        depth = size + 3
                    if kind and name in _LIST_OR_SPECIAL:
                        blocks += 1
                    continue
                size = len(stack)
                work += size
                if in_head and name not in HEAD_TAGS:
                    in_head = False
                top = stack[-1] if stack else ""
                if (
                    top in _TABLE_CONTEXT
                    and name not in _IN_TABLE
                    and name not in ("script", "style")
                ):
                    return None  # foster parenting, or a table closing a table
                if name in _CLOSES_P and opened.get("p"):
                    return None  # it would close the open <p>
                if kind == _CLOSER or kind == _SPECIAL_PLAIN or kind == _P:
                    pass  # nothing more to check: opened below
                elif kind:
                    if kind == _VOID:  # the kinds most common first
                        if name in ("input", "keygen") and opened.get("select"):
                            return None
                        elements += 1
                        depth = max(depth, size + 3)
                        continue
                    elif kind == _ONCE:
                        if opened.get(name):
                            return None
                    elif kind == _CELL:
                        if top in _SECTIONS:
                            push("#tr")  # the row a cell implies
                            size += 1
                            elements += 1
                        elif top != "tr" and top != "#tr":
                            return None
                    elif kind == _TR:
                        if top == "#tr":  # a row after an implied one closes it
                            pop()
                            size -= 1
                            top = stack[-1]
                        if top == "table":
                            push("#tbody")  # the tbody a row implies
                            size += 1
                            elements += 1
                        elif top not in _SECTIONS:
                            return None
                    elif kind == _LI:
                        if li_marks and li_marks[-1] == blocks:
                            return None  # it would close the open <li>
                    elif kind == _DDT:
                        if ddt_marks and ddt_marks[-1] == blocks:
                            return None
                    elif kind == _HEADING:
                        if top in HEADINGS:
                            return None
                    elif kind == _OPTION:
                        if top == "option" or (name == "optgroup" and top == "optgroup"):
                            return None
                        if opened.get("select") and top not in ("select", "optgroup"):
                            return None
                    elif kind == _SECTION:
                        if top != "table":
                            return None
                    elif kind == _COL:
                        if top != "colgroup":
                            return None
                        elements += 1
                        depth = max(depth, size + 3)
                        continue
                    elif kind == _IGNORED:
                        continue
                    elif kind == _GIVE_UP or kind == _RUBY:
                        return None
                    elif kind == _NOSCRIPT:
                        if in_head:
                            return None
                    elif kind == _RAW and name == "textarea" and opened.get("select"):
                        return None
                push(name)
                elements += 1
                depth = max(depth, size + 3)
                if name in _TRACKED:
                    opened[name] = opened.get(name, 0) + 1
                if name in _LIST_OR_SPECIAL:
                    blocks += 1
                    if kind == _LI:
                        li_marks.append(blocks)
                    elif kind == _DDT:
                        ddt_marks.append(blocks)
                if kind == _RAW:
                    closing = raw_end(name).search(text, m.end())
                    if closing is None:
                        break  # the rest of the page is its text
                    tokens = finditer(text, closing.start())  # the tokens after its text
                    restart = True
                    break
            elif end_name is not None:
                name = end_name.lower() if end_name.isascii() else ascii_lower(end_name)
                work += len(stack)
                if stack and stack[-1] == name:  # the common case: the current element's end tag
                    pop()
                    if name in _TRACKED:
                        opened[name] -= 1
                    if name in _LIST_OR_SPECIAL:
                        blocks -= 1
                        if name == "li":
                            li_marks.pop()
                        elif name == "dd" or name == "dt":
                            ddt_marks.pop()
                    continue
                if name in ("html", "head", "body"):
                    if name == "head":
                        in_head = False
                    continue
                if not stack:
                    return None
                if name == "form" and stack[-1] != "form":
                    if not remove_form():
                        return None
                    continue
                top = pop()
                while top == "" and stack:  # a form taken out of the stack earlier
                    top = pop()
                while top in _IMPLIED and name != _IMPLIED[top] and name in _TABLE_ENDS and stack:
                    top = pop()  # an end tag closes the rows and sections it implied
                if top in _IMPLIED and name == _IMPLIED[top]:
                    top = name
                if top != name and not (name in HEADINGS and top in HEADINGS):
                    return None  # not the current element's end tag
                if top in _TRACKED:
                    opened[top] -= 1
                if top in _LIST_OR_SPECIAL:
                    blocks -= 1
                    if top == "li":
                        li_marks.pop()
                    elif top == "dd" or top == "dt":
                        ddt_marks.pop()
            elif broken is not None:
                return None  # the page ends inside a tag
    return max(depth, 2), elements + 3, work
