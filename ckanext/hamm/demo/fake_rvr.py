"""A local fake of opendata.ruhr: real HTTP on 127.0.0.1 serving generated RVR-shaped data.

CKAN action API (``package_search``, ``package_show``, and the writes a city makes with its
token: ``package_create/update/delete``) and a paged DCAT
``/catalog.rdf``. ``server.fault = "<name>"`` switches a fault mode
(see FAULTS) so tests can replay the rows of harvest-faults.md.
Used by the tests, the benchmark and `ckan hamm rvr demo-harvest`; it ships in the demo
package so the installed CLI never reaches into the tests folder. It binds to loopback only.
"""
from __future__ import annotations

import datetime
import gzip
import json
import re
import threading
import time
import uuid
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional
from urllib.parse import parse_qs, urlsplit

FAULTS = {
    "xxe": "RDF/XML with an external entity (row 1)",
    "billion_laughs": "RDF/XML with nested entities (row 2)",
    "redirect_private": "every request redirects to a private address (row 3)",
    "redirect_metadata": "every request redirects to the cloud metadata address (row 3)",
    "redirect_foreign": "every request redirects to a host not on the allow-list (row 3)",
    "next_foreign": "hydra:next points to another host (row 5)",
    "jsonld_remote_context": "JSON-LD catalogue with a remote @context (row 6)",
    "stall": "answers after `stall_seconds` (row 7)",
    "trickle": "sends the body one byte at a time (row 7)",
    "huge": "a 3 MB search answer (row 8)",
    "gzip_bomb": "a small gzip body that expands to 60 MB (row 8)",
    "latin1": "search answers in ISO-8859-1, declared (row 9)",
    "latin1_undeclared": "ISO-8859-1 bytes without a charset (row 9)",
    "page_cycle": "every page is the first page (row 10)",
    "endless": "new datasets on every page, forever (row 10)",
    "empty": "a valid but empty catalogue (row 12)",
    "truncated": "only the first 40 % of the datasets (row 12)",
    "error_page2": "HTTP 500 from the second page on (row 18)",
    "bad_dates": "dates like 31.12.2020, 2018-05, R/P1D (row 20)",
    "many_resources": "one dataset with 3,000 resources and a 300,000-character description (row 21)",
    "html200": "an HTML maintenance page with status 200 (row 23)",
    "malformed_json": "truncated JSON (row 23)",
    "malformed_rdf": "broken RDF/XML (row 23)",
    "status_429_once": "the first request gets 429 with Retry-After: 0",
    "status_503": "every request gets 503",
    "status_401": "every request gets 401 from a proxy in front of CKAN (publishing)",
    "validation_409": "package_create/update answer 409 with per-field errors (publishing)",
    "retry_after_garbage": "the first request gets 429 with an unreadable Retry-After header",
    "deep_json": "a search answer nested 100,000 levels deep",
}

TOPICS = ["Öffentliche Toiletten", "Straßenbäume", "Grünflächen", "Parkplätze", "Fahrradständer",
          "Schulen", "Kindertagesstätten", "Wahlergebnisse", "Bevölkerung nach Stadtbezirken", "Haltestellen",
          "Luftqualität", "Lärmkarte", "Smarte Bänke", "Gewerbeflächen", "Sportstätten", "Bibliotheken",
          "Friedhöfe", "Spielplätze", "Baustellen", "Müllabfuhr-Termine"]
DISTRICTS = ["Mitte", "Uentrop", "Rhynern", "Pelkum", "Herringen", "Bockum-Hövel", "Heessen"]
GROUPS = [("envi", "Umwelt"), ("tran", "Verkehr"), ("educ", "Bildung, Kultur und Sport"),
          ("soci", "Bevölkerung und Gesellschaft"), ("econ", "Wirtschaft und Finanzen"),
          ("gove", "Regierung und öffentlicher Sektor"), ("tech", "Wissenschaft und Technologie"),
          ("regi", "Regionen und Städte"), ("heal", "Gesundheit")]
LICENCES = ["dl-by-de/2.0", "dl-zero-de/2.0", "CC0-1.0", "cc-by/4.0", "dl-de-by-2.0", "odc-odbl",
            "Stadt-Hamm-Sonderlizenz"]
FORMATS = [("csv", "text/csv"), ("CSV", None), ("JSON", "application/json"), ("GeoJSON", None),
           ("PDF", "application/pdf"), ("xlsx", None), ("WMS", None)]
ORG_ID = "6f1d2c3b-0000-4000-8000-00000000a001"
BASE_TIME = datetime.datetime(2024, 3, 1, 8, 0, 0)


def make_dataset(index: int, org: str = "hamm") -> dict[str, Any]:
    topic, district = TOPICS[index % len(TOPICS)], DISTRICTS[index % len(DISTRICTS)]
    group = GROUPS[index % len(GROUPS)]
    ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://opendata.ruhr/{org}/{index}"))
    slug = re.sub(r"[^a-z0-9]+", "-", f"{topic} {district} {index}".lower().replace("ö", "oe").replace(
        "ä", "ae").replace("ü", "ue").replace("ß", "ss")).strip("-")
    created = BASE_TIME + datetime.timedelta(hours=index)
    resources = []
    for r in range(1 + index % 6):
        fmt, mime = FORMATS[(index + r) % len(FORMATS)]
        resources.append({"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ident}/{r}")),
                          "name": f"{topic} {district} – Teil {r + 1}", "format": fmt, "mimetype": mime,
                          "description": f"Daten über {topic.lower()} in Hamm-{district}.",
                          "url": f"https://opendata.ruhr/dataset/{ident}/resource/{r}/download/daten-{r}.{fmt.lower()}",
                          "url_type": None, "size": 1000 + r})
    return {
        "id": ident, "name": f"{org}-{slug}"[:100], "title": f"{topic} in Hamm-{district} ({index})",
        "notes": f"**{topic}** im Stadtbezirk {district}. Grüße aus Hamm: äöüß ÄÖÜ.\n\nQuelle: Stadt Hamm.",
        "license_id": LICENCES[index % len(LICENCES)], "private": False, "state": "active", "type": "dataset",
        "author": "Stadt Hamm", "author_email": "opendata@stadt.hamm.de",
        "maintainer": "Amt für Digitalisierung", "maintainer_email": "digital@stadt.hamm.de",
        "url": f"https://www.hamm.de/daten/{slug}",
        "metadata_created": created.isoformat(), "metadata_modified": created.isoformat(),
        "owner_org": ORG_ID, "organization": {"id": ORG_ID, "name": org, "title": "Stadt Hamm"},
        "tags": [{"name": t, "display_name": t, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, t)), "state": "active",
                  "vocabulary_id": None}
                 for t in (topic, "Smarte Bänke" if index % 5 == 0 else "Hamm", f"Bezirk {district}", "Grün & Blau")],
        "groups": [{"name": group[0], "title": group[1], "display_name": group[1], "description": "",
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, group[0])), "image_display_url": ""}],
        "resources": resources, "num_resources": len(resources), "extras": [],
    }


class FakeRVR:
    """Start with ``with FakeRVR(150) as rvr:``; ``rvr.url`` is the catalogue's base URL."""

    def __init__(self, count: int = 150, org: str = "hamm", rdf_page_size: int = 50) -> None:
        self.org = org
        self.datasets: dict[str, dict[str, Any]] = {}
        for index in range(count):
            dataset = make_dataset(index, org)
            self.datasets[dataset["id"]] = dataset
        self._fault: Optional[str] = None
        self.stall_seconds = 3.0
        self.rdf_page_size = rdf_page_size
        self.requests: list[str] = []
        self._429_sent = False
        # the write API for the publisher: only this token may write into organisation `org`
        self.token = "fake-rvr-token"
        self.writes: list[tuple[str, dict[str, Any]]] = []
        self.headers_seen: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def fault(self) -> Optional[str]:
        return self._fault

    @fault.setter
    def fault(self, name: Optional[str]) -> None:
        if name is not None and name not in FAULTS:
            raise ValueError(f"unknown fault mode {name!r}; known: {', '.join(FAULTS)}")
        if name == "gzip_bomb":
            gzip_bomb()  # compress now, not while a client waits
        self._fault = name

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeRVR":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- editing the remote catalogue ---------------------------------------------
    def ids(self) -> list[str]:
        return sorted(self.datasets)

    def edit(self, dataset_id: str, **changes: Any) -> None:
        dataset = self.datasets[dataset_id]
        dataset.update(changes)
        dataset["metadata_modified"] = datetime.datetime.utcnow().isoformat()

    def delete(self, dataset_id: str) -> None:
        del self.datasets[dataset_id]

    def add(self, dataset: dict[str, Any]) -> None:
        self.datasets[dataset["id"]] = dataset

    # -- the write API (package_create/update/delete), as a city's token sees it -------
    def write(self, action: str, payload: dict[str, Any], token: str) -> tuple[int, Optional[dict[str, Any]]]:
        if token != self.token:
            return 403, {"__type": "Authorization Error", "message": "Access denied"}
        if self.fault == "validation_409":
            return 409, {"__type": "Validation Error", "license_id": ["Lizenz unbekannt"],
                         "tags": [{"name": ["Tag zu lang"]}]}
        self.writes.append((action, payload))
        now = datetime.datetime.utcnow().isoformat()
        if action == "package_create":
            if any(d["name"] == payload.get("name") for d in self.datasets.values()):
                return 409, {"__type": "Validation Error", "name": ["That URL is already in use."]}
            dataset = dict(payload, id=str(uuid.uuid4()), state="active", metadata_created=now,
                           metadata_modified=now, organization={"id": ORG_ID, "name": self.org})
            self.datasets[dataset["id"]] = dataset
            return 200, dataset
        existing = self.datasets.get(payload.get("id", ""))
        if existing is None:
            return 404, {"__type": "Not Found Error", "message": "Not found"}
        if action == "package_delete":
            existing.update(state="deleted", metadata_modified=now)
            return 200, None
        existing.update(payload, metadata_modified=now)
        return 200, existing

    # -- answers ------------------------------------------------------------------
    def visible(self) -> list[dict[str, Any]]:
        items = [self.datasets[i] for i in sorted(self.datasets)]
        if self.fault == "truncated":
            items = items[: int(len(items) * 0.4)]
        if self.fault == "empty":
            items = []
        if self.fault == "bad_dates":
            dates = ["31.12.2020", "2018-05", "R/P1D", "gestern"]
            items = [dict(d, metadata_created=dates[n % 4]) for n, d in enumerate(items)]
        if self.fault == "many_resources" and items:
            first = dict(items[0], notes="Lorem ipsum äöü " * 20_000)
            first["resources"] = [dict(first["resources"][0], id=f"r{n}", url=f"https://opendata.ruhr/r/{n}.csv")
                                  for n in range(3000)]
            items[0] = first
        return items

    def search(self, query: dict[str, list[str]]) -> dict[str, Any]:
        fq = query.get("fq", [""])[0]
        rows = min(int(query.get("rows", ["10"])[0]), 1000)
        start = int(query.get("start", ["0"])[0])
        items = self.visible()
        orgs = re.search(r"organization:\(?([^)\s]+(?:\s+OR\s+[^)\s]+)*)\)?", fq)
        if orgs:
            wanted = set(orgs.group(1).split(" OR "))
            items = [d for d in items if d["organization"]["name"] in wanted]
        since = re.search(r"metadata_modified:\[(\S+) TO \*\]", fq)
        if since:
            limit = since.group(1).rstrip("Z")
            items = [d for d in items if d["metadata_modified"] >= limit]
        if self.fault == "page_cycle":
            start = 0
        if self.fault == "endless":
            page = [make_dataset(100_000 + start + n, self.org) for n in range(rows)]
            return {"count": 10**9, "results": page}
        return {"count": len(items), "results": items[start:start + rows]}

    def catalog_rdf(self, page: int) -> str:
        items = self.visible()
        size = self.rdf_page_size
        chunk = items[(page - 1) * size: page * size]
        last = max(1, -(-len(items) // size))
        next_url = f"{self.url}/catalog.rdf?page={page + 1}" if page < last else ""
        if self.fault == "next_foreign":
            next_url = "http://evil.example.org/catalog.rdf?page=2"
        return rdf_document(chunk, page, next_url, self.url)


def rdf_document(datasets: list[dict[str, Any]], page: int, next_url: str, base: str) -> str:
    parts = ['<?xml version="1.0" encoding="utf-8"?>',
             '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
             'xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/" '
             'xmlns:hydra="http://www.w3.org/ns/hydra/core#">',
             f'<hydra:PagedCollection rdf:about="{escape(base)}/catalog.rdf?page={page}">']
    if next_url:
        parts.append(f'<hydra:next>{escape(next_url)}</hydra:next>')
    parts.append('</hydra:PagedCollection><dcat:Catalog rdf:about="https://opendata.ruhr/">')
    for d in datasets:
        uri = f"https://opendata.ruhr/dataset/{d['id']}"
        theme = d["groups"][0]["name"].upper() if d["groups"] else "GOVE"
        parts.append(f'<dcat:dataset><dcat:Dataset rdf:about="{escape(uri)}">'
                     f'<dct:title>{escape(d["title"])}</dct:title>'
                     f'<dct:description>{escape(d["notes"])}</dct:description>'
                     f'<dct:identifier>{escape(d["id"])}</dct:identifier>'
                     f'<dct:modified>{escape(d["metadata_modified"])}</dct:modified>'
                     f'<dcat:theme rdf:resource="http://publications.europa.eu/resource/authority/data-theme/{theme}"/>')
        for tag in d["tags"]:
            parts.append(f'<dcat:keyword>{escape(tag["name"])}</dcat:keyword>')
        for r in d["resources"][:3]:
            parts.append(f'<dcat:distribution><dcat:Distribution><dct:title>{escape(r["name"])}</dct:title>'
                         f'<dcat:accessURL rdf:resource="{escape(r["url"])}"/>'
                         f'<dct:format>{escape(r["format"])}</dct:format>'
                         f'<dct:license rdf:resource="http://dcat-ap.de/def/licenses/dl-by-de/2.0"/>'
                         f'</dcat:Distribution></dcat:distribution>')
        parts.append('</dcat:Dataset></dcat:dataset>')
    parts.append('</dcat:Catalog></rdf:RDF>')
    return "".join(parts)


XXE = ('<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/">'
       '<rdf:Description rdf:about="urn:x"><dct:title>&xxe;</dct:title></rdf:Description></rdf:RDF>')
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
          + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&lol9;</rdf:RDF>')
GZIP_BOMB: list[bytes] = []  # compressed once: 60 MB of spaces in ~60 KB


def gzip_bomb() -> bytes:
    if not GZIP_BOMB:
        GZIP_BOMB.append(gzip.compress(b" " * 60_000_000, 9))
    return GZIP_BOMB[0]


HTML_PAGE = "<!DOCTYPE html><html><head><title>Wartung</title></head><body>Wartungsarbeiten</body></html>"


def _handler(rvr: FakeRVR) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def send(self, status: int, body: bytes, content_type: str, headers: Optional[dict] = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if rvr.fault == "trickle":
                self.send_header("Connection", "close")
                self.end_headers()
                for byte in body[:200]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            rvr.requests.append(self.path)
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if self.fault_answer(parts.path):
                return
            if parts.path == "/api/3/action/package_search":
                self.send_json({"help": "", "success": True, "result": rvr.search(query)})
            elif parts.path == "/api/3/action/package_show":
                dataset = rvr.datasets.get(query.get("id", [""])[0])
                self.send_json({"success": bool(dataset), "result": dataset}, 200 if dataset else 404)
            elif parts.path == "/api/3/action/organization_show":
                self.send_json({"success": True, "result": {"id": ORG_ID, "name": rvr.org}})
            elif parts.path == "/api/3/action/organization_list_for_user":
                allowed = self.headers.get("Authorization") == rvr.token
                self.send_json({"success": True, "result": [{"id": ORG_ID, "name": rvr.org}] if allowed else []})
            elif parts.path == "/api/3/action/group_list_authz":
                self.send_json({"success": True, "result": [{"name": name} for name, _ in GROUPS]})
            elif parts.path == "/catalog.rdf":
                page = int(query.get("page", ["1"])[0])
                self.send(200, rvr.catalog_rdf(page).encode("utf-8"), "application/rdf+xml; charset=utf-8")
            else:
                self.send(404, b"not found", "text/plain")

        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            rvr.requests.append(self.path)
            rvr.headers_seen.append(str(self.headers))
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlsplit(self.path).path
            if self.fault_answer(path):
                return
            action = path.rsplit("/", 1)[-1]
            if action not in ("package_create", "package_update", "package_delete"):
                self.send(404, b"not found", "text/plain")
                return
            status, result = rvr.write(action, json.loads(body or b"{}"), self.headers.get("Authorization", ""))
            ok = status == 200
            self.send_json({"success": ok, **({"result": result} if ok else {"error": result})}, status)

        def send_json(self, payload: Any, status: int = 200) -> None:
            text = json.dumps(payload, ensure_ascii=False)
            if rvr.fault == "latin1":
                self.send(status, text.encode("iso-8859-1", "replace"), "application/json; charset=ISO-8859-1")
            elif rvr.fault == "latin1_undeclared":
                self.send(status, text.encode("iso-8859-1", "replace"), "application/json")
            else:
                self.send(status, text.encode("utf-8"), "application/json; charset=utf-8")

        def fault_answer(self, path: str) -> bool:
            fault = rvr.fault
            redirects = {"redirect_private": "http://10.1.2.3/api/3/action/package_search",
                         "redirect_metadata": "http://169.254.169.254/latest/meta-data/",
                         "redirect_foreign": "https://evil.example.com/api/3/action/package_search"}
            if fault in redirects:
                self.send(302, b"", "text/plain", {"Location": redirects[fault]})
            elif fault == "stall":
                time.sleep(rvr.stall_seconds)
                return False
            elif fault == "status_401":
                self.send(401, b"<html><body>401 Authorization Required</body></html>", "text/html")
            elif fault == "status_503":
                self.send(503, b"busy", "text/plain", {"Retry-After": "0"})
            elif fault in ("status_429_once", "retry_after_garbage") and not rvr._429_sent:
                rvr._429_sent = True
                wait = "0" if fault == "status_429_once" else "bald, vielleicht"
                self.send(429, b"slow down", "text/plain", {"Retry-After": wait})
            elif fault == "deep_json" and path.startswith("/api/"):
                self.send(200, b'{"success": true, "result": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                          "application/json")
            elif fault == "html200":
                self.send(200, HTML_PAGE.encode(), "text/html; charset=utf-8")
            elif fault == "malformed_json" and path.startswith("/api/"):
                self.send(200, b'{"success": true, "result": {"count": 3, "resu', "application/json")
            elif fault == "malformed_rdf" and path == "/catalog.rdf":
                self.send(200, b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"><unclosed>', "application/rdf+xml")
            elif fault == "xxe" and path == "/catalog.rdf":
                self.send(200, XXE.encode(), "application/rdf+xml")
            elif fault == "billion_laughs" and path == "/catalog.rdf":
                self.send(200, LAUGHS.encode(), "application/rdf+xml")
            elif fault == "jsonld_remote_context" and path == "/catalog.rdf":
                doc = {"@context": "http://evil.example.org/context.jsonld", "@id": "urn:x", "title": "x"}
                self.send(200, json.dumps(doc).encode(), "application/ld+json")
            elif fault == "huge" and path.startswith("/api/"):
                self.send(200, b'{"success": true, "result": {"results": [], "pad": "' + b"x" * 3_000_000 + b'"}}',
                          "application/json")
            elif fault == "gzip_bomb" and path.startswith("/api/"):
                self.send(200, gzip_bomb(), "application/json", {"Content-Encoding": "gzip"})
            elif fault == "error_page2" and "start=0" not in self.path and path.startswith("/api/"):
                self.send(500, b"Internal Server Error", "text/plain")
            else:
                return False
            return True

    return Handler


if __name__ == "__main__":  # python -m ckanext.hamm.demo.fake_rvr — serve until Ctrl-C
    with FakeRVR() as fake:
        print(f"fake RVR on {fake.url} ({len(fake.datasets)} datasets)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
