"""A local DCAT-AP.de catalogue server: Turtle pages from fixtures/dcat/, Hydra paging, request log."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dcat"


class FakeDcat:
    """``with FakeDcat() as server:`` serves ``/catalog.ttl?page=N``; ``pages`` may be edited."""

    def __init__(self) -> None:
        self.pages = [(FIXTURES / f"page{n}.ttl").read_text(encoding="utf-8") for n in (1, 2)]
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def replace(self, old: str, new: str) -> None:
        self.pages = [page.replace(old, new) for page in self.pages]

    def __enter__(self) -> "FakeDcat":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(fake: FakeDcat) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            fake.requests.append(self.path)
            parts = urlsplit(self.path)
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            if parts.path != "/catalog.ttl" or not 1 <= page <= len(fake.pages):
                body, status, kind = b"not found", 404, "text/plain"
            else:
                body, status, kind = fake.pages[page - 1].replace("{BASE}", fake.url).encode(), 200, "text/turtle"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
