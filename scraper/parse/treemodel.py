"""The tree builder's state, as far as depth and element counts go (for scraper.parse.treescan).

`TreeModel` keeps the two structures of the HTML standard's tree construction (13.2.4):

* the stack of open elements, as frames that carry the index of the nearest boundary of each
  scope kind below them (htmlkinds.make_frame): "is x in scope?" is one comparison, never a
  walk. Elements the parser takes out of the middle of the stack (the adoption agency,
  `</form>`) stay as nameless frames: no end tag finds them, they bound nothing, only the depth
  still counts them;
* the active formatting elements, with markers, the Noah's Ark clause, reconstruction (the step
  that can make a short text build millions of elements) and the adoption agency.

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
    CELLS,
    CLOSES_P,
    END_IN_SCOPE,
    F_BITS,
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
    IMPLIED_END,
    K_HTMLNS,
    K_MARKER,
    K_SPECIAL,
    MATH,
    MATH_TEXT_IP,
    ROOT_FRAME,
    SVG,
    SVG_IP,
    TABLE_MODES,
    TABLE_PARTS,
    TMODE_NAMES,
    UNSURE,
    VOID,
    element_bits,
    font_breaks_out,
    integration_point,
    make_frame,
)

# An active formatting element: name, attribute key, the uid and frame index of its element
# (-1: none), alive (False once removed; the list drops dead entries lazily).
E_NAME, E_KEY, E_UID, E_FRAME, E_ALIVE = range(5)


class _Segment:
    """The active formatting elements after one marker: by (name, attributes) for the Noah's Ark
    clause (at most three alike), by name for the adoption agency (the last one named so)."""

    __slots__ = ("by_key", "by_name")

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, str], list[list]] = {}
        self.by_name: dict[str, list[list]] = {}


class TreeModel:
    """The stack of open elements and the active formatting elements; `max_depth`, `elements`
    and `work` (the stack frames Lexbor's tree builder walks: the depth at each tag, and a stack
    lookup per entry that reconstruction reopens) are what the scan reports."""

    def __init__(self, max_depth: int, max_elements: int) -> None:
        self.depth_limit = max_depth
        self.max_elements = max_elements
        self.stack: list[tuple] = []
        self.pos: dict[str, list[int]] = {}  # HTML element name -> its frame indices
        self.fpos: dict[str, list[int]] = {}  # foreign (and UNSURE) element name -> indices
        self.uid = 0
        self.afe: list[list | None] = []  # None: a marker
        self.segments = [_Segment()]
        self.entry_of: dict[int, list] = {}  # uid -> its live formatting entry
        self.dead = 0  # dead entries still in self.afe
        self.elements = 3  # html, head, body
        self.max_depth = 2
        self.work = 0
        self.stopped = False  # the elements passed max_elements
        self.over = False  # the depth passed its limit: only the depth is still followed closely
        self.in_head = True  # nothing of the body seen yet
        self.after_head = False  # </head> seen
        self.head_noscript = False  # a <noscript> opened in the head (its own insertion mode)
        self.form_open = False  # the parser's form element pointer is set

    # -- the stack of open elements --------------------------------------------------------------

    def push(self, name: str, ns: int, marker: bool = True) -> int:
        """Open an element. `marker` False: it inserts no formatting marker even if its kind
        does (where the scan cannot tell: fewer markers can only mean more reconstruction)."""
        stack = self.stack
        i = len(stack)
        bits = element_bits(name, ns)
        if not marker:
            bits &= ~K_MARKER
        uid = self.uid = self.uid + 1
        stack.append(make_frame(name, ns, uid, bits, stack[-1] if stack else ROOT_FRAME, i))
        (self.pos if ns == HTML else self.fpos).setdefault(name, []).append(i)
        if bits & K_MARKER:
            self.afe.append(None)
            self.segments.append(_Segment())
        self.elements += 1
        depth = i + 3  # html and body hold the stack's first frame
        if depth > self.max_depth:
            self.max_depth = depth
            if depth > self.depth_limit:
                self.over = True
        return uid

    def leaf(self, count: int = 1) -> None:
        """Elements created and closed at once (void elements, `<x/>` in svg)."""
        self.elements += count
        depth = len(self.stack) + 2 + count
        if depth > self.max_depth:
            self.max_depth = depth
            if depth > self.depth_limit:
                self.over = True

    def pop_to(self, index: int, cells: bool = True) -> None:
        """Pop frames until the one at `index` is popped. A cell or caption popped clears the
        active formatting elements to its marker (closing it does); applet, marquee, object and
        template clear only when their own end tag closes them."""
        stack = self.stack
        while len(stack) > index:
            frame = stack.pop()
            name = frame[F_NAME]
            if name:
                (self.pos if frame[F_NS] == HTML else self.fpos)[name].pop()
                if cells and frame[F_BITS] & K_MARKER and name in CELLS:
                    self.clear_to_marker()

    def pop_top(self) -> None:
        self.pop_to(len(self.stack) - 1)

    def remove(self, index: int) -> None:
        """The parser takes the element at `index` out of the stack: its frame stays, nameless
        (the depth only counts higher), and the frames above forget it as a boundary."""
        stack = self.stack
        frame = stack[index]
        named = (self.pos if frame[F_NS] == HTML else self.fpos)[frame[F_NAME]]
        k = len(named) - 1
        while named[k] != index:
            k -= 1
        del named[k]
        below = stack[index - 1] if index else ROOT_FRAME
        stack[index] = make_frame("", frame[F_NS], frame[F_UID], 0, below, index)
        if frame[F_BITS] & ~K_HTMLNS and not self.over:
            for j in range(index + 1, len(stack)):
                f = stack[j]
                stack[j] = make_frame(f[F_NAME], f[F_NS], f[F_UID], f[F_BITS], stack[j - 1], j)

    def last(self, name: str) -> int:
        """Index of the deepest open HTML element named `name`, -1 when none."""
        found = self.pos.get(name)
        return found[-1] if found else -1

    def top(self) -> tuple:
        return self.stack[-1] if self.stack else ROOT_FRAME

    def close_p(self) -> None:
        """Close a <p> element in button scope."""
        p = self.last("p")
        if p >= 0 and p >= self.top()[F_BUTTON]:
            self.pop_to(p)

    def generate_implied(self, keep: str) -> None:
        while (
            self.stack and self.stack[-1][F_NAME] in IMPLIED_END and self.stack[-1][F_NAME] != keep
        ):
            self.pop_top()

    # -- active formatting elements -------------------------------------------------------------

    def on_stack(self, entry: list) -> bool:
        i = entry[E_FRAME]
        return 0 <= i < len(self.stack) and self.stack[i][F_UID] == entry[E_UID]

    def kill(self, entry: list) -> None:
        if not entry[E_ALIVE]:
            return
        entry[E_ALIVE] = False
        self.dead += 1
        self.entry_of.pop(entry[E_UID], None)
        alike = self.segments[-1].by_key.get((entry[E_NAME], entry[E_KEY]))
        if alike and entry in alike:
            alike.remove(entry)
        if self.dead > 64 and self.dead * 2 > len(self.afe):
            self.afe = [e for e in self.afe if e is None or e[E_ALIVE]]
            self.dead = 0

    def add_formatting(self, name: str, key: str, uid: int) -> None:
        segment = self.segments[-1]
        alike = segment.by_key.setdefault((name, key), [])
        if len(alike) >= 3:  # Noah's Ark: the earliest of three alike goes
            self.kill(alike[0])
        entry = [name, key, uid, len(self.stack) - 1, True]
        alike.append(entry)
        segment.by_name.setdefault(name, []).append(entry)
        self.afe.append(entry)
        self.entry_of[uid] = entry

    def last_formatting(self, name: str) -> list | None:
        """The last live formatting entry named `name` after the last marker."""
        named = self.segments[-1].by_name.get(name)
        while named and not named[-1][E_ALIVE]:
            named.pop()
        return named[-1] if named else None

    def clear_to_marker(self) -> None:
        afe = self.afe
        while afe:
            entry = afe.pop()
            if entry is None:
                break
            if entry[E_ALIVE]:
                entry[E_ALIVE] = False
                self.entry_of.pop(entry[E_UID], None)
            else:
                self.dead -= 1
        if len(self.segments) > 1:
            self.segments.pop()

    def reconstruct(self) -> None:
        """Reopen the active formatting elements that are no longer open (text or a tag after a
        closed block gets them again: this is where elements multiply)."""
        afe = self.afe
        while afe and afe[-1] is not None and not afe[-1][E_ALIVE]:
            afe.pop()
            self.dead -= 1
        last = afe[-1] if afe else None
        if last is None or self.on_stack(last):
            return
        i = len(afe) - 1
        while i > 0:
            before = afe[i - 1]
            if before is None or (before[E_ALIVE] and self.on_stack(before)):
                break
            i -= 1
        # Lexbor looks each entry up in the stack of open elements: a walk per entry
        self.work += (len(afe) - i) * len(self.stack)
        for entry in afe[i:]:
            if entry is None or not entry[E_ALIVE]:
                continue
            self.entry_of.pop(entry[E_UID], None)
            uid = self.push(entry[E_NAME], HTML)
            entry[E_UID], entry[E_FRAME] = uid, len(self.stack) - 1
            self.entry_of[uid] = entry
            if self.elements > self.max_elements:
                self.stopped = True
                return

    def adoption_agency(self, name: str) -> None:
        """The end tag of a formatting element (13.2.6.4.7's adoption agency algorithm): up to
        eight rounds, each cloning the element below the first special element above it."""
        stack = self.stack
        virtual = -1  # after a round: the new element sits just above stack[virtual]
        for _ in range(8):
            entry = self.last_formatting(name)
            if entry is None:
                self.end_other(name)
                return
            top = self.top()
            if virtual >= 0:
                first, in_scope = virtual + 1, top[F_SCOPE] <= virtual
            elif not self.on_stack(entry):
                self.kill(entry)
                return
            else:
                first = entry[E_FRAME] + 1
                in_scope = entry[E_FRAME] >= top[F_SCOPE]
            if not in_scope:
                break
            furthest = -1
            if top[F_SPECIAL] >= first and not self.over:
                furthest = first
                while not stack[furthest][F_BITS] & K_SPECIAL:
                    furthest += 1
            if furthest < 0:  # no special element above: pop up to the element
                self.pop_to(first - 1 if virtual < 0 else first)
                self.kill(entry)
                return
            inner = 0
            for k in range(furthest - 1, first - 1, -1):
                frame = stack[k]
                if not frame[F_NAME]:
                    continue  # already out of the stack
                inner += 1
                node_entry = self.entry_of.get(frame[F_UID])
                if node_entry is not None and inner > 3:
                    self.kill(node_entry)
                    node_entry = None
                if node_entry is None:
                    self.remove(k)
                    continue
                uid = self.uid = self.uid + 1  # a clone takes the node's place
                stack[k] = frame[:F_UID] + (uid,) + frame[F_UID + 1 :]
                self.entry_of.pop(node_entry[E_UID], None)
                node_entry[E_UID] = uid
                self.entry_of[uid] = node_entry
                self.elements += 1
            if virtual < 0:
                self.remove(first - 1)
            self.elements += 1  # the formatting element's clone, appended to the furthest block
            self.entry_of.pop(entry[E_UID], None)
            uid = self.uid = self.uid + 1
            entry[E_UID], entry[E_FRAME] = uid, -1
            self.entry_of[uid] = entry
            virtual = furthest
        # The clone is still in the middle of the stack: left out of it (it reopens later).

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
