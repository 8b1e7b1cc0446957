"""Text for a terminal: archived text is written by strangers, so nothing of it reaches a terminal
as a control character.

`clean()` is the one function every printed value goes through: it removes terminal escape
sequences whole (CSI `ESC [ ... m`, OSC `ESC ] ... BEL` that sets the window title, DCS/APC/PM
strings, two-byte escapes, and their 8-bit C1 forms), then every remaining C0/C1 control
character and the Unicode bidirectional overrides that can make printed text read differently
from what it is. Newlines and tabs become spaces unless `newlines=True` keeps line breaks.

`json_text()` is JSON for a terminal (the same value, with the characters JSON leaves raw but a
terminal may act on written as \\u escapes). `format_table()` is the `query` command's plain table, built from cleaned cells and aligned by
terminal cell width (wide CJK characters and emoji take two columns).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len

# Whole escape sequences first, so their printable tails ("[2J", "]0;title") go too.
_SEQUENCES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[\x20-\x3f]*[\x40-\x7e]?          # CSI ... final byte
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])           # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?             # ... up to BEL or ST (or the end)
    | \x1b[\x20-\x2f]*[\x30-\x7e]?                      # other escapes: ESC (intermediates) final
    """,
    re.VERBOSE,
)
# C0 and C1 controls, DEL, and the bidi embeddings/overrides/isolates (U+202A-E, U+2066-9).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_JSON_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NEWLINE_LIKE = re.compile(r"\r\n|[\r\u2028\u2029\x85]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\t\u2028\u2029\x85]")


def clean(value: object, *, newlines: bool = False) -> str:
    """`value` as text that is safe to print: no escape sequences, no control characters.

    Line breaks and tabs become single spaces (so one record stays on one line) unless
    `newlines=True`, which keeps `\\n` (and turns `\\r\\n`, `\\r`, U+2028/2029 into `\\n`).
    """
    text = "" if value is None else str(value)
    if not newlines:
        text = _LINE_BREAKS.sub(" ", text)
    else:
        text = _NEWLINE_LIKE.sub("\n", text.replace("\t", " "))
    return _CONTROLS.sub("", _SEQUENCES.sub("", text))  # (\t and \n are not in _CONTROLS)


def json_text(payload: object, **dumps: Any) -> str:
    """`json.dumps(payload, ensure_ascii=False, indent=2)`, with the characters JSON leaves raw
    but a terminal may act on (DEL, C1 controls, bidi overrides) written as \\u escapes: the
    same JSON value, nothing for the terminal to interpret."""
    text = json.dumps(payload, ensure_ascii=False, **{"indent": 2, **dumps})
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _cell(value: object, max_width: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    text = clean(value)
    if cell_len(text) <= max_width:
        return text
    out, width = [], 0
    for char in text:
        width += cell_len(char)
        if width > max_width - 1:
            break
        out.append(char)
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_len(text))


def format_table(
    columns: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 60
) -> str:
    """A plain-text table: header, dashes, one line per row (cells cut at `max_width` columns),
    then "(N rows)". Every cell and column name is `clean()`ed first."""
    head = [_cell(c, max_width) for c in columns]
    body = [[_cell(v, max_width) for v in r] for r in rows]
    widths = [cell_len(c) for c in head]
    for r in body:
        widths = [max(w, cell_len(v)) for w, v in zip(widths, r)]
    out = ["  ".join(_pad(c, w) for c, w in zip(head, widths)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(_pad(v, w) for v, w in zip(r, widths)).rstrip() for r in body]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


__all__ = ["clean", "format_table", "json_text"]
