"""Offline SHACL check of our RDF against DCAT-AP 3.0 (SEMIC) and DCAT-AP.de 3.0 (GovData).

Shapes and vocabularies are vendored next to this file (see SOURCES.md in each folder).
The controlled vocabularies are merged into the data graph, because the shapes test
``skos:inScheme`` on the values and pyshacl's ``ont_graph`` carries no SKOS concepts.
Nothing is fetched: ``owl:imports`` are dropped and their local copies loaded instead.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Graph
from rdflib.namespace import OWL, RDF, SH, SKOS

HERE = Path(__file__).resolve().parent
SEMIC = "shapes/semic-dcat-ap-3.0.0/"
GOVDATA = "shapes/govdata-dcat-ap-de-3.0/"
PROFILES = {
    "dcat-ap-3": [SEMIC + "dcat-ap-SHACL.ttl", SEMIC + "mdr-vocabularies.shape.ttl"],
    "dcat-ap-de-3": [SEMIC + "dcat-ap-SHACL.ttl", GOVDATA + "dcat-ap-SHACL-DE.ttl",
                     GOVDATA + "dcat-ap-de-deprecated.ttl",
                     GOVDATA + "dcat-ap-spec-german-additions.ttl",
                     GOVDATA + "dcat-ap-de-controlledvocabularies.ttl"],
}

logging.getLogger("pyshacl").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Finding:
    severity: str  # "Violation" | "Warning" | "Info"
    focus: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.path} on {self.focus}: {self.message}"


@lru_cache(maxsize=None)
def shapes(profile: str) -> Graph:
    graph = Graph()
    for rel in PROFILES[profile]:
        graph.parse(HERE / rel, format="turtle")
    graph.remove((None, OWL.imports, None))
    return graph


@lru_cache(maxsize=None)
def background(profile: str) -> Graph:
    """Vocabularies/ontologies the profile needs (vocabularies/catalog.json says which)."""
    catalog = json.loads((HERE / "vocabularies" / "catalog.json").read_text(encoding="utf-8"))
    graph = Graph()
    for entry in catalog["vocabularies"]:
        if profile not in entry.get("profiles", PROFILES):
            continue
        part = Graph().parse(HERE / "vocabularies" / entry["file"], format=entry["format"])
        if entry.get("assert_concept_type"):
            for concept in set(part.subjects(SKOS.inScheme, None)):
                part.add((concept, RDF.type, SKOS.Concept))
        graph += part
    return graph


def _message(report: Graph, result) -> str:
    messages = list(report.objects(result, SH.resultMessage))
    for lang in ("en", "de", None):
        for m in messages:
            if getattr(m, "language", None) == lang:
                return str(m)
    return str(messages[0]) if messages else ""


def validate(data: Graph, profile: str) -> list[Finding]:
    """All findings on nodes of ``data`` (results about vocabulary-only nodes are dropped)."""
    merged = background(profile)
    added = [t for t in data if t not in merged]
    for triple in added:
        merged.add(triple)
    try:
        _conforms, report, _text = pyshacl.validate(
            merged, shacl_graph=shapes(profile), inference="none", allow_warnings=True,
            allow_infos=True, advanced=False, meta_shacl=False, inplace=True,
            do_owl_imports=False, abort_on_first=False)
    finally:
        for triple in added:
            merged.remove(triple)
    own_nodes = set(data.subjects()) | set(data.objects())
    findings = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, result) in report:
            continue  # nested cause of another result
        focus = report.value(result, SH.focusNode)
        if focus not in own_nodes:
            continue
        severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        path = report.value(result, SH.resultPath)
        findings.append(Finding(severity, str(focus), str(path) if path is not None else "-",
                                _message(report, result)))
    return findings


def violations(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "Violation"]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "Warning"]
