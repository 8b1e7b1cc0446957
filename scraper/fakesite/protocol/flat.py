"""POST /interface/flat: the key/value protocol (DW::Controller::Interface::Flat + LJ::do_request).

Requests are form-encoded POST bodies (a GET carries no post arguments and so has no mode);
`user` becomes the protocol's `username` (upgrade_request, cgi-bin/LJ/Protocol.pm:4396-4406).
Answers are `key\\nvalue\\n` pairs sorted by key, with CR and LF removed from keys and values
(cgi-bin/DW/Controller/Interface/Flat.pm:46-59), or `key=value&` URL-encoded pairs with
`responseenc=urlenc`; errors are `success FAIL` plus `errmsg`, always with HTTP 200.

The flat wrappers (Protocol.pm:3644-4366) are followed, including two of their quirks:
`sessiongenerate` and `sessionexpire` overwrite a failure with `success OK` (the error is still
in `errmsg`, and `ljsession` is empty) - a client must look at errmsg, not success; and
`sessionexpire` takes the session ids from the key names `expire_id_<id>`. getevents sends
`events_N_event` URL-encoded (LJ::eurl) and props as `prop_N_itemid/name/value`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from .cleanhtml import canonical_username
from .errors import ProtocolError, message
from .modes import do_request, text, truthy
from .state import Call, OwnerState

Wrapper = Callable[[OwnerState, dict[str, str], dict[str, Any], Call], dict[str, Any]]
EVENT_FIELDS = [
    "itemid",
    "eventtime",
    "logtime",
    "security",
    "allowmask",
    "subject",
    "anum",
    "url",
    "poster",
    "converted_with_loss",
]


def eurl(value: str) -> str:
    """LJ::eurl (cgi-bin/LJ/TextUtil.pm:141-148) over UTF-8 bytes."""
    out = []
    for byte in value.encode("utf-8"):
        ch = chr(byte)
        if re.match(r"[a-zA-Z0-9_,\-./\\: ]", ch):
            out.append("+" if ch == " " else ch)
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def parse_form(body: bytes) -> dict[str, str]:
    return {k: v for k, v in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)}


def handle(state: OwnerState, form: dict[str, str], call: Call) -> dict[str, Any]:
    """LJ::do_request: the flat response hash for a flat request."""
    res: dict[str, Any] = {}
    mode = form.get("mode")
    if not mode:
        return {"success": "FAIL", "errmsg": "Client error: No mode specified."}
    if mode == "getchallenge":
        rs = do_request(state, "getchallenge", form, call)
        res = {k: rs[k] for k in ("challenge", "server_time", "expire_time", "auth_scheme")}
        res["success"] = "OK"
        return res
    if not canonical_username(form.get("user")):
        return {"success": "FAIL", "errmsg": "Client error: No username sent."}
    rq: dict[str, Any] = dict(form)
    rq["username"] = form.get("user")
    wrapper = WRAPPERS.get(mode)
    if wrapper is None:
        return {"success": "FAIL", "errmsg": f"Client error: Unknown mode ({mode})"}
    return wrapper(state, form, rq, call)


def _fail(exc: ProtocolError) -> dict[str, Any]:
    return {"success": "FAIL", "errmsg": message(exc.code, exc.detail)}


def _login(
    state: OwnerState, form: dict[str, str], rq: dict[str, Any], call: Call
) -> dict[str, Any]:
    try:
        rs = do_request(state, "login", rq, call)
    except ProtocolError as exc:
        return _fail(exc)
    res: dict[str, Any] = {"success": "OK", "name": rs["fullname"]}
    if rs.get("fastserver"):
        res["fastserver"] = 1
    for n, user in enumerate(rs["usejournals"], start=1):
        res[f"access_{n}"] = user
    if rs["usejournals"]:
        res["access_count"] = len(rs["usejournals"])
    res["frgrp_maxnum"] = 0
    if "getpickws" in form:
        for n, kw in enumerate(rs.get("pickws", []), start=1):
            res[f"pickw_{n}"] = kw
        res["pickw_count"] = len(rs.get("pickws", []))
    if "getpickwurls" in form:
        for n, url in enumerate(rs.get("pickwurls", []), start=1):
            res[f"pickwurl_{n}"] = url
        res["pickwurl_count"] = len(rs.get("pickwurls", []))
    if rs.get("defaultpicurl"):
        res["defaultpicurl"] = rs["defaultpicurl"]
    if "getmoods" in form:
        for n, mood in enumerate(rs.get("moods", []), start=1):
            res[f"mood_{n}_id"] = mood["id"]
            res[f"mood_{n}_name"] = mood["name"]
            res[f"mood_{n}_parent"] = mood["parent"]
        if rs.get("moods"):
            res["mood_count"] = len(rs["moods"])
    return res


def _sessiongenerate(
    state: OwnerState, form: dict[str, str], rq: dict[str, Any], call: Call
) -> dict[str, Any]:
    try:
        res = {"ljsession": do_request(state, "sessiongenerate", rq, call)["ljsession"]}
    except ProtocolError as exc:
        res = _fail(exc) | {"ljsession": None}
    res["success"] = "OK"  # sic: the wrapper does not return after a failure
    return res


def _sessionexpire(
    state: OwnerState, form: dict[str, str], rq: dict[str, Any], call: Call
) -> dict[str, Any]:
    rq["expire"] = [m.group(1) for k in rq if (m := re.fullmatch(r"expire_id_(\d+)", k))]
    try:
        do_request(state, "sessionexpire", rq, call)
        res: dict[str, Any] = {}
    except ProtocolError as exc:
        res = _fail(exc)
    res["success"] = "OK"  # sic, as in sessiongenerate
    return res


def _syncitems(
    state: OwnerState, form: dict[str, str], rq: dict[str, Any], call: Call
) -> dict[str, Any]:
    try:
        rs = do_request(state, "syncitems", rq, call)
    except ProtocolError as exc:
        return _fail(exc)
    res: dict[str, Any] = {"success": "OK", "sync_total": rs["total"], "sync_count": rs["count"]}
    for n, item in enumerate(rs["syncitems"], start=1):
        for key in ("item", "action", "time"):
            res[f"sync_{n}_{key}"] = item[key]
    return res


def _getevents(
    state: OwnerState, form: dict[str, str], rq: dict[str, Any], call: Call
) -> dict[str, Any]:
    try:
        rs = do_request(state, "getevents", rq, call)
    except ProtocolError as exc:
        return _fail(exc)
    res: dict[str, Any] = {}
    prop_count = 0
    for n, evt in enumerate(rs["events"], start=1):
        for key in EVENT_FIELDS:
            if evt.get(key) is not None:
                res[f"events_{n}_{key}"] = evt[key]
        res[f"events_{n}_event"] = eurl(evt["event"])
        for name in sorted(evt.get("props") or {}):
            prop_count += 1
            res[f"prop_{prop_count}_itemid"] = evt["itemid"]
            res[f"prop_{prop_count}_name"] = name
            res[f"prop_{prop_count}_value"] = evt["props"][name]
    if not truthy(form.get("noprops")):
        res["prop_count"] = prop_count
    res["events_count"] = len(rs["events"])
    res["success"] = "OK"
    return res


def _getusertags(
    state: OwnerState, form: dict[str, str], rq: dict[str, Any], call: Call
) -> dict[str, Any]:
    try:
        rs = do_request(state, "getusertags", rq, call)
    except ProtocolError as exc:
        return _fail(exc)
    res: dict[str, Any] = {"success": "OK"}
    for n, tag in enumerate(rs["tags"], start=1):
        res[f"tag_{n}_security"] = tag.get("security_level")
        if tag.get("uses"):
            res[f"tag_{n}_uses"] = tag["uses"]
        if tag.get("display"):
            res[f"tag_{n}_display"] = tag["display"]
        res[f"tag_{n}_name"] = tag["name"]
        groups = [(g, c) for g, c in tag["security"]["groups"].items() if c]
        for m, (group, count) in enumerate(groups, start=1):
            res[f"tag_{n}_sb_group_{m}_id"] = group
            res[f"tag_{n}_sb_group_{m}_count"] = count
        if groups:
            res[f"tag_{n}_sb_group_count"] = len(groups)
    res["tag_count"] = len(rs["tags"])
    return res


def _not_here(mode: str) -> Wrapper:
    def wrapper(
        state: OwnerState, form: dict[str, str], rq: dict[str, Any], call: Call
    ) -> dict[str, Any]:
        try:
            do_request(state, mode, rq, call)
        except ProtocolError as exc:
            return _fail(exc)
        return {"success": "FAIL", "errmsg": "Client error: Unknown method"}

    return wrapper


WRAPPERS: dict[str, Wrapper] = {
    "login": _login,
    "sessiongenerate": _sessiongenerate,
    "sessionexpire": _sessionexpire,
    "syncitems": _syncitems,
    "getevents": _getevents,
    "getusertags": _getusertags,
}
for _mode in [
    "getfriendgroups",
    "gettrustgroups",
    "getfriends",
    "friendof",
    "checkfriends",
    "checkforupdates",
    "getdaycounts",
    "postevent",
    "editevent",
    "editfriends",
    "editfriendgroups",
    "consolecommand",
    "getfriendspage",
    "getreadpage",
]:
    WRAPPERS[_mode] = _not_here(_mode)


def render(res: dict[str, Any], form: dict[str, str]) -> bytes:
    """The response body: sorted `key\\nvalue\\n` lines (or urlenc pairs)."""
    if form.get("responseenc") == "urlenc":
        return "".join(f"{eurl(k)}={eurl(text(res[k]))}&" for k in sorted(res)).encode("utf-8")
    lines = []
    for key in sorted(res):
        value = text(res[key])
        lines.append(re.sub(r"[\r\n]", "", key) + "\n" + re.sub(r"[\r\n]", "", value) + "\n")
    return "".join(lines).encode("utf-8")
