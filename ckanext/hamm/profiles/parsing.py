"""Reading foreign DCAT-AP.de records faithfully (the parse side of ``hamm_dcat_ap_de``).

German catalogues publish licences, places, publishers, frequencies and themes in many
shapes. What matches a list is mapped onto it; what does not is kept in a field that can
hold it (text as text, a foreign theme as a keyword) and named in
``hamm_harvest_warnings``, so staff can decide. Nothing is turned into a URI it was not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from rdflib import Literal, URIRef
from rdflib.namespace import Namespace
from rdflib.term import Node

from ckanext.dcat import profiles as dcat_profiles
from ckanext.hamm.dataset import extent
from ckanext.hamm.profiles import concepts
from ckanext.hamm.profiles.namespaces import DCATDE_ALL, Terms
from ckanext.hamm.vocabularies import codelists as cl
from ckanext.hamm.vocabularies.ids import ids as concept_ids

DCAT, DCT, FOAF, RDFS, SKOS = (Terms(ns) for ns in (
    dcat_profiles.DCAT, dcat_profiles.DCT, dcat_profiles.FOAF, dcat_profiles.RDFS, dcat_profiles.SKOS))
LOCN = Terms(Namespace("http://www.w3.org/ns/locn#"))
GSP = Terms(Namespace("http://www.opengis.net/ont/geosparql#"))
WARNINGS_FIELD = "hamm_harvest_warnings"
Dict = dict[str, Any]


@dataclass
class Reader:
    """One dataset of a parsed graph; ``notes`` collects what staff should look at."""

    graph: Any
    ref: Node
    notes: list[str] = field(default_factory=list)

    def objects(self, subject: Optional[Node], predicate: URIRef) -> list[Node]:
        return list(self.graph.objects(subject, predicate)) if subject is not None else []

    def dcatde(self, name: str) -> list[Node]:
        """Objects of a dcatde property in any namespace version (1.0, 1_0, 1.0.1, 3.0)."""
        return [o for ns in DCATDE_ALL for o in self.graph.objects(self.ref, ns[name])]

    def label(self, node: Node, *predicates: URIRef) -> list[str]:
        """Texts of ``node`` under ``predicates``, German first, without repeats."""
        found: list[str] = []
        for predicate in predicates:
            values = sorted(self.objects(node, predicate), key=lambda v: getattr(v, "language", None) != "de")
            found += [" ".join(str(v).split()) for v in values if isinstance(v, Literal)]
        return [t for t in dict.fromkeys(found) if t]

    def distribution(self, resource: Dict) -> Optional[Node]:
        """The node ckanext-dcat read a resource from (a URI or a blank node)."""
        ref = resource.get("distribution_ref")
        for node in self.objects(self.ref, DCAT.distribution):
            if str(node) == ref:
                return node
        return None


# -- licences ---------------------------------------------------------------------------
def licence(reader: Reader, node: Optional[Node]) -> tuple[Optional[str], str]:
    """(dcat-ap.de code or None, what the source said) for a dct:license object."""
    if node is None:
        return None, ""
    if isinstance(node, URIRef):
        return cl.licence_code(str(node)), str(node)
    texts = [str(node)] if isinstance(node, Literal) else reader.label(
        node, DCT.title, RDFS.label, SKOS.prefLabel, FOAF.name)
    text = texts[0] if texts else ""
    # a literal that is exactly a code of the list ("dl-by-de/2.0") names it; prose never does
    return (cl.licence_code(text) if text and " " not in text else None), text


def parse_licences(reader: Reader, dataset_dict: Dict) -> None:
    """Codes of the list on the dataset and its resources; anything else as text in the notes."""
    code, said = licence(reader, next(iter(reader.objects(reader.ref, DCT.license)), None))
    if said and not code:
        reader.notes.append(_licence_note(said))
    for resource in dataset_dict.get("resources", []):
        node = reader.distribution(resource)
        own, own_said = licence(reader, next(iter(reader.objects(node, DCT.license)), None))
        if own:
            resource["license"] = cl.LICENCES + own
            code = code or own  # ckanext-dcat's rule: else the first distribution's licence
        else:
            resource.pop("license", None)
            if own_said and own_said != said:
                reader.notes.append(_licence_note(own_said))
    dataset_dict["license_id"] = code or ""


def _licence_note(said: str) -> str:
    return (f"Lizenz der Quelle „{said[:200]}“ steht nicht in der dcat-ap.de-Liste und wurde nicht "
            f"übernommen; bitte eine Lizenz eintragen.")


# -- places -----------------------------------------------------------------------------
_GEONAMES_RE = re.compile(r"^https?://(?:sws\.|www\.)?geonames\.org/(\d+)(?:/.*)?$")
_GEOCODING_HTTPS = "https://dcat-ap.de/def/politicalGeocoding/"


def place_uri(uri: str) -> str:
    """A place URI in its current spelling: GeoNames' ``https://sws.geonames.org/<id>/`` (the
    "about" page and older hosts name the same feature), political geocoding under ``http://``
    (its namespace, whatever scheme the source used)."""
    found = _GEONAMES_RE.match(uri)
    if found:
        return f"https://sws.geonames.org/{found.group(1)}/"
    if uri.startswith(_GEOCODING_HTTPS):
        return cl.GEOCODING + uri[len(_GEOCODING_HTTPS):]
    return uri


def parse_extent(reader: Reader, dataset_dict: Dict) -> None:
    """The first readable geometry of a dct:Location: locn:geometry, else dcat:bbox, else dcat:centroid
    (WKT, GeoJSON or GML) becomes ``spatial``; an unreadable one is a note, never a broken extent."""
    places = [node for node in reader.objects(reader.ref, DCT.spatial) if not isinstance(node, Literal)]
    literals = []
    for predicate in (LOCN.geometry, DCAT.bbox, DCAT.centroid):
        for node in places:
            for value in reader.objects(node, predicate):
                if isinstance(value, Literal):  # DCAT-AP 2.x: the literal itself
                    literals.append(value)
                else:  # DCAT-AP 3.0: a locn:Geometry node with GeoSPARQL's serialisations
                    literals += [v for p in (GSP.asWKT, GSP.asGeoJSON, GSP.asGML)
                                 for v in reader.objects(value, p) if isinstance(v, Literal)]
    dataset_dict["extras"] = [e for e in dataset_dict.get("extras", []) if e["key"] != "spatial"]
    dataset_dict.pop("spatial", None)
    problems = []
    for literal in literals:
        try:
            dataset_dict["spatial"] = extent.normalise(extent.from_any(str(literal)))
            return
        except extent.ExtentError as error:
            problems.append(str(error).split(" / ")[0])
    if problems:
        reader.notes.append(f"Die Geometrie der Quelle wurde nicht übernommen ({problems[0]}); "
                            "bitte die räumliche Ausdehnung prüfen.")


def parse_spatial(reader: Reader, dataset_dict: Dict) -> None:
    """dct:spatial (URI, dct:Location with names, literal) and political geocoding as coverage."""
    coverage: list[Dict] = []
    uris: set[str] = set()
    parse_extent(reader, dataset_dict)
    for node in reader.objects(reader.ref, DCT.spatial):
        entry: Dict = {}
        if isinstance(node, Literal):
            entry["text"] = str(node)
        else:
            if isinstance(node, URIRef):
                entry["uri"] = place_uri(str(node))
                uris.add(entry["uri"])
            names = reader.label(node, SKOS.prefLabel, RDFS.label, LOCN.geographicName,
                                 LOCN.adminUnitL2, LOCN.adminUnitL1)
            if names:
                entry["text"] = ", ".join(names)
        if entry:
            coverage.append(entry)
    for node in reader.dcatde("politicalGeocodingURI"):
        if isinstance(node, URIRef) and place_uri(str(node)) not in uris:
            coverage.append({"uri": place_uri(str(node))})
            uris.add(place_uri(str(node)))
    if coverage:
        dataset_dict["spatial_coverage"] = coverage
    dataset_dict["extras"] = [e for e in dataset_dict.get("extras", [])
                              if e["key"] not in ("spatial_uri", "spatial_text")]


# -- publisher --------------------------------------------------------------------------
def parse_publisher(reader: Reader, dataset_dict: Dict) -> None:
    """A publisher given as a plain name is kept as that name; empty agents are dropped."""
    agents = [p for p in dataset_dict.get("publisher") or [] if isinstance(p, dict) and any(p.values())]
    for node in reader.objects(reader.ref, DCT.publisher):
        if isinstance(node, Literal) and str(node).strip():
            agents.append({"name": " ".join(str(node).split())})
        elif not isinstance(node, Literal) and not any(a.get("uri") == str(node) and a.get("name") for a in agents):
            names = reader.label(node, FOAF.name, SKOS.prefLabel, RDFS.label)
            for agent in agents:
                if agent.get("uri") == str(node) and not agent.get("name") and names:
                    agent["name"] = names[0]
    agents = [{k: v for k, v in a.items() if v not in ("", None)} for a in agents]
    if agents:
        dataset_dict["publisher"] = agents
    else:
        dataset_dict.pop("publisher", None)


# -- frequency and themes ---------------------------------------------------------------
def parse_frequency(reader: Reader, dataset_dict: Dict, known: set[str]) -> None:
    value = dataset_dict.get("frequency")
    if not value:
        return
    mapped = cl.frequency_uri(str(value), known)
    if mapped:
        dataset_dict["frequency"] = mapped
        return
    dataset_dict.pop("frequency")
    reader.notes.append(f"Aktualisierungsfrequenz „{str(value)[:200]}“ der Quelle ist nicht in der EU-Liste "
                        f"und wurde nicht übernommen.")


def parse_themes(reader: Reader, dataset_dict: Dict, known: set[str]) -> list[str]:
    """EU themes stay themes; any other theme becomes a keyword (its label, else its last path part)."""
    themes, tags = [], list(dataset_dict.get("tags") or [])
    have = {str(t.get("name")).casefold() for t in tags}
    for value in concept_ids(dataset_dict.get("theme")):
        uri = cl.expand(cl.DATA_THEME, value) or ""
        if uri in known:
            themes.append(uri)
            continue
        node = URIRef(value) if "://" in value else None
        names = reader.label(node, SKOS.prefLabel, RDFS.label, DCT.title) if node is not None else []
        keyword = concepts.keyword(names[0] if names else value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])
        if len(keyword) >= 2 and keyword.casefold() not in have:
            tags.append({"name": keyword})
            have.add(keyword.casefold())
    dataset_dict["theme"] = list(dict.fromkeys(themes))
    dataset_dict["tags"] = tags
    return dataset_dict["theme"]


def add_notes(reader: Reader, dataset_dict: Dict) -> None:
    if reader.notes:
        earlier = dataset_dict.get(WARNINGS_FIELD) or ""
        dataset_dict[WARNINGS_FIELD] = "\n".join(dict.fromkeys([n for n in earlier.split("\n") if n] + reader.notes))
