"""The tree builder's state, as far as depth and element counts go (for scraper.parse.treescan).

`TreeModel` applies the HTML standard's tree construction rules (13.2.4) to the stack of open
elements and the active formatting elements (scraper.parse.treestack).

`start_tag`, `end_tag` and `text` apply the rules of "in body" and, as far as they matter, of
the table, select, template, frameset, head and foreign-content modes. Lexbor's behaviour is
followed where it differs from the standard (measured on selectolax 1.0: `sup` does not leave
svg/math, `</select>` is in default scope, `<select>` may contain other elements, text in a
textarea reopens formatting elements). Where the model cannot know (a frameset document,
`annotation-xml`, whether a template's table parts insert markers) it takes what counts more.
"""

from __future__ import annotations

from .htmlkinds import (
    BREAKOUT,
    CLOSES_P,
    END_IN_SCOPE,
    F_BUTTON,
    F_HTML,
    F_LIST,
    F_NAME,
    F_NS,
    F_SCOPE,
    F_SPECIAL,
    F_SPECIAL_LI,
    F_TABLE,
    F_TMODE,
    F_UID,
    FORMATTING,
    HEAD_NOSCRIPT,
    HEAD_TAGS,
    HEADINGS,
    HTML,
    IGNORED_START,
    MATH,
    MATH_TEXT_IP,
    SVG,
    SVG_IP,
    TABLE_MODES,
    TABLE_PARTS,
    TMODE_NAMES,
    UNSURE,
    VOID,
    font_breaks_out,
    integration_point,
)
from .treestack import E_ALIVE, E_FRAME, E_UID, OpenElements

__all__ = ["E_ALIVE", "E_FRAME", "E_UID", "TreeModel"]


class TreeModel(OpenElements):
    """`OpenElements` with the tree construction rules for start tags, end tags and text."""

    # -- end tags ----------------------------------------------------------------------------------

    def end_other(self, name: str) -> None:
        """An end tag in HTML content that is not handled as a formatting element's."""
        top = self.top()
        index = self.last(name)
        if name == "p":
            if index >= 0 and index >= top[F_BUTTON]:
                self.pop_to(index)
            else:
                self.leaf()  # </p> without a <p> inserts an empty one
        elif name == "li":
            if index >= 0 and index >= top[F_LIST]:
                self.pop_to(index)
        elif name in HEADINGS:
            index = max(self.last(h) for h in HEADINGS)
            if index >= 0 and index >= top[F_SCOPE]:
                self.pop_to(index)
        elif name == "template":
            if index >= 0:
                self.pop_to(index, cells=False)
                self.clear_to_marker()
        elif name in TMODE_NAMES and name != "colgroup":  # </colgroup>: only the current node
            if index >= 0 and index >= top[F_TABLE]:
                self.pop_to(index)
        elif name == "form":
            if self.last("template") >= 0:
                if index >= 0 and index >= top[F_SCOPE]:
                    self.pop_to(index)
            else:
                self.form_open = False
                if index >= 0 and index >= top[F_SCOPE]:
                    self.remove(index)  # the form alone leaves the stack
        elif name in ("body", "html"):
            pass  # the body stays open
        elif name == "br":
            self.reconstruct()
            self.leaf()
        elif name in END_IN_SCOPE:
            if index >= 0 and index >= top[F_SCOPE]:
                self.pop_to(index)
                if name in ("applet", "marquee", "object"):
                    self.clear_to_marker()
        elif index >= 0 and index >= top[F_SPECIAL]:  # any other: no special element above it
            self.pop_to(index)

    def end_tag(self, name: str) -> None:
        if name == "head":
            self.after_head = True
        top = self.top()
        if top[F_NAME] == name and self.entry_of.get(top[F_UID]) is None:
            self.pop_top()  # the current node: popped whatever the rules
            if top[F_NS] == HTML:
                if name == "form" and self.last("template") < 0:
                    self.form_open = False
                elif name in ("applet", "marquee", "object", "template"):
                    self.clear_to_marker()
            return
        if top[F_NS] != HTML and top[F_NAME]:
            if name == "p" or name == "br":  # these leave foreign content
                self.leave_foreign()
            else:
                found = self.fpos.get(name)
                if found and found[-1] > top[F_HTML]:
                    self.pop_to(found[-1])
                    return
        if name in FORMATTING:
            self.adoption_agency(name)
        else:
            self.end_other(name)

    # -- start tags --------------------------------------------------------------------------------

    def leave_foreign(self) -> None:
        """Pop svg and math elements up to HTML content or an integration point."""
        stack = self.stack
        while stack and stack[-1][F_NS] in (SVG, MATH) and not integration_point(stack[-1]):
            self.pop_top()

    def leave_head_noscript(self) -> None:
        """Anything but head content closes a <noscript> opened in the head."""
        self.head_noscript = False
        if self.stack and self.stack[-1][F_NAME] == "noscript":
            self.pop_top()

    def start_tag(self, name: str, attrs: str, self_closing: bool) -> None:
        if self.in_head:
            if self.head_noscript and name not in HEAD_NOSCRIPT:
                self.leave_head_noscript()
            if name == "noscript" and not self.stack and not self.after_head:
                self.head_noscript = True
            elif name not in HEAD_TAGS:
                self.in_head = False
        top = self.top()
        ns = top[F_NS]
        if ns != HTML and not (
            (ns == SVG and top[F_NAME] in SVG_IP)
            or (ns == MATH and top[F_NAME] in MATH_TEXT_IP and name not in ("mglyph", "malignmark"))
        ):
            if ns == UNSURE or (ns == MATH and top[F_NAME] == "annotation-xml"):
                # annotation-xml holds HTML or MathML by its encoding attribute: counted as both
                self.push(name, SVG if name == "svg" and ns == MATH else UNSURE)
                return
            if name in BREAKOUT or (name == "font" and font_breaks_out(attrs)):
                self.leave_foreign()
            else:
                if self_closing:
                    self.leaf()
                else:
                    self.push(name, ns)
                return
        self.html_start(name, attrs, self_closing)

    def html_start(self, name: str, attrs: str, self_closing: bool) -> None:
        """A start tag in HTML content ("in body", and the table modes as far as they matter):
        first what it closes, then the formatting elements it reopens, then the element."""
        if name in IGNORED_START:
            return
        stack = self.stack
        if stack and stack[-1][F_NAME] == "colgroup" and name not in ("col", "template"):
            self.pop_top()  # anything else ends a column group
        if name in TABLE_PARTS or name == "table":
            self.table_start(name)
            return
        if name in CLOSES_P:
            if name == "form":
                if self.form_open and self.last("template") < 0:
                    return  # no form inside a form
                self.form_open = True
            if name == "li" or name == "dd" or name == "dt":
                self.close_list_item(name)
            self.close_p()
            if name in HEADINGS and stack and stack[-1][F_NAME] in HEADINGS:
                self.pop_top()
            if name == "xmp":
                self.reconstruct()
            self.push(name, HTML)
            return
        if name == "hr":
            self.close_p()
            self.leaf()
            return
        if name == "button":
            index = self.last("button")
            if index >= 0 and index >= self.top()[F_SCOPE]:
                self.pop_to(index)
        elif name == "option" or name == "optgroup":
            select = self.last("select")
            if select >= 0 and select >= self.top()[F_SCOPE]:
                self.generate_implied("optgroup" if name == "option" else "")
            elif stack and stack[-1][F_NAME] == "option":
                self.pop_top()
        elif name == "input" or name == "select":
            index = self.last("select")  # these close an open select
            if index >= 0 and index >= self.top()[F_SCOPE]:
                self.pop_to(index)
                if name == "select":
                    return  # and a select is not opened inside one
        elif name in ("rb", "rtc", "rp", "rt"):
            ruby = self.last("ruby")
            if ruby >= 0 and ruby >= self.top()[F_SCOPE]:
                self.generate_implied("rtc" if name in ("rp", "rt") else "")
        elif name == "a":
            entry = self.last_formatting("a")
            if entry is not None:  # an open <a> is closed first, and gone either way
                self.adoption_agency("a")
                if entry[E_ALIVE]:
                    if self.on_stack(entry):
                        self.remove(entry[E_FRAME])
                    self.kill(entry)
        elif name == "nobr":
            self.reconstruct()
            index = self.last("nobr")
            if index >= 0 and index >= self.top()[F_SCOPE]:
                self.adoption_agency("nobr")
        if name != "template" and name != "textarea":
            self.reconstruct()
        if name in VOID:
            self.leaf()
        elif name == "svg" or name == "math":
            if self_closing:
                self.leaf()
            else:
                self.push(name, SVG if name == "svg" else MATH)
        else:
            uid = self.push(name, HTML)
            if name in FORMATTING:
                self.add_formatting(name, attrs.strip(), uid)

    def close_list_item(self, name: str) -> None:
        """<li> closes the open <li>, <dd>/<dt> the open <dd> or <dt>, unless a special element
        other than address, div and p comes first."""
        if name == "li":
            index = self.last("li")
        else:
            index = max(self.last("dd"), self.last("dt"))
        if index >= 0 and index >= self.top()[F_SPECIAL_LI]:
            self.pop_to(index)

    def table_start(self, name: str) -> None:
        """<table> and its parts: implied tbody and tr, a table directly inside a table closing
        it, table parts outside a table ignored."""
        stack = self.stack
        mode_at = self.top()[F_TMODE]
        mode = stack[mode_at][F_NAME] if mode_at >= 0 else "body"
        table = self.last("table")
        in_scope = table >= 0 and table >= self.top()[F_TABLE]
        if name == "table":
            if in_scope and mode in TABLE_MODES:
                self.pop_to(table)  # a table directly in a table closes it
            self.push("table", HTML)
            return
        if mode == "template":  # (or "in body", if the template holds other elements already)
            if name == "col":
                self.leaf()
            else:
                self.push(name, HTML, marker=False)
            return
        if mode == "body" or not in_scope:
            return  # table parts outside a table are ignored
        if name in ("caption", "colgroup", "col", "tbody", "thead", "tfoot"):
            self.pop_to(table + 1)
            if name == "col":
                self.leaf(2)  # an implied colgroup and the col
            else:
                self.push(name, HTML)
            return
        section = max(self.last("tbody"), self.last("thead"), self.last("tfoot"))
        row = self.last("tr")
        if (name == "td" or name == "th") and row > table and row > section:
            self.pop_to(row + 1)  # closes the open cell
            self.push(name, HTML)
            return
        if section > table:
            self.pop_to(section + 1)
        else:
            self.pop_to(table + 1)
            self.push("tbody", HTML)  # implied
        self.push("tr", HTML)  # the row, or the implied row of a cell
        if name != "tr":
            self.push(name, HTML)
