"""The tags page (/tag/) and the tag lists shared with the sidebar tags module.

core2 prints tags three ways (print_list_tags, print_cloud_tags, print_multilevel_tags), each with
the use count as text ('- 3 uses'), as a number ('[3]', in multilevel mode inside
<span style='detail-tagcount'>, a core2 bug), or only in the link's title attribute. Tags are found
by their links (/tag/NAME or ?tag=NAME); the full name of a multi-level tag 'a:b' comes from the
link target, with the nesting of <ul>s as fallback.
"""

from __future__ import annotations

from ..errors import ParseError
from ..records import TagCount, TagsPage
from .html import (
    Node,
    PageInput,
    ancestors,
    attr,
    children,
    classes,
    css_all,
    first_int,
    guarded,
    has_class,
    norm,
    parse_page,
    text_of,
)
from .journal import parse_journal_info
from .urls import tag_from_url

_VISIBILITIES = ("public", "private", "protected", "friends", "group", "access", "custom")


def _count_after(link: Node) -> int | None:
    """The use count printed after a tag link (up to a nested list), else its title."""
    texts: list[str] = []
    sib = link.next
    while sib is not None:
        if sib.is_element_node and (sib.tag or "").lower() in ("ul", "ol", "li", "a"):
            break
        if sib.is_text_node:
            texts.append(sib.text_content or "")
        elif sib.is_element_node:
            texts.append(sib.text(deep=True) or "")
        sib = sib.next
    n = first_int(" ".join(texts))
    if n is not None:
        return n
    return first_int(attr(link, "title"))


def _visibility(li: Node | None, link: Node) -> str | None:
    for c in classes(li):
        if c.startswith("visibility-") and len(c) > len("visibility-"):
            return c[len("visibility-") :]
    for c in classes(link):  # zesty: <a class="used-N visible-to-VISIBILITY"> (layout.s2:2781)
        if c.startswith("visible-to-") and len(c) > len("visible-to-"):
            return c[len("visible-to-") :]
    return None


def _tier_name(li: Node) -> str | None:
    """Text of the tier a <li> stands for: its tag link or its non-link-tag span."""
    for kid in children(li):
        tag = (kid.tag or "").lower()
        if tag == "a" or (tag == "span" and has_class(kid, "non-link-tag")):
            return text_of(kid) or None
    return None


def _nested_name(link: Node, scope: Node) -> str:
    """Full multi-level name from the enclosing <li>s: 'a:b:c'."""
    tiers = [text_of(link)]
    li = None
    for anc in ancestors(link, scope):
        if (anc.tag or "").lower() == "li":
            if li is None:
                li = anc
                continue
            name = _tier_name(anc)
            if name:
                tiers.append(name)
    return ":".join(reversed(tiers))


def extract_tags(scope: Node | None) -> list[TagCount]:
    """Every tag link under scope with its use count and visibility (first occurrence wins)."""
    if scope is None:
        return []
    out: list[TagCount] = []
    seen: set[str] = set()
    multilevel = (
        bool(css_all(scope, "span.non-link-tag"))
        or any("tags_multilevel" in classes(n) for n in css_all(scope, "ul"))
        or "module-tags_multilevel" in classes(scope)
    )
    for a in css_all(scope, "a[href]"):
        href = attr(a, "href")
        name = tag_from_url(href)
        shown = text_of(a)
        if name is None:
            continue
        name = norm(name)
        if not name:
            continue
        if multilevel and ":" not in name:
            # a link carrying only its tier: the full name comes from the nesting
            nested = _nested_name(a, scope)
            if ":" in nested and nested.endswith((":" + name, ":" + shown)):
                name = nested
        if name in seen:
            continue
        seen.add(name)
        li = None
        for anc in ancestors(a, scope):
            if (anc.tag or "").lower() == "li":
                li = anc
                break
        out.append(TagCount(tag=name, uses=_count_after(a), visibility=_visibility(li, a)))
    return out


@guarded
def parse_tags_page(html: PageInput, url: str | None = None) -> TagsPage:
    """The /tag/ page: every visible tag with its use count (core2 TagsPage::print_body
    `.tags-container`, core2.s2:6726; zesty's cloud `#tag-cloud`, zesty/layout.s2:2738)."""
    from .modules import parse_sidebar

    tree = parse_page(html)
    root = tree.root
    container = tree.css_first(".tags-container") or tree.css_first("#tag-cloud")
    if container is None:
        lists = css_all(root, "ul.ljtaglist")
        if lists:
            container = lists[0].parent
    if container is None:
        raise ParseError("not a tags page: no .tags-container, #tag-cloud or ul.ljtaglist")
    contents = container.css_first(".contents") or container
    tags = extract_tags(contents)
    return TagsPage(
        journal=parse_journal_info(tree, url),
        tags=tuple(tags),
        sidebar=parse_sidebar(tree),
        rendering=str(tree.rendering),
    )
