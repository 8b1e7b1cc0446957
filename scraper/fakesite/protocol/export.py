"""GET /export_comments: a journal's comments as XML (DW::Controller::Export::comment_handler).

Follows cgi-bin/DW/Controller/Export.pm:269-443 and DW::Controller::controller (authas, form_auth):

* logged out (no valid session cookie): 302 to `<site>/login?returnto=<path and query>`;
* `authas=NAME` exports a journal the remote user manages, else an "invalidauth" error page;
  without it the remote user's own journal;
* a POST needs a valid `lj_form_auth` (the fake site issues none: "invalidform" error page);
  a GET that carries a `Referer` header gets the "invalidform" error page too (Export.pm:278);
  error pages are ordinary HTML pages with status 200; `get` other than comment_meta /
  comment_body is an error page as well;
* the window is an id range, not a count: `startid <= jtalkid < startid + numitems`, numitems
  1..10,000 for meta and 1..1,000 for bodies (anything else: the maximum), so id gaps give
  empty windows;
* meta: `<maxid>` (the journal's highest jtalkid), `<nextid>` = startid + numitems unless that
  exceeds maxid, `<comment id= [posterid=] [state=]/>` (no state: active; S screened,
  D deleted, F frozen; no posterid: anonymous) and `<usermap id= user=/>` for the window's
  posters (OpenID posters are `ext_NNN`), both in no particular order (a Perl hash walk: the
  fake site shuffles them);
* bodies: comments by id with jitemid, posterid, state, parentid, then subject and body only when
  not empty, the date as `YYYY-MM-DDTHH:MM:SSZ` (UTC) and, with `props=1`, `<property name=>`
  per talk prop (editor, opt_preformatted, picture_mapid, edit_time, poster_ip, useragent...);
  deleted comments are empty elements; comments by suspended users are shown as deleted
  (state D, no text) though their poster stays in the usermap (Export.pm:334-342).

Text is escaped with LJ::exml (& " ' < > and control characters dropped).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from ..model import NO_USERPIC, FakeComment, FakeEntry, FakeJournal
from ..render import Response
from ..render.site import site_page
from .accounts import Account, can_manage, openid_userid
from .entries import picture_mapid, unix
from .flat import eurl
from .state import Call, OwnerState

META_MAX = 10_000
BODY_MAX = 1_000
STATE_LETTER = {"screened": "S", "deleted": "D", "frozen": "F", "suspended": "D"}
USER_AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Safari/605.1.15"
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36"
    ),
)
INVALIDFORM = "Invalid form submission.  Please go back and try again."
INVALIDAUTH = "You couldn't be authenticated as the specified account."
BADCONTENT = (
    "One or more errors occurred processing your request.  Please go back, correct the "
    "necessary information, and submit your data again."
)


def exml(value: str) -> str:
    """LJ::exml (cgi-bin/LJ/TextUtil.pm:175-193)."""
    value = (
        value.replace("&", "&amp;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)


@dataclass
class Row:
    """One talk2 row of the journal."""

    entry: FakeEntry
    comment: FakeComment
    posterid: int | None
    poster: str | None  # the usermap name

    @property
    def jtalkid(self) -> int:
        return self.comment.jtalkid


def rows(state: OwnerState, journal: FakeJournal) -> dict[int, Row]:
    out: dict[int, Row] = {}
    for entry in journal.entries:
        for comment in entry.comments:
            posterid: int | None = None
            poster: str | None = None
            if comment.author is not None and comment.author_kind != "anonymous":
                if comment.author_kind == "openid":
                    posterid = openid_userid(comment.author)
                    poster = f"ext_{posterid}"
                else:
                    posterid = state.accounts.userid_of(comment.author)
                    poster = comment.author
            out[comment.jtalkid] = Row(entry, comment, posterid, poster)
    return out


def comment_source(comment: FakeComment) -> str:
    return comment.source if comment.source is not None else comment.body_html


def comment_props(row: Row) -> dict[str, str]:
    """The talk props of a comment (deleted comments have none left)."""
    comment = row.comment
    if comment.state == "deleted":
        return {}
    props: dict[str, str] = {}
    if comment.editor:
        props["editor"] = comment.editor
    elif comment.source is None:
        props["opt_preformatted"] = "1"
    keyword = comment.userpic_keyword
    if row.poster and comment.author_kind == "user" and keyword not in (None, NO_USERPIC):
        props["picture_mapid"] = str(picture_mapid(row.poster, keyword))
    if comment.edited_at is not None:
        props["edit_time"] = str(unix(comment.edited_at))
    n = comment.commentid
    props["poster_ip"] = f"198.51.100.{n % 250 + 1}"
    props["useragent"] = USER_AGENTS[n % len(USER_AGENTS)]
    for name, value in comment.props.items():
        if value is None:
            props.pop(name, None)
        else:
            props[name] = value
    return props


def _error(root: str, message: str, extra: str = "") -> Response:
    return Response.html(200, site_page(root, "Error", f"<p>{message}</p>{extra}"))


def _perl_int(value: str | None) -> int:
    m = re.match(r"^\s*([+-]?\d+)", value or "")
    return int(m.group(1)) if m else 0


def respond(
    state: OwnerState,
    method: str,
    path: str,
    query: dict[str, str],
    raw_query: str,
    headers: dict[str, str],
    call: Call,
    site_root: str,
) -> Response:
    """The answer to one /export_comments request."""
    if call.remote is None:
        target = path + (f"?{raw_query}" if raw_query else "")
        return Response.redirect(f"{site_root}login?returnto={eurl(target)}")
    account: Account = call.remote
    journal = state.journal_of(account)
    if query.get("authas"):
        wanted = state.journals.get(query["authas"])
        if wanted is None or not can_manage(account, wanted):
            return _error(site_root, INVALIDAUTH)
        journal = wanted
    if method == "POST":
        return _error(site_root, INVALIDFORM)
    if any(k.lower() == "referer" and v for k, v in headers.items()):
        return _error(site_root, INVALIDFORM)
    mode = (query.get("get") or "").lower()
    if mode not in ("comment_meta", "comment_body"):
        return _error(site_root, BADCONTENT, "<ul><li>Unknown mode.</li></ul>")
    maxitems = META_MAX if mode == "comment_meta" else BODY_MAX
    gather = maxitems
    if "numitems" in query:
        asked = _perl_int(query["numitems"])
        if 0 < asked <= maxitems:
            gather = asked
    startid = _perl_int(query.get("startid"))
    endid = startid + gather
    table = rows(state, journal)
    window = {i: r for i, r in table.items() if startid <= i < endid}
    owner_id = journal.userid
    out = ["<?xml version=\"1.0\" encoding='utf-8'?>\n<livejournal>\n"]
    if mode == "comment_meta":
        maxid = max(table, default=0)
        out.append(f"<maxid>{maxid}</maxid>\n")
        if startid + gather <= maxid:
            out.append(f"<nextid>{startid + gather}</nextid>\n")
        out.append("<comments>\n")
        order = list(window.values())
        random.Random(startid).shuffle(order)
        users: dict[int, str] = {}
        for row in order:
            out.append(_meta_line(row, owner_id))
            if row.posterid is not None and row.poster is not None:
                users[row.posterid] = row.poster
        out.append("</comments>\n<usermaps>\n")
        mapped = list(users.items())
        random.Random(startid + 1).shuffle(mapped)
        out += [f"<usermap id='{uid}' user='{name}' />\n" for uid, name in mapped]
        out.append("</usermaps>\n")
    else:
        out.append("<comments>\n")
        for jtalkid in sorted(window):
            out.append(
                _body_xml(window[jtalkid], owner_id, query.get("props", "") not in ("", "0"))
            )
        out.append("</comments>\n")
    out.append("</livejournal>\n")
    body = "".join(out).encode("utf-8")
    return Response(200, body, [("Content-Type", "text/xml; charset=utf-8")])


def _state(row: Row, owner_id: int) -> str | None:
    comment = row.comment
    if comment.state == "suspended" and row.posterid == owner_id:
        return None  # the owner's own comments are never filtered
    return STATE_LETTER.get(comment.state)


def _meta_line(row: Row, owner_id: int) -> str:
    line = f"<comment id='{row.jtalkid}'"
    if row.posterid is not None:
        line += f" posterid='{row.posterid}'"
    state = _state(row, owner_id)
    if state:
        line += f" state='{state}'"
    return line + " />\n"


def _body_xml(row: Row, owner_id: int, with_props: bool) -> str:
    comment = row.comment
    out = f"<comment id='{row.jtalkid}' jitemid='{row.entry.jitemid}'"
    if row.posterid is not None:
        out += f" posterid='{row.posterid}'"
    state = _state(row, owner_id)
    if state:
        out += f" state='{state}'"
    if comment.parent is not None:
        out += f" parentid='{comment.parent >> 8}'"
    if state == "D":
        return out + " />\n"
    out += ">\n"
    subject, body = comment.subject, comment_source(comment)
    if subject and subject != "0":
        out += f"<subject>{exml(subject)}</subject>\n"
    if body and body != "0":
        out += f"<body>{exml(body)}</body>\n"
    out += f"<date>{comment.posted_at.strftime('%Y-%m-%dT%H:%M:%SZ')}</date>\n"
    if with_props:
        props = list(comment_props(row).items())
        random.Random(row.jtalkid).shuffle(props)
        for name, value in props:
            out += f"<property name='{name}'>{exml(value)}</property>\n"
    return out + "</comment>\n"


def summary(state: OwnerState, journal: FakeJournal) -> dict[str, Any]:
    """Counts a test or bench can compare against: ids, maxid, windows needed."""
    table = rows(state, journal)
    maxid = max(table, default=0)
    return {
        "comments": len(table),
        "maxid": maxid,
        "meta_windows": maxid // META_MAX + 1,
        "body_windows": maxid // BODY_MAX + 1,
    }
