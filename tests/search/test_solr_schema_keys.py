"""Every key of the search document is valid under the Solr schema shipped with CKAN.

The document goes through CKAN's real indexing path (all our plugins' and
ckanext-dcat's ``before_dataset_index``) and pysolr, to a local HTTP server that
stands in for Solr and records the update message. Each field of that message
is resolved the way Solr resolves it (fixed field, then the longest matching
dynamic field) in ``ckan/config/solr/schema.xml`` of the installed ``ckan``
package; a field sent more than once must be ``multiValued``.
"""
from __future__ import annotations

import http.server
import json
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterator, Optional

import ckan
import ckan.lib.search as search
import ckan.lib.search.index as search_index
import pysolr
import pytest
from ckan.tests import factories, helpers

from tests.schemas.test_round_trip import DATASET_FIELDS, RESOURCE_FIELDS

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]
SCHEMA = Path(ckan.__file__).parent / "config" / "solr" / "schema.xml"
OUR_KEYS = ("vocab_handlungsfeld", "vocab_zielgruppe", "vocab_persona", "vocab_theme", "text")


class SolrSchema:
    def __init__(self, path: Path) -> None:
        root = ET.parse(path).getroot()
        types = {t.get("name"): t for t in root.iter("fieldType")}

        def multi(node: ET.Element) -> bool:
            value = node.get("multiValued") or types[node.get("type")].get("multiValued") or "false"
            return value == "true"

        self.fields = {f.get("name"): multi(f) for f in root.iter("field")}
        self.dynamic = sorted(((d.get("name"), multi(d)) for d in root.iter("dynamicField")),
                              key=lambda item: -len(item[0]))

    def resolve(self, key: str) -> Optional[tuple[str, bool]]:
        if key in self.fields:
            return key, self.fields[key]
        for pattern, multi in self.dynamic:
            if pattern == "*" or (pattern.startswith("*") and key.endswith(pattern[1:])) \
                    or (pattern.endswith("*") and key.startswith(pattern[:-1])):
                return pattern, multi
        return None


class _Recorder(http.server.BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        type(self).bodies.append(self.rfile.read(length))
        body = b'{"responseHeader": {"status": 0, "QTime": 1}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_solr(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """A local HTTP server in Solr's place for CKAN's indexer (only for this test)."""
    _Recorder.bodies = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/solr/ckan"
    monkeypatch.setattr(search_index, "make_connection", lambda *a, **k: pysolr.Solr(url, timeout=5))
    yield _Recorder.bodies
    server.shutdown()


def _document_fields(body: bytes) -> dict[str, list[Any]]:
    """Field -> values as Solr receives them (pysolr sends a JSON list of documents)."""
    (doc,) = json.loads(body)
    return {key: value if isinstance(value, list) else [value] for key, value in doc.items()}


@pytest.fixture
def indexed_document(fake_solr: list[bytes]) -> dict[str, list[str]]:
    org = factories.Organization()
    data = {k: v[1] for k, v in DATASET_FIELDS.items()}
    data.update(name="voll", owner_org=org["id"], tags=[{"name": "Bäume"}, {"name": "Klima"}],
                resources=[{k: v[0] for k, v in RESOURCE_FIELDS.items()},
                           {k: v[1] for k, v in RESOURCE_FIELDS.items()}])
    pkg = helpers.call_action("package_create", context={"ignore_auth": True}, **data)
    fake_solr.clear()
    search.rebuild(pkg["id"])
    adds = [body for body in fake_solr if body.lstrip().startswith(b"[")]
    assert adds, f"the indexer sent no document: {fake_solr!r}"
    return _document_fields(adds[-1])


def test_every_key_resolves_with_the_right_multiplicity(indexed_document: dict[str, list[str]]) -> None:
    schema = SolrSchema(SCHEMA)
    problems = []
    for key, values in indexed_document.items():
        resolved = schema.resolve(key)
        if resolved is None:
            problems.append(f"{key}: no field or dynamic field")
        elif len(values) > 1 and not resolved[1]:
            problems.append(f"{key}: {len(values)} values but {resolved[0]} is single-valued")
    assert not problems, problems


def test_our_keys_are_multi_valued_vocab_fields(indexed_document: dict[str, list[str]]) -> None:
    schema = SolrSchema(SCHEMA)
    for key in OUR_KEYS:
        assert key in indexed_document, key
        pattern, multi = schema.resolve(key)
        assert multi, key
        assert pattern == ("text" if key == "text" else "vocab_*")
    assert indexed_document["vocab_handlungsfeld"] == ["umwelt", "mobilitaet"]
    assert indexed_document["vocab_theme"] == ["ENVI", "REGI"]
    assert {"Mobilität", "Mobility", "Umwelt"} <= set(indexed_document["text"])


def test_schema_reader_matches_the_backend_rules() -> None:
    """The PostgreSQL backend's field table agrees with schema.xml on the keys we add."""
    from ckanext.hamm.search.fields import field_spec

    schema = SolrSchema(SCHEMA)
    for key in OUR_KEYS:
        assert field_spec(key).multi == schema.resolve(key)[1]
