"""A tiny scripted HTTP server on 127.0.0.1 for fetcher tests.

Each path (with its query) answers from a per-test script of replies, in order (the last one
repeats); anything unscripted is a 404. Every request is logged with its arrival time on an
injected clock (a FakeClock, so tests can see how much fake time passed between requests) and its
headers. Replies can stall until released (for timeouts) or promise more bytes than they send.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    stall: threading.Event | None = None  # answer only once this is set (or after 10 s)
    content_length: int | None = None  # announce this instead of len(body): a truncated body

    def encoded(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass
class Logged:
    method: str
    path: str  # request target: path and query
    headers: dict[str, str]  # names lowercased
    body: bytes
    at: float  # clock.monotonic() on arrival


class StubServer:
    """`with StubServer(clock) as srv: srv.script('/x', Reply(...)); ... srv.requests`."""

    def __init__(self, clock: Any = None) -> None:
        self._clock = clock
        self._scripts: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self._stalls: list[threading.Event] = []
        self.requests: list[Logged] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def script(self, path: str, *replies: Reply) -> None:
        with self._lock:
            self._scripts[path] = list(replies)
            self._stalls.extend(r.stall for r in replies if r.stall is not None)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def close(self) -> None:
        for event in self._stalls:
            event.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # called from handler threads
    def _next_reply(self, path: str) -> Reply:
        with self._lock:
            queue = self._scripts.get(path)
            if not queue:
                return Reply(404, b"not found")
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _log(self, entry: Logged) -> None:
        with self._lock:
            self.requests.append(entry)

    def _now(self) -> float:
        return self._clock.monotonic() if self._clock is not None else time.monotonic()


def _make_handler(stub: StubServer) -> Callable[..., BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on keep-alive
        wbufsize = 1 << 16  # headers and body leave in one write at flush()

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def do_HEAD(self) -> None:
            self._answer()

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            stub._log(
                Logged(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                    stub._now(),
                )
            )
            reply = stub._next_reply(self.path)
            if reply.stall is not None:
                reply.stall.wait(timeout=10)
            payload = reply.encoded()
            try:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                announced = (
                    reply.content_length if reply.content_length is not None else len(payload)
                )
                if not any(name.lower() == "content-length" for name in reply.headers):
                    self.send_header("Content-Length", str(announced))
                if reply.content_length is not None or reply.stall is not None:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                if self.command != "HEAD" and reply.status not in (204, 304):
                    self.wfile.write(payload)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
