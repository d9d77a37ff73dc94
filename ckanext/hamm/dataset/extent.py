"""A dataset's extent: the ``spatial`` field, GeoJSON in WGS 84 (ckanext-spatial's convention).

ckanext-spatial indexes the field for ``ext_bbox`` and its harvesters write it; the
DCAT profile publishes it as ``locn:geometry``, ``dcat:bbox`` and ``dcat:centroid``.
Staff may also type a box as ``minx,miny,maxx,maxy`` (degrees east, north). A value is
checked strictly so that the index, the map and the RDF never meet an extent they
cannot read: a geometry (not a Feature), numbers inside -180..180 / -90..90, rings
closed, at most ``MAX_POINTS`` positions.
"""
from __future__ import annotations

import json
import math
from typing import Any, Iterator

import shapely.geometry
import shapely.wkt
from shapely.errors import ShapelyError

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
MAX_POINTS = 10_000
Box = tuple[float, float, float, float]


class ExtentError(ValueError):
    """An extent that cannot be used; the message is German / English."""


def _fail(de: str, en: str) -> ExtentError:
    return ExtentError(f"{de} / {en}")


def box_polygon(minx: float, miny: float, maxx: float, maxy: float) -> dict[str, Any]:
    """The box as a GeoJSON polygon (counter-clockwise, as RFC 7946 asks)."""
    ring = [[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy], [minx, miny]]
    return {"type": "Polygon", "coordinates": [ring]}


def _box_text(text: str) -> dict[str, Any] | None:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 4:
        return None
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except ValueError:
        return None
    if minx >= maxx or miny >= maxy:
        raise _fail("Im Rechteck muss der erste Wert kleiner als der dritte und der zweite kleiner als der vierte sein "
                    "(West, Süd, Ost, Nord)",
                    "In a box the first value must be less than the third and the second less than the fourth "
                    "(west, south, east, north)")
    return box_polygon(minx, miny, maxx, maxy)


def _positions(coordinates: Any, depth: int) -> Iterator[Any]:
    if depth == 0:
        yield coordinates
        return
    if not isinstance(coordinates, list):
        raise _fail("Die Koordinaten sind nicht richtig verschachtelt", "The coordinates are not nested correctly")
    for item in coordinates:
        yield from _positions(item, depth - 1)


_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def _check_positions(geometry: dict[str, Any]) -> None:
    count = 0
    for position in _positions(geometry.get("coordinates"), _DEPTH[geometry["type"]]):
        count += 1
        if count > MAX_POINTS:
            raise _fail(f"Die Geometrie hat mehr als {MAX_POINTS} Punkte",
                        f"The geometry has more than {MAX_POINTS} points")
        if (not isinstance(position, list) or len(position) not in (2, 3)
                or not all(isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c)
                           for c in position)):
            raise _fail("Jeder Punkt braucht zwei Zahlen (Länge, Breite)",
                        "Every point needs two numbers (longitude, latitude)")
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _fail(f"Der Punkt {lon}, {lat} liegt außerhalb von WGS 84 (Länge −180…180, Breite −90…90); "
                        "Koordinaten in UTM (EPSG:25832) bitte in Grad umrechnen",
                        f"The point {lon}, {lat} is outside WGS 84 (longitude -180..180, latitude -90..90); "
                        "convert UTM coordinates (EPSG:25832) to degrees")
    if count == 0:
        raise _fail("Die Geometrie hat keine Koordinaten", "The geometry has no coordinates")


def parse(value: Any) -> dict[str, Any]:
    """The GeoJSON geometry of ``value`` (text, a dict, or ``minx,miny,maxx,maxy``); ExtentError if unusable."""
    if isinstance(value, str):
        box = _box_text(value)
        if box is not None:
            return box
        try:
            value = json.loads(value)
        except ValueError:
            raise _fail("Die Ausdehnung ist weder GeoJSON noch ein Rechteck „West,Süd,Ost,Nord“",
                        "The extent is neither GeoJSON nor a box 'west,south,east,north'") from None
    if not isinstance(value, dict):
        raise _fail("Die Ausdehnung muss ein GeoJSON-Objekt sein", "The extent must be a GeoJSON object")
    if value.get("type") not in GEOMETRY_TYPES:
        raise _fail(f"Erlaubt sind die GeoJSON-Geometrien {', '.join(GEOMETRY_TYPES)}",
                    f"Allowed are the GeoJSON geometries {', '.join(GEOMETRY_TYPES)}")
    _check_positions(value)
    try:
        shape = shapely.geometry.shape(value)
    except (ShapelyError, ValueError, TypeError, IndexError):
        raise _fail("Die Geometrie ist nicht lesbar (z. B. ein Ring mit weniger als vier Punkten)",
                    "The geometry cannot be read (e.g. a ring with fewer than four points)") from None
    if value["type"] in ("Polygon", "MultiPolygon") and not shape.is_valid:
        raise _fail("Die Fläche ist ungültig (Ringe müssen geschlossen sein und dürfen sich nicht schneiden)",
                    "The area is invalid (rings must be closed and must not cross themselves)")
    return {"type": value["type"], "coordinates": value["coordinates"]}


def normalise(value: Any) -> str:
    """The stored text of an extent: compact GeoJSON."""
    return json.dumps(parse(value), separators=(",", ":"))


def bounds(value: Any) -> Box:
    """(minx, miny, maxx, maxy) of an extent."""
    minx, miny, maxx, maxy = shapely.geometry.shape(parse(value)).bounds
    return minx, miny, maxx, maxy


def _wkt(shape: Any) -> str:
    return shapely.wkt.dumps(shape, rounding_precision=6, trim=True)  # about 0.1 m


def to_wkt(value: Any) -> str:
    return _wkt(shapely.geometry.shape(parse(value)))


def bbox_wkt(value: Any) -> str:
    return _wkt(shapely.geometry.box(*bounds(value), ccw=True))


def centroid_wkt(value: Any) -> str:
    return _wkt(shapely.geometry.shape(parse(value)).centroid)


def from_wkt(text: str) -> dict[str, Any]:
    """A WKT literal (optionally with a ``<…crs…>`` prefix, as GeoSPARQL writes it) as GeoJSON."""
    text = text.strip()
    if text.startswith("<") and ">" in text:
        crs, text = text[1:text.index(">")], text[text.index(">") + 1:].strip()
        if "CRS84" not in crs and not crs.endswith("/4326"):
            raise _fail(f"Nur WGS 84 wird übernommen, nicht {crs}", f"Only WGS 84 is taken over, not {crs}")
    try:
        shape = shapely.wkt.loads(text)
    except (ShapelyError, ValueError):
        raise _fail("Die WKT-Geometrie ist nicht lesbar", "The WKT geometry cannot be read") from None
    return parse(json.loads(json.dumps(shapely.geometry.mapping(shape))))  # tuples to lists


def from_any(text: str) -> dict[str, Any]:
    """A geometry literal in GeoJSON, GML or WKT."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return parse(stripped)
    return from_gml(stripped) if stripped.startswith("<") and not stripped.startswith("<http") else from_wkt(stripped)


def hamm_extent(value: Any, context: Any) -> Any:
    """Scheming validator of ``spatial``: compact GeoJSON, or a clear error; empty stays empty."""
    import ckan.plugins.toolkit as tk

    if value is None or value == "" or value is tk.missing:
        return value
    try:
        return normalise(value)
    except ExtentError as error:
        raise tk.Invalid(str(error)) from None


_GML_4326 = ("EPSG:4326", "EPSG::4326", "EPSG/0/4326", "epsg.xml#4326")


def from_gml(text: str) -> dict[str, Any]:
    """A GML literal (Envelope, Point, Polygon; GML 3.x) as GeoJSON.

    EPSG:4326 names latitude first, CRS84 longitude first; without a named system the
    axis order is unknown, so such a literal is refused rather than guessed.
    """
    from lxml import etree

    try:
        root = etree.fromstring(text.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise _fail("Die GML-Geometrie ist nicht lesbar", "The GML geometry cannot be read") from None
    srs = root.get("srsName") or ""
    if any(code in srs for code in _GML_4326):
        lat_first = True
    elif "CRS84" in srs:
        lat_first = False
    else:
        raise _fail(f"Das Koordinatensystem der GML-Geometrie ({srs or 'keines'}) ist nicht WGS 84",
                    f"The GML geometry's coordinate system ({srs or 'none'}) is not WGS 84")

    def pairs(values: str) -> list[list[float]]:
        numbers = [float(v) for v in values.split()]
        points = [numbers[i:i + 2] for i in range(0, len(numbers) - 1, 2)]
        return [[b, a] if lat_first else [a, b] for a, b in points]

    def find(name: str) -> list[Any]:
        return root.xpath(f".//*[local-name()='{name}'] | self::*[local-name()='{name}']")

    kind = etree.QName(root).localname
    try:
        if kind == "Envelope":
            (minx, miny), (maxx, maxy) = pairs(find("lowerCorner")[0].text)[0], pairs(find("upperCorner")[0].text)[0]
            return parse(box_polygon(minx, miny, maxx, maxy))
        if kind == "Point":
            return parse({"type": "Point", "coordinates": pairs(find("pos")[0].text)[0]})
        if kind == "Polygon":
            return parse({"type": "Polygon", "coordinates": [pairs(find("posList")[0].text)]})
    except (IndexError, ValueError, TypeError, AttributeError):
        raise _fail("Die GML-Geometrie ist nicht lesbar", "The GML geometry cannot be read") from None
    raise _fail(f"GML-{kind} wird nicht übernommen (nur Envelope, Point, Polygon)",
                f"GML {kind} is not taken over (only Envelope, Point, Polygon)")
