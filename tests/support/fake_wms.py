"""A small stand-in for the city's map server (an OGC WMS 1.3.0 on 127.0.0.1).

It answers GetCapabilities with one layer over Hamm and GetMap with a green tile,
and records every request, so tests can tell who asked what: the portal reads the
capabilities, the visitor's browser loads the map images.
"""
from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

LAYER = "strassenbaeume"
LAYER_TITLE = "Straßenbäume"

CAPABILITIES = f"""<?xml version="1.0" encoding="UTF-8"?>
<WMS_Capabilities version="1.3.0" xmlns="http://www.opengis.net/wms"
    xmlns:xlink="http://www.w3.org/1999/xlink">
  <Service><Name>WMS</Name><Title>Geodienste Hamm (Test)</Title>
    <OnlineResource xlink:href="{{base}}/wms"/></Service>
  <Capability>
    <Request>
      <GetCapabilities><Format>text/xml</Format><DCPType><HTTP><Get>
        <OnlineResource xlink:href="{{base}}/wms?"/></Get></HTTP></DCPType></GetCapabilities>
      <GetMap><Format>image/png</Format><DCPType><HTTP><Get>
        <OnlineResource xlink:href="{{base}}/wms?"/></Get></HTTP></DCPType></GetMap>
    </Request>
    <Exception><Format>XML</Format></Exception>
    <Layer><Title>Geodienste Hamm</Title><CRS>EPSG:3857</CRS><CRS>EPSG:4326</CRS>
      <EX_GeographicBoundingBox><westBoundLongitude>7.70</westBoundLongitude>
        <eastBoundLongitude>8.00</eastBoundLongitude><southBoundLatitude>51.60</southBoundLatitude>
        <northBoundLatitude>51.75</northBoundLatitude></EX_GeographicBoundingBox>
      <Layer queryable="0"><Name>{LAYER}</Name><Title>{LAYER_TITLE}</Title>
        <CRS>EPSG:3857</CRS><CRS>EPSG:4326</CRS>
        <EX_GeographicBoundingBox><westBoundLongitude>7.70</westBoundLongitude>
          <eastBoundLongitude>8.00</eastBoundLongitude><southBoundLatitude>51.60</southBoundLatitude>
          <northBoundLatitude>51.75</northBoundLatitude></EX_GeographicBoundingBox>
        <BoundingBox CRS="EPSG:4326" minx="51.60" miny="7.70" maxx="51.75" maxy="8.00"/>
      </Layer>
    </Layer>
  </Capability>
</WMS_Capabilities>
"""


def png(width: int, height: int, rgba: tuple[int, int, int, int]) -> bytes:
    """A one-colour PNG, written by hand so the fake needs no imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgba) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


TILE = png(256, 256, (34, 139, 34, 160))


class FakeWMS:
    """``answer`` switches what GetCapabilities returns: "capabilities", "html", "exception" or "big"."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.answer = "capabilities"
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def asked(self, request: str) -> list[dict[str, str]]:
        return [r for r in self.requests if r.get("REQUEST", "").lower() == request.lower()]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet test output
                pass

            def do_GET(self) -> None:
                params = {k.upper(): v for k, v in parse_qsl(urlsplit(self.path).query)}
                fake.requests.append({**params, "path": urlsplit(self.path).path,
                                      "user_agent": self.headers.get("User-Agent", "")})
                request = params.get("REQUEST", "").lower()
                if request == "getcapabilities":
                    if fake.answer == "html":
                        self._send(200, "text/html", b"<!DOCTYPE html><html><body>Wartung</body></html>")
                    elif fake.answer == "exception":
                        self._send(200, "text/xml", b'<?xml version="1.0"?><ServiceExceptionReport version="1.3.0">'
                                   b'<ServiceException>Layer not defined</ServiceException></ServiceExceptionReport>')
                    elif fake.answer == "big":
                        self._send(200, "text/xml", b"<WMS_Capabilities>" + b" " * 3_000_000)
                    else:
                        self._send(200, "text/xml", CAPABILITIES.replace("{base}", fake.url).encode())
                elif request == "getmap":
                    self._send(200, "image/png", TILE)
                else:
                    self._send(400, "text/plain", b"unknown request")

            def _send(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the reader stopped early (a size cap): what the test wants

        return Handler


@contextmanager
def running_wms() -> Iterator[FakeWMS]:
    fake = FakeWMS()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        thread.join(5)
