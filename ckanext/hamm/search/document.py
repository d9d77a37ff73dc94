"""Turn the search document CKAN builds for Solr into a row of our table.

``fields`` holds every indexed field as a list of strings, analysed the way
the Solr schema analyses it (strings verbatim, text as folded tokens, dates in
one UTC form), so one GIN index answers ``field:value`` filters and facets.
``tsv`` is the weighted full-text vector behind the ``text`` catch-all field.
"""
from __future__ import annotations

import json
from typing import Any

from ckan.lib.search.common import SearchIndexError

from . import analysis, table
from .dates import normalise_date
from .fields import UNINDEXED, facet_entry, field_spec, is_faceted

# copyField sources of Solr's ``text`` field, by ranking weight (A highest).
_WEIGHTS = {
    "A": ("name", "title"),
    "B": ("tags", "groups", "organization"),
    "C": ("notes", "text", "license", "author", "maintainer"),
    "D": ("res_name", "res_description", "url", "ckan_url", "download_url", "res_url"),
}


# Keys a harvester leaves in the document: ckanext-harvest's, and the RVR harvester's.
HARVESTED_KEYS = ("harvest_object_id", "harvest_source_id", "hamm_remote_id")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [v for v in value if v is not None]
    return [value]


def _as_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _weight_of(key: str) -> str | None:
    for weight, names in _WEIGHTS.items():
        if key in names:
            return weight
    if key.startswith("vocab_"):
        return "B"
    if key.startswith("extras_"):
        return "C"
    if key.startswith("res_extras_"):
        return "D"
    return None


def indexed_values(key: str, value: Any) -> list[str]:
    """The values Solr would index for ``key`` (analysed by the field type)."""
    spec = field_spec(key)
    values = [_as_string(v) for v in _as_list(value)]
    if not spec.multi and len(values) > 1:
        raise SearchIndexError(
            f"Field {key!r} is single-valued in CKAN's Solr schema but got {len(values)} values"
        )
    if spec.kind == "text":
        out: dict[str, None] = {}
        for v in values:
            for token in analysis.tokens(v):
                out.setdefault(token, None)
        return list(out)
    if spec.kind == "date":
        return [normalise_date(v) for v in values if v]
    if spec.kind == "int":
        return [str(int(float(v))) for v in values if v != ""]
    if spec.kind == "float":
        return [repr(float(v)) for v in values if v != ""]
    return values


def _single(fields: dict[str, list[str]], key: str) -> str | None:
    values = fields.get(key)
    return values[0] if values else None


def build_row(doc: dict[str, Any]) -> dict[str, Any]:
    """The table row for one Solr document (see ``table.py`` for the columns)."""
    fields: dict[str, list[str]] = {}
    stored: dict[str, Any] = {}
    texts: dict[str, list[str]] = {w: [] for w in _WEIGHTS}
    for key, value in doc.items():
        if key in UNINDEXED or value is None:
            continue
        values = indexed_values(key, value)
        if values:
            fields[key] = values
        if field_spec(key).stored:
            stored[key] = value
        weight = _weight_of(key)
        if weight:
            texts[weight].extend(_as_string(v) for v in _as_list(value))
    row: dict[str, Any] = {
        "index_id": doc["index_id"],
        "id": doc["id"],
        "site_id": doc["site_id"],
        "name": doc.get("name"),
        "title_string": doc.get("title_string"),
        "state": _single(fields, "state"),
        "capacity": _single(fields, "capacity"),
        "dataset_type": _single(fields, "dataset_type"),
        "made_here": not any(doc.get(key) for key in HARVESTED_KEYS),
        "permission_labels": fields.get("permission_labels", []),
        "facets": [facet_entry(key, v) for key, values in fields.items() if is_faceted(key)
                   for v in dict.fromkeys(values)],
        "metadata_created": fields.get("metadata_created", [None])[0],
        "metadata_modified": fields.get("metadata_modified", [None])[0],
        "fields": json.dumps(fields),
        "stored": json.dumps(stored, default=str),
        "data_dict": doc.get("data_dict"),
        "validated_data_dict": doc.get("validated_data_dict"),
    }
    row.update(_envelope(doc))
    for weight, parts in texts.items():
        joined = " ".join(parts)
        row[f"text_{weight}"] = joined
        row[f"folded_{weight}"] = analysis.folded_text(joined)
    return row


def _envelope(doc: dict[str, Any]) -> dict[str, float | None]:
    """The extent's box: the ``solr-bbox`` fields, else the envelope of ``spatial_geom`` (WKT)."""
    keys = ("minx", "miny", "maxx", "maxy")
    try:
        if all(doc.get(k) not in (None, "") for k in keys):
            return {k: float(doc[k]) for k in keys}
        if doc.get("spatial_geom"):
            import shapely.wkt  # only a portal with the solr-spatial-field backend needs it
            shapes = [shapely.wkt.loads(w) for w in _as_list(doc["spatial_geom"])]
            bounds = [s.bounds for s in shapes if not s.is_empty]
            if bounds:
                return {"minx": min(b[0] for b in bounds), "miny": min(b[1] for b in bounds),
                        "maxx": max(b[2] for b in bounds), "maxy": max(b[3] for b in bounds)}
    except Exception as error:  # float() and shapely raise several kinds
        raise SearchIndexError(f"Unreadable extent in the search document: {error}") from None
    return dict.fromkeys(keys)


WEIGHTS = tuple(_WEIGHTS)


def tsvector_sql() -> str:
    """SQL building ``tsv`` from the ``text_*``/``folded_*`` parameters of ``build_row`` and the
    ``parts_*`` the writer adds (``to_tsvector('hamm_parts', parts)`` is what
    ``hamm_compound_parts(text)`` returns, with the dictionary asked once per batch and word)."""
    parts = [
        f"setweight(to_tsvector('german', :text_{w}) || to_tsvector('simple', :folded_{w}) "
        f"|| to_tsvector('{table.PARTS_CONFIG}', :parts_{w}), '{w}')"
        for w in _WEIGHTS
    ]
    return " || ".join(parts)
