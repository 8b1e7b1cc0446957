"""Serve fake journals over real HTTP: one 127.0.0.1 port per journal, plus a "www" host.

`FakeSite(journals)` starts a ThreadingHTTPServer per journal (port 0, daemon threads) and one
for the site pages (/captcha). Every request is rendered from the live model, so tests may
change journals between runs. Requests are logged (`site.requests`, `site.count()`); faults
(`site.add_fault(Fault(...))`) and Dreamwidth's rate limits (`site.enable_rate_limit(clock=...)`:
30/60 s per IP for anonymous requests, 100/60 s per user for requests with a valid session
cookie) are applied before rendering. A name that is not served gets a server answering
"Unknown Journal" 404s, so `site.url("nosuch")` works too.

Owner mode: every origin also answers Dreamwidth's protocol endpoints (/interface/flat,
/interface/xmlrpc, /export_comments; see protocol/). `site.owner` holds their state: accounts
(served journals log in with their `api_keys`; `site.owner.add_account(name, keys)` adds others),
sessions, failed-login bans, on `site.owner.clock` (the site's clock unless replaced).

`serve_forever(...)` is the blocking helper behind `python -m scraper.fakesite`.
"""

from __future__ import annotations

import hashlib
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qs, quote, urlsplit

from .faults import PNG_BYTES, Fault, FaultSet, RateLimit, garbage
from .model import FakeJournal
from .protocol import endpoints as owner_endpoints
from .protocol.ratelimit import USER_CAPACITY, USER_INTERVAL, UserBuckets
from .protocol.state import OwnerState
from .render import (
    Response,
    render_adult_gate,
    render_journal,
    render_not_found,
    render_unknown_journal,
)
from .render.common import PageContext, user_host_url
from .render.site import RATE_LIMIT_BODY, captcha_page, site_page

WWW = "www"


@dataclass
class RequestRecord:
    """One request the site answered (status 0: the connection was dropped without a response)."""

    journal: str  # journal name, or "www" for the site host
    method: str
    path: str  # path with query string, as requested
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    ts: float = 0.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site: FakeSite, name: str, kind: str) -> None:
        self.site = site
        self.journal_name = name
        self.kind = kind  # 'journal' | 'unknown' | 'www'
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: object, client_address: object) -> None:  # quiet
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"
    sys_version = ""
    server: _Server
    dw_record: RequestRecord | None = None  # this request's log record until it is logged

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes: without this, Nagle + delayed ACK cost 40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.server.site._handle(self)

    def do_HEAD(self) -> None:
        self.server.site._handle(self)

    def do_POST(self) -> None:
        self.server.site._handle(self)


class FakeSite:
    """The fake Dreamwidth: journals served on loopback ports, with a request log and faults."""

    def __init__(
        self, journals: Iterable[FakeJournal], clock: Callable[[], float] | None = None
    ) -> None:
        self.journals: dict[str, FakeJournal] = {j.name: j for j in journals}
        self.clock = clock or time.time
        self.faults = FaultSet()
        self.rate_limit: RateLimit | None = None
        self.user_rate_limit: UserBuckets | None = None
        self.owner = OwnerState(self.journals, lambda: self.clock(), self._journal_url)
        self.requests: list[RequestRecord] = []
        self._log_lock = threading.Lock()
        self._servers: dict[str, tuple[_Server, threading.Thread]] = {}
        self._server_lock = threading.Lock()
        self._confirmed_adult: set[str] = set()
        self._uniq_counter = 0
        self._running = False

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Self:
        self._running = True
        self._ensure_server(WWW, "www")
        for name in list(self.journals):
            self._ensure_server(name, "journal")
        return self

    def stop(self) -> None:
        self._running = False
        self.faults.release_all()
        with self._server_lock:
            servers, self._servers = list(self._servers.values()), {}
        for server, thread in servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _ensure_server(self, name: str, kind: str) -> _Server:
        with self._server_lock:
            if name in self._servers:
                return self._servers[name][0]
            server = _Server(self, name, kind)
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            thread.start()
            self._servers[name] = (server, thread)
            return server

    # -- addressing --------------------------------------------------------------------------

    def url(self, name: str) -> str:
        """The journal's base URL, 'http://127.0.0.1:PORT/' (unknown names get a 404 server)."""
        if not self._running:
            raise RuntimeError("FakeSite is not started")
        kind = "journal" if name in self.journals else "unknown"
        server = self._ensure_server(name, kind)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    @property
    def www_url(self) -> str:
        return self.url(WWW) if WWW in self._servers else ""

    def add_journal(self, journal: FakeJournal) -> str:
        """Serve one more journal (while running, its server starts at once)."""
        self.journals[journal.name] = journal
        with self._server_lock:
            stale = self._servers.pop(journal.name, None)
        if stale:
            stale[0].shutdown()
            stale[0].server_close()
        return self.url(journal.name) if self._running else ""

    def journal(self, name: str) -> FakeJournal:
        return self.journals[name]

    def _journal_url(self, name: str) -> str:
        """A journal's base URL for protocol answers (the real site's host when not serving)."""
        return self.url(name) if self._running else user_host_url(name)

    def context(self, journal: FakeJournal, adult_ok: bool = False) -> PageContext:
        """The PageContext pages of this journal are rendered with."""
        with self._server_lock:
            ports = {n: s.server_address[1] for n, (s, _) in self._servers.items()}
        urls = {n: f"http://127.0.0.1:{p}/" for n, p in ports.items() if n != WWW}
        types = {n: j.journal_type_letter for n, j in self.journals.items()}
        www = f"http://127.0.0.1:{ports[WWW]}/" if WWW in ports else "https://www.dreamwidth.org/"
        return PageContext(
            journal=journal,
            base_url=urls.get(journal.name, f"http://127.0.0.1:{ports.get(journal.name, 0)}/"),
            site_root=www,
            user_urls=urls,
            user_types=types,
            adult_ok=adult_ok,
        )

    # -- log ---------------------------------------------------------------------------------

    def _log(self, record: RequestRecord) -> None:
        with self._log_lock:
            self.requests.append(record)

    def count(
        self,
        journal: str | None = None,
        path_prefix: str | None = None,
        method: str | None = None,
        status: int | None = None,
    ) -> int:
        """How many logged requests match (all given filters)."""
        with self._log_lock:
            records = list(self.requests)
        return sum(
            1
            for r in records
            if (journal is None or r.journal == journal)
            and (path_prefix is None or r.path.startswith(path_prefix))
            and (method is None or r.method == method)
            and (status is None or r.status == status)
        )

    def log(self, journal: str | None = None) -> list[RequestRecord]:
        with self._log_lock:
            return [r for r in self.requests if journal is None or r.journal == journal]

    def clear_log(self) -> None:
        with self._log_lock:
            self.requests.clear()

    # -- faults and limits -------------------------------------------------------------------

    def add_fault(self, fault: Fault) -> Fault:
        return self.faults.add(fault)

    def clear_faults(self) -> None:
        self.faults.clear()

    def release_stalls(self) -> None:
        self.faults.release_all()

    def enable_rate_limit(
        self,
        clock: Callable[[], float] | None = None,
        capacity: int = 30,
        refill_per_second: float = 0.5,
        user_capacity: int = USER_CAPACITY,
        user_refill_per_second: float = USER_CAPACITY / USER_INTERVAL,
    ) -> RateLimit:
        """The anonymous per-IP bucket (returned) and the per-user buckets for requests with a
        valid session cookie (`site.user_rate_limit`), on the same clock."""
        self.rate_limit = RateLimit(clock or self.clock, capacity, refill_per_second)
        self.user_rate_limit = UserBuckets(
            clock or self.clock, user_capacity, user_refill_per_second
        )
        return self.rate_limit

    def disable_rate_limit(self) -> None:
        self.rate_limit = None
        self.user_rate_limit = None

    # -- request handling --------------------------------------------------------------------

    def _handle(self, h: _Handler) -> None:
        server = h.server
        name = server.journal_name
        record = RequestRecord(
            name, h.command, h.path, 0, {k: v for k, v in h.headers.items()}, self.clock()
        )
        h.dw_record = record  # logged by _reply_started, before the client can see the answer
        body = b""
        length = int(h.headers.get("Content-Length") or 0)
        if length:
            body = h.rfile.read(length)
        try:
            record.status = self._answer(h, server, body)
        except (TimeoutError, BrokenPipeError, ConnectionResetError):
            h.close_connection = True
        except Exception as exc:  # noqa: BLE001 - a rendering bug answers 500 instead of hanging
            record.status = self._server_error(h, exc)
        finally:
            if h.dw_record is not None:  # no answer was sent (reset, abandoned stall)
                h.dw_record = None
                self._log(record)

    def _reply_started(self, h: _Handler, status: int) -> None:
        """Log the request as its answer starts, so a client never sees an answer before the log
        shows the request."""
        record, h.dw_record = getattr(h, "dw_record", None), None
        if record is not None:
            record.status = status
            self._log(record)

    def _server_error(self, h: _Handler, exc: Exception) -> int:
        import traceback

        text = (
            "<h1>500 Internal Server Error</h1><pre>"
            + "".join(traceback.format_exception(exc))
            + "</pre>"
        )
        try:
            return self._send(
                h,
                Response(500, text.encode("utf-8", "replace"), [("Content-Type", "text/html")]),
                close=True,
            )
        except OSError:
            return 500

    def _rate_limited(self, h: _Handler) -> int | None:
        """Retry-After seconds when the request's bucket is empty (the user's when its session
        cookie is valid, else the anonymous one), None when it may go on."""
        if self.rate_limit is None:
            return None
        userid = owner_endpoints.remote_userid(
            self.owner, h.headers.get("Cookie"), h.client_address[0]
        )
        if userid is not None and self.user_rate_limit is not None:
            allowed = self.user_rate_limit.allow(userid)
            return None if allowed else self.user_rate_limit.retry_after
        return None if self.rate_limit.allow() else self.rate_limit.retry_after

    def _owner_response(self, h: _Handler, body: bytes) -> Response:
        return owner_endpoints.respond(
            self.owner,
            h.command,
            h.path,
            dict(h.headers.items()),
            body,
            h.client_address[0],
            self.www_url or "https://www.dreamwidth.org/",
        )

    def _answer(self, h: _Handler, server: _Server, body: bytes) -> int:
        retry_after = self._rate_limited(h)
        if retry_after is not None:
            return self._send(
                h,
                Response(
                    429,
                    RATE_LIMIT_BODY.encode(),
                    [
                        ("Content-Type", "text/html"),
                        ("Retry-After", str(retry_after)),
                    ],
                ),
            )
        if server.kind == "www":
            return self._send(h, self._www(h, body))
        if server.kind == "unknown":
            return self._send(h, render_unknown_journal(server.journal_name, self.www_url))
        journal = self.journals.get(server.journal_name)
        if journal is None:
            return self._send(h, render_unknown_journal(server.journal_name, self.www_url))
        uniq = self._uniq(h)
        gate_page = h.path.startswith("/journal/adult_")
        fault = self.faults.match(
            journal.name,
            h.path,
            skip=lambda f: f.kind == "adult" and (gate_page or uniq in self._confirmed_adult),
        )
        if fault is not None:
            return self._apply_fault(h, fault, journal)
        if owner_endpoints.handles(h.path):
            return self._send(h, self._owner_response(h, body))
        return self._send(h, self._journal_response(h, journal, body))

    def _journal_response(self, h: _Handler, journal: FakeJournal, body: bytes) -> Response:
        parts = urlsplit(h.path)
        uniq = self._uniq(h)
        ctx = self.context(journal, adult_ok=uniq in self._confirmed_adult)
        if parts.path in ("/journal/adult_concepts", "/journal/adult_explicit"):
            kind = parts.path.rsplit("_", 1)[1]
            return self._adult(h, ctx, kind, parts.query, body)
        if h.command == "POST" and parts.path.startswith("/journal/"):
            return render_not_found(ctx.site_root)
        return render_journal(
            journal, parts.path, parts.query, ctx, h.headers.get("If-Modified-Since")
        )

    # -- adult-content interstitial ----------------------------------------------------------

    def _uniq(self, h: _Handler) -> str:
        cookie = SimpleCookie()
        try:
            cookie.load(h.headers.get("Cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed Cookie header means no cookie
            return ""
        return cookie["ljuniq"].value if "ljuniq" in cookie else ""

    def _new_uniq(self) -> str:
        with self._log_lock:
            self._uniq_counter += 1
            return hashlib.sha1(f"uniq{self._uniq_counter}".encode()).hexdigest()[:15]

    @staticmethod
    def form_auth(uniq: str) -> str:
        return "c0:1751652000:" + hashlib.sha1(f"auth:{uniq}".encode()).hexdigest()[:32]

    def _adult(self, h: _Handler, ctx: PageContext, kind: str, query: str, body: bytes) -> Response:
        uniq = self._uniq(h)
        if h.command == "POST":
            form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
            if (
                not uniq
                or form.get("lj_form_auth") != self.form_auth(uniq)
                or "adult_check" not in form
            ):
                text = site_page(
                    ctx.site_root, "Error", "<p>Invalid form submission. Please try again.</p>"
                )
                return Response.html(403, text)
            self._confirmed_adult.add(uniq)
            return Response.redirect(form.get("ret") or ctx.base_url)
        cookie_header = None
        if not uniq:
            uniq = self._new_uniq()
            cookie_header = ("Set-Cookie", f"ljuniq={uniq}; path=/; HttpOnly")
        response = render_adult_gate(ctx, kind, query, self.form_auth(uniq))
        if cookie_header:
            response.headers.append(cookie_header)
        return response

    # -- www host ----------------------------------------------------------------------------

    def _www(self, h: _Handler, body: bytes) -> Response:
        parts = urlsplit(h.path)
        root = self.www_url
        if owner_endpoints.handles(h.path):
            return self._owner_response(h, body)
        if parts.path == "/captcha":
            if h.command == "POST":
                return Response.html(
                    403, site_page(root, "Captcha Check", "<p>Captcha validation failed.</p>")
                )
            returnto = {k: v[0] for k, v in parse_qs(parts.query).items()}.get("returnto", "")
            return Response.html(
                200, captcha_page(root, returnto, self.form_auth(self._uniq(h) or "anon"))
            )
        return render_not_found(root)

    # -- faults ------------------------------------------------------------------------------

    def _apply_fault(self, h: _Handler, fault: Fault, journal: FakeJournal) -> int:
        p = fault.params
        base = self.url(journal.name).rstrip("/")
        if fault.kind == "status":
            return self._send(h, self._status_fault(p))
        if fault.kind == "reset":
            self._reset(h)
            return 0
        if fault.kind == "captcha":
            returnto = quote(base + h.path, safe="")
            return self._send(h, Response.redirect(f"{self.www_url}captcha?returnto={returnto}"))
        if fault.kind == "adult":
            kind = p.get("type", "concepts")
            return self._send(
                h,
                Response.redirect(
                    f"{base}/journal/adult_{kind}?ret={quote(base + h.path, safe='')}"
                ),
            )
        if fault.kind == "redirect":
            target = p.get("to") or (self.url(p["journal"]).rstrip("/") + h.path)
            return self._send(h, Response.redirect(target, int(p.get("code", 302))))
        if fault.kind == "huge":
            return self._send_huge(h, float(p.get("mb", 5)), bool(p.get("declare", True)))
        if fault.kind == "stall":
            if not self._stall(h, fault, float(p.get("timeout", 30))):
                h.close_connection = True
                return 0
            return self._send(h, self._journal_response(h, journal, b""))
        normal = self._journal_response(h, journal, b"")
        if fault.kind == "drip":
            return self._drip(h, normal, float(p.get("interval", 20)), p.get("tick"))
        if fault.kind == "truncate":
            keep = int(p.get("keep", len(normal.body) // 2))
            return self._send(
                h,
                normal,
                declared=len(normal.body) + int(p.get("extra", 0)),
                body=normal.body[:keep],
                close=True,
            )
        return self._send(h, self._malformed(normal, p.get("mode", "garbage"), fault.seed))

    @staticmethod
    def _status_fault(p: dict) -> Response:
        code = int(p.get("code", 503))
        headers = [("Content-Type", "text/html; charset=utf-8")]
        retry = p.get("retry_after")
        if callable(retry):  # computed when the fault fires (an HTTP-date relative to then)
            retry = retry()
        if retry is not None:
            if hasattr(retry, "strftime"):
                from .render import http_date

                retry = http_date(retry)
            headers.append(("Retry-After", str(retry)))
        headers += list((p.get("headers") or {}).items())
        body = p.get("body")
        if body is None:
            body = f"<h1>{code} Error</h1><p>The fake site was told to fail this request.</p>"
        return Response(code, body.encode() if isinstance(body, str) else body, headers)

    @staticmethod
    def _malformed(normal: Response, mode: str, seed: int) -> Response:
        if mode == "latin1":
            text = normal.body.decode("utf-8")
            return Response(200, text.encode("cp1252", "replace"), normal.headers)
        if mode == "binary":
            return Response(200, PNG_BYTES * 64, [("Content-Type", "text/html; charset=utf-8")])
        if mode == "half":
            cut = normal.body[: len(normal.body) // 2]
            cut = cut[: cut.rfind(b"<") + 4] if b"<" in cut else cut
            return Response(200, cut, normal.headers)
        return Response(200, garbage(seed), [("Content-Type", "text/html; charset=utf-8")])

    def _reset(self, h: _Handler) -> None:
        h.close_connection = True
        try:
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
        except OSError:
            pass

    def _stall(self, h: _Handler, fault: Fault, timeout: float) -> bool:
        """Hold the response; True once released, False if the client left or time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._running:
            if fault.wait_released(0.02):
                return True
            try:
                readable, _, _ = select.select([h.connection], [], [], 0)
                if readable and h.connection.recv(1, socket.MSG_PEEK) == b"":
                    return False
            except OSError:
                return False
        return fault.wait_released(0)

    def _drip(
        self, h: _Handler, response: Response, interval: float, tick: Callable[[], object] | None
    ) -> int:
        """Headers at once, then the body one byte per `interval` seconds (`tick()` before each
        byte), until it is all sent, the client goes away or the site stops."""
        self._reply_started(h, response.status)
        h.send_response(response.status)
        for key, value in response.headers:
            h.send_header(key, value)
        h.send_header("Content-Length", str(len(response.body)))
        h.send_header("Connection", "close")
        h.close_connection = True
        h.end_headers()
        for i in range(len(response.body) if h.command != "HEAD" else 0):
            if not self._running:
                break
            time.sleep(interval)
            if tick is not None:
                tick()
            try:
                h.wfile.write(response.body[i : i + 1])
            except OSError:
                break
        return response.status

    def _send_huge(self, h: _Handler, megabytes: float, declare: bool = True) -> int:
        """A 200 page of `megabytes`; without `declare` no Content-Length says so in advance
        (the body runs until the connection closes)."""
        size = int(megabytes * 1024 * 1024)
        chunk = (b"<!-- " + b"x" * 1010 + b" -->\n")[:1024]
        self._reply_started(h, 200)
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        if declare:
            h.send_header("Content-Length", str(size))
        else:
            h.send_header("Connection", "close")
            h.close_connection = True
        h.end_headers()
        if h.command != "HEAD":
            sent = 0
            while sent < size:
                piece = chunk[: size - sent]
                h.wfile.write(piece)
                sent += len(piece)
        return 200

    # -- sending -----------------------------------------------------------------------------

    def _send(
        self,
        h: _Handler,
        response: Response,
        declared: int | None = None,
        body: bytes | None = None,
        close: bool = False,
    ) -> int:
        payload = response.body if body is None else body
        self._reply_started(h, response.status)
        h.send_response(response.status)
        for key, value in response.headers:
            h.send_header(key, value)
        h.send_header("Content-Length", str(len(response.body) if declared is None else declared))
        if close:
            h.send_header("Connection", "close")
            h.close_connection = True
        h.end_headers()
        if h.command != "HEAD" and payload:
            h.wfile.write(payload)
        if close:
            h.wfile.flush()
        return response.status


def serve_forever(
    journals: list[FakeJournal] | None = None, out: Callable[[str], None] = print
) -> None:
    """Serve journals (default: the sample site) until interrupted, printing their URLs."""
    from .sample import build_sample_site

    site = FakeSite(journals or build_sample_site()).start()
    try:
        for name in site.journals:
            out(f"{name}: {site.url(name)}")
        out(f"www: {site.www_url}")
        out("Serving; press Ctrl-C to stop.")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()
