"""RDF profile ``hamm_dcat_ap_de``: DCAT-AP.de 3.0 on top of ckanext-dcat's ``euro_dcat_ap_3``.

Stack it after ``euro_dcat_ap_3`` (``ckanext.dcat.rdf.profiles = euro_dcat_ap_3
hamm_dcat_ap_de``). The base profile writes the DCAT-AP core; this one turns CKAN's short
values into the URIs GovData's SHACL shapes expect, adds what DCAT-AP.de asks for
(political geocoding, licences on every distribution, attribution text, a typed
publisher) and writes Hamm's own dimensions twice: as plain keywords any harvester keeps,
and as SKOS concepts that our parser turns back into fields.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Iterable, Optional

import ckan.plugins.toolkit as tk
from rdflib import XSD, BNode, Literal, Namespace, URIRef
from rdflib.namespace import PROV as RDF_PROV
from rdflib.term import Node

from ckanext.dcat import profiles as dcat_profiles
from ckanext.dcat.profiles import CleanedURIRef, RDFProfile
from ckanext.dcat.utils import catalog_uri
from ckanext.hamm import config as hamm_config
from ckanext.hamm.dataset import extent
from ckanext.hamm.dataset.links import is_link
from ckanext.hamm.profiles import concepts, parsing
from ckanext.hamm.profiles.namespaces import DCATDE as DCATDE_NAMESPACE
from ckanext.hamm.profiles.namespaces import Terms
from ckanext.hamm.vocabularies import codelists as cl
from ckanext.hamm.vocabularies import store as vocabulary

# ckanext-dcat's namespaces, with each term made once (see Terms)
DCAT, DCATAP, DCT, FOAF, RDF, RDFS, SKOS, VCARD, DCATDE = (Terms(namespace) for namespace in (
    dcat_profiles.DCAT, dcat_profiles.DCATAP, dcat_profiles.DCT, dcat_profiles.FOAF, dcat_profiles.RDF,
    dcat_profiles.RDFS, dcat_profiles.SKOS, dcat_profiles.VCARD, DCATDE_NAMESPACE))
SPDX, ADMS, PROV = (Terms(ns) for ns in (dcat_profiles.SPDX, dcat_profiles.ADMS, Namespace(str(RDF_PROV))))
LOCN, GSP = (Terms(ns) for ns in (dcat_profiles.LOCN, dcat_profiles.GSP))

Dict = dict[str, Any]
LOCAL_AUTHORITY = URIRef(cl.PUBLISHER_TYPE + "LocalAuthority")
GERMAN = URIRef(cl.LANGUAGE + "DEU")

# Per graph: shared nodes (licences, formats, concepts, the publisher …) already described.
# A catalogue page names the same licence or concept a hundred times; re-adding its
# description each time cost a third of this profile's time. The notes are kept on the
# graph object itself (a weak-keyed map hashed and compared graphs on every lookup), so
# they die with their page.
_NOTES = "_hamm_described"
_NOT_LOADED = object()


def _notes(graph: Any) -> dict[Any, Any]:
    notes = graph.__dict__.get(_NOTES)
    if notes is None:
        notes = graph.__dict__[_NOTES] = {}
    return notes


# The SEMIC DCAT-AP 3.0 shapes accept only algorithm IRIs under https://spdx.org/rdf/terms
# (the SPDX namespace itself is http://); typed spdx:ChecksumAlgorithm, GovData's shapes
# accept them too.
SPDX_ALGORITHM = "https://spdx.org/rdf/terms#checksumAlgorithm_"
_HEX_LENGTHS = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
_HEX = re.compile(r"^[0-9a-f]+$")


def checksum(value: Any, algorithm: Any = None) -> Optional[tuple[str, str]]:
    """(SPDX algorithm name, lower-case hex value) of a stored hash, None if its form is unknown.

    Read from an ``algo:value`` prefix, a ``hash_algorithm`` (name or SPDX IRI), or the
    length of a bare hex digest (32 = md5, 40 = sha1, 64 = sha256, 128 = sha512).
    """
    text = str(value or "").strip().lower()
    named = str(algorithm or "").strip().lower().rsplit("checksumalgorithm_", 1)[-1]
    if ":" in text:
        named, text = text.split(":", 1)
    named = named.replace("-", "")
    if not _HEX.match(text) or len(text) not in _HEX_LENGTHS:
        return None
    if named and named != _HEX_LENGTHS[len(text)]:
        return None  # a name that does not fit the digest's length is not to be trusted
    return _HEX_LENGTHS[len(text)], text


@functools.lru_cache(maxsize=1024)
def _concept_terms(uri: str, keyword: str) -> tuple[URIRef, Literal]:
    """A concept's node and German keyword (building rdflib terms is not free; pages repeat them)."""
    return URIRef(uri), Literal(keyword, lang="de")



class HammDCATAPDEProfile(RDFProfile):
    """DCAT-AP.de 3.0 for the City of Hamm (parse and serialise)."""

    def __init__(self, graph: Any, dataset_type: str = "dataset", compatibility_mode: bool = False) -> None:
        # Unlike the base constructor, do not fetch the scheming schema here: ckanext-dcat
        # makes one profile per dataset (100 per catalogue page) and only parsing needs it.
        self.g = graph
        self.compatibility_mode = compatibility_mode
        self._dataset_type = dataset_type
        self._default_lang = hamm_config.default_locale()  # the portal's one rule: German unless set
        self._default_locale_lang = None
        self._schema: Any = _NOT_LOADED

    @property
    def _dataset_schema(self) -> Optional[Dict]:
        if self._schema is _NOT_LOADED:
            try:
                self._schema = tk.get_action("scheming_dataset_schema_show")({}, {"type": self._dataset_type})
            except KeyError:  # ckanext-scheming not loaded
                self._schema = None
        return self._schema

    @property
    def _form_languages(self) -> Optional[list[str]]:
        return (self._dataset_schema or {}).get("form_languages")

    # ------------------------------------------------------------------ parse
    def parse_dataset(self, dataset_dict: Dict, dataset_ref: Node) -> Dict:
        reader = parsing.Reader(self.g, dataset_ref)
        parsing.parse_spatial(reader, dataset_dict)
        parsing.parse_publisher(reader, dataset_dict)
        parsing.parse_licences(reader, dataset_dict)
        self._parse_formats(reader, dataset_dict)
        parsing.parse_frequency(reader, dataset_dict, set(vocabulary.eu_uris("frequency")))
        themes = parsing.parse_themes(reader, dataset_dict, set(vocabulary.eu_uris("data-theme")))
        self._parse_concepts(dataset_dict, dataset_ref)
        self._suggest_handlungsfeld(dataset_dict, themes)
        if self._schema_field(parsing.WARNINGS_FIELD):
            parsing.add_notes(reader, dataset_dict)
        return dataset_dict

    def _parse_formats(self, reader: parsing.Reader, dataset_dict: Dict) -> None:
        for resource in dataset_dict.get("resources", []):
            fmt = self._object(reader.distribution(resource), DCT["format"])
            if isinstance(fmt, URIRef) and str(fmt).startswith(cl.FILE_TYPE):
                resource["format"] = cl.format_label(str(fmt))
            if resource.get("mimetype"):
                resource["mimetype"] = cl.media_type(resource["mimetype"])

    def _suggest_handlungsfeld(self, dataset_dict: Dict, themes: list[str]) -> None:
        """As for RVR: the EU theme suggests a Handlungsfeld (rvr_mapping.yaml); staff decide."""
        if dataset_dict.get("handlungsfeld") or not self._schema_field("handlungsfeld"):
            return
        from ckanext.hamm.harvesters import runtime

        table = runtime.rules().handlungsfeld
        suggested = [table[t.rsplit("/", 1)[-1].lower()] for t in themes if t.rsplit("/", 1)[-1].lower() in table]
        if suggested:
            dataset_dict["handlungsfeld"] = list(dict.fromkeys(suggested))

    def _parse_concepts(self, dataset_dict: Dict, dataset_ref: Node) -> None:
        """Hamm concepts (dct:subject) back into fields; their keyword copies leave the tags."""
        labels: set[str] = set()
        subjects = [s for s in self.g.objects(dataset_ref, DCT.subject) if isinstance(s, URIRef)]
        for field_name, vocabulary_id in concepts.FIELDS.items():
            scheme = concepts.scheme(vocabulary_id)
            if scheme is None:
                continue
            found = [c for c in (scheme.by_uri(str(s)) for s in subjects) if c]
            if not found:
                continue
            labels.update(concepts.keyword(label) for c in found for label in c.labels.values())
            if self._schema_field(field_name):
                dataset_dict[field_name] = [c.id for c in found]
        if labels and dataset_dict.get("tags"):
            dataset_dict["tags"] = [t for t in dataset_dict["tags"] if t["name"] not in labels]

    # -------------------------------------------------------------- serialise
    def graph_from_dataset(self, dataset_dict: Dict, dataset_ref: Node) -> None:
        if self._first_time("dcatde prefix"):
            self.g.bind("dcatde", DCATDE_NAMESPACE)
        resources = self._resources(dataset_dict, dataset_ref)
        self._graph_spatial(dataset_dict, dataset_ref)
        self._graph_publisher(dataset_dict, dataset_ref)
        self._graph_contact(dataset_ref)
        self._graph_licences(dataset_dict, dataset_ref, resources)
        self._graph_themes(dataset_ref)
        self._graph_formats(resources)
        self._graph_availability(resources)
        self._graph_checksums(resources)
        self._graph_frequency(dataset_ref)
        self._graph_language(dataset_ref)
        self._graph_landing_page(dataset_dict, dataset_ref)
        self._graph_contributor(dataset_ref)
        self._graph_concepts(dataset_dict, dataset_ref)
        self._graph_provenance(dataset_dict, dataset_ref)

    def graph_from_catalog(self, catalog_dict: Optional[Dict], catalog_ref: Node) -> None:
        self.g.bind("dcatde", DCATDE_NAMESPACE)
        self._add_publisher(catalog_ref)
        # ckanext-dcat writes the locale ("de") as a literal; DCAT-AP wants the EU language URI
        self.g.remove((catalog_ref, DCT.language, None))
        self._add_typed(catalog_ref, DCT.language, GERMAN, DCT.LinguisticSystem)
        themes = URIRef(cl.DATA_THEME[:-1])
        self._add_typed(catalog_ref, DCAT.themeTaxonomy, themes, SKOS.ConceptScheme)
        self.g.add((themes, DCT.title, Literal("Data theme", lang="en")))
        if not any(self.g.objects(catalog_ref, DCT.description)):
            # mandatory in DCAT-AP; sites without ckan.site_description still get one
            self.g.add((catalog_ref, DCT.description,
                        Literal(f"Offene Daten: {hamm_config.dcat_publisher_name()}", lang="de")))
        self._add_hamm_location(catalog_ref)
        for homepage in self.g.objects(catalog_ref, FOAF.homepage):
            self.g.add((homepage, RDF.type, FOAF.Document))

    def _first_time(self, key: Any) -> bool:
        """True once per graph for ``key``: describe a shared node only the first time."""
        notes = _notes(self.g)
        if key in notes:
            return False
        notes[key] = True
        return True

    def _add_typed(self, subject: Node, predicate: URIRef, obj: Node, rdf_class: URIRef) -> None:
        self.g.add((subject, predicate, obj))
        if self._first_time((obj, rdf_class)):
            self.g.add((obj, RDF.type, rdf_class))

    def _set_typed(self, subject: Node, predicate: URIRef, obj: Optional[Node], rdf_class: URIRef) -> None:
        """Make ``obj`` the only value of ``predicate`` (none if ``obj`` is None).

        The base profile has often written the same value already; reading is cheaper
        than removing and adding it again.
        """
        current = list(self.g.objects(subject, predicate))
        if current != ([obj] if obj is not None else []):
            self.g.remove((subject, predicate, None))
            if obj is not None:
                self.g.add((subject, predicate, obj))
        if obj is not None and self._first_time((obj, rdf_class)):
            self.g.add((obj, RDF.type, rdf_class))

    def _hamm_geocoding_uri(self) -> URIRef:
        notes = _notes(self.g)
        if "geocoding" not in notes:
            notes["geocoding"] = URIRef(f"{cl.GEOCODING}municipalityKey/{hamm_config.dcat_municipality_key()}")
        return notes["geocoding"]

    def _add_hamm_location(self, subject: Node) -> None:
        self._add_typed(subject, DCT.spatial, self._hamm_geocoding_uri(), DCT.Location)

    def _graph_spatial(self, dataset_dict: Dict, dataset_ref: Node) -> None:
        """Political geocoding (2.0 consumers) mirrored by dct:spatial → dct:Location (3.0),
        and the extent as a Location of its own with geometry, bbox and centroid."""
        geocodings = [URIRef(u) for u in self._spatial_uris(dataset_dict)
                      if u.startswith(cl.GEOCODING)]
        places = [o for o in self.g.objects(dataset_ref, DCT.spatial) if not any(self.g.objects(o, LOCN.geometry))]
        if not geocodings and not places:
            geocodings = [self._hamm_geocoding_uri()]
        self._graph_extent(dataset_dict, dataset_ref)
        for uri in geocodings:
            self._add_typed(dataset_ref, DCT.spatial, uri, DCT.Location)
            self.g.add((dataset_ref, DCATDE.politicalGeocodingURI, uri))
            level = cl.geocoding_level(str(uri))
            if level:
                self.g.add((dataset_ref, DCATDE.politicalGeocodingLevelURI, URIRef(level)))

    def _graph_extent(self, dataset_dict: Dict, dataset_ref: Node) -> None:
        """``spatial`` on one dct:Location: locn:geometry as a locn:Geometry node with GeoSPARQL's
        WKT and GeoJSON (DCAT-AP 3.0 wants one node, not ckanext-dcat's two literals), dcat:bbox and
        dcat:centroid as WKT literals. An unreadable value is left out."""
        try:
            value = extent.normalise(dataset_dict.get("spatial")) if dataset_dict.get("spatial") else None
        except extent.ExtentError:
            value = None
        for node in [o for o in self.g.objects(dataset_ref, DCT.spatial) if any(self.g.objects(o, LOCN.geometry))]:
            self.g.remove((node, LOCN.geometry, None))
            if not isinstance(node, URIRef) and not any(p != RDF.type for p in self.g.predicates(node)):
                self.g.remove((dataset_ref, DCT.spatial, node))
                self.g.remove((node, None, None))
        if value is None:
            return
        location, geometry = BNode(), BNode()
        self.g.add((dataset_ref, DCT.spatial, location))
        self.g.add((location, RDF.type, DCT.Location))
        self.g.add((location, LOCN.geometry, geometry))
        self.g.add((geometry, RDF.type, LOCN.Geometry))
        self.g.add((geometry, GSP.asWKT, Literal(extent.to_wkt(value), datatype=GSP.wktLiteral)))
        self.g.add((geometry, GSP.asGeoJSON, Literal(value, datatype=GSP.geoJSONLiteral)))
        self.g.add((location, DCAT.bbox, Literal(extent.bbox_wkt(value), datatype=GSP.wktLiteral)))
        self.g.add((location, DCAT.centroid, Literal(extent.centroid_wkt(value), datatype=GSP.wktLiteral)))

    @staticmethod
    def _spatial_uris(dataset_dict: Dict) -> Iterable[str]:
        coverage = dataset_dict.get("spatial_coverage")
        if isinstance(coverage, list):
            return [item["uri"] for item in coverage if isinstance(item, dict) and item.get("uri")]
        return []

    def _graph_publisher(self, dataset_dict: Dict, dataset_ref: Node) -> None:
        """The legally publishing body: the dataset's publisher, else the configured city."""
        if not dataset_dict.get("publisher"):
            # ckanext-dcat falls back to the organisation (a department); GovData wants the city
            for agent in list(self.g.objects(dataset_ref, DCT.publisher)):
                self.g.remove((dataset_ref, DCT.publisher, agent))
                self.g.remove((agent, None, None))
            self._add_publisher(dataset_ref)
            return
        for agent in self.g.objects(dataset_ref, DCT.publisher):
            self.g.add((agent, RDF.type, FOAF.Agent))
            if not any(self.g.objects(agent, DCT.type)):
                self.g.add((agent, DCT.type, LOCAL_AUTHORITY))

    def _add_publisher(self, subject: Node) -> None:
        """The city as publisher, described once per graph (a catalogue page names it 100 times)."""
        notes = _notes(self.g)
        shared = notes.get("publisher")
        if shared is None:
            shared = notes["publisher"] = self._describe_publisher()
        self.g.add((subject, DCT.publisher, shared))

    def _describe_publisher(self) -> Node:
        name = Literal(hamm_config.dcat_publisher_name())
        uri = hamm_config.dcat_publisher_uri()
        agent = CleanedURIRef(uri) if uri else next(
            (a for a in self.g.subjects(FOAF.name, name)
             if (a, DCT.type, LOCAL_AUTHORITY) in self.g and isinstance(a, BNode)), None) or BNode()
        self.g.add((agent, RDF.type, FOAF.Agent))
        self.g.add((agent, FOAF.name, name))
        self.g.add((agent, DCT.type, LOCAL_AUTHORITY))
        return agent

    def _graph_contact(self, dataset_ref: Node) -> None:
        """vCard contact typed as an organisation (DCAT-AP.de asks for vcard:Kind subclasses).

        A contact with only a name cannot be reached, and DCAT-AP.de 3.0 rejects it (e-mail, URL
        or telephone required): it is left out of the RDF, where it is optional, rather than
        completed with an address nobody gave.
        """
        for contact in list(self.g.objects(dataset_ref, DCAT.contactPoint)):
            if not any(True for p in (VCARD.hasEmail, VCARD.hasURL, VCARD.hasTelephone)
                       for _ in self.g.objects(contact, p)):
                self.g.remove((dataset_ref, DCAT.contactPoint, contact))
                self.g.remove((contact, None, None))
                continue
            self.g.add((contact, RDF.type, VCARD.Organization))

    def _graph_licences(self, dataset_dict: Dict, dataset_ref: Node,
                        resources: list[tuple[Dict, URIRef]]) -> None:
        """dcat-ap.de licence on the dataset and on every distribution, plus attribution."""
        dataset_licence = cl.licence_uri(dataset_dict.get("license_id"))
        if dataset_licence:
            self._add_typed(dataset_ref, DCT.license, URIRef(dataset_licence), DCT.LicenseDocument)
        attribution = self._attribution_text(dataset_dict)
        for resource, distribution in resources:
            licence = cl.licence_uri(resource.get("license")) or dataset_licence
            self._set_typed(distribution, DCT.license, URIRef(licence) if licence else None, DCT.LicenseDocument)
            if licence and cl.needs_attribution(licence) and attribution:
                text = f"© {attribution}, ODbL" if cl.licence_code(licence) == "odbl" else attribution
                self.g.add((distribution, DCATDE.licenseAttributionByText, Literal(text)))

    def _attribution_text(self, dataset_dict: Dict) -> str:
        """Who must be named: the publisher; for a harvested copy the source, not the city holding it."""
        publisher = dataset_dict.get("publisher")
        name = publisher[0].get("name") if isinstance(publisher, list) and publisher else None
        if dataset_dict.get("hamm_remote_id"):
            return name or dataset_dict.get("hamm_source_title") or hamm_config.dcat_publisher_name()
        name = name or hamm_config.dcat_publisher_name()
        organization = (dataset_dict.get("organization") or {}).get("title")
        return f"{name}, {organization}" if organization and organization != name else name

    def _graph_provenance(self, dataset_dict: Dict, dataset_ref: Node) -> None:
        """A harvested copy names its original, so catalogues that harvest both can match them.

        ``prov:wasDerivedFrom`` the original's page at the source, and its id there as
        ``adms:identifier`` (dct:identifier stays ours: GovData de-duplicates on it).
        """
        original = dataset_dict.get("hamm_source_url")
        remote_id = dataset_dict.get("hamm_remote_id")
        if not remote_id:
            return
        if is_link(original):
            self._add_typed(dataset_ref, PROV.wasDerivedFrom, URIRef(str(original)), RDFS.Resource)
        identifier = BNode()
        self.g.add((dataset_ref, ADMS.identifier, identifier))
        self.g.add((identifier, RDF.type, ADMS.Identifier))
        self.g.add((identifier, SKOS.notation, Literal(remote_id)))
        if dataset_dict.get("hamm_source_title"):
            self.g.add((identifier, ADMS.schemaAgency, Literal(dataset_dict["hamm_source_title"])))

    def _resources(self, dataset_dict: Dict, dataset_ref: Node) -> list[tuple[Dict, URIRef]]:
        """Each resource with the node the base profile wrote for it.

        Usually the plain URI is that node; cleaning it again (ckanext-dcat quotes it
        character by character) is only needed when it is not.
        """
        from ckanext.dcat.utils import resource_uri

        written = set(self.g.objects(dataset_ref, DCAT.distribution))
        pairs = []
        for resource in dataset_dict.get("resources", []):
            uri = resource_uri(resource)
            ref = URIRef(uri)
            pairs.append((resource, ref if ref in written else CleanedURIRef(uri)))
        return pairs

    def _graph_themes(self, dataset_ref: Node) -> None:
        for theme in list(self.g.objects(dataset_ref, DCAT.theme)):
            expanded = cl.expand(cl.DATA_THEME, str(theme))
            if expanded != str(theme):
                self.g.remove((dataset_ref, DCAT.theme, theme))
            if expanded:
                self._add_typed(dataset_ref, DCAT.theme, URIRef(expanded), SKOS.Concept)

    def _graph_formats(self, resources: list[tuple[Dict, URIRef]]) -> None:
        """dct:format from the EU file types, dcat:mediaType as IANA URI, typed URLs."""
        for resource, distribution in resources:
            # the SEMIC shapes check classes without inference: type the URLs too
            for predicate in (DCAT.accessURL, DCAT.downloadURL):
                for url in list(self.g.objects(distribution, predicate)):
                    if not is_link(url):  # javascript:/data: stored before the check
                        self.g.remove((distribution, predicate, url))
                        continue
                    self.g.add((url, RDF.type, RDFS.Resource))
            fmt = resource.get("format")
            file_type = cl.file_type_uri(fmt)
            self._set_typed(distribution, DCT["format"], URIRef(file_type) if file_type else None,
                            DCT.MediaTypeOrExtent)
            mimetype = resource.get("mimetype") or (fmt if fmt and "/" in fmt else None)
            media = cl.media_type_uri(mimetype or cl.guess_mimetype(fmt))
            self._set_typed(distribution, DCAT.mediaType, URIRef(media) if media else None, DCT.MediaType)

    def _graph_availability(self, resources: list[tuple[Dict, URIRef]]) -> None:
        for resource, distribution in resources:
            uri = cl.expand(cl.AVAILABILITY, resource.get("availability"))
            self._set_typed(distribution, DCATAP.availability, URIRef(uri) if uri else None, SKOS.Concept)

    def _graph_checksums(self, resources: list[tuple[Dict, URIRef]]) -> None:
        """A checksum only with its algorithm (DCAT-AP 3 requires one), or none at all.

        ckanext-xloader stores the MD5 of a loaded file in ``hash`` without saying so; the
        algorithm follows from the hash's form (see ``checksum``).
        """
        for resource, distribution in resources:
            for node in list(self.g.objects(distribution, SPDX.checksum)):
                self.g.remove((distribution, SPDX.checksum, node))
                self.g.remove((node, None, None))
            known = checksum(resource.get("hash"), resource.get("hash_algorithm"))
            if known is None:
                continue
            algorithm, value = known
            node = BNode()
            self.g.add((distribution, SPDX.checksum, node))
            self.g.add((node, RDF.type, SPDX.Checksum))
            self.g.add((node, SPDX.checksumValue, Literal(value, datatype=XSD.hexBinary)))
            self._add_typed(node, SPDX.algorithm, URIRef(SPDX_ALGORITHM + algorithm), SPDX.ChecksumAlgorithm)

    def _graph_frequency(self, dataset_ref: Node) -> None:
        for value in list(self.g.objects(dataset_ref, DCT.accrualPeriodicity)):
            expanded = cl.expand(cl.FREQUENCY, str(value))
            if expanded == str(value) and isinstance(value, URIRef):
                self._add_typed(dataset_ref, DCT.accrualPeriodicity, value, DCT.Frequency)
                continue
            self.g.remove((dataset_ref, DCT.accrualPeriodicity, value))
            if expanded:
                self._add_typed(dataset_ref, DCT.accrualPeriodicity, URIRef(expanded), DCT.Frequency)

    def _graph_language(self, dataset_ref: Node) -> None:
        if not any(self.g.objects(dataset_ref, DCT.language)):
            self._add_typed(dataset_ref, DCT.language, GERMAN, DCT.LinguisticSystem)

    def _graph_landing_page(self, dataset_dict: Dict, dataset_ref: Node) -> None:
        """Without an own landing page the portal page is the one humans should see."""
        if not any(self.g.objects(dataset_ref, DCAT.landingPage)) and dataset_dict.get("name"):
            notes = _notes(self.g)
            if "site" not in notes:
                notes["site"] = catalog_uri().rstrip("/")
            page = URIRef(f"{notes['site']}/dataset/{dataset_dict['name']}")
            self._add_typed(dataset_ref, DCAT.landingPage, page, FOAF.Document)

    def _graph_contributor(self, dataset_ref: Node) -> None:
        contributor = hamm_config.dcat_contributor_id()
        if contributor:
            self.g.add((dataset_ref, DCATDE.contributorID, URIRef(contributor)))

    def _graph_concepts(self, dataset_dict: Dict, dataset_ref: Node) -> None:
        """Keywords for every harvester, SKOS concepts for consumers that know Hamm's schemes."""
        for field_name, vocabulary_id in concepts.FIELDS.items():
            ids = dataset_dict.get(field_name)
            if not ids:
                continue
            scheme = concepts.scheme(vocabulary_id)
            if scheme is None:
                continue
            scheme_ref = URIRef(scheme.uri)
            for concept_id in ids if isinstance(ids, list) else [ids]:
                concept = scheme.by_id(concept_id)
                if concept is None:
                    continue
                ref, keyword = _concept_terms(concept.uri, concept.keyword("de"))
                self.g.add((dataset_ref, DCAT.keyword, keyword))
                self._add_typed(dataset_ref, DCT.subject, ref, SKOS.Concept)
                if self._first_time(("concept", ref)):
                    self._add_typed(ref, SKOS.inScheme, scheme_ref, SKOS.ConceptScheme)
                    for lang, label in concept.labels.items():
                        self.g.add((ref, SKOS.prefLabel, Literal(label, lang=lang)))
                if self._first_time(("scheme", scheme_ref)):
                    for lang, label in scheme.labels.items():
                        self.g.add((scheme_ref, DCT.title, Literal(label, lang=lang)))
