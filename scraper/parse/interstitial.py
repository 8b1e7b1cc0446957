"""Pages that stand in for the content asked for: captcha, adult-content gate, error notices.

These are site pages (or bare error bodies), not S2 journal pages, so they carry little structure;
the captcha and adult gates are recognised by their forms, the notices by their headings
(DW/Controller/Journal.pm, views/error/*.tt, views/journal/*.tt, views/protected.tt).
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..records import Interstitial
from .html import (
    Node,
    PageInput,
    ParsedPage,
    attr,
    classes,
    css_all,
    guarded,
    norm,
    parse_html,
    text_of,
)
from .rendering import Rendering
from .urls import absolute, url_path

# heading / window-title words -> kind (DW's own strings)
_HEADINGS = (
    ("captcha", "captcha"),
    ("too many requests", "error"),
    ("suspended", "suspended"),
    ("purged", "purged"),
    ("deleted account", "deleted"),
    ("deleted community", "deleted"),
    ("deleted", "purged"),
    ("protected", "locked"),
    ("unknown journal", "error"),
    ("account not found", "error"),
    ("can't find that page", "error"),
    ("not found", "error"),
    ("read-only user", "error"),
    ("invalid filter", "error"),
    ("error", "error"),
)


def _is_journal_page(tree: ParsedPage) -> bool:
    """A journal page (any rendering, rendering.py) or the profile: never a notice, whatever
    words its title has."""
    cls = classes(tree.body)
    if any(c.startswith("page-") for c in cls) and any(
        c in cls for c in ("logged-in", "logged-out")
    ):
        return True
    if tree.css_first("#profile_page") is not None:
        return True
    if tree.rendering in (Rendering.ZESTY, Rendering.SITEVIEWS):
        return True
    return (
        tree.css_first(".entry-wrapper") is not None or tree.css_first("#archive-year") is not None
    )


def _message(tree: ParsedPage) -> str:
    parts = []
    for sel in ("h1", ".panel.callout p", "#content p", ".alert-box", "p"):
        for n in css_all(tree.body, sel):
            t = text_of(n)
            if t and t not in parts:
                parts.append(t)
        if len(parts) >= 3:
            break
    if not parts:
        parts.append(text_of(tree.body))
    return norm(" ".join(parts))[:1000]


@guarded
def parse_interstitial(
    html: PageInput, status: int | str | None = None, url: str | None = None
) -> Interstitial | None:
    """The interstitial a page is, or None when it is an ordinary journal/profile page.

    Called as parse_interstitial(text, status, url) (status and url optional; a string in the
    status position is taken as the url). The body decides; the HTTP status only names pages
    whose body says nothing recognisable (429 and 5xx 'error', 410 'purged', 403 'locked',
    other 4xx 'error').
    """
    if isinstance(status, str):
        status, url = None, status
    tree = parse_html(html)
    path = url_path(url).lower()
    if _is_journal_page(tree):
        return None
    body = tree.body
    if body is not None:
        if (
            tree.css_first(".h-captcha") is not None
            or tree.css_first("script[src*='hcaptcha']") is not None
            or tree.css_first(".g-recaptcha") is not None
            or "/captcha" in path
        ):
            return Interstitial("captcha", _message(tree))
        if _adult_form(tree) is not None or "/journal/adult_" in path:
            return Interstitial("adult", _message(tree))

        heads = [text_of(n) for n in css_all(body, "h1")]
        title = tree.css_first("title")
        heads.append(text_of(title))
        heads_l = " | ".join(h.lower() for h in heads if h)
        if re.search(r"\b429\b", heads_l):
            return Interstitial("error", _message(tree))
        for words, kind in _HEADINGS:
            if words in heads_l:
                return Interstitial(kind, _message(tree))
        if "/protected" in path:
            return Interstitial("locked", _message(tree))
    if isinstance(status, int) and status >= 400:
        kind = {410: "purged", 403: "locked"}.get(status, "error")
        message = _message(tree) if body is not None else ""
        return Interstitial(kind, message or f"HTTP {status}")
    return None


def _adult_form(tree: ParsedPage) -> Node | None:
    for form in css_all(tree.body, "form"):
        names = {attr(i, "name") for i in css_all(form, "input, button")}
        if "adult_check" in names or ({"journalid", "entryid"} <= names and "ret" in names):
            return form
    return None


@guarded
def parse_adult_form(html: PageInput, base_url: str | None = None) -> tuple[str, dict[str, str]]:
    """(action URL, fields) of the adult-content gate's confirmation form, ready to POST.

    Fields are the hidden inputs (ret, journalid, entryid, lj_form_auth, ...) plus the
    adult_check submit button's name and value. Relative actions are resolved against base_url.
    """
    tree = parse_html(html)
    form = _adult_form(tree)
    if form is None:
        raise ParseError("no adult-content confirmation form on the page")
    action = attr(form, "action") or (base_url or "")
    action = absolute(action, base_url) or action
    fields: dict[str, str] = {}
    for inp in css_all(form, "input, button"):
        name = attr(inp, "name")
        if not name:
            continue
        typ = (attr(inp, "type") or ("submit" if (inp.tag or "") == "button" else "text")).lower()
        if typ in ("submit", "image", "button") and name != "adult_check":
            continue
        if typ in ("checkbox", "radio") and attr(inp, "checked") is None:
            continue
        fields.setdefault(name, attr(inp, "value") or "")
    return action, fields
