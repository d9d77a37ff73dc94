"""ISO 19139 records of an invented Hamm geoportal, for the pycsw catalogue of tests and demo.

Written for this project (no real records copied): dataset records in Hamm's extent with
GDI-DE conventions (licence JSON in ``gmd:otherConstraints``, INSPIRE themes from GEMET,
the keyword ``opendata``), and service records (WMS, WFS) coupled to their datasets by
``srv:operatesOn``. ``records()`` yields (file name, XML); ``write(folder)`` puts them there.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Iterator
from xml.sax.saxutils import escape

HAMM = (7.67, 51.58, 8.00, 51.77)  # approximate; a city takes its own from the boundary data
STADTBEZIRKE = {  # approximate boxes (west, south, east, north) for the invented records
    "Hamm-Mitte": (7.77, 51.65, 7.87, 51.70), "Heessen": (7.82, 51.69, 7.93, 51.76),
    "Bockum-Hövel": (7.67, 51.68, 7.80, 51.75), "Herringen": (7.66, 51.63, 7.77, 51.68),
    "Pelkum": (7.70, 51.60, 7.80, 51.66), "Rhynern": (7.80, 51.58, 7.95, 51.65),
    "Uentrop": (7.88, 51.62, 8.00, 51.70),
}
GEOPORTAL = "https://geo.hamm.de"
REGISTRY = "https://registry.gdi-de.org/id/de.nw.hamm/"
DL_BY = {"id": "dl-by-de/2.0", "name": "Datenlizenz Deutschland Namensnennung 2.0",
         "url": "https://www.govdata.de/dl-de/by-2-0", "quelle": "Stadt Hamm"}
DL_ZERO = {"id": "dl-zero-de/2.0", "name": "Datenlizenz Deutschland Zero 2.0",
           "url": "https://www.govdata.de/dl-de/zero-2-0"}


@dataclasses.dataclass(frozen=True)
class Record:
    identifier: str
    title: str
    abstract: str
    box: tuple[float, float, float, float]
    inspire_theme: str
    keywords: tuple[str, ...]
    licence: dict
    department: str
    email: str
    date: str = "2024-03-01"
    service: str | None = None  # "WMS" / "WFS": a service record
    operates_on: str | None = None  # the coupled dataset's identifier
    layer: str = ""


def _datasets() -> Iterator[Record]:
    yield Record("hamm-stadtbezirke", "Stadtbezirke der Stadt Hamm",
                 "Grenzen der sieben Stadtbezirke der Stadt Hamm als Flächen.", HAMM,
                 "Verwaltungseinheiten", ("Stadtbezirk", "Verwaltungsgrenzen"), DL_ZERO,
                 "Vermessungs- und Katasteramt", "kataster@stadt.hamm.de", layer="stadtbezirke")
    yield Record("hamm-baumkataster", "Baumkataster Hamm",
                 "Standorte, Arten und Pflanzjahre der städtischen Bäume.", HAMM,
                 "Schutzgebiete", ("Bäume", "Stadtgrün"), DL_BY,
                 "Umweltamt", "umwelt@stadt.hamm.de", layer="baeume")
    for number, (bezirk, box) in enumerate(sorted(STADTBEZIRKE.items()), start=1):
        west, south, east, north = box
        plan = (round(west + (east - west) * 0.4, 4), round(south + (north - south) * 0.4, 4),
                round(west + (east - west) * 0.6, 4), round(south + (north - south) * 0.6, 4))
        yield Record(f"hamm-bplan-{number:03d}", f"Bebauungsplan Nr. {number:03d} ({bezirk})",
                     f"Rechtskräftiger Bebauungsplan im Stadtbezirk {bezirk} mit Begründung.", plan,
                     "Bodennutzung", ("Bebauungsplan", "Bauleitplanung", bezirk), DL_BY,
                     "Stadtplanungsamt", "planung@stadt.hamm.de", layer=f"bplan_{number:03d}")


def _services(datasets: list[Record]) -> Iterator[Record]:
    for dataset in datasets[:2]:
        for kind in ("WMS", "WFS"):
            yield dataclasses.replace(
                dataset, identifier=f"{dataset.identifier}-{kind.lower()}", title=f"{kind} {dataset.title}",
                abstract=f"Darstellungsdienst ({kind}) zu {dataset.title}.", service=kind,
                operates_on=dataset.identifier)


def all_records() -> list[Record]:
    datasets = list(_datasets())
    return datasets + list(_services(datasets))


def service_url(record: Record) -> str:
    kind = (record.service or "WMS").lower()
    return f"{GEOPORTAL}/{kind}/{record.layer}?SERVICE={kind.upper()}&REQUEST=GetCapabilities"


CODELISTS = "http://standards.iso.org/iso/19139/resources/gmxCodelists.xml"
NO_LIMITATIONS = "http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/noLimitations"


def _code(tag: str, code: str, value: str) -> str:
    return f'<{tag}><gmd:{code} codeList="{CODELISTS}#{code}" codeListValue="{value}"/></{tag}>'


def _text(tag: str, value: str) -> str:
    return f"<{tag}><gco:CharacterString>{escape(value)}</gco:CharacterString></{tag}>"


def _keywords(record: Record) -> str:
    free = "".join(f"<gmd:keyword><gco:CharacterString>{escape(k)}</gco:CharacterString></gmd:keyword>"
                   for k in (*record.keywords, "opendata"))
    return (
        "<gmd:descriptiveKeywords><gmd:MD_Keywords>" + free + "</gmd:MD_Keywords></gmd:descriptiveKeywords>"
        "<gmd:descriptiveKeywords><gmd:MD_Keywords>"
        f"<gmd:keyword><gco:CharacterString>{escape(record.inspire_theme)}</gco:CharacterString></gmd:keyword>"
        "<gmd:thesaurusName><gmd:CI_Citation>"
        + _text("gmd:title", "GEMET - INSPIRE themes, version 1.0")
        + "<gmd:date><gmd:CI_Date><gmd:date><gco:Date>2008-06-01</gco:Date></gmd:date>"
          "<gmd:dateType><gmd:CI_DateTypeCode codeList=\"http://standards.iso.org/iso/19139/resources/"
          "gmxCodelists.xml#CI_DateTypeCode\" codeListValue=\"publication\"/></gmd:dateType></gmd:CI_Date></gmd:date>"
          "</gmd:CI_Citation></gmd:thesaurusName></gmd:MD_Keywords></gmd:descriptiveKeywords>")


def _party(record: Record, tag: str) -> str:
    return (f"<{tag}><gmd:CI_ResponsibleParty>"
            + _text("gmd:organisationName", f"Stadt Hamm, {record.department}")
            + "<gmd:contactInfo><gmd:CI_Contact><gmd:address><gmd:CI_Address>"
            + _text("gmd:electronicMailAddress", record.email)
            + "</gmd:CI_Address></gmd:address></gmd:CI_Contact></gmd:contactInfo>"
              "<gmd:role><gmd:CI_RoleCode codeList=\"http://standards.iso.org/iso/19139/resources/"
              "gmxCodelists.xml#CI_RoleCode\" codeListValue=\"pointOfContact\"/></gmd:role>"
            f"</gmd:CI_ResponsibleParty></{tag}>")


def to_xml(record: Record) -> str:
    """One ISO 19139 ``gmd:MD_Metadata`` document."""
    west, south, east, north = record.box
    level = "service" if record.service else "dataset"
    identification = "srv:SV_ServiceIdentification" if record.service else "gmd:MD_DataIdentification"
    if record.service:
        before_extent = (
            f"<srv:serviceType><gco:LocalName>{'view' if record.service == 'WMS' else 'download'}</gco:LocalName>"
            "</srv:serviceType>")
        after_extent = (
            "<srv:couplingType><srv:SV_CouplingType codeList=\"http://www.isotc211.org/2005/iso19119/resources/"
            "Codelist/gmxCodelists.xml#SV_CouplingType\" codeListValue=\"tight\"/></srv:couplingType>"
            "<srv:containsOperations><srv:SV_OperationMetadata>"
            "<srv:operationName><gco:CharacterString>GetCapabilities</gco:CharacterString></srv:operationName>"
            "<srv:DCP><srv:DCPList codeList=\"http://www.isotc211.org/2005/iso19119/resources/Codelist/"
            "gmxCodelists.xml#DCPList\" codeListValue=\"WebServices\"/></srv:DCP>"
            f"<srv:connectPoint><gmd:CI_OnlineResource><gmd:linkage><gmd:URL>{escape(service_url(record))}"
            "</gmd:URL></gmd:linkage></gmd:CI_OnlineResource></srv:connectPoint>"
            "</srv:SV_OperationMetadata></srv:containsOperations>"
            f"<srv:operatesOn uuidref=\"{record.operates_on}\" "
            f"xlink:href=\"{GEOPORTAL}/csw?id={record.operates_on}\"/>")
    else:
        before_extent = ('<gmd:language><gmd:LanguageCode codeList="http://www.loc.gov/standards/iso639-2/" '
                         'codeListValue="ger"/></gmd:language>'
                         "<gmd:topicCategory><gmd:MD_TopicCategoryCode>planningCadastre"
                         "</gmd:MD_TopicCategoryCode></gmd:topicCategory>")
        after_extent = ""
    extent_tag = "srv:extent" if record.service else "gmd:extent"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd" xmlns:gco="http://www.isotc211.org/2005/gco"
  xmlns:srv="http://www.isotc211.org/2005/srv" xmlns:xlink="http://www.w3.org/1999/xlink">
  {_text("gmd:fileIdentifier", record.identifier)}
  <gmd:language><gmd:LanguageCode codeList="http://www.loc.gov/standards/iso639-2/" codeListValue="ger"/></gmd:language>
  {_code("gmd:hierarchyLevel", "MD_ScopeCode", level)}
  {_party(record, "gmd:contact")}
  <gmd:dateStamp><gco:Date>{record.date}</gco:Date></gmd:dateStamp>
  <gmd:identificationInfo><{identification}>
    <gmd:citation><gmd:CI_Citation>{_text("gmd:title", record.title)}
      <gmd:date><gmd:CI_Date><gmd:date><gco:Date>{record.date}</gco:Date></gmd:date>
        {_code("gmd:dateType", "CI_DateTypeCode", "revision")}</gmd:CI_Date></gmd:date>
      <gmd:identifier><gmd:MD_Identifier>{_text("gmd:code", REGISTRY + record.identifier)}</gmd:MD_Identifier>
      </gmd:identifier>
    </gmd:CI_Citation></gmd:citation>
    {_text("gmd:abstract", record.abstract)}
    {_party(record, "gmd:pointOfContact")}
    {_keywords(record)}
    <gmd:resourceConstraints><gmd:MD_LegalConstraints>
      {_code("gmd:accessConstraints", "MD_RestrictionCode", "otherRestrictions")}
      <gmd:otherConstraints><gmx:Anchor xmlns:gmx="http://www.isotc211.org/2005/gmx" xlink:href="{NO_LIMITATIONS}">
        Es gelten keine Zugriffsbeschränkungen</gmx:Anchor></gmd:otherConstraints>
    </gmd:MD_LegalConstraints></gmd:resourceConstraints>
    <gmd:resourceConstraints><gmd:MD_LegalConstraints>
      {_code("gmd:useConstraints", "MD_RestrictionCode", "otherRestrictions")}
      {_text("gmd:otherConstraints", record.licence["name"])}
      {_text("gmd:otherConstraints", json.dumps(record.licence, ensure_ascii=False))}
    </gmd:MD_LegalConstraints></gmd:resourceConstraints>
    {before_extent}
    <{extent_tag}><gmd:EX_Extent><gmd:geographicElement><gmd:EX_GeographicBoundingBox>
      <gmd:westBoundLongitude><gco:Decimal>{west}</gco:Decimal></gmd:westBoundLongitude>
      <gmd:eastBoundLongitude><gco:Decimal>{east}</gco:Decimal></gmd:eastBoundLongitude>
      <gmd:southBoundLatitude><gco:Decimal>{south}</gco:Decimal></gmd:southBoundLatitude>
      <gmd:northBoundLatitude><gco:Decimal>{north}</gco:Decimal></gmd:northBoundLatitude>
    </gmd:EX_GeographicBoundingBox></gmd:geographicElement></gmd:EX_Extent></{extent_tag}>
    {after_extent}
  </{identification}></gmd:identificationInfo>
  <gmd:distributionInfo><gmd:MD_Distribution><gmd:transferOptions><gmd:MD_DigitalTransferOptions>
    <gmd:onLine><gmd:CI_OnlineResource>
      <gmd:linkage><gmd:URL>{escape(service_url(record))}</gmd:URL></gmd:linkage>
      {_text("gmd:protocol", "OGC:" + (record.service or "WMS"))}
      {_text("gmd:name", record.title)}
    </gmd:CI_OnlineResource></gmd:onLine>
  </gmd:MD_DigitalTransferOptions></gmd:transferOptions></gmd:MD_Distribution></gmd:distributionInfo>
</gmd:MD_Metadata>
"""


def records() -> Iterator[tuple[str, str]]:
    for record in all_records():
        yield f"{record.identifier}.xml", to_xml(record)


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, xml in records():
        path = folder / name
        path.write_text(xml, encoding="utf-8")
        written.append(path)
    return written
