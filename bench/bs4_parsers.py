"""A plain BeautifulSoup (html.parser) reading of the same core2 pages, for bench/parse.py.

It extracts the fields the parse bench compares, the way one would write it with BeautifulSoup:
CSS selectors on the parsed soup, text via the tree. It reads the fake site's default core2
markup (the 'med' date format, linkified entry dates); it is a baseline for speed, not a second
product parser, so it skips what the bench does not compare (sidebar modules, navigation, dates
of comments, other date formats).

Records are plain dicts with the compared fields:

* entry:   itemid, subject, body_text, posted_at, tags, userpic_keyword, mood, music, location,
           comment_count
* comment: commentid, parent, author, state, body_text (None unless shown in full)
* year:    {day: entry count}
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from scraper.parse import blocktext as _blocktext

PARSER = "html.parser"

# Which tags break lines and which hold no text is shared with our parsers, so both sides
# produce identical body text; everything about reading the page is BeautifulSoup's own.
BLOCK_TAGS = _blocktext.BLOCK_TAGS
SKIP_TAGS = _blocktext.SKIP_TAGS
USER_CONTENT = ("entry-content", "comment-content", "usercontent")
_WRAPPER_ID = re.compile(r"^entry-wrapper-(\d+)$")
_CMT_ID = re.compile(r"^cmt(\d+)$")
_DAY_URL = re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/?$")
_TIME = re.compile(r"(\d{1,2}):(\d{2})\s*([ap])\.?m", re.IGNORECASE)
_INT = re.compile(r"\d[\d,]*")
_PAREN_END = re.compile(r"\(([^()]*)\)\s*$")


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, PARSER)


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


def block_text(node: Tag | None, skip: Tag | None = None) -> str:
    """Text with block elements and <br> on their own lines (normalised per line)."""
    if node is None:
        return ""
    parts: list[str] = []

    def walk(tag: Tag) -> None:
        for child in tag.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                    parts.append(str(child))
                continue
            if not isinstance(child, Tag) or child is skip:
                continue
            name = child.name
            if name in SKIP_TAGS or name == "img":
                continue
            if name == "br":
                parts.append("\n")
                continue
            block = name in BLOCK_TAGS
            if block:
                parts.append("\n")
            walk(child)
            if block:
                parts.append("\n")

    walk(node)
    lines = (norm(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _in_user_content(tag: Tag, stop: Tag) -> bool:
    for parent in tag.parents:
        if parent is stop:
            return False
        cls = parent.get("class") or []
        if any(c in cls for c in USER_CONTENT):
            return True
    return False


def _own(scope: Tag, selector: str) -> list[Tag]:
    return [t for t in scope.select(selector) if not _in_user_content(t, scope)]


def _own_first(scope: Tag, selector: str) -> Tag | None:
    for t in scope.select(selector):
        if not _in_user_content(t, scope):
            return t
    return None


def _keyword(img: Tag | None) -> str | None:
    if img is None:
        return None
    m = _PAREN_END.search(norm(img.get("alt")))
    return m.group(1).strip() or None if m else None


def _subject(title: Tag | None) -> str:
    if title is None:
        return ""
    link = title.find(["a", "span"], recursive=False)
    if link is not None and "invisible" in (link.get("class") or []):
        return ""
    text = norm((link or title).get_text())
    return "" if text.lower() in ("(no subject)", "no subject") else text


def _metadata(root: Tag, key: str) -> str | None:
    item = _own_first(root, f".metadata-item-{key}")
    if item is not None:
        return norm(item.get_text()) or None
    li = _own_first(root, f"#metadata-{key}")
    if li is None:
        return None
    label = li.select_one(".metadata-label")
    text = norm(li.get_text())
    if label is not None and text.startswith(norm(label.get_text())):
        text = text[len(norm(label.get_text())) :].strip()
    return text or None


def _posted_at(root: Tag) -> str | None:
    dt = _own_first(root, ".datetime")
    if dt is None:
        return None
    day = None
    for a in dt.select(".date a[href]"):
        m = _DAY_URL.search(urlsplit(a["href"]).path)
        if m:
            day = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    t = dt.select_one(".time")
    m = _TIME.search(t.get_text() if t is not None else dt.get_text())
    if day is None:
        return None
    if not m:
        return day
    h = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
    return f"{day}T{h:02d}:{m.group(2)}"


def _comment_count(root: Tag) -> int | None:
    read = _own_first(root, ".entry-readlink")
    if read is not None:
        m = _INT.search((read.find("a") or read).get_text())
        return int(m.group(0).replace(",", "")) if m else 0
    if _own_first(root, ".entry-replylink") is not None:
        return 0
    return None


def parse_entry_node(wrapper: Tag) -> dict:
    m = _WRAPPER_ID.match(wrapper.get("id") or "")
    itemid = int(m.group(1)) if m else None
    content = _own_first(wrapper, ".entry-content")
    tags: list[str] = []
    for a in _own(wrapper, ".tag a[rel~=tag]"):
        name = norm(a.get_text())
        if name and name not in tags:
            tags.append(name)
    return {
        "itemid": itemid,
        "subject": _subject(_own_first(wrapper, ".entry-title")),
        "body_text": norm(block_text(content)),
        "posted_at": _posted_at(wrapper),
        "tags": tuple(tags),
        "userpic_keyword": _keyword(_own_first(wrapper, ".userpic img")),
        "mood": _metadata(wrapper, "mood"),
        "music": _metadata(wrapper, "music"),
        "location": _metadata(wrapper, "location"),
        "comment_count": _comment_count(wrapper),
    }


def _entry_wrappers(soup: BeautifulSoup) -> list[Tag]:
    scope = soup.find(id="primary") or soup
    return [w for w in scope.select("div.entry-wrapper") if not _in_user_content(w, scope)]


def parse_listing(html: str) -> list[dict]:
    """Every entry of a recent, skip or day page."""
    return [parse_entry_node(w) for w in _entry_wrappers(soup_of(html))]


def _comment_records(soup: BeautifulSoup) -> list[dict]:
    scope = soup.find(id="comments")
    if scope is None:
        return []
    out = []
    last_at_depth: dict[int, int] = {}
    for box in scope.find_all("div", id=_CMT_ID):
        if _in_user_content(box, scope):
            continue
        cid = int(_CMT_ID.match(box["id"]).group(1))
        thread = box.find_parent("div", class_="comment-thread")
        depth = int(thread.get("data-comment-depth") or 1) if thread is not None else 1
        wrapper = box.find("div", class_="comment-wrapper")
        cls = set(wrapper.get("class") or []) if wrapper is not None else set()
        comment = box.find(id=f"comment-cmt{cid}") or box
        if "deleted" in cls:
            state = "deleted"
        elif "from-suspended" in cls:
            state = "suspended"
        elif "screened" in cls:
            state = "screened"
        elif "frozen" in cls:
            state = "frozen"
        else:
            state = "visible"
        full = "full" in cls
        title = _own_first(comment, ".comment-title")
        poster = _own_first(comment, ".comment-poster")
        placeholder = not full and (
            "poster-hidden" in cls
            or state in ("deleted", "suspended")
            or (title is None and poster is None)
        )
        if not full and title is None and poster is None:
            bare = norm(comment.get_text())
            for text, st in (
                ("(deleted comment)", "deleted"),
                ("(reply from suspended user)", "suspended"),
                ("(screened comment)", "screened"),
            ):
                if bare.startswith(text) and state == "visible":
                    state = st
        author = None
        if not placeholder and poster is not None:
            user = poster.select_one("span.ljuser")
            if user is not None:
                author = (
                    norm(user.get("lj:user")) or norm((user.find("b") or user).get_text()) or None
                )
        parent = None
        link = _own_first(comment, ".commentparent a[href]")
        if link is not None:
            q = parse_qs(urlsplit(link["href"]).query).get("thread")
            parent = int(q[0]) if q and q[0].isdigit() else None
        if parent is None and depth > 1:
            parent = last_at_depth.get(depth - 1)
        last_at_depth[depth] = cid
        for deeper in [d for d in last_at_depth if d > depth]:
            del last_at_depth[deeper]
        body = None
        if full:
            content = _own_first(comment, ".comment-content")
            edit = content.find(class_="edittime", recursive=False) if content else None
            body = norm(block_text(content, skip=edit)) if content is not None else ""
        out.append(
            {
                "commentid": cid,
                "parent": parent,
                "author": author,
                "state": state,
                "body_text": body,
            }
        )
    return out


def parse_entry_page(html: str) -> tuple[dict, list[dict]]:
    """(the entry, its comments) of an entry page, ?page=N or ?thread=N view."""
    soup = soup_of(html)
    wrappers = _entry_wrappers(soup)
    entry = parse_entry_node(wrappers[0]) if wrappers else None
    return entry, _comment_records(soup)


def parse_year(html: str) -> dict[str, int]:
    soup = soup_of(html)
    archive = soup.find(id="archive-year")
    counts: dict[str, int] = {}
    if archive is None:
        return counts
    for a in archive.select("td.day-has-entries a[href]"):
        m = _DAY_URL.search(urlsplit(a["href"]).path)
        n = _INT.search(a.get_text())
        if m and n:
            day = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            counts.setdefault(day, int(n.group(0).replace(",", "")))
    return counts
