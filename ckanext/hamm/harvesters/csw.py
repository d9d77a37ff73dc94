"""The city's geoportal (CSW 2.0.2, ISO 19139) through ckanext-spatial's CSW harvester.

ckanext-spatial does the work it is good at: the gather/fetch/import stages, the ISO
19139 parser (``harvested_metadata.ISODocument``) and its mapping to CKAN fields with
the ``spatial`` extent. Two things change for Hamm:

* every request goes through the portal's URL policy and bounded client
  (``net/``: allowed hosts, no private addresses, checked redirects, size and time
  limits) instead of OWSLib's own HTTP; a reply that is not a CSW document (an HTML
  page, broken XML) is an error of that request;
* the dataset dict is mapped to the Hamm schema (``map_to_schema``): the licence from
  GDI-DE's JSON convention, the extent, contact and publisher, the owning department
  and the Handlungsfeld from the source configuration, WMS/WFS links as resources.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Iterator, Optional
from urllib.parse import urlencode, urlsplit, urlunsplit

from lxml import etree

from ckanext.hamm.dataset import extent
from ckanext.hamm.dataset.defaults import city_publisher
from ckanext.hamm.net.errors import HammContentError
from ckanext.hamm.patches.singleton import OwnInstance
from ckanext.spatial.harvesters.csw import CSWHarvester

from . import runtime

log = logging.getLogger(__name__)

CSW_TYPE = "hamm_csw"
NS = {"csw": "http://www.opengis.net/cat/csw/2.0.2", "gmd": "http://www.isotc211.org/2005/gmd",
      "gco": "http://www.isotc211.org/2005/gco", "ows": "http://www.opengis.net/ows"}
GMD = NS["gmd"]
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
SERVICE_FORMATS = ("WMS", "WFS", "WMTS")


class PolicyCswClient:
    """The two requests of ckanext-spatial's CSW harvester (``getidentifiers``, ``getrecordbyid``)."""

    def __init__(self, url: str, client: Any = None):
        parts = urlsplit(url)
        self.endpoint = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        self.client = client or runtime.client()

    def _get(self, **params: Any) -> Any:
        query = urlencode({"service": "CSW", "version": "2.0.2", **params})
        response = self.client.get(f"{self.endpoint}?{query}", accept="application/xml")
        try:
            root = etree.fromstring(response.body, parser=_PARSER)
        except etree.XMLSyntaxError:
            root = None
        if root is None or etree.QName(root).namespace not in (NS["csw"], NS["ows"]):
            raise HammContentError(
                f"Die Antwort von {self.endpoint} ist kein CSW-Dokument (z. B. eine HTML-Seite oder kaputtes XML).",
                f"The answer of {self.endpoint} is no CSW document (e.g. an HTML page or broken XML).")
        if etree.QName(root).localname == "ExceptionReport":
            text = " ".join(root.itertext()).strip()[:300]
            raise HammContentError(f"Der CSW-Server meldet einen Fehler: {text}", f"The CSW server reports: {text}")
        return root

    def getidentifiers(self, page: int = 10, outputschema: str = "gmd", cql: Optional[str] = None,
                       **_: Any) -> Iterator[Optional[str]]:
        start = 1
        while True:
            params: dict[str, Any] = {"request": "GetRecords", "typeNames": "csw:Record", "resultType": "results",
                                      "elementSetName": "brief", "outputSchema": GMD, "startPosition": start,
                                      "maxRecords": page}
            if cql:
                params.update(constraintLanguage="CQL_TEXT", constraint_language_version="1.1.0", constraint=cql)
            results = self._get(**params).find("csw:SearchResults", NS)
            if results is None:
                raise HammContentError("Die CSW-Antwort enthält keine Suchergebnisse.",
                                       "The CSW answer holds no search results.")
            records = results.findall("gmd:MD_Metadata", NS)
            for record in records:
                identifier = record.findtext("gmd:fileIdentifier/gco:CharacterString", namespaces=NS)
                yield identifier.strip() if identifier and identifier.strip() else None
            matched = int(results.get("numberOfRecordsMatched") or 0)
            following = int(results.get("nextRecord") or 0)
            if not records or following <= start or following == 0 or following > matched:
                return
            start = following

    def getrecordbyid(self, ids: list[str], outputschema: str = "gmd", **_: Any) -> Optional[dict[str, str]]:
        root = self._get(request="GetRecordById", id=ids[0], elementSetName="full", outputSchema=GMD)
        record = root.find("gmd:MD_Metadata", NS)
        if record is None:
            return None
        return {"xml": etree.tostring(record, encoding=str)}


def licence_from_constraints(constraints: list[str]) -> Optional[str]:
    """The dcat-ap.de licence code of GDI-DE's JSON convention (``{"id": "dl-by-de/2.0", …}``)."""
    for text in constraints:
        text = text.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError:
                continue
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                return value["id"]
    return None


def _service_format(resource: dict[str, Any]) -> Optional[str]:
    said = " ".join(str(resource.get(k) or "") for k in ("resource_locator_protocol", "format", "url")).upper()
    return next((kind for kind in SERVICE_FORMATS if kind in said), None)


def map_to_schema(package_dict: dict[str, Any], iso_values: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """ckanext-spatial's dataset dict in the Hamm schema (pure; the source config names the defaults)."""
    extras = {e["key"]: e["value"] for e in package_dict.get("extras", [])}
    mapped: dict[str, Any] = {k: v for k, v in package_dict.items() if k not in ("extras", "license_id")}
    mapped["hamm_remote_id"] = iso_values.get("guid") or extras.get("guid") or ""
    mapped["hamm_source_url"] = config.get("source_url", "")
    licence = licence_from_constraints(list(iso_values.get("use-constraints") or []) +
                                       list(iso_values.get("limitations-on-public-access") or []))
    mapped["license_id"] = licence or config.get("default_license_id", "")
    if extras.get("spatial"):
        try:
            mapped["spatial"] = extent.normalise(extras["spatial"])
        except extent.ExtentError:
            log.warning("CSW record %s: extent not usable", mapped["hamm_remote_id"])
    parties = iso_values.get("responsible-organisation") or []
    contact = [{"name": p.get("organisation-name") or p.get("individual-name") or "",
                "email": (p.get("contact-info") or {}).get("email") or ""} for p in parties if isinstance(p, dict)]
    contact = [c for c in contact if c["name"] or c["email"]]
    if contact:
        mapped["contact"] = contact[:1]
    mapped["publisher"] = [city_publisher()]
    for key in ("handlungsfeld", "zielgruppe"):
        if config.get(key):
            mapped[key] = list(config[key]) if isinstance(config[key], list) else [config[key]]
    seen: set[str] = set()  # a service names its address twice (distribution and operation)
    mapped["resources"] = [r for r in mapped.get("resources", [])
                           if not (r.get("url") in seen or seen.add(r.get("url")))]  # type: ignore[func-returns-value]
    for resource in mapped["resources"]:
        kind = _service_format(resource)
        if kind:
            resource["format"] = kind
        for key in [k for k in resource if k.startswith("resource_locator")]:
            resource.pop(key)
    return mapped


class HammCswHarvester(OwnInstance, CSWHarvester):
    """ckanext-spatial's CSW harvester with the portal's URL policy and the Hamm schema."""

    def info(self) -> dict[str, str]:
        return {"name": CSW_TYPE, "title": "Geoportal (CSW, ISO 19139)",
                "description": "Übernimmt Geodaten-Metadaten eines CSW-Katalogs (GDI-DE, INSPIRE).",
                "form_config_interface": "Text"}

    def _set_source_config(self, config_str: str) -> None:
        """ckanext-spatial's default profile (gmx.xsd) knows no service records: datasets and
        services are checked against their own ISO schemas unless the source names others."""
        super()._set_source_config(config_str)
        self.source_config.setdefault("validator_profiles", ["iso19139eden"])
        # ckanext-spatial 2.3.2 re-indexes an unchanged record without CKAN 2.11+'s
        # with_custom_schema (AssertionError); with ckanext.spatial.harvest.reindex_unchanged
        # = False in the ini as well, an unchanged record is skipped instead.
        self.source_config.setdefault("reindex_unchanged", "False")

    def _setup_csw_client(self, url: str) -> None:
        self.csw = PolicyCswClient(url)

    def get_package_dict(self, iso_values: dict[str, Any], harvest_object: Any) -> dict[str, Any]:
        package_dict = super().get_package_dict(iso_values, harvest_object)
        config = dict(self.source_config or {}, source_url=harvest_object.source.url)
        return map_to_schema(package_dict, iso_values, config)
