"""Owner mode codecs: protocol requests/answers (XML-RPC and flat) and the comment export.

Fixtures are answers written the way Dreamwidth's server prints them (SOAP::Lite's
XMLRPC::Serializer typing; DW::Controller::Interface::Flat; DW::Controller::Export)."""

from __future__ import annotations

import xmlrpc.client as xmlrpc_client
from urllib.parse import parse_qs

import pytest

from scraper.errors import (
    EXIT_ERROR,
    EXIT_TEMPFAIL,
    AccountNotFound,
    ApiKeyRefused,
    JournalAccessDenied,
    LoginBanned,
    ParseError,
    ProtocolDisabled,
    ProtocolError,
    ProtocolLimitExceeded,
    RepeatedRequest,
)
from scraper.parse.owner import export, flat, protocol
from scraper.parse.owner import xmlrpc as owner_xmlrpc
from scraper.parse.owner.faults import code_for_message, fault_error
from scraper.parse.owner.secret import Secret
from tests.parse_support import fixture

KEY = Secret("k" * 32)
CREDS = protocol.Credentials("nairiporter", KEY)
COMMUNITY = protocol.Credentials("willowmere", KEY, usejournal="tea_garden")


def _xml_params(req: protocol.ProtocolRequest) -> tuple[str, dict]:
    params, method = xmlrpc_client.loads(req.content.decode("utf-8"))
    assert len(params) == 1
    return method, params[0]


# --- requests --------------------------------------------------------------------------------


def test_sessiongenerate_request_xmlrpc() -> None:
    req = protocol.sessiongenerate_request(CREDS)
    method, params = _xml_params(req)
    assert (req.path, req.content_type, method) == (
        "/interface/xmlrpc",
        "text/xml",
        "LJ.XMLRPC.sessiongenerate",
    )
    assert params == {
        "username": "nairiporter",
        "auth_method": "clear",
        "password": "k" * 32,
        "ver": 1,
        "expiration": "short",
    }
    assert req.record_key == "/interface/xmlrpc?mode=sessiongenerate"


def test_getevents_request_multiple_unix_ver1() -> None:
    req = protocol.getevents_request(COMMUNITY, [5, 3, 4, 3, 9])
    _, params = _xml_params(req)
    assert params["selecttype"] == "multiple"
    assert params["itemids"] == "3,4,5,9"
    assert params["lineendings"] == "unix"
    assert params["ver"] == 1
    assert params["usejournal"] == "tea_garden"
    assert req.record_key == "/interface/xmlrpc?mode=getevents&itemids=3-5,9"


def test_getevents_takes_at_most_100_ids() -> None:
    protocol.getevents_request(CREDS, range(1, 101))
    with pytest.raises(ValueError):
        protocol.getevents_request(CREDS, range(1, 102))
    with pytest.raises(ValueError):
        protocol.getevents_request(CREDS, [])


def test_syncitems_request() -> None:
    _, first = _xml_params(protocol.syncitems_request(CREDS, None))
    assert "lastsync" not in first
    req = protocol.syncitems_request(CREDS, "2024-10-05 06:15:06")
    _, params = _xml_params(req)
    assert params["lastsync"] == "2024-10-05 06:15:06"
    with pytest.raises(ValueError):
        protocol.syncitems_request(CREDS, "2024-10-05")


def test_flat_requests() -> None:
    req = protocol.syncitems_request(COMMUNITY, "2024-10-05 06:15:06", interface=protocol.FLAT)
    assert (req.path, req.content_type) == (
        "/interface/flat",
        "application/x-www-form-urlencoded",
    )
    form = {k: v[0] for k, v in parse_qs(req.content.decode("ascii")).items()}
    assert form == {
        "mode": "syncitems",
        "user": "willowmere",
        "auth_method": "clear",
        "password": "k" * 32,
        "ver": "1",
        "lastsync": "2024-10-05 06:15:06",
        "usejournal": "tea_garden",
    }


def test_sessionexpire_expires_only_our_session() -> None:
    session = Secret("v1:u4417001:s93:aZq8Xn1Ty4LmP0w2:f0//1")
    assert protocol.session_id(session) == 93
    req = protocol.sessionexpire_request(CREDS, session)
    assert req is not None
    _, params = _xml_params(req)
    assert params["expire"] == [93]
    assert "expireall" not in params
    flat_req = protocol.sessionexpire_request(CREDS, session, interface=protocol.FLAT)
    assert flat_req is not None and b"expire_id_93=1" in flat_req.content
    assert protocol.sessionexpire_request(CREDS, Secret("opaque-session-value")) is None


# --- answers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["owner_sessiongenerate.xml", "owner_sessiongenerate.flat"])
def test_sessiongenerate_answer(name: str) -> None:
    session = protocol.parse_sessiongenerate(fixture(name))
    assert session.value.reveal() == "v1:u4417001:s93:aZq8Xn1Ty4LmP0w2:f0//1"
    assert (session.session_id, session.userid) == (93, 4417001)


def test_flat_sessiongenerate_failure_despite_success_ok() -> None:
    # LJ::sessiongenerate (flat) sets success=OK after a failure (Protocol.pm:4281-4296)
    with pytest.raises(ApiKeyRefused) as info:
        protocol.parse_sessiongenerate(fixture("owner_sessiongenerate_fail.flat"))
    assert info.value.code == 101
    assert not info.value.retryable


def test_fault_101_is_one_clear_line() -> None:
    with pytest.raises(ApiKeyRefused) as info:
        protocol.parse_sessiongenerate(fixture("owner_fault_101.xml"))
    message = str(info.value)
    assert message.startswith("the API key was refused")
    assert "\n" not in message
    assert info.value.exit_code == EXIT_ERROR
    assert info.value.retryable is False


@pytest.mark.parametrize(
    ("code", "cls", "exit_code"),
    [
        (100, AccountNotFound, EXIT_ERROR),
        (101, ApiKeyRefused, EXIT_ERROR),
        (402, LoginBanned, EXIT_TEMPFAIL),
        (209, ProtocolLimitExceeded, EXIT_ERROR),
        (406, RepeatedRequest, EXIT_TEMPFAIL),
        (311, ProtocolDisabled, EXIT_TEMPFAIL),
        (506, ProtocolDisabled, EXIT_TEMPFAIL),
        (300, JournalAccessDenied, EXIT_ERROR),
        (501, ProtocolError, EXIT_ERROR),
    ],
)
def test_faults_become_typed_errors(code: int, cls: type, exit_code: int) -> None:
    body = xmlrpc_client.dumps(xmlrpc_client.Fault(code, "whatever"), methodresponse=True)
    with pytest.raises(cls) as info:
        protocol.parse_getevents(body)
    assert type(info.value) is cls
    assert info.value.code == code
    assert info.value.exit_code == exit_code
    assert info.value.mode == "getevents"


def test_flat_error_messages_map_back_to_codes() -> None:
    assert code_for_message("Invalid password") == 101
    assert (
        code_for_message(
            "Client error: Parameter out of range: Can't retrieve more than 100 entries at once"
        )
        == 209
    )
    assert (
        code_for_message("Client error: Client is making repeated requests.  Perhaps it's broken?")
        == 406
    )
    assert code_for_message("Server error: Journal sync temporarily unavailable.") == 506
    assert code_for_message("Something new") is None
    body = "errmsg\nYour IP address is temporarily banned for exceeding the login failure rate.\nsuccess\nFAIL\n"
    with pytest.raises(LoginBanned):
        flat.decode_response(body, "syncitems")
    assert isinstance(fault_error(None, "odd", "x"), ProtocolError)


@pytest.mark.parametrize("name", ["owner_syncitems.xml", "owner_syncitems.flat"])
def test_syncitems_answer(name: str) -> None:
    page = protocol.parse_syncitems(fixture(name))
    assert (page.count, page.total, page.complete) == (3, 5, False)
    assert [(i.kind, i.jitemid, i.action, i.time) for i in page.items] == [
        ("L", 12, "create", "2024-10-05 06:15:07"),
        ("C", 12, "update", "2024-10-05 07:00:00"),
        ("L", 13, "update", "2024-10-06 10:00:00"),
    ]


def test_getevents_answer_xmlrpc() -> None:
    events = {e.jitemid: e for e in protocol.parse_getevents(fixture("owner_getevents.xml"))}
    assert sorted(events) == [12, 13, 14, 15, 16, 17]
    first = events[12]
    assert (first.anum, first.ditemid, first.security, first.allowmask) == (
        57,
        3129,
        "public",
        None,
    )
    assert first.event.startswith("Morning walk.\nThe @robin_watch bird is back:")
    assert "&amp;x=2" in first.event  # the raw source, exactly as returned
    assert first.props["taglist"] == "walks, birds, autumn"
    assert first.props["revnum"] == "2"  # an <int> kept as the text sent
    # non-ASCII values arrive as <base64>: decoded to text
    second = events[13]
    assert second.subject == "Café au lait ☕"
    assert second.event == "Über den Wolken — «ok»\nZweite Zeile: <b>fett</b> @robin_watch"
    assert second.props["picture_keyword"] == "Schön"
    assert (second.security, second.allowmask) == ("usemask", 1)
    # digits typed as <int>: leading zeros kept; an allowmask beyond int64 sent as a string
    third = events[14]
    assert (third.subject, third.event) == ("007", "42")
    assert third.allowmask == 2**60 + 1
    assert events[17].allowmask == 6442450944  # sent as <double>
    assert events[17].converted_with_loss
    assert events[15].subject == "" and events[15].props == {}
    assert events[16].poster == "willowmere"


def test_getevents_answer_flat_matches_xmlrpc() -> None:
    by_xml = {e.jitemid: e for e in protocol.parse_getevents(fixture("owner_getevents.xml"))}
    for event in protocol.parse_getevents(fixture("owner_getevents.flat")):
        other = by_xml[event.jitemid]
        for name in (
            "anum",
            "eventtime",
            "logtime",
            "security",
            "allowmask",
            "url",
            "subject",
            "event",
        ):
            assert getattr(event, name) == getattr(other, name), name
        assert event.props == other.props


def test_getevents_rejects_other_answers() -> None:
    with pytest.raises(ParseError):
        protocol.parse_getevents("<html><body>Service unavailable</body></html>")
    with pytest.raises(ParseError):
        protocol.parse_getevents(fixture("owner_getevents.xml")[:500])
    with pytest.raises(ParseError):
        owner_xmlrpc.decode_response(
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><methodResponse/>'
        )


def test_interface_is_told_by_the_text() -> None:
    assert protocol.interface_of(fixture("owner_getevents.xml")) == protocol.XMLRPC
    assert protocol.interface_of(fixture("owner_getevents.flat")) == protocol.FLAT
    assert protocol.interface_of(b"  <?xml version='1.0'?>") == protocol.XMLRPC


def test_to_int_is_exact() -> None:
    assert protocol.to_int("1152921504606846977", "x") == 2**60 + 1
    assert protocol.to_int("6.442450944e9", "x") == 6442450944
    with pytest.raises(ParseError):
        protocol.to_int("1.5", "x")
    with pytest.raises(ParseError):
        protocol.to_int("abc", "x")


# --- comment export --------------------------------------------------------------------------


def test_export_paths() -> None:
    assert export.export_path("comment_meta", 0) == (
        "/export_comments?get=comment_meta&startid=0&numitems=10000"
    )
    assert export.export_path("comment_body", 1001, authas="tea_garden") == (
        "/export_comments?get=comment_body&startid=1001&numitems=1000&props=1&authas=tea_garden"
    )
    with pytest.raises(ValueError):
        export.export_path("comment_body", 0, 1001)
    with pytest.raises(ValueError):
        export.export_path("comments", 0)


def test_comment_meta_page() -> None:
    page = export.parse_comment_meta(fixture("owner_comment_meta.xml"))
    assert (page.maxid, page.nextid) == (2305, None)
    assert [c.jtalkid for c in page.comments] == [1, 2, 3, 4, 5, 2301, 2302, 2303]
    states = {c.jtalkid: (c.posterid, c.state) for c in page.comments}
    assert states[1] == (10, "A") and states[2] == (4417001, "S") and states[4] == (10, "F")
    assert states[2302] == (None, "A")  # anonymous
    assert page.usermap == {
        4417001: "nairiporter",
        11: "ext_1234",
        12: "gone_user",
        10: "robin_watch",
    }
    nxt = export.parse_comment_meta(fixture("owner_comment_meta_next.xml"))
    assert (nxt.maxid, nxt.nextid) == (25000, 10000)
    empty = export.parse_comment_meta(fixture("owner_comment_meta_empty.xml"))
    assert (empty.maxid, empty.nextid, empty.comments) == (0, None, ())


def test_comment_body_page() -> None:
    page = export.parse_comment_body(fixture("owner_comment_body_1.xml"))
    by_id = {c.jtalkid: c for c in page.comments}
    first = by_id[1]
    assert (first.jitemid, first.posterid, first.state, first.parentid) == (12, 10, "A", None)
    assert first.subject == "Lovely & bright"
    assert first.body == "What a walk!\nWhich bakery?"
    assert first.date == "2024-10-05T09:01:44Z"
    assert first.props["poster_ip"] == "203.0.113.9"  # parsed as sent; records drop it
    screened = by_id[2]
    assert (screened.state, screened.parentid, screened.subject) == ("S", 1, None)
    assert screened.body == "The one by the <b>river</b>, @robin_watch."
    deleted = by_id[3]
    assert (deleted.state, deleted.body, deleted.date, deleted.props) == ("D", None, None, {})
    assert export.parse_comment_body(fixture("owner_comment_body_empty.xml")).comments == ()


def test_export_html_error_page_is_reported() -> None:
    page = "<!DOCTYPE html><html><head><title>Error</title></head><body>Invalid form</body></html>"
    with pytest.raises(ParseError, match="HTML page"):
        export.parse_comment_meta(page)
    with pytest.raises(ParseError):
        export.parse_comment_body(
            "<livejournal><comments><comment jitemid='1'/></comments></livejournal>"
        )
    with pytest.raises(ParseError):
        export.parse_comment_body("<other/>")
