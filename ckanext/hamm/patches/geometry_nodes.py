"""ckanext-dcat reads a place's geometry only as a literal; DCAT-AP 3.0 makes it a node.

DCAT-AP 3.0 gives ``locn:geometry`` the range ``locn:Geometry`` (a node carrying
GeoSPARQL's ``gsp:asWKT`` / ``gsp:asGeoJSON``), and the portal publishes it so.
ckanext-dcat's ``_parse_geodata`` asks every object for ``.datatype``, so a record in
that form (ours, or any DCAT-AP 3.0 catalogue's) stopped the whole import with an
AttributeError. The wrapper shows it only the literals; the node form is read by our
profile (``profiles/parsing.py`` ``parse_extent``).
"""
from __future__ import annotations

import functools
from typing import Any

from rdflib import Graph, Literal

_MARK = "_hamm_literals_only"


def _literals_only(parse_geodata: Any) -> Any:
    @functools.wraps(parse_geodata)
    def wrapper(self: Any, spatial: Any, datatype: Any, cur_value: Any) -> Any:
        view = Graph()
        view += ((spatial, datatype, o) for o in self.g.objects(spatial, datatype) if isinstance(o, Literal))
        real, self.g = self.g, view
        try:
            return parse_geodata(self, spatial, datatype, cur_value)
        finally:
            self.g = real
    setattr(wrapper, _MARK, True)
    return wrapper


def install() -> None:
    """Wrap ``RDFProfile._parse_geodata`` once per process."""
    from ckanext.dcat.profiles.base import RDFProfile

    if not getattr(RDFProfile._parse_geodata, _MARK, False):
        RDFProfile._parse_geodata = _literals_only(RDFProfile._parse_geodata)
