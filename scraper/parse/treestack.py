"""The tree builder's two structures, as far as depth and element counts go (for
scraper.parse.treemodel, which applies the tag rules to them).

* the stack of open elements, as frames that carry the index of the nearest boundary of each
  scope kind below them (htmlkinds.make_frame): "is x in scope?" is one comparison, never a
  walk. Elements the parser takes out of the middle of the stack (the adoption agency,
  `</form>`) stay as nameless frames: no end tag finds them, they bound nothing, only the depth
  still counts them;
* the active formatting elements, with markers, the Noah's Ark clause, reconstruction (the step
  that can make a short text build millions of elements) and the adoption agency.
"""

from __future__ import annotations

from .htmlkinds import (
    CELLS,
    F_BITS,
    F_BUTTON,
    F_NAME,
    F_NS,
    F_SCOPE,
    F_SPECIAL,
    F_UID,
    HTML,
    IMPLIED_END,
    K_HTMLNS,
    K_MARKER,
    K_SPECIAL,
    ROOT_FRAME,
    element_bits,
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


class OpenElements:
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

    def end_other(self, name: str) -> None:
        """An end tag that is not a formatting element's (the tag rules: TreeModel)."""
        raise NotImplementedError

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
