"""The protocol modes behind /interface/flat and /interface/xmlrpc (LJ::Protocol::do_request).

`do_request(state, method, req, call)` returns the mode's result hash or raises ProtocolError,
like LJ::Protocol::do_request (cgi-bin/LJ/Protocol.pm:173-218). Requests are plain dicts: flat
values are strings, XML-RPC values whatever the client typed; they are read with Perl's rules
(numbers from leading digits, "" and "0" false). Implemented modes:

* authentication (`authenticate`, Protocol.pm:3472-3543): `auth_method` clear (default; the
  `password` - or, when it is missing, `hpassword` - must equal one of the user's API keys or the
  md5 hex of one; DW::Auth::Password, cgi-bin/DW/Auth/Password.pm:137-152), challenge (a
  `getchallenge` token and md5_hex(challenge . md5_hex(key)), Protocol.pm:3438-3470) and cookie
  (`X-LJ-Auth: cookie` plus a session cookie of that user). Bans and failures: logins.py.
* `login` (getmoods, getpickws, getpickwurls; Protocol.pm:599-717), `getchallenge`,
  `sessiongenerate` (`expiration` short unless `long`, `bindtoip`; Protocol.pm:2894-2918),
  `sessionexpire` (`expireall` or the `expire` list; without either nothing ends,
  Protocol.pm:2875-2892), `getusertags`.
* `syncitems` (Protocol.pm:3083-3152): at most 500 items, oldest first, `count` and `total`.
* `getevents` (Protocol.pm:2311-2703): selecttype one (itemid -1: the latest), lastn (howmany
  20, at most 50, beforedate), day (LIMIT 200), syncitems (lastsync; at most 100; the loop
  guard: the same lastsync three times within an hour is error 406 - the guard keys requests by
  whole second, so repeats within one second overwrite each other and are not counted,
  Protocol.pm:2417-2442) and multiple (comma-separated itemids, more than 100 is error 209);
  security by can_manage (everything), community membership (public and usemask & 1) or public
  only; `ver` below 1 fails a non-ASCII entry with 207; `lineendings` (pc default: CRLF), `noprops`,
  `notags`, `prefersubject`, `truncate`.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any

from ..model import FakeEntry, FakeJournal, stable_number
from ..render.common import USERPIC_ROOT
from .accounts import Account, can_manage, can_post_to, posting_access
from .cleanhtml import canonical_username
from .entries import (
    MOOD_MAX,
    MOODS,
    entry_props,
    event_source,
    item_time_for_getevents,
    mysql_time,
    security,
    sync_items,
)
from .errors import ProtocolError
from .state import Call, OwnerState

SYNCITEMS_LIMIT = 500
GETEVENTS_SYNC_LIMIT = 100
MULTIPLE_LIMIT = 100
LASTN_MAX = 50
DAY_LIMIT = 200
CANNOT_BE_SHOWN = "(cannot be shown)"
_DATE = re.compile(r"^\d\d\d\d-\d\d-\d\d \d\d:\d\d:\d\d")


# --- Perl-ish reading of request values ---------------------------------------------------------


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)


def truthy(value: Any) -> bool:
    s = text(value)
    return s not in ("", "0")


def num(value: Any) -> float:
    m = re.match(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+))", text(value))
    return float(m.group(1)) if m else 0.0


def integer(value: Any) -> int:
    return int(num(value))


# --- authentication -----------------------------------------------------------------------------


def _key_matches(account: Account, password: str) -> bool:
    for key in account.api_keys:
        if password == key or password == hashlib.md5(key.encode()).hexdigest():
            return True
    return False


def authenticate(state: OwnerState, req: dict[str, Any], call: Call) -> Account:
    username = text(req.get("username"))
    if not username:
        raise ProtocolError(200)
    if not canonical_username(username):
        raise ProtocolError(100)
    account = state.accounts.get(username)
    if account is None:
        raise ProtocolError(100)
    method = text(req.get("auth_method")) or "clear"
    banned = expired = False
    ok = False
    if method == "clear":
        password = req.get("password")
        if password is None:
            password = req.get("hpassword")
        if state.guard.banned(account.userid, call.ip):
            banned = True
        elif account.is_person and _key_matches(account, text(password)):
            ok = True
        else:
            state.guard.bad_login(account.userid, call.ip)
    elif method == "challenge":
        ok, banned, expired = _check_challenge(state, account, req, call)
    elif method == "cookie":
        ok = call.x_lj_auth == "cookie" and call.remote is not None
        ok = ok and call.remote is not None and call.remote.name == account.name
    if not ok:
        if banned:
            raise ProtocolError(402)
        if expired:
            raise ProtocolError(105)
        raise ProtocolError(101)
    return account


def _check_challenge(
    state: OwnerState, account: Account, req: dict[str, Any], call: Call
) -> tuple[bool, bool, bool]:
    """LJ::Protocol::check_login: (ok, banned, expired)."""
    keys = account.api_keys
    if not keys:
        return False, False, False
    if state.guard.banned(account.userid, call.ip):
        return False, True, False
    challenge = text(req.get("auth_challenge"))
    usable, expired = state.challenges.check(challenge)
    if not usable:
        return False, False, expired
    response = text(req.get("auth_response"))
    for key in keys:
        inner = hashlib.md5(key.encode()).hexdigest()
        if hashlib.md5((challenge + inner).encode()).hexdigest() == response:
            return True, False, False
    state.guard.bad_login(account.userid, call.ip)
    return False, False, False


def check_altusage(state: OwnerState, req: dict[str, Any], account: Account) -> FakeJournal:
    """The journal a call works on: the user's own, or `usejournal` when allowed."""
    alt = text(req.get("usejournal"))
    if not alt:
        return state.journal_of(account)
    if not canonical_username(alt):
        raise ProtocolError(206)
    owner = state.journals.get(canonical_username(alt))
    if owner is None or not can_post_to(account, owner):
        raise ProtocolError(300)
    return owner


# --- modes --------------------------------------------------------------------------------------


def do_request(state: OwnerState, method: str, req: dict[str, Any], call: Call) -> dict[str, Any]:
    """Run one protocol mode (ver defaults to 0, as in LJ::Protocol::do_request)."""
    req = dict(req)
    if not truthy(req.get("ver")):
        req["ver"] = req.get("version") or 0
    handler = MODES.get(method)
    if handler is None:
        if method in NOT_IMPLEMENTED:
            raise ProtocolError(201, "not implemented by the fake site")
        raise ProtocolError(201)
    return handler(state, req, call)


def mode_getchallenge(state: OwnerState, req: dict[str, Any], call: Call) -> dict[str, Any]:
    challenge, now, expires = state.challenges.generate()
    return {
        "challenge": challenge,
        "server_time": now,
        "expire_time": expires,
        "auth_scheme": "c0",
    }


def mode_login(state: OwnerState, req: dict[str, Any], call: Call) -> dict[str, Any]:
    account = authenticate(state, req, call)
    if account.locked:
        raise ProtocolError(308)
    res: dict[str, Any] = {
        "usejournals": posting_access(account, state.journals.values()),
        "friendgroups": [],
    }
    if req.get("getmoods") is not None:
        res["moods"] = list_moods(integer(req.get("getmoods")))
    journal = account.journal
    if truthy(req.get("getpickws")):
        keywords = sorted(journal.userpic_keywords if journal else [], key=str.lower)
        res["pickws"] = keywords
        if truthy(req.get("getpickwurls")):
            if journal is not None and journal.has_userpic:
                res["defaultpicurl"] = _pic_url(account, None)
            res["pickwurls"] = [_pic_url(account, kw) for kw in keywords]
    res["userid"] = account.userid
    res["fullname"] = account.display_name
    if journal is not None and journal.account_type.startswith("Paid"):
        res["fastserver"] = 1
    return res


def _pic_url(account: Account, keyword: str | None) -> str:
    picid = stable_number(f"pic:{account.name}:{keyword or ''}", 9_000_000, 1_000_000)
    return f"{USERPIC_ROOT}/{picid}/{account.userid}"


def list_moods(mood_max: int) -> list[dict[str, Any]]:
    if mood_max >= MOOD_MAX:
        return []
    moods = sorted((mood_id, name, parent) for name, (mood_id, parent) in MOODS.items())
    return [{"id": i, "name": n, "parent": p} for i, n, p in moods if i > mood_max]


def mode_sessiongenerate(state: OwnerState, req: dict[str, Any], call: Call) -> dict[str, Any]:
    account = authenticate(state, req, call)
    exptype = "long" if text(req.get("expiration")) == "long" else "short"
    ipfixed = call.ip if truthy(req.get("bindtoip")) else None
    if account.locked:
        raise ProtocolError(308)
    session = state.sessions.create(account, exptype, ipfixed)
    return {"ljsession": session.master_cookie_string()}


def mode_sessionexpire(state: OwnerState, req: dict[str, Any], call: Call) -> dict[str, Any]:
    account = authenticate(state, req, call)
    if truthy(req.get("expireall")):
        state.sessions.kill_all(account.userid)
        return {}
    ids = req.get("expire") or []
    if not isinstance(ids, list):
        raise ProtocolError(500, f'Can\'t use string ("{text(ids)}") as an ARRAY ref')
    if ids:
        state.sessions.kill(account.userid, [integer(i) for i in ids])
    return {}


def mode_getusertags(state: OwnerState, req: dict[str, Any], call: Call) -> dict[str, Any]:
    account = authenticate(state, req, call)
    journal = check_altusage(state, req, account)
    tags: dict[str, dict[str, Any]] = {}
    for entry in journal.entries:
        level, mask = security(entry)
        for name in entry.tags:
            tag = tags.setdefault(
                name,
                {
                    "name": name,
                    "uses": 0,
                    "display": 1,
                    "security": {"public": 0, "private": 0, "protected": 0, "groups": {}},
                },
            )
            tag["uses"] += 1
            sec = tag["security"]
            if level is None:
                sec["public"] += 1
                tag["security_level"] = "public"
            elif level == "private":
                sec["private"] += 1
                tag.setdefault("security_level", "private")
            elif mask == 1:
                sec["protected"] += 1
                if tag.get("security_level") != "public":
                    tag["security_level"] = "protected"
            else:
                for bit in range(1, 61):
                    if mask and mask & (1 << bit):
                        groups = sec["groups"]
                        groups[str(bit)] = groups.get(str(bit), 0) + 1
                tag.setdefault("security_level", "group")
    return {"tags": list(tags.values())}


def mode_syncitems(state: OwnerState, req: dict[str, Any], call: Call) -> dict[str, Any]:
    account = authenticate(state, req, call)
    journal = check_altusage(state, req, account)
    if not state.syncitems_enabled:
        raise ProtocolError(506)
    lastsync = text(req.get("lastsync"))
    if lastsync:
        if not _DATE.match(lastsync):
            raise ProtocolError(203, "Invalid date format")
    else:
        lastsync = "0000-00-00 00:00:00"
    items = sync_items(journal, lastsync[:19])
    listed = items[:SYNCITEMS_LIMIT]
    return {
        "syncitems": [{"item": i, "action": a, "time": t} for i, t, a in listed],
        "count": len(listed),
        "total": len(items),
    }


def mode_getevents(state: OwnerState, req: dict[str, Any], call: Call) -> dict[str, Any]:
    account = authenticate(state, req, call)
    owner = check_altusage(state, req, account)
    if owner.status != "active":
        raise ProtocolError(307)
    if state.getevents_disabled:
        raise ProtocolError(311, state.getevents_disabled)
    entries = _select(state, req, account, owner)
    visible = _visible(account, owner)
    events = [_event(state, req, owner, e) for e in entries if visible(e)]
    return {"events": events}


def _select(
    state: OwnerState, req: dict[str, Any], account: Account, owner: FakeJournal
) -> list[FakeEntry]:
    """The log2 rows a selecttype picks, in the order the query returns them."""
    selecttype = text(req.get("selecttype"))
    all_entries = list(owner.entries)
    by_jitemid = sorted(all_entries, key=lambda e: e.jitemid)
    if selecttype == "one" and text(req.get("itemid")) == "-1":
        selecttype, req["howmany"] = "lastn", 1
        req.pop("itemid", None)
    if selecttype == "day":
        y, m, d = text(req.get("year")), text(req.get("month")), text(req.get("day"))
        if not (
            re.fullmatch(r"\d{4}", y)
            and re.fullmatch(r"\d\d?", m)
            and re.fullmatch(r"\d\d?", d)
            and 1 <= int(m) <= 12
            and 1 <= int(d) <= 31
        ):
            raise ProtocolError(203)
        try:
            day = date(int(y), int(m), int(d))
        except ValueError:
            return []
        chosen = [e for e in all_entries if e.posted_at.date() == day]
        key = (lambda e: owner.logtime(e)) if owner.is_community else (lambda e: e.posted_at)
        return sorted(chosen, key=key)[:DAY_LIMIT]
    if selecttype == "lastn":
        howmany = integer(req.get("howmany")) or 20
        howmany = min(howmany, LASTN_MAX)
        beforedate = text(req.get("beforedate"))
        if beforedate and not re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", beforedate):
            raise ProtocolError(203, "Invalid beforedate format.")
        time_of = (lambda e: owner.logtime(e)) if owner.is_community else (lambda e: e.posted_at)
        chosen = all_entries
        if beforedate:
            limit = datetime.strptime(beforedate, "%Y-%m-%d %H:%M:%S")
            chosen = [e for e in chosen if time_of(e) < limit]
        return sorted(chosen, key=time_of, reverse=True)[: max(howmany, 0)]
    if selecttype == "one":
        wanted = integer(req.get("itemid"))
        return [e for e in by_jitemid if e.jitemid == wanted]
    if selecttype == "syncitems":
        return _select_syncitems(state, req, account, owner, by_jitemid)
    if selecttype == "multiple":
        ids = []
        raw = text(req.get("itemids"))
        for part in re.split(r"\s*,\s*", raw) if raw else []:
            if not re.fullmatch(r"\d+", part):
                raise ProtocolError(203, "Non-numeric itemid")
            ids.append(int(part))
        if len(ids) > MULTIPLE_LIMIT:
            raise ProtocolError(209, f"Can't retrieve more than {MULTIPLE_LIMIT} entries at once")
        if not ids:
            raise ProtocolError(501, "You have an error in your SQL syntax near ')'")
        wanted_ids = set(ids)
        return [e for e in by_jitemid if e.jitemid in wanted_ids]
    raise ProtocolError(200, "Invalid selecttype.")


def _select_syncitems(
    state: OwnerState,
    req: dict[str, Any],
    account: Account,
    owner: FakeJournal,
    by_jitemid: list[FakeEntry],
) -> list[FakeEntry]:
    if not state.syncitems_enabled:
        raise ProtocolError(506)
    lastsync = text(req.get("lastsync"))
    date_ = lastsync or "0000-00-00 00:00:00"
    if not _DATE.match(date_):
        raise ProtocolError(203, "Invalid syncitems date format")
    if truthy(lastsync):
        _loop_guard(state, account, lastsync)
    times = {}
    for entry in by_jitemid:
        found = item_time_for_getevents(owner, entry, date_[:19])
        if found is not None:
            times[entry.jitemid] = found
    chosen = sorted(times, key=lambda j: (times[j], j))[:GETEVENTS_SYNC_LIMIT]
    wanted = set(chosen)
    return [e for e in by_jitemid if e.jitemid in wanted]


def _loop_guard(state: OwnerState, account: Account, lastsync: str) -> None:
    """rl_syncitems_getevents_loop: a third request for one lastsync within an hour is 406."""
    now = int(state.now())
    with state._lock:
        prop = dict(state.loop_prop.get(account.userid, {}))
        prop = {t: d for t, d in prop.items() if not t < now - 60 * 60}
        repeats = sum(1 for d in prop.values() if d == lastsync)
        prop[now] = lastsync
        if repeats >= 2:
            raise ProtocolError(406)
        state.loop_prop[account.userid] = prop


def _visible(account: Account, owner: FakeJournal):
    if can_manage(account, owner):
        return lambda entry: True
    mask = 0
    if account.name != owner.name and owner.is_community:
        mask = 1 if account.name in owner.members else 0
    if mask:

        def in_mask(entry: FakeEntry) -> bool:
            level, allow = security(entry)
            return level is None or (level == "usemask" and bool((allow or 0) & mask))

        return in_mask
    return lambda entry: entry.is_public


def _event(
    state: OwnerState, req: dict[str, Any], owner: FakeJournal, entry: FakeEntry
) -> dict[str, Any]:
    evt: dict[str, Any] = {
        "itemid": entry.jitemid,
        "eventtime": mysql_time(entry.posted_at),
        "logtime": mysql_time(owner.logtime(entry)),
    }
    level, mask = security(entry)
    if level is not None:
        evt["security"] = level
        if level == "usemask":
            evt["allowmask"] = mask
    evt["anum"] = entry.anum
    if entry.poster != owner.name:
        evt["poster"] = entry.poster
    evt["url"] = state.journal_url(owner.name).rstrip("/") + f"/{entry.itemid}.html"
    props = entry_props(entry)
    if not truthy(req.get("notags")):
        if entry.tags:
            props["taglist"] = ", ".join(entry.tags)
    else:
        props.pop("taglist", None)
    subject: str | None = entry.subject
    event = event_source(entry)
    if truthy(req.get("prefersubject")) and subject:
        event, subject = subject, None
    if num(req.get("ver")) < 1 and not props.get("unknown8bit"):
        values = [subject or "", event, *(v or "" for v in props.values())]
        if not all(v.isascii() for v in values):
            if text(req.get("selecttype")) == "day":
                subject = event = CANNOT_BE_SHOWN
            else:
                raise ProtocolError(
                    207,
                    "Cannot display/edit a Unicode post with a non-Unicode client. Please see "
                    "https://www.dreamwidth.org/support/encodings for more information.",
                )
    if subject:
        evt["subject"] = re.sub(r"[\r\n]", " ", subject)
    truncate = integer(req.get("truncate"))
    if truncate >= 4:
        cut = event[: truncate - 3]
        event = cut + "..." if cut != event else event
    event = event.replace("\r", "")
    endings = text(req.get("lineendings"))
    if endings == "mac":
        event = event.replace("\n", "\r")
    elif endings == "space":
        event = event.replace("\n", " ")
    elif endings == "dots":
        event = event.replace("\n", " ... ")
    elif endings != "unix":
        event = event.replace("\n", "\r\n")
    evt["event"] = event
    if not truthy(req.get("noprops")):
        evt["props"] = props
    return evt


MODES = {
    "login": mode_login,
    "getchallenge": mode_getchallenge,
    "sessiongenerate": mode_sessiongenerate,
    "sessionexpire": mode_sessionexpire,
    "getusertags": mode_getusertags,
    "syncitems": mode_syncitems,
    "getevents": mode_getevents,
}
NOT_IMPLEMENTED = frozenset(
    [
        "getfriendgroups",
        "gettrustgroups",
        "getfriends",
        "getcircle",
        "editcircle",
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
        "getinbox",
        "sendmessage",
        "setmessageread",
        "addcomment",
    ]
)
