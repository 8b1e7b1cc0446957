"""The attributes the cleaner keeps on a tag: ids dropped (cleancss, CleanHTML.pm:183-186),
event handlers, `dynsrc`, `data` (with its `type`) and script URLs dropped, styles Dreamwidth's
CSS cleaning rejects dropped (and classes too under strongcleancss, as in comments), tabs,
newlines and NULs taken out of values. A malformed attribute name makes the markup
irreparable: the caller prints the error notice (scraper.parse.owner.clean_text.error_notice).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean_tables import CleanPolicy

_ATTR_NAME = re.compile(r"^[\w_:-]+$", re.ASCII)
_BAD_SCHEME = re.compile(r"(?:jscript|livescript|javascript|vbscript|^about|data):", re.IGNORECASE)
_CSS_DENY = ("/*", "[", "absolute", "fixed", "expression", "eval", "behavior", "cookie",
             "document", "window", "javascript", "-moz-binding")  # fmt: skip
_CSS_STRONG_DENY = re.compile(
    r"-moz-|absolute|relative|outline|z-index|(?<!-)(?:top|left|right|bottom)\s*:|filter|-webkit-",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Irreparable:
    """An attribute name clean() cannot repair; `what` is what the error notice names."""

    what: str


def clean_attrs(
    tag: str, attr_list: list[tuple[str, str | None]], policy: CleanPolicy
) -> list[tuple[str, str]] | Irreparable:
    """The attributes clean() keeps, in source order (a bare attribute's value is its name)."""
    kept: dict[str, str] = {}
    for name, value in attr_list:
        kept[name] = name if value is None else value
    kept.pop("id", None)  # cleancss strips ids (l.183-186)
    if policy.nocss:
        kept.pop("style", None)
    for name in list(kept):
        if name not in kept:  # `data` took its `type` along already
            continue
        if name.startswith(("on", "dynsrc")):
            del kept[name]
            continue
        if name == "data":
            del kept[name]
            kept.pop("type", None)
            continue
        if re.search(r"(?:^=)|[\x0b\x0d]", name):
            return Irreparable(f"{tag} {name}")
        if not _ATTR_NAME.match(name):
            more = "[...] " if len(kept) > 1 else ""
            return Irreparable(f"{tag} {more}{name}")
        value = kept[name].replace("\t", "").replace("\n", "").replace("\x00", "")
        kept[name] = value
        if _BAD_SCHEME.search(re.sub(r"\s+", "", value)):
            del kept[name]
            continue
        if name == "style":
            style = value.replace("\\", "")
            low = style.lower()
            if any(word in low for word in _CSS_DENY) or (
                policy.strongcleancss and _CSS_STRONG_DENY.search(style)
            ):
                del kept[name]
                continue
            kept[name] = style
        if name in ("class", "id") and policy.strongcleancss:
            del kept[name]
            continue
    if "href" in kept:
        kept["href"] = kept["href"].strip()
    return [(name, kept[name]) for name, _ in attr_list if name in kept]
