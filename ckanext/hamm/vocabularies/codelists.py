"""Controlled vocabularies of DCAT-AP.de as pure lookups (no DB, no network).

The profile serialises CKAN's short values (``CSV``, ``dl-by-de/2.0``, ``ENVI``) as the
URIs GovData's SHACL shapes demand and parses them back. Old forms that DCAT-AP.de 1.x
catalogues still publish are normalised here, so harvested records land on the current
codes.
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any

from ckan.lib.helpers import resource_formats

from ckanext.hamm.vocabularies.store import SCHEMAS

EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = EU_AUTHORITY + "file-type/"
DATA_THEME = EU_AUTHORITY + "data-theme/"
FREQUENCY = EU_AUTHORITY + "frequency/"
AVAILABILITY = EU_AUTHORITY + "planned-availability/"
LANGUAGE = EU_AUTHORITY + "language/"
IANA = "https://www.iana.org/assignments/media-types/"
LICENCES = "http://dcat-ap.de/def/licenses/"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"

# The quality score's view of formats: spellings grouped under one label, its IANA media type,
# machine-readable and non-proprietary ones (MQA: "from a vocabulary"). DCAT keeps the finer
# EU file-type codes below (XHTML stays XHTML there, it is HTML here).
MEDIA_TYPES: dict[str, str] = {
    "CSV": "text/csv", "TSV": "text/tab-separated-values", "JSON": "application/json",
    "GEOJSON": "application/geo+json", "JSONLD": "application/ld+json", "XML": "application/xml",
    "RDF": "application/rdf+xml", "TTL": "text/turtle", "XLSX":
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "XLS": "application/vnd.ms-excel", "ODS": "application/vnd.oasis.opendocument.spreadsheet",
    "GML": "application/gml+xml", "KML": "application/vnd.google-earth.kml+xml",
    "GPKG": "application/geopackage+sqlite3", "SHP": "application/x-shapefile",
    "PARQUET": "application/vnd.apache.parquet", "PDF": "application/pdf", "HTML": "text/html",
    "TXT": "text/plain", "ZIP": "application/zip", "PNG": "image/png", "JPEG": "image/jpeg",
    "DOCX": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "WMS": "application/vnd.ogc.wms_xml", "WFS": "application/vnd.ogc.wfs_xml",
}
MACHINE_READABLE = frozenset({"CSV", "TSV", "JSON", "GEOJSON", "JSONLD", "XML", "RDF", "TTL", "XLSX",
                              "XLS", "ODS", "GML", "KML", "GPKG", "SHP", "PARQUET", "WFS"})
NON_PROPRIETARY = frozenset({"CSV", "TSV", "JSON", "GEOJSON", "JSONLD", "XML", "RDF", "TTL", "ODS",
                             "GML", "KML", "GPKG", "PARQUET", "PDF", "HTML", "TXT", "PNG", "JPEG",
                             "WMS", "WFS"})
FORMAT_ALIASES = {"GEO+JSON": "GEOJSON", "JSON-LD": "JSONLD", "TURTLE": "TTL", "XHTML": "HTML",
                  "TEXT": "TXT", "JPG": "JPEG", "SHAPE": "SHP", "SHAPEFILE": "SHP", "EXCEL": "XLSX"}
OPEN_LICENSES = frozenset({"dl-by-de/2.0", "dl-zero-de/2.0", "cc-by/4.0", "cc-by", "cc-zero", "cc-by-sa/4.0",
                           "cc-by-sa", "odbl", "odc-odbl", "odc-by", "odc-pddl", "other-open", "other-pd",
                           "other-at", "gfdl"})


def normalise_format(value: Any) -> str:
    """``.csv``, ``text/csv``-like labels and aliases → ``CSV``."""
    text = str(value or "").strip().upper().lstrip(".")
    if "/" in text:
        by_type = {v.upper(): k for k, v in MEDIA_TYPES.items()}
        text = by_type.get(text, text.rsplit("/", 1)[-1])
    return FORMAT_ALIASES.get(text, text)


# Codes of the EU file-type authority table (derived from its SKOS file, 2024 release).
EU_FILE_TYPES = frozenset("""
7Z AAB AAC AKN4EU AKN4EU_LEG AKN4EU_ZIP APK APPX ARC ARCINFO_COV ARC_GZ ARFF ARJ ARROW_FILE
ARROW_STREAM ATOM AZW BIN BITS BMP BWF BZIP2 CSS CSV DAPK DBF DCR DEB DGN DMG DMP DOC DOCX
DTD_SGML DTD_XML DWCA DWG DXF E00 EAR ECW EFORMS_XML EPS EPUB ETSI_TSL ETSI_XML EXE FMX2 FMX3
FMX4 FMX4_ZIP GDB GEOJSON GEOTIFF GIF GML GMZ GPKG GPX GRID GRID_ASCII GTFS GZIP HDF HDT HTML
HTML5 HTML_SIMPL ICS IMMC_XML INDD IPA ISO ISO_ZIP JAR JATS JPEG JPEG2000 JS JSON JSON_LD KML
KMZ LAS LAZ LEG LEGALHTML LHA LPK LZIP LZMA LZO MAP_PRVW MAP_SRVC MARKDOWN MATHML MATLAB_MAT
MBOX MDB METS METS_ZIP MHTML MIF_MID MOBI MOP MOV MP3 MPEG2 MPEG4 MPEG4_AVC MRSID MSG_HTTP MSI
MXD N3 NETCDF OAPK OCTET ODB ODC ODF ODG ODP ODS ODT OP_DATPRO OVF OWL PARQUET PDF PDF1X PDFA1A
PDFA1B PDFA2A PDFA2B PDFA3 PDFA3A PDFA3B PDFA3U PDFUA PDFX PDFX1A PDFX2A PDFX4 PL PNG PPS PPSX
PPT PPTX PS PSD PWP QGS RAR RDATA RDF RDFA RDF_N_QUADS RDF_N_TRIPLES RDF_THRIFT RDF_TRIG
RDF_TRIX RDF_TURTLE RDF_XML REST RPM RSS RTF SAS SB3 SCH SCHEMA_XML SDMX SGML SHP SKOS_XML
SPARQLQ SPARQLQRES SPSS_SAV SQL STATA_DTA STL SVG SWM TAB TAB_RSTR TAR TAR_GZ TAR_XZ
THRIFT_BINARY THRIFT_COMPACT THRIFT_JSON TIFF TIFF_FX TMX TSV TXT UNGEN VCF WAR WARC WARC_GZ
WAV WCS_SRVC WEBP WFS_SRVC WIM WMS_SRVC WMTS_SRVC WORLD XHTML XHTML5 XHTML_SIMPL XLIFF XLS XLSB
XLSM XLSX XML XSLFO XSLT XYZ XZ YAML Z ZIP
""".split())

# CKAN format labels whose EU code is spelt differently (label -> code; reversed on parse).
_FORMAT_ALIASES = {
    "WMS": "WMS_SRVC", "WFS": "WFS_SRVC", "WCS": "WCS_SRVC", "WMTS": "WMTS_SRVC",
    "JSON-LD": "JSON_LD", "TTL": "RDF_TURTLE", "TURTLE": "RDF_TURTLE", "RDF/XML": "RDF_XML",
    "N-TRIPLES": "RDF_N_TRIPLES", "ESRI SHAPEFILE": "SHP", "SHAPEFILE": "SHP", "TAR.GZ": "TAR_GZ",
    "GEOTIFF": "GEOTIFF", "JPG": "JPEG", "TIF": "TIFF", "MD": "MARKDOWN", "API": "REST",
}
_CODE_LABELS = {"WMS_SRVC": "WMS", "WFS_SRVC": "WFS", "WCS_SRVC": "WCS", "WMTS_SRVC": "WMTS",
                "JSON_LD": "JSON-LD", "RDF_TURTLE": "TTL", "RDF_XML": "RDF", "GEOJSON": "GeoJSON"}

# Licences whose terms require naming the source (DCAT-AP.de K35).
_ATTRIBUTION = re.compile(r"^(dl-by|cc-by|odc-by|odby|odbl|geonutz|geoNutz)")

# Licence URIs other catalogues use for dcat-ap.de licences (besides the list's own URIs and
# the homepages it names): EU authority table, canonical licence deeds, CKAN's own ids.
_LICENCE_VARIANTS = {
    "creativecommons.org/publicdomain/zero/1.0": "cc-zero",
    "creativecommons.org/licenses/by/4.0": "cc-by/4.0",
    "creativecommons.org/licenses/by-sa/4.0": "cc-by-sa/4.0",
    "creativecommons.org/licenses/by-nd/4.0": "cc-by-nd/4.0",
    "creativecommons.org/licenses/by-nc/4.0": "cc-by-nc/4.0",
    "creativecommons.org/licenses/by/3.0/de": "cc-by-de/3.0",
    "creativecommons.org/licenses/by-sa/3.0/de": "cc-by-sa-de/3.0",
    "creativecommons.org/licenses/by-nc/3.0/de": "cc-by-nc-de/3.0",
    "opendatacommons.org/licenses/odbl/1-0": "odbl", "opendatacommons.org/licenses/odbl/1.0": "odbl",
    "opendatacommons.org/licenses/odbl": "odbl",
    "opendatacommons.org/licenses/by/1-0": "odby", "opendatacommons.org/licenses/by/1.0": "odby",
    "opendatacommons.org/licenses/pddl/1-0": "odcpddl", "opendatacommons.org/licenses/pddl/1.0": "odcpddl",
    "govdata.de/dl-de/by-2-0": "dl-by-de/2.0", "govdata.de/dl-de/zero-2-0": "dl-zero-de/2.0",
    "govdata.de/dl-de/by-1-0": "dl-by-de/1.0", "govdata.de/dl-de/by-nc-1-0": "dl-by-nc-de/1.0",
    "publications.europa.eu/resource/authority/licence/cc_by_4_0": "cc-by/4.0",
    "publications.europa.eu/resource/authority/licence/cc_bysa_4_0": "cc-by-sa/4.0",
    "publications.europa.eu/resource/authority/licence/cc_bynd_4_0": "cc-by-nd/4.0",
    "publications.europa.eu/resource/authority/licence/cc_bync_4_0": "cc-by-nc/4.0",
    "publications.europa.eu/resource/authority/licence/cc0": "cc-zero",
    "publications.europa.eu/resource/authority/licence/dl_de_by_2_0": "dl-by-de/2.0",
    "publications.europa.eu/resource/authority/licence/dl_de_zero_2_0": "dl-zero-de/2.0",
    "publications.europa.eu/resource/authority/licence/odc_bl": "odbl",
    "publications.europa.eu/resource/authority/licence/odc_by": "odby",
    "publications.europa.eu/resource/authority/licence/odc_pddl": "odcpddl",
    # CKAN's default register and SPDX identifiers (bare values, compared lower-case)
    "odc-odbl": "odbl", "odc-by": "odby", "odc-pddl": "odcpddl",
    "cc0-1.0": "cc-zero", "cc-by-4.0": "cc-by/4.0", "cc-by-sa-4.0": "cc-by-sa/4.0", "odbl-1.0": "odbl",
    "dl-de-by-2.0": "dl-by-de/2.0", "dl-de-zero-2.0": "dl-zero-de/2.0",
}
_DCATDE_LICENCE = re.compile(r"^(?:www\.)?dcat-ap\.de/def/licenses/(?:\d{8}/)?(.+)$")

_GEOCODING_LEVELS = (("municipalityKey", "municipality"), ("regionalKey", "municipality"),
                     ("districtKey", "administrativeDistrict"), ("stateKey", "state"),
                     ("federalKey", "federal"))


def file_type_uri(label: str | None) -> str | None:
    """EU file-type URI for a CKAN format label, None when the table has no such code."""
    if not label:
        return None
    if label.startswith(FILE_TYPE):
        return label
    key = label.strip().upper()
    code = _FORMAT_ALIASES.get(key, key.replace(" ", "_").replace("-", "_"))
    return FILE_TYPE + code if code in EU_FILE_TYPES else None


def format_label(uri_or_label: str | None) -> str | None:
    """CKAN format label for an EU file-type URI (other values pass through)."""
    if not uri_or_label or not uri_or_label.startswith(FILE_TYPE):
        return uri_or_label
    code = uri_or_label[len(FILE_TYPE):]
    return _CODE_LABELS.get(code, code)


def media_type_uri(mimetype: str | None) -> str | None:
    """IANA URI for a media type such as ``text/csv`` (GovData checks the IANA pattern)."""
    if not mimetype:
        return None
    if mimetype.startswith(IANA):
        return mimetype
    if re.fullmatch(r"[a-z]+/[A-Za-z0-9.+_-]+", mimetype.strip()):
        return IANA + mimetype.strip()
    return None


def media_type(value: str | None) -> str | None:
    """``text/csv`` from its IANA URI (other values pass through)."""
    if value and value.startswith(IANA):
        return value[len(IANA):]
    return value


def guess_mimetype(label: str | None) -> str | None:
    """Media type for a format label from CKAN's own format register (CSV -> text/csv)."""
    if not label:
        return None
    entry = resource_formats().get(label.lower())
    return entry[2] if entry and entry[2] else None


def _url_key(value: str) -> str:
    """``https://www.Example.org/x/deed.de/`` → ``example.org/x``: how licence URLs are compared."""
    key = re.sub(r"^https?://(?:www\.)?", "", value.strip()).lower().rstrip("/")
    return re.sub(r"/(?:deed\.[a-z-]+|legalcode(?:\.[a-z-]+)?)$", "", key)


@functools.lru_cache(maxsize=1)
def _licence_keys() -> dict[str, str]:
    """Comparison key → code: codes, list URIs and homepages of the register, known variants."""
    keys = {_url_key(k): v for k, v in _LICENCE_VARIANTS.items()}
    for code, entry in licence_register().items():
        keys[code.lower()] = code
        for url in (entry.get("url"), entry.get("homepage")):
            if url:
                keys.setdefault(_url_key(url), code)
    return keys


def licence_code(value: str | None) -> str | None:
    """dcat-ap.de licence code (``dl-by-de/2.0``) for a code, URI, old or common variant.

    None when the value names no licence of the list: a licence is never made up from
    text, and an unknown URI is not turned into a dcat-ap.de one.
    """
    if not value or not value.strip():
        return None
    key = _url_key(value)
    keys = _licence_keys()
    if key in keys:
        return keys[key]
    match = _DCATDE_LICENCE.match(key)
    if match:
        code = re.sub(r"/(\d+)_(\d+)$", r"/\1.\2", match.group(1))  # 1.0 drafts: dl-by-de/2_0
        # Creative Commons 4.0 has no national versions: cc-by-nc-de/4.0 is cc-by-nc/4.0
        code = re.sub(r"^(cc-[a-z-]+?)-de/4\.0$", r"\1/4.0", code)
        return keys.get(code)
    return None


@functools.lru_cache(maxsize=1)
def licence_register() -> dict[str, dict[str, Any]]:
    """The dcat-ap.de licence list as shipped (``schemas/licenses.json``), by code."""
    entries = json.loads((SCHEMAS / "licenses.json").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in entries}


def is_dcatde_licence(value: str | None) -> bool:
    """A code or URI of the dcat-ap.de licence list (what GovData accepts as dct:license)."""
    return licence_code(value) in licence_register()


def licence_uri(value: str | None) -> str | None:
    code = licence_code(value)
    return LICENCES + code if code else None


def needs_attribution(value: str | None) -> bool:
    code = licence_code(value)
    return bool(code and _ATTRIBUTION.match(code))


def expand(base: str, value: str | None) -> str | None:
    """Full authority URI for a bare code (``ENVI`` -> data-theme URI); URIs pass through."""
    if not value:
        return None
    value = value.strip()
    if "://" in value:
        return value
    return base + value.upper()


def geocoding_level(uri: str) -> str | None:
    """Level URI (``…/Level/municipality``) for a political geocoding URI, else None."""
    if not uri.startswith(GEOCODING):
        return None
    kind = uri[len(GEOCODING):].split("/", 1)[0]
    for key, level in _GEOCODING_LEVELS:
        if kind == key:
            return GEOCODING + "Level/" + level
    return None


# Frequency spellings of other catalogues (DCMI ``cld:freq``, GovData 1.x, hand-made) → EU code.
# Only exact synonyms: "biannual" (twice a year or every two years?) stays unknown.
_FREQUENCY_VARIANTS = {
    "IRREGULAR": "IRREG", "CONTINUOUS": "CONT", "CONTINUAL": "CONT", "ANNUALLY": "ANNUAL",
    "YEARLY": "ANNUAL", "JAEHRLICH": "ANNUAL", "QUARTERLY": "QUARTERLY", "MONTHLY": "MONTHLY",
    "WEEKLY": "WEEKLY", "DAILY": "DAILY", "HOURLY": "HOURLY", "BIENNIAL": "BIENNIAL",
}


def frequency_uri(value: str | None, known: "frozenset[str] | set[str]") -> str | None:
    """EU frequency URI for an EU URI or code, or a known other spelling; None when unknown.

    ``known`` holds the EU URIs the schema accepts (the portal's list may be shorter than the EU's).
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    if value in known:
        return value
    code = re.split(r"[/#]", value.rstrip("/"))[-1].upper().replace("-", "_")
    for candidate in (code, _FREQUENCY_VARIANTS.get(code.replace("_", ""))):
        if candidate and FREQUENCY + candidate in known:
            return FREQUENCY + candidate
    return None
