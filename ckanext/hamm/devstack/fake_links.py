"""A fake file server on loopback for the link checker's tests and benchmark (never in production).

The path says how it answers (``/ok/…``, ``/notfound/…``, ``/timeout/…``, see ``answer``),
so a test names the behaviour it wants in the URL. It listens on several loopback
addresses (127.0.0.1, 127.0.0.2, …), one "host" each, and counts per address the
requests and the most that ran at the same time: the benchmark reads the concurrency
cap off the server, not off the checker.
"""
from __future__ import annotations

import collections
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PRIVATE_TARGETS = ("http://10.0.0.1/intern.csv", "http://169.254.169.254/latest/meta-data/")


class _Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: collections.Counter[str] = collections.Counter()
        self.active: dict[str, set[Any]] = collections.defaultdict(set)  # handlers whose client still waits
        self.most: collections.Counter[str] = collections.Counter()
        self.agents: set[str] = set()
        self.methods: collections.Counter[str] = collections.Counter()
        self.seen_retry: set[str] = set()

    def reset(self) -> None:
        with self.lock:
            for counter in (self.requests, self.most, self.methods):
                counter.clear()
            self.active.clear()
            self.agents.clear()
            self.seen_retry.clear()


class _Handler(BaseHTTPRequestHandler):
    server: Any
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_GET(self) -> None:
        self._serve("GET")

    def _serve(self, method: str) -> None:
        fake: FakeLinkServer = self.server.fake
        host = self.server.server_address[0]
        stats = fake.stats
        with stats.lock:
            stats.requests[host] += 1
            stats.methods[method] += 1
            # A request the client gave up on (it timed out and hung up) no longer counts.
            stats.active[host] = {h for h in stats.active[host] if not h.client_gone()} | {self}
            stats.most[host] = max(stats.most[host], len(stats.active[host]))
            stats.agents.add(self.headers.get("User-Agent", ""))
        try:
            time.sleep(fake.latency)
            self._answer(method, fake)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with stats.lock:
                stats.active[host].discard(self)

    def end_headers(self) -> None:
        """The request is answered once its headers leave: counted done before the client can read them
        (a checker that goes on with its next request must never look like one request too many)."""
        fake: FakeLinkServer = self.server.fake
        with fake.stats.lock:
            fake.stats.active[self.server.server_address[0]].discard(self)
        super().end_headers()

    def client_gone(self) -> bool:
        """The client closed its end (EOF waiting on the socket)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def _wait(self, fake: FakeLinkServer, seconds: float) -> bool:
        """Wait up to ``seconds``; False when the client hung up or the server stops."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if fake.stopping.wait(0.01) or self.client_gone():
                return False
        return True

    def _send(self, status: int, headers: dict[str, str], body: bytes = b"", method: str = "GET") -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", headers.get("Content-Length", str(len(body))))
        self.end_headers()
        if method == "GET" and body:
            self.wfile.write(body)

    def _answer(self, method: str, fake: FakeLinkServer) -> None:
        kind, _, rest = self.path.lstrip("/").partition("/")
        if kind == "ok":
            self._send(200, {"Content-Type": "text/csv; charset=utf-8"}, b"a;b\n1;2\n", method)
        elif kind == "notfound":
            self._send(404, {"Content-Type": "text/html"}, b"<html>weg</html>", method)
        elif kind == "gone":
            self._send(410, {"Content-Type": "text/html"}, b"", method)
        elif kind == "error":
            self._send(500, {"Content-Type": "text/html"}, b"<html>kaputt</html>", method)
        elif kind == "timeout":
            if not self._wait(fake, fake.stall):
                return
            self._send(200, {"Content-Type": "text/csv"}, b"spaet\n", method)
        elif kind == "nohead":
            if method == "HEAD":
                self._send(405, {"Allow": "GET"})
            else:
                ranged = self.headers.get("Range") == "bytes=0-0"
                self._send(206 if ranged else 200, {"Content-Type": "application/json", "Content-Range":
                                                    "bytes 0-0/4096"} if ranged else
                           {"Content-Type": "application/json"}, b"[" if ranged else b"[]" * 2048, method)
        elif kind == "slow":  # HEAD refused, and the body trickles: the checker must not wait for it
            if method == "HEAD":
                self._send(501, {})
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(1_000_000))
            self.end_headers()
            for _ in range(200):
                if not self._wait(fake, 0.05):
                    return
                self.wfile.write(b"x" * 10)
                self.wfile.flush()
        elif kind == "loop":
            self._send(302, {"Location": f"/loopback-b/{rest}"}, b"", method)
        elif kind == "loopback-b":
            self._send(302, {"Location": f"/loop/{rest}"}, b"", method)
        elif kind == "moved":
            self._send(301, {"Location": f"/ok/{rest}"}, b"", method)
        elif kind == "private":
            number = int("".join(ch for ch in rest if ch.isdigit()) or "0")
            self._send(302, {"Location": PRIVATE_TARGETS[number % len(PRIVATE_TARGETS)]}, b"", method)
        elif kind == "wrongtype":
            self._send(200, {"Content-Type": "text/html; charset=utf-8"}, b"<html>Login</html>", method)
        elif kind == "retry":  # busy once, then fine
            with fake.stats.lock:
                first = rest not in fake.stats.seen_retry
                fake.stats.seen_retry.add(rest)
            if first:
                self._send(503, {"Retry-After": "1"}, b"", method)
            else:
                self._send(200, {"Content-Type": "text/csv"}, b"a\n", method)
        else:
            self._send(404, {}, b"", method)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (the checker does after the headers) are no error here."""


class FakeLinkServer:
    """``hosts`` threaded servers on 127.0.0.1 … 127.0.0.<hosts>; ``url(i, kind, name)`` builds a link."""

    def __init__(self, hosts: int = 1, latency: float = 0.0, stall: float = 3.0) -> None:
        self.latency = latency
        self.stall = stall  # how long a /timeout/ answer keeps the client waiting
        self.stats = _Stats()
        self.stopping = threading.Event()
        self.servers: list[_Server] = []
        for number in range(1, hosts + 1):
            server = _Server((f"127.0.0.{number}", 0), _Handler)
            server.fake = self  # type: ignore[attr-defined]
            self.servers.append(server)
        self.threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in self.servers]

    def __enter__(self) -> FakeLinkServer:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopping.set()
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def url(self, host: int, kind: str, name: str) -> str:
        address = self.servers[host % len(self.servers)].server_address
        return f"http://{address[0]!s}:{address[1]}/{kind}/{name}"
