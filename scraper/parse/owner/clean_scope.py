"""The cleaner's open tags: LJ::CleanHTML::clean's %opencount, @tablescope and @tagstack, and
what an allowed tag prints given them. Table parts outside a table (or a cell outside a row)
are printed as text (CleanHTML.pm:988-1004, 1162-1171); open tags are closed early when an
outer one closes and at the end (l.1173-1206, 1356-1374); a close tag for something not open
prints nothing (noearlyclose).
"""

from __future__ import annotations

from collections import Counter

from .clean_tables import FORM_TAGS, TABLE_PARTS, VOID_TAGS
from .clean_text import ehtml, perl_true


class OpenTags:
    """The tags open at the cleaner's place in the source, counted as Dreamwidth counts them
    (Perl counters, which can go below 0)."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()  # %opencount
        self.tables: list[Counter[str]] = []  # @tablescope: per open table, its parts open
        self.stack: list[str] = []  # @tagstack: tags to close early or at the end

    def is_open(self, tag: str) -> bool:
        return perl_true(self.count[tag])

    def uncount(self, tag: str) -> None:
        """One `tag` fewer open (in the innermost table too, when there is one)."""
        self.count[tag] -= 1
        if self.tables:
            self.tables[-1][tag] -= 1

    def start(self, tag: str, attrs: list[tuple[str, str]], *, slashclose: bool) -> str:
        """An allowed start tag as printed (as text outside its table scope), counted open."""
        allow = True
        if (
            (tag in TABLE_PARTS and not self.tables)
            or (tag in ("td", "th") and not perl_true(self.tables[-1]["tr"]))
            or (
                tag == "table"
                and self.tables
                and not (perl_true(self.tables[-1]["td"]) or perl_true(self.tables[-1]["th"]))
            )
        ):
            allow = False
        parts = [("<" if allow else "&lt;") + tag]
        parts.extend(f' {name}="{ehtml(value)}"' for name, value in attrs)
        if slashclose:
            if VOID_TAGS.match(tag):
                parts.append(" /")
                self.uncount(tag)
            else:
                slashclose = False
        if allow:
            parts.append(">")
            self.count[tag] += 1
            if tag == "table":
                self.tables.append(Counter())
            elif self.tables:
                self.tables[-1][tag] += 1
            if not slashclose and (tag == "table" or not self.tables):
                self.stack.append(tag)
        else:
            parts.append("&gt;")
        return "".join(parts)

    def end(self, tag: str) -> str:
        """What an allowed close tag prints: the tags it closes early and itself when open;
        itself as text outside its table scope, or for a form field outside a form."""
        out: list[str] = []
        allow = True
        out_of_table = (tag in TABLE_PARTS or tag == "table") and not self.tables
        if out_of_table or (tag in ("td", "th") and not perl_true(self.tables[-1]["tr"])):
            allow = False
        if allow and perl_true(self.count[tag]):
            if not self.tables:
                while self.stack:
                    close = self.stack.pop()
                    if close == tag:
                        break
                    self.count[close] -= 1
                    if not VOID_TAGS.match(close):
                        out.append(f"</{close}>")
            if tag == "table":
                self.tables.pop()
                if self.stack and self.stack[-1] == "table":
                    self.stack.pop()
            elif self.tables:
                if not perl_true(self.tables[-1][tag]):
                    return "".join(out)
                self.tables[-1][tag] -= 1
            if perl_true(self.count[tag]):
                out.append(f"</{tag}>")
                self.count[tag] -= 1
        elif not allow or (tag in FORM_TAGS and not perl_true(self.count["form"])):
            out.append(f"&lt;/{tag}&gt;")
        return "".join(out)

    def close_all(self) -> str:
        """The close tags still owed at the end of the source (a textarea's first)."""
        out: list[str] = []
        if perl_true(self.count["textarea"]):
            out.append("</textarea>")
        self.count["textarea"] = 0
        for tag in reversed(self.stack):
            if VOID_TAGS.match(tag):
                continue
            if perl_true(self.count[tag]):
                out.append(f"</{tag}>")
                self.count[tag] -= 1
        self.stack = []
        return "".join(out)
