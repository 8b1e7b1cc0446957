"""The secret rule: the API key and the session value never appear in a record, an error
message or a repr produced by the owner-mode parsers and planner."""

from __future__ import annotations

import pickle
import xmlrpc.client as xmlrpc_client
from dataclasses import fields, is_dataclass

import pytest

from scraper.crawl import owner_plan as plan
from scraper.errors import DwArchiveError, ProtocolError
from scraper.parse.owner import build, export, protocol
from scraper.parse.owner.secret import MASK, Secret, redact
from tests.parse_support import fixture

API_KEY = "Zq8Xn1Ty4LmP0w2aK7sD3fG5hJ9kL1mN"  # 32 characters, like DW::API::Key
SESSION = "v1:u4417001:s93:aZq8Xn1Ty4LmP0w2:f0//1"
SECRETS = (API_KEY, SESSION, "aZq8Xn1Ty4LmP0w2")


def clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def deep_text(obj: object) -> str:
    """repr and str of an object and of every dataclass field inside it."""
    parts = [repr(obj), str(obj)]
    if is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            parts.append(deep_text(getattr(obj, f.name)))
    elif isinstance(obj, dict):
        parts.extend(deep_text(v) for v in obj.values())
    elif isinstance(obj, (list, tuple)):
        parts.extend(deep_text(v) for v in obj)
    return "\n".join(parts)


def test_secret_prints_as_a_mask() -> None:
    key = Secret(API_KEY)
    for text in (repr(key), str(key), f"{key}", f"{key!r}", "%s" % (key,), format(key, "")):  # noqa: UP031
        assert API_KEY not in text and MASK in text
    assert key.reveal() == API_KEY
    assert key == Secret(API_KEY) and key != Secret("other")
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(TypeError):
        Secret(b"bytes")  # type: ignore[arg-type]


def test_requests_hide_the_key() -> None:
    creds = protocol.Credentials("nairiporter", Secret(API_KEY), usejournal="tea_garden")
    clean(deep_text(creds))
    session = Secret(SESSION)
    requests = [
        protocol.sessiongenerate_request(creds),
        protocol.syncitems_request(creds, "2024-01-01 00:00:00"),
        protocol.getevents_request(creds, [1, 2, 3]),
        protocol.sessionexpire_request(creds, session),
        protocol.getevents_request(creds, [1], interface=protocol.FLAT),
    ]
    for req in requests:
        assert req is not None
        assert API_KEY.encode() in req.content  # it must be sent...
        clean(repr(req) + str(req) + req.record_key)  # ...and never shown
    for call in (
        plan.OwnerCall(plan.SESSION),
        plan.OwnerCall(plan.SYNCITEMS, lastsync=None),
        plan.OwnerCall(plan.GETEVENTS, itemids=(4,)),
        plan.OwnerCall(plan.COMMENT_BODY, startid=1, numitems=1000),
        plan.OwnerCall(plan.EXPIRE),
    ):
        planned = plan.planned_request(call, creds, session=session)
        assert planned is not None
        clean(repr(planned) + planned.record_key + planned.path)


def test_session_answer_hides_the_session() -> None:
    for name in ("owner_sessiongenerate.xml", "owner_sessiongenerate.flat"):
        session = protocol.parse_sessiongenerate(fixture(name))
        assert session.value.reveal() == SESSION
        clean(deep_text(session))


def test_errors_never_carry_secrets() -> None:
    messages = []
    # a fault text that (unexpectedly) echoes the session or carries odd text
    body = xmlrpc_client.dumps(
        xmlrpc_client.Fault(101, f"Invalid password for {SESSION}"), methodresponse=True
    )
    with pytest.raises(ProtocolError) as info:
        protocol.parse_sessiongenerate(body)
    messages.append(str(info.value))
    # a broken session answer: the error must not quote it
    broken = fixture("owner_sessiongenerate.xml").replace("</methodResponse>", "")
    with pytest.raises(DwArchiveError) as info2:
        protocol.parse_sessiongenerate(broken)
    messages.append(str(info2.value))
    flat_fail = f"errmsg\nInvalid password\nljsession\n{SESSION}\nsuccess\nOK\n"
    with pytest.raises(ProtocolError) as info3:
        protocol.parse_sessiongenerate(flat_fail)
    messages.append(str(info3.value))
    for message in messages:
        clean(message)
        assert "\n" not in message


def test_records_carry_no_secrets() -> None:
    events = protocol.parse_getevents(fixture("owner_getevents.xml"))
    for event in events:
        clean(deep_text(build.entry_record(event, journal="nairiporter")))
    meta = export.parse_comment_meta(fixture("owner_comment_meta.xml"))
    bodies = export.parse_comment_body(fixture("owner_comment_body_1.xml")).comments
    out = build.comment_records(bodies, anums={12: 57, 13: 200}, usermap=meta.usermap)
    clean(deep_text(out))
    assert "203.0.113.9" not in deep_text(out)  # poster_ip removed from stored props


def test_plan_state_holds_no_secrets() -> None:
    state = plan.OwnerRunPlan.start()
    state = state.advance(
        plan.OwnerCall(plan.SESSION),
        protocol.parse_sessiongenerate(fixture("owner_sessiongenerate.xml")),
    )
    clean(repr(state.to_dict()))


def test_redact_stored_answers() -> None:
    for name in ("owner_sessiongenerate.xml", "owner_sessiongenerate.flat"):
        stored = redact(fixture(name), [Secret(SESSION), Secret(API_KEY)])
        clean(stored)
        assert MASK in stored
    # escaped and encoded spellings too
    tricky = f"a={SESSION.replace(':', '%3A').replace('/', '%2F')}&b={API_KEY}"
    clean(redact(tricky, [SESSION, API_KEY]).replace("%3A", ":").replace("%2F", "/"))
    assert redact("short", ["abc"]) == "short"  # too short to be a credential
