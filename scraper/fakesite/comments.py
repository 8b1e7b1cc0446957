"""Which comments an anonymous reader sees on an entry page, and how: Dreamwidth's rules.

A pure re-implementation of `LJ::Talk::load_comments` (cgi-bin/LJ/Talk.pm) plus the
post-processing of `LJ::S2::EntryPage` for a logged-out reader:

* Visibility: deleted and screened comments are not shown; they still appear, as placeholders,
  when a shown reply hangs somewhere below them. Comments by suspended users are shown as
  "(reply from suspended user)" placeholders (and count as shown). The entry's "N comments"
  counts the shown comments (`shown_count`).
* Paging: top-level threads are split into pages of 50 while the entry has fewer than 50 shown
  comments, else 25. `page` is clamped to 1..pages. `thread=DTALKID` makes that comment the only
  top-level item of a single page (an unknown id silently means the whole page).
* Full or collapsed: the page's top-level items are full; their replies are visited
  breadth-first and a reply is full while fewer than page-size comments are loaded, or when it is
  the first reply of a top-level item of the page. Everything else, and every descendant of a
  collapsed comment, is a collapsed header. Only 200 collapsed headers per page carry their
  subject; the rest print "...".
* `flat=True` (?view=flat): no threading; every shown comment is a top-level item (so deleted and
  screened ones, having no replies there, vanish) and every comment on the page is full.
* `top_only=True` (?view=top-only): replies are never loaded; they are hidden headers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from .model import FakeComment, FakeEntry

PAGE_SIZE = 25  # $LJ::TALK_PAGE_SIZE
THREAD_POINT = 50  # $LJ::TALK_THREAD_POINT
MAX_SUBJECTS = 200  # $LJ::TALK_MAX_SUBJECTS


@dataclass
class ShownComment:
    """A comment as placed on one rendered comment page."""

    commentid: int
    talkid: int
    depth: int  # 1 = top-level item of this page
    kind: str  # 'full' | 'collapsed' | 'deleted' | 'screened' | 'suspended'
    parent_id: int | None  # the parent's commentid as the page links it (flat: the real one)
    frozen: bool
    showable_children: int  # shown comments below this one
    has_children: bool  # it has replies worth a "Thread" link
    subject_ignored: bool = False  # past the 200 collapsed subjects: subject prints "..."
    hidden_child: bool = False  # top-only view: hidden reply header
    hide_children: bool = False  # top-only view: its replies are hidden
    replies: list[ShownComment] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return self.kind == "full"

    @property
    def placeholder(self) -> bool:
        return self.kind in ("deleted", "screened", "suspended")


@dataclass
class CommentView:
    """One comment page of an entry: its top-level items (with their subtrees) and paging."""

    items: list[ShownComment]
    page: int
    pages: int
    page_size: int
    top_level_total: int  # top-level items over all pages (1 in a thread view)
    shown_total: int  # shown comments of the whole entry ("N comments")
    thread_root: int | None  # commentid of a ?thread= view
    flat: bool = False
    top_only: bool = False
    has_collapsed: bool = False

    def walk(self) -> Iterator[ShownComment]:
        """Every comment of the page in document order (depth first)."""
        stack = list(reversed(self.items))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.replies))

    def full_ids(self) -> set[int]:
        return {c.commentid for c in self.walk() if c.full}

    def collapsed_ids(self) -> list[int]:
        return [c.commentid for c in self.walk() if c.kind == "collapsed"]


@dataclass
class _Tree:
    """The threading of one entry's comments as load_comments sees it (keyed by talkid)."""

    by_talkid: dict[int, FakeComment]
    show: dict[int, int]
    children: dict[int, list[int]]
    showable: dict[int, int]
    parent: dict[int, int]  # 0 = top level (after fixing missing parents)
    actual_parent: dict[int, int]
    post_count: int


def _build_tree(entry: FakeEntry, flat: bool) -> _Tree:
    comments = sorted(entry.comments, key=lambda c: c.talkid, reverse=True)
    by_talkid = {c.talkid: c for c in comments}
    show: dict[int, int] = {}
    children: dict[int, list[int]] = {}
    showable: dict[int, int] = {}
    parent: dict[int, int] = {}
    actual_parent: dict[int, int] = {}
    post_count = 0
    for comment in comments:  # newest first: children are done before their parents
        talkid = comment.talkid
        real_parent = (comment.parent >> 8) if comment.parent else 0
        actual_parent[talkid] = real_parent if real_parent in by_talkid else 0
        parent_id = 0 if flat else real_parent
        if parent_id and parent_id not in by_talkid:
            parent_id = 0
        parent[talkid] = parent_id
        shown = 0 if comment.state in ("deleted", "screened") else 1
        show[talkid] = shown
        post_count += shown
        subtree = shown + showable.get(talkid, 0)
        if subtree:
            showable[parent_id] = showable.get(parent_id, 0) + subtree
            children.setdefault(parent_id, []).append(talkid)
    for ids in children.values():
        ids.reverse()  # oldest first, like the site's unshift
    return _Tree(by_talkid, show, children, showable, parent, actual_parent, post_count)


def shown_count(entry: FakeEntry) -> int:
    """The "N comments" an anonymous reader is told: shown comments (suspended ones included)."""
    return sum(1 for c in entry.comments if c.state not in ("deleted", "screened"))


def page_size_for(shown: int) -> int:
    return THREAD_POINT if shown < THREAD_POINT else PAGE_SIZE


def comment_view(
    entry: FakeEntry,
    page: int | None = None,
    thread: int | None = None,
    flat: bool = False,
    top_only: bool = False,
    view: int | None = None,
    expand_all: bool = False,
) -> CommentView:
    """The comments of one entry page (?page=, ?thread=, ?view=flat|top-only) for a reader."""
    tree = _build_tree(entry, flat)
    page_size = page_size_for(tree.post_count)
    thread_talkid = (thread >> 8) if thread else 0
    if thread_talkid not in tree.by_talkid:
        thread_talkid = 0
    top_all = [thread_talkid] if thread_talkid else tree.children.get(0, [])
    if not top_all:
        return CommentView([], 1, 1, page_size, 0, tree.post_count, None, flat, top_only)
    pages = -(-len(top_all) // page_size)
    chosen = _choose_page(tree, top_all, page, view, page_size)
    chosen = min(max(chosen, 1), pages)
    top = top_all[(chosen - 1) * page_size : chosen * page_size]
    loaded, subjects_ignored, hidden, has_collapsed = _load(
        tree, top, page_size, top_only, expand_all
    )
    items = [
        _shape(tree, talkid, 1, loaded, subjects_ignored, hidden, top_only, entry.anum)
        for talkid in top
    ]
    root = (thread_talkid << 8) + entry.anum if thread_talkid else None
    return CommentView(
        items,
        chosen,
        pages,
        page_size,
        len(top_all),
        tree.post_count,
        root,
        flat,
        top_only,
        has_collapsed,
    )


def _choose_page(
    tree: _Tree, top_all: list[int], page: int | None, view: int | None, size: int
) -> int:
    if page:
        return page
    if view:
        talkid = view >> 8
        while tree.parent.get(talkid):
            talkid = tree.parent[talkid]
        if talkid in top_all:
            return top_all.index(talkid) // size + 1
    return 1


def _load(
    tree: _Tree, top: list[int], page_size: int, top_only: bool, expand_all: bool
) -> tuple[set[int], set[int], set[int], bool]:
    """The breadth-first walk of load_comments: which comments are loaded in full."""
    loaded_order = list(top)
    loaded = set(top)
    expand = set() if top_only else set(top)
    queue = deque(top)
    subjects = 0
    ignored: set[int] = set()
    hidden: set[int] = set()
    has_collapsed = False
    while queue:
        current = queue.popleft()
        for child in tree.children.get(current, []):
            if not top_only and (len(loaded_order) < page_size or current in expand or expand_all):
                loaded_order.append(child)
                loaded.add(child)
                expand.discard(current)
            else:
                has_collapsed = True
                if top_only:
                    hidden.add(child)
                if subjects < MAX_SUBJECTS:
                    subjects += 1
                else:
                    ignored.add(child)
            queue.append(child)
    return loaded, ignored, hidden, has_collapsed


def _kind(comment: FakeComment, shown: int, loaded: bool) -> str:
    state = comment.state
    if state == "deleted":
        return "deleted"
    if state == "suspended":
        return "suspended"
    if state == "screened" and not shown:
        return "screened"
    return "full" if loaded else "collapsed"


def _shape(
    tree: _Tree,
    talkid: int,
    depth: int,
    loaded: set[int],
    ignored: set[int],
    hidden: set[int],
    top_only: bool,
    anum: int,
) -> ShownComment:
    comment = tree.by_talkid[talkid]
    kids = tree.children.get(talkid, [])
    parent_talkid = tree.parent.get(talkid) or tree.actual_parent.get(talkid) or 0
    node = ShownComment(
        commentid=comment.commentid,
        talkid=talkid,
        depth=depth,
        kind=_kind(comment, tree.show[talkid], talkid in loaded),
        parent_id=(parent_talkid << 8) + anum if parent_talkid else None,
        frozen=comment.state == "frozen",
        showable_children=tree.showable.get(talkid, 0),
        has_children=bool(kids),
        subject_ignored=talkid in ignored,
        hidden_child=talkid in hidden,
        hide_children=top_only and talkid in loaded,
    )
    node.replies = [
        _shape(tree, kid, depth + 1, loaded, ignored, hidden, top_only, anum) for kid in kids
    ]
    return node


def all_pages(entry: FakeEntry, flat: bool = False) -> list[CommentView]:
    """Every comment page (?page=1..P) of an entry."""
    first = comment_view(entry, page=1, flat=flat)
    return [first] + [comment_view(entry, page=n, flat=flat) for n in range(2, first.pages + 1)]


def needs_full_view(entry: FakeEntry) -> set[int]:
    """Commentids a complete archive must see in full: shown, not from suspended users."""
    return {
        c.commentid for c in entry.comments if c.state not in ("deleted", "screened", "suspended")
    }


def expansion_plan(entry: FakeEntry) -> tuple[int, list[int]]:
    """(comment pages, ?thread= ids) that together show every needed comment in full.

    Greedy like a reader would click: walk the pages in document order and open a thread view
    of the topmost comment not yet seen in full; a thread view applies the collapsing rules again
    to that comment's subtree, so deep or wide subtrees may need further thread views.
    """
    pages = all_pages(entry)
    need = needs_full_view(entry)
    seen: set[int] = set()
    order: list[int] = []
    for view in pages:
        seen |= view.full_ids()
        order.extend(c.commentid for c in view.walk())
    threads: list[int] = []
    for commentid in order:
        if commentid in need and commentid not in seen:
            threads.append(commentid)
            seen |= comment_view(entry, thread=commentid).full_ids()
    return (pages[0].pages if entry.comments and pages[0].items else 0), threads
