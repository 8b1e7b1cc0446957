"""The fake site's owner endpoints over real loopback HTTP: sessions, auth errors, getevents,
syncitems, export_comments windows, the per-user rate bucket, and the owner journal's sources.

Time is a list the site's clock reads (`now[0]`), moved by hand: nothing sleeps.
"""

from __future__ import annotations

import re
import xmlrpc.client
from collections.abc import Iterator
from datetime import datetime
from itertools import pairwise
from xml.etree import ElementTree

import httpx
import pytest

from scraper.fakesite import FakeSite, build_sample_site
from scraper.fakesite.protocol import (
    OWNER_API_KEY,
    OWNER_NAME,
    build_owner_journal,
    deleted_jitemid,
)
from scraper.fakesite.protocol.formats import (
    entry_format,
    entry_parts,
    legacy_event_source,
    render_comment,
    render_entry,
)
from scraper.fakesite.protocol.markdown import markdown

START = 1_750_000_000.0


@pytest.fixture
def now() -> list[float]:
    return [START]


@pytest.fixture
def owner_site(now: list[float]) -> Iterator[FakeSite]:
    journals = [build_owner_journal(), *build_sample_site()]
    with FakeSite(journals, clock=lambda: now[0]) as site:
        yield site


@pytest.fixture
def client(owner_site: FakeSite) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=owner_site.url(OWNER_NAME), follow_redirects=False) as c:
        yield c


# --- helpers ------------------------------------------------------------------------------------


def flat(client: httpx.Client, **fields: str) -> dict[str, str]:
    resp = client.post("/interface/flat", data=fields)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    lines = resp.text.split("\n")
    assert lines[-1] == ""
    return dict(zip(lines[0:-1:2], lines[1:-1:2], strict=True))


def rpc(client: httpx.Client, mode: str, cookie: str | None = None, **params: object):
    headers = {}
    if cookie:
        headers = {"Cookie": f"ljsession={cookie}", "X-LJ-Auth": "cookie"}
        params.setdefault("auth_method", "cookie")
    params.setdefault("username", OWNER_NAME)
    body = xmlrpc.client.dumps((params,), f"LJ.XMLRPC.{mode}")
    resp = client.post("/interface/xmlrpc", content=body, headers=headers)
    assert resp.status_code == 200
    return xmlrpc.client.loads(resp.content)[0][0]


def rpc_raw(client: httpx.Client, mode: str, cookie: str, **params: object) -> bytes:
    params = {"username": OWNER_NAME, "auth_method": "cookie", **params}
    body = xmlrpc.client.dumps((params,), f"LJ.XMLRPC.{mode}")
    headers = {"Cookie": f"ljsession={cookie}", "X-LJ-Auth": "cookie"}
    return client.post("/interface/xmlrpc", content=body, headers=headers).content


def login(client: httpx.Client, expiration: str = "short") -> str:
    res = flat(
        client,
        mode="sessiongenerate",
        user=OWNER_NAME,
        auth_method="clear",
        password=OWNER_API_KEY,
        expiration=expiration,
    )
    assert res["success"] == "OK" and "errmsg" not in res
    return res["ljsession"]


def export(client: httpx.Client, cookie: str | None, **args: object) -> httpx.Response:
    headers = {"Cookie": f"ljsession={cookie}"} if cookie else {}
    return client.get("/export_comments", params=args, headers=headers)


def xml(resp: httpx.Response) -> ElementTree.Element:
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "text/xml; charset=utf-8"
    return ElementTree.fromstring(resp.content)


def text_of(value: object) -> str:
    """XML-RPC values as text: base64 (Binary) values carry UTF-8."""
    if isinstance(value, xmlrpc.client.Binary):
        return value.data.decode("utf-8")
    return str(value)


# --- sessions -----------------------------------------------------------------------------------


def test_sessiongenerate_gives_a_master_cookie_string(owner_site: FakeSite, client) -> None:
    cookie = login(client)
    journal = owner_site.journal(OWNER_NAME)
    m = re.fullmatch(r"v1:u(\d+):s(\d+):a([A-Za-z0-9]{10})//", cookie)
    assert m and int(m.group(1)) == journal.userid and m.group(2) == "1"
    assert re.fullmatch(r"v1:u\d+:s2:a\w{10}//", login(client))  # a new session each time
    res = rpc(client, "sessiongenerate", password=OWNER_API_KEY, expiration="long")
    assert re.fullmatch(r"v1:u\d+:s3:a\w{10}//", res["ljsession"])


def test_export_needs_the_session_cookie(owner_site: FakeSite, client) -> None:
    resp = export(client, None, get="comment_meta")
    assert resp.status_code == 302
    assert resp.headers["location"] == (
        f"{owner_site.www_url}login?returnto=/export_comments%3Fget%3Dcomment_meta"
    )
    assert export(client, "v1:u1:s1:aXXXXXXXXXX//", get="comment_meta").status_code == 302
    assert xml(export(client, login(client), get="comment_meta")).tag == "livejournal"


def test_short_and_long_sessions_expire_on_the_site_clock(client, now) -> None:
    short, long = login(client), login(client, "long")
    now[0] += 36 * 3600 - 5
    assert export(client, short, get="comment_meta").status_code == 200
    now[0] += 10
    assert export(client, short, get="comment_meta").status_code == 302
    assert export(client, long, get="comment_meta").status_code == 200
    now[0] += 60 * 86400
    assert export(client, long, get="comment_meta").status_code == 302


def test_sessionexpire_ends_the_session(client) -> None:
    cookie = login(client)
    other = login(client)
    sessid = int(re.search(r":s(\d+):", cookie).group(1))  # type: ignore[union-attr]
    # without ids or expireall nothing ends (LJ::Protocol::sessionexpire)
    res = flat(client, mode="sessionexpire", user=OWNER_NAME, password=OWNER_API_KEY)
    assert res == {"success": "OK"}
    assert export(client, cookie, get="comment_meta").status_code == 200
    assert rpc(client, "sessionexpire", cookie=cookie, expire=[sessid]) == {}
    assert export(client, cookie, get="comment_meta").status_code == 302
    assert export(client, other, get="comment_meta").status_code == 200
    res = flat(
        client,
        mode="sessionexpire",
        user=OWNER_NAME,
        password=OWNER_API_KEY,
        **{f"expire_id_{sessid + 1}": "1"},
    )
    assert res == {"success": "OK"}
    assert export(client, other, get="comment_meta").status_code == 302


def test_cookie_auth_needs_the_header_and_the_same_user(client) -> None:
    cookie = login(client)
    body = xmlrpc.client.dumps(
        ({"username": OWNER_NAME, "auth_method": "cookie", "ver": 1},), "LJ.XMLRPC.login"
    )
    resp = client.post("/interface/xmlrpc", content=body, headers={"Cookie": f"ljsession={cookie}"})
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(resp.content)
    assert fault.value.faultCode == 101
    with pytest.raises(xmlrpc.client.Fault):
        rpc(client, "login", cookie=cookie, username="nairiporter")
    assert rpc(client, "login", cookie=cookie)["fullname"] == "Lin Denfall"


# --- auth errors --------------------------------------------------------------------------------


def test_wrong_key_is_101_then_the_ip_is_banned_with_402(owner_site: FakeSite, client, now) -> None:
    # rateallowed-failed_login 3 per 300 s: failures 1-3 are logged, the 4th writes the
    # loginstall row (and still answers 101), every later attempt answers 402
    for _ in range(4):
        res = flat(client, mode="login", user=OWNER_NAME, password="not-the-key")
        assert res == {"success": "FAIL", "errmsg": "Invalid password"}
    res = flat(client, mode="login", user=OWNER_NAME, password=OWNER_API_KEY)
    assert res["errmsg"] == (
        "Client error: Your IP address is temporarily banned for exceeding the login failure rate."
    )
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rpc(client, "sessiongenerate", password=OWNER_API_KEY)
    assert fault.value.faultCode == 402
    # the ban is for this user from this IP; another account still logs in
    owner_site.owner.add_account("willowmere", ["willow-key"])
    assert flat(client, mode="login", user="willowmere", password="willow-key")["success"] == "OK"
    now[0] += 301
    assert flat(client, mode="login", user=OWNER_NAME, password=OWNER_API_KEY)["success"] == "OK"


def test_failures_older_than_five_minutes_do_not_count(client, now) -> None:
    for _ in range(3):
        flat(client, mode="login", user=OWNER_NAME, password="wrong")
        now[0] += 120
    # at +360 s only the failures at +120 and +240 are within the period: one more is allowed
    assert flat(client, mode="login", user=OWNER_NAME, password="wrong")["errmsg"] == (
        "Invalid password"
    )
    assert flat(client, mode="login", user=OWNER_NAME, password=OWNER_API_KEY)["success"] == "OK"
    assert flat(client, mode="login", user=OWNER_NAME, password="wrong")["errmsg"] == (
        "Invalid password"
    )
    assert "banned" in flat(client, mode="login", user=OWNER_NAME, password=OWNER_API_KEY)["errmsg"]


def test_xmlrpc_wrong_key_is_fault_101(client) -> None:
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rpc(client, "sessiongenerate", password="nope")
    assert (fault.value.faultCode, fault.value.faultString) == (101, "Invalid password")


def test_flat_sessiongenerate_failure_still_says_success_ok(client) -> None:
    # LJ::sessiongenerate (the flat wrapper) does not return after a failure
    res = flat(client, mode="sessiongenerate", user=OWNER_NAME, password="nope")
    assert res == {"errmsg": "Invalid password", "ljsession": "", "success": "OK"}


def test_other_auth_forms(client) -> None:
    import hashlib

    hashed = hashlib.md5(OWNER_API_KEY.encode()).hexdigest()
    assert flat(client, mode="login", user=OWNER_NAME, hpassword=hashed)["success"] == "OK"
    res = flat(client, mode="getchallenge")
    challenge = res["challenge"]
    response = hashlib.md5((challenge + hashed).encode()).hexdigest()
    ok = flat(
        client,
        mode="login",
        user=OWNER_NAME,
        auth_method="challenge",
        auth_challenge=challenge,
        auth_response=response,
    )
    assert ok["success"] == "OK"
    again = flat(
        client,
        mode="login",
        user=OWNER_NAME,
        auth_method="challenge",
        auth_challenge=challenge,
        auth_response=response,
    )
    assert again["errmsg"] == "Invalid password"  # a challenge works once
    assert flat(client, mode="login", user="nosuchuser9", password="x")["errmsg"] == (
        "Invalid username"
    )
    assert flat(client, mode="login")["errmsg"] == "Client error: No username sent."
    assert flat(client, user=OWNER_NAME)["errmsg"] == "Client error: No mode specified."


def test_login_lists_moods_icons_and_communities(owner_site: FakeSite, client) -> None:
    res = flat(
        client,
        mode="login",
        user=OWNER_NAME,
        password=OWNER_API_KEY,
        getmoods="0",
        getpickws="1",
        getpickwurls="1",
    )
    assert res["name"] == "Lin Denfall"
    assert res["pickw_count"] == "4" and res["pickw_1"] == "default"
    assert res["pickwurl_1"].startswith("https://v.dreamwidth.org/")
    moods = {
        res[f"mood_{n}_id"]: res[f"mood_{n}_name"] for n in range(1, int(res["mood_count"]) + 1)
    }
    assert moods["125"] == "cheerful" and moods["15"] == "happy"
    owner_site.owner.add_account("willowmere", ["willow-key"])
    res = rpc(client, "login", username="willowmere", password="willow-key", getmoods=125)
    assert res["usejournals"] == ["tea_garden"]
    assert [m["name"] for m in res["moods"]] == ["good", "grateful"]


# --- getevents ----------------------------------------------------------------------------------


def test_getevents_multiple_pages_every_entry(owner_site: FakeSite, client) -> None:
    journal = owner_site.journal(OWNER_NAME)
    cookie = login(client)
    highest = max(e.jitemid for e in journal.entries)
    got: dict[int, dict] = {}
    for first in range(1, highest + 1, 100):
        ids = ",".join(str(i) for i in range(first, min(first + 100, highest + 1)))
        res = rpc(
            client,
            "getevents",
            cookie,
            ver=1,
            selecttype="multiple",
            itemids=ids,
            lineendings="unix",
        )
        for event in res["events"]:
            got[event["itemid"]] = event
    assert sorted(got) == sorted(e.jitemid for e in journal.entries)
    assert deleted_jitemid(journal) not in got
    by_subject = {text_of(e.get("subject", "")): e for e in got.values()}
    access = by_subject["For the access list"]
    assert (access["security"], access["allowmask"]) == ("usemask", 1)
    assert by_subject["Private note"]["security"] == "private"
    assert "allowmask" not in by_subject["Private note"]
    assert by_subject["For the garden group"]["allowmask"] == 10
    assert by_subject["For group sixty"]["allowmask"] == (1 << 60) | 4
    allot = by_subject["Allotment, week six"]
    assert "security" not in allot and "poster" not in allot
    assert allot["eventtime"] == "2025-06-01 09:00:00"
    assert allot["logtime"] == "2025-06-01 14:00:00"  # the journal is at UTC-5
    assert (
        allot["url"] == f"{owner_site.url(OWNER_NAME)}{allot['itemid'] * 256 + allot['anum']}.html"
    )
    assert allot["event"].startswith('Went to the allotment with <user name="willowmere"> today.\n')
    props = allot["props"]
    assert props["editor"] == "html_casual1"
    assert props["taglist"] == "gardens, allotment"
    assert props["current_moodid"] == 125 and "current_mood" not in props
    assert text_of(props["current_music"]) == "Erik Satie - Gymnopédie No. 1"
    assert props["picture_keyword"] == "garden" and props["hasscreened"] == 1
    assert props["useragent"].startswith("Mozilla/5.0")
    canal = by_subject["Canal walk"]["props"]
    assert canal["current_mood"] == "grumpy about trains" and canal["picture_keyword"] == ""
    legacy = next(e for e in journal.entries if e.source is None)
    assert got[legacy.jitemid]["props"]["opt_preformatted"] == 1
    assert "editor" not in got[legacy.jitemid]["props"]
    edited = by_subject["1984"]["props"]
    assert edited["revnum"] == 3 and edited["revtime"] == 1750420800


def test_getevents_multiple_refuses_more_than_100(client) -> None:
    cookie = login(client)
    ids = ",".join(str(i) for i in range(1, 102))
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rpc(client, "getevents", cookie, ver=1, selecttype="multiple", itemids=ids)
    assert fault.value.faultCode == 209
    assert fault.value.faultString == (
        "Client error: Parameter out of range: Can't retrieve more than 100 entries at once"
    )
    res = flat(
        client,
        mode="getevents",
        user=OWNER_NAME,
        password=OWNER_API_KEY,
        ver="1",
        selecttype="multiple",
        itemids=ids,
    )
    assert res["success"] == "FAIL" and res["errmsg"].startswith("Client error: Parameter out")


def test_xmlrpc_types_values_like_xmlrpc_lite(client) -> None:
    cookie = login(client)
    raw = rpc_raw(
        client, "getevents", cookie, ver=1, selecttype="lastn", howmany=50, lineendings="unix"
    ).decode()
    # non-ASCII strings are base64 (UTF-8 bytes); all-digit strings are ints
    assert "<name>subject</name><value><base64>" in raw
    assert "<name>subject</name><value><int>1984</int></value>" in raw
    assert "<name>allowmask</name><value><int>1152921504606846980</int></value>" in raw
    assert "<name>picture_keyword</name><value/>" in raw
    res = xmlrpc.client.loads(raw.encode())[0][0]
    sunflowers = next(e for e in res["events"] if text_of(e.get("subject")).startswith("Подс"))
    assert text_of(sunflowers["subject"]) == "Подсолнухи 🌻"
    assert text_of(sunflowers["event"]).startswith("Привет из Лидса!")


def test_lineendings_default_to_crlf_and_ver0_refuses_unicode(client) -> None:
    cookie = login(client)
    one = rpc(client, "getevents", cookie, ver=1, selecttype="one", itemid=-1)
    newest = one["events"][0]
    assert text_of(newest["subject"]) == "For group sixty"
    res = rpc(client, "getevents", cookie, ver=1, selecttype="lastn", howmany=10)
    event = next(e for e in res["events"] if text_of(e.get("subject")) == "1984")
    assert "\r\n" in text_of(event["event"])
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rpc(client, "getevents", cookie, selecttype="lastn", howmany=10)
    assert fault.value.faultCode == 207


def test_flat_getevents_urlencodes_the_event(client) -> None:
    res = flat(
        client,
        mode="getevents",
        user=OWNER_NAME,
        password=OWNER_API_KEY,
        ver="1",
        selecttype="day",
        year="2025",
        month="6",
        day="9",
        lineendings="unix",
    )
    assert res["events_count"] == "1" and res["events_1_subject"] == "1984"
    assert res["events_1_event"].startswith("Reread+it+on+the+train.+Still+unsettling.%0AThe")
    names = {
        res[f"prop_{n}_name"]: res[f"prop_{n}_value"] for n in range(1, int(res["prop_count"]) + 1)
    }
    assert names["revnum"] == "3" and names["picture_keyword"] == ""


def test_syncitems_and_the_getevents_loop_guard(owner_site: FakeSite, client, now) -> None:
    journal = owner_site.journal(OWNER_NAME)
    cookie = login(client)
    res = rpc(client, "syncitems", cookie, ver=1)
    assert res["count"] == res["total"] == len(res["syncitems"])
    items = {i["item"] for i in res["syncitems"]}
    assert {f"L-{e.jitemid}" for e in journal.entries} <= items
    assert any(i.startswith("C-") for i in items)
    times = [i["time"] for i in res["syncitems"]]
    assert times == sorted(times)
    edited = next(
        i for i in res["syncitems"] if i["action"] == "update" and i["item"].startswith("L")
    )
    assert edited["time"] == "2025-06-20 12:00:00"
    later = rpc(client, "syncitems", cookie, ver=1, lastsync=times[-2])
    assert later["total"] == 1

    # getevents selecttype=syncitems: 100 at most, oldest first; the same lastsync a third
    # time within an hour is error 406
    lastsync = "2024-01-01 00:00:00"
    first = rpc(client, "getevents", cookie, ver=1, selecttype="syncitems", lastsync=lastsync)
    assert len(first["events"]) == 100
    now[0] += 1
    rpc(client, "getevents", cookie, ver=1, selecttype="syncitems", lastsync=lastsync)
    now[0] += 1
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rpc(client, "getevents", cookie, ver=1, selecttype="syncitems", lastsync=lastsync)
    assert fault.value.faultCode == 406
    now[0] += 3601
    rpc(client, "getevents", cookie, ver=1, selecttype="syncitems", lastsync=lastsync)


def test_loop_guard_keys_by_second(client) -> None:
    # the prop maps request second -> lastsync: repeats within one second overwrite each other
    cookie = login(client)
    for _ in range(4):
        rpc(
            client,
            "getevents",
            cookie,
            ver=1,
            selecttype="syncitems",
            lastsync="2025-01-01 00:00:00",
        )


def test_community_through_a_maintainer(owner_site: FakeSite, client) -> None:
    owner_site.owner.add_account("willowmere", ["willow-key"])
    owner_site.owner.add_account("fernwick", ["fern-key"])
    res = rpc(
        client,
        "getevents",
        username="willowmere",
        password="willow-key",
        usejournal="tea_garden",
        ver=1,
        selecttype="lastn",
        howmany=50,
    )
    assert len(res["events"]) == 16
    assert {e.get("poster") for e in res["events"]} >= {"tamsin_k", "leafreader"}
    member = rpc(
        client,
        "getevents",
        username="fernwick",
        password="fern-key",
        usejournal="tea_garden",
        ver=1,
        selecttype="lastn",
        howmany=50,
    )
    assert len(member["events"]) == 16  # members see members-only (allowmask 1) entries
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rpc(client, "getevents", username="fernwick", password="fern-key", usejournal="nairiporter")
    assert fault.value.faultCode == 300
    session = flat(client, mode="sessiongenerate", user="willowmere", password="willow-key")
    cookie = session["ljsession"]
    meta = xml(export(client, cookie, get="comment_meta", authas="tea_garden"))
    tea = owner_site.journal("tea_garden")
    assert len(meta.findall("comments/comment")) == sum(len(e.comments) for e in tea.entries)
    refused = export(client, cookie, get="comment_meta", authas="nairiporter")
    assert "You couldn't be authenticated as the specified account." in refused.text


# --- export_comments ----------------------------------------------------------------------------


def test_export_windows_are_id_ranges_and_cross_the_gap(owner_site: FakeSite, client) -> None:
    journal = owner_site.journal(OWNER_NAME)
    model = {c.jtalkid: (e, c) for e in journal.entries for c in e.comments}
    maxid = max(model)
    cookie = login(client)

    # meta: follow nextid; small windows make the gap show as empty windows
    seen_meta: dict[int, ElementTree.Element] = {}
    users: dict[str, str] = {}
    startid, empty, requests = 0, 0, 0
    while True:
        root = xml(export(client, cookie, get="comment_meta", startid=startid, numitems=500))
        requests += 1
        assert root.findtext("maxid") == str(maxid)
        found = root.findall("comments/comment")
        empty += not found
        for node in found:
            seen_meta[int(node.get("id"))] = node
            assert startid <= int(node.get("id")) < startid + 500
        users |= {u.get("id"): u.get("user") for u in root.findall("usermaps/usermap")}
        nextid = root.findtext("nextid")
        if nextid is None:
            assert startid + 500 > maxid
            break
        assert int(nextid) == startid + 500
        startid = int(nextid)
    assert sorted(seen_meta) == sorted(model) and empty >= 2 and requests == maxid // 500 + 1

    states = {
        model[i][1].state: (node.get("state"), node.get("posterid"))
        for i, node in seen_meta.items()
    }
    assert states["visible"][0] is None
    assert states["screened"][0] == "S" and states["frozen"][0] == "F"
    assert states["deleted"][0] == "D"
    assert states["suspended"][0] == "D" and states["suspended"][1] is not None
    anon = next(i for i, (e, c) in model.items() if c.author is None)
    assert seen_meta[anon].get("posterid") is None
    openid = next(i for i, (e, c) in model.items() if c.author_kind == "openid")
    assert re.fullmatch(r"ext_\d+", users[seen_meta[openid].get("posterid")])
    assert users[str(journal.userid)] == OWNER_NAME
    assert "spam_lord_9000" in users.values()

    # bodies: startid += 1000 until past maxid, tolerating empty windows
    bodies: dict[int, ElementTree.Element] = {}
    empty_bodies = 0
    for startid in range(0, maxid + 1, 1000):
        root = xml(export(client, cookie, get="comment_body", startid=startid, props=1))
        found = root.findall("comments/comment")
        empty_bodies += not found
        assert root.find("maxid") is None
        for node in found:
            bodies[int(node.get("id"))] = node
    assert sorted(bodies) == sorted(model) and empty_bodies >= 1
    for jtalkid, node in bodies.items():
        entry, comment = model[jtalkid]
        assert node.get("jitemid") == str(entry.jitemid)
        parent = comment.parent >> 8 if comment.parent else None
        assert node.get("parentid") == (str(parent) if parent else None)
        if comment.state in ("deleted", "suspended"):
            assert node.get("state") == "D" and len(node) == 0
            continue
        assert node.findtext("date") == comment.posted_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert (node.findtext("body") or "") == (comment.source or comment.body_html)
        props = {p.get("name"): p.text for p in node.findall("property")}
        assert re.fullmatch(r"198\.51\.100\.\d+", props["poster_ip"])
        assert props["useragent"].startswith("Mozilla/5.0")
    screened = next(i for i, (e, c) in model.items() if c.state == "screened" and c.source)
    assert bodies[screened].findtext("subject") == "Link to my shop"
    edited = next(i for i, (e, c) in model.items() if c.edited_at and c.source)
    assert {p.get("name") for p in bodies[edited].findall("property")} >= {"edit_time", "editor"}


def test_export_window_limits(client, owner_site: FakeSite) -> None:
    cookie = login(client)
    # numitems above the maximum falls back to the maximum (10,000 meta / 1,000 body)
    root = xml(export(client, cookie, get="comment_meta", numitems=20000))
    assert root.find("nextid") is None
    root = xml(export(client, cookie, get="comment_body", startid=0, numitems=5000))
    ids = [int(c.get("id")) for c in root.findall("comments/comment")]
    assert ids == sorted(ids) and max(ids) < 1000 and len(ids) == len(set(ids))
    root = xml(export(client, cookie, get="comment_meta", startid=0, numitems=374))
    assert root.findtext("nextid") == "374"
    bad = export(client, cookie, get="everything")
    assert bad.status_code == 200 and "Unknown mode." in bad.text


def test_export_refuses_a_referer_and_posts(client) -> None:
    cookie = login(client)
    headers = {"Cookie": f"ljsession={cookie}", "Referer": "https://example.org/"}
    resp = client.get("/export_comments?get=comment_meta", headers=headers)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    assert "Invalid form submission.  Please go back and try again." in resp.text
    resp = client.post(
        "/export_comments.bml?get=comment_meta", headers={"Cookie": f"ljsession={cookie}"}
    )
    assert "Invalid form submission." in resp.text
    assert xml(
        client.get("/export_comments.bml?get=comment_meta", headers=headers | {"Referer": ""})
    )


# --- rate limits --------------------------------------------------------------------------------


def test_a_session_cookie_moves_requests_into_a_per_user_bucket(
    owner_site: FakeSite, client, now
) -> None:
    cookie = login(client)
    owner_site.enable_rate_limit(clock=lambda: now[0])
    for _ in range(100):
        assert export(client, cookie, get="comment_meta", numitems=1).status_code == 200
    refused = export(client, cookie, get="comment_meta", numitems=1)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
    assert owner_site.user_rate_limit is not None and owner_site.user_rate_limit.refused == 1
    # anonymous requests have their own 30/60 s bucket, untouched by the user's
    for _ in range(30):
        assert client.get("/").status_code == 200
    assert client.get("/").status_code == 429
    # a login without the cookie counts as anonymous too
    assert client.post("/interface/flat", data={"mode": "getchallenge"}).status_code == 429
    now[0] += 0.7  # the user's bucket refills at 100/60 tokens a second
    assert export(client, cookie, get="comment_meta", numitems=1).status_code == 200
    assert export(client, cookie, get="comment_meta", numitems=1).status_code == 429
    now[0] += 60
    for _ in range(100):
        assert export(client, cookie, get="comment_meta", numitems=1).status_code == 200


def test_protocol_paths_and_methods(owner_site: FakeSite, client) -> None:
    assert client.get("/interface/xmlrpc").status_code == 405
    res = client.get("/interface/flat")
    assert res.text == "errmsg\nClient error: No mode specified.\nsuccess\nFAIL\n"
    body = xmlrpc.client.dumps(({},), "getevents")
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(client.post("/interface/xmlrpc", content=body).content)
    assert "Denied access to method (getevents)" in fault.value.faultString
    with pytest.raises(xmlrpc.client.Fault) as fault:
        rpc(client, "postevent", password=OWNER_API_KEY)
    assert fault.value.faultCode == 201
    www = httpx.post(owner_site.www_url + "interface/flat", data={"mode": "getchallenge"})
    assert www.text.startswith("auth_scheme\nc0\nchallenge\nc0:")


# --- the owner journal and its sources ----------------------------------------------------------


def test_every_entry_source_shows_as_its_body_html() -> None:
    for journal in [build_owner_journal(), *build_sample_site()]:
        for entry in journal.entries:
            source = entry.source
            if source is None:
                source = legacy_event_source(entry.body_html, entry.cut_html, entry.cut_label)
                fmt = "html_raw0"
            else:
                fmt, source = entry_format(source, entry.editor, logtime=journal.logtime(entry))
            shown = entry_parts(render_entry(source, fmt, journal))
            assert shown == (entry.body_html, entry.cut_html, entry.cut_label), entry.subject


def test_owner_journal_pages_render_for_the_anonymous_reader(owner_site: FakeSite, client) -> None:
    journal = owner_site.journal(OWNER_NAME)
    assert len(journal.entries) == 131
    assert client.get("/").status_code == 200
    for entry in journal.entries:
        page = client.get(f"/{entry.itemid}.html")
        if not entry.is_public:
            assert page.status_code == 403
            continue
        assert page.status_code == 200
        if entry.cut_html is not None:
            assert entry.body_html + '<a name="cutid1"></a>' + entry.cut_html in page.text
    allot = next(e for e in journal.entries if e.subject == "Allotment, week six")
    assert "<b>willowmere</b></a></span> today.<br />" in allot.body_html
    assert '<a href="https://example.org/seeds">https://example.org/seeds</a>' in allot.body_html
    assert allot.cut_label == "Planting notes"
    hello = next(e for e in journal.entries if e.subject == "Hello")
    assert "Hello to @willowmere who" in hello.body_html  # html_casual0: no @mentions
    md = next(e for e in journal.entries if e.subject == "Markdown?")
    assert (
        md.body_html
        == "<p>Trying the <em>markdown</em> thing.</p>\n\n<p>It seems to <strong>work</strong>.</p>\n"
    )
    anon = next(c for e in journal.entries for c in e.comments if c.source and c.author is None)
    assert anon.body_html == "Anonymous here: which beans are those?"
    links = next(
        c for e in journal.entries for c in e.comments if c.author == "fernwick" and c.source
    )
    assert links.body_html == (
        'The <b>pigeons</b> are the real problem. See <a href="https://example.org/nets">nets</a>.'
    )


def test_the_owner_journal_scales_for_the_bench() -> None:
    journal = build_owner_journal(n_entries=600, mean_comments=12.0, seed=7)
    assert len(journal.entries) == 600
    ids = sorted(c.jtalkid for e in journal.entries for c in e.comments)
    assert len(ids) == len(set(ids)) > 3000
    assert any(b - a > 1000 for a, b in pairwise(ids))


# --- the renderers ------------------------------------------------------------------------------


def test_markdown_follows_text_markdown() -> None:
    assert markdown("Para\n- not a list\n") == "<p>Para\n- not a list</p>\n"
    assert markdown("Para\n\n- a\n- b\n") == "<p>Para</p>\n\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
    assert markdown("snake_case_name and *em*") == "<p>snake_case_name and <em>em</em></p>\n"
    assert markdown("# Title\n\ntext  \nmore") == "<h1>Title</h1>\n\n<p>text <br />\nmore</p>\n"
    assert markdown("> quoted\n") == "<blockquote>\n  <p>quoted</p>\n</blockquote>\n"
    assert markdown("<cut>\nhidden\n</cut>") == "<p><cut>\nhidden\n</cut></p>\n"
    assert markdown("a & b < c `x<y`") == "<p>a &amp; b &lt; c <code>x&lt;y</code></p>\n"


def test_cleaner_follows_lj_cleanhtml() -> None:
    casual = render_entry("a\nb http://x.org/p <i>c\n<script>bad()</script>", "html_casual1")
    assert casual.html == 'a<br />b <a href="http://x.org/p">http://x.org/p</a> <i>c<br /></i>'
    raw = render_entry("<P ID=x onclick='y' class=k>t</p></b><br>", "html_raw0")
    assert raw.html == '<p class="k">t</p><br>'
    assert render_entry("<user name='Bad Name!'>", "html_raw0").html == (
        "<b>[Bad username or unknown identity: Bad Name!]</b>"
    )
    mention = render_entry("hi @tamsin_k and \\@not_me", "html_casual1").html
    assert "<b>tamsin_k</b>" in mention and "and @not_me" in mention
    assert render_comment("<a href='https://x.org'>x</a> <div class=c>d</div>", "html_casual1") == (
        '<a href="https://x.org">x</a> <div>d</div>'
    )
    assert render_comment("see <a href='https://x.org'>x</a>", "html_casual1", anonymous=True) == (
        "see <b>x</b> (https://x.org)"
    )


def test_fault_codes_are_xmlrpc_ints_and_dates_utc(owner_site: FakeSite) -> None:
    journal = owner_site.journal(OWNER_NAME)
    entry = next(e for e in journal.entries if e.subject == "1984")
    assert journal.revtime(entry) == datetime(2025, 6, 20, 12, 0)
