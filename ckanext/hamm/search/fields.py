"""Field semantics of CKAN's Solr schema, mirrored for the PostgreSQL backend.

The same search document must behave the same on Solr and on ``hamm_search``,
so every rule here follows ``ckan/config/solr/schema.xml`` (fixed fields first,
then the dynamic fields ``*_date``, ``extras_*``, ``res_extras_*``, ``vocab_*``
and the catch-all ``*``). ``tests/search/test_fields.py`` checks this table
against the schema file shipped in the installed ``ckan`` package.
"""
from __future__ import annotations

import dataclasses
from typing import Literal

Kind = Literal["string", "text", "date", "int", "float", "geometry"]


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    multi: bool = False
    stored: bool = True


_FIXED: dict[str, FieldSpec] = {
    "index_id": FieldSpec("string"),
    "id": FieldSpec("string"),
    "site_id": FieldSpec("string"),
    "title": FieldSpec("text"),
    "title_ngram": FieldSpec("text"),
    "entity_type": FieldSpec("string"),
    "dataset_type": FieldSpec("string"),
    "state": FieldSpec("string"),
    "name": FieldSpec("string"),
    "name_ngram": FieldSpec("text"),
    "revision_id": FieldSpec("string"),
    "version": FieldSpec("string"),
    "url": FieldSpec("string"),
    "ckan_url": FieldSpec("string"),
    "download_url": FieldSpec("string"),
    "notes": FieldSpec("text"),
    "author": FieldSpec("text"),
    "author_email": FieldSpec("text"),
    "maintainer": FieldSpec("text"),
    "maintainer_email": FieldSpec("text"),
    "license": FieldSpec("string"),
    "license_id": FieldSpec("string"),
    "tags": FieldSpec("string", multi=True),
    "groups": FieldSpec("string", multi=True),
    "organization": FieldSpec("string"),
    "capacity": FieldSpec("string"),
    "permission_labels": FieldSpec("string", multi=True, stored=False),
    "res_name": FieldSpec("text", multi=True),
    "res_description": FieldSpec("text", multi=True),
    "res_format": FieldSpec("string", multi=True),
    "res_url": FieldSpec("string", multi=True),
    "res_type": FieldSpec("string", multi=True),
    "text": FieldSpec("text", multi=True, stored=False),
    "urls": FieldSpec("text", multi=True, stored=False),
    "depends_on": FieldSpec("text", multi=True, stored=False),
    "dependency_of": FieldSpec("text", multi=True, stored=False),
    "derives_from": FieldSpec("text", multi=True, stored=False),
    "has_derivation": FieldSpec("text", multi=True, stored=False),
    "links_to": FieldSpec("text", multi=True, stored=False),
    "linked_from": FieldSpec("text", multi=True, stored=False),
    "child_of": FieldSpec("text", multi=True, stored=False),
    "parent_of": FieldSpec("text", multi=True, stored=False),
    "views_total": FieldSpec("int", stored=False),
    "views_recent": FieldSpec("int", stored=False),
    "resources_accessed_total": FieldSpec("int", stored=False),
    "resources_accessed_recent": FieldSpec("int", stored=False),
    "metadata_created": FieldSpec("date"),
    "metadata_modified": FieldSpec("date"),
    "indexed_ts": FieldSpec("date"),
    "title_string": FieldSpec("string", stored=False),
    "data_dict": FieldSpec("string"),
    "validated_data_dict": FieldSpec("string"),
    "_version_": FieldSpec("string"),
}

# The fields ckanext-spatial asks a Solr schema to add (its docs, "Solr configuration"):
# the extent's envelope for the ``solr-bbox`` backend, the geometry (WKT) for
# ``solr-spatial-field``. ``spatial.py`` answers the queries on them.
_FIXED.update({
    "bbox_area": FieldSpec("float"),
    "minx": FieldSpec("float"),
    "maxx": FieldSpec("float"),
    "miny": FieldSpec("float"),
    "maxy": FieldSpec("float"),
    "spatial_geom": FieldSpec("geometry", multi=True),
})

# Fields that Solr stores but never indexes: they are returned, not searched.
UNINDEXED = frozenset({"data_dict", "validated_data_dict"})

# Single-valued strings with a column of their own: every query filters on them.
COLUMNS = frozenset({"id", "name", "site_id", "state", "capacity", "dataset_type"})

# Fields whose values are also kept in the ``facets`` array, so that counting
# them is one pass over small inline arrays (plus every ``vocab_*`` field).
# Faceting on any other field still works, through the slower ``fields`` jsonb.
FACETED = frozenset({"organization", "groups", "tags", "res_format", "res_type", "license_id",
                     "dataset_type", "entity_type"})
FACET_SEPARATOR = "\x1f"


def is_faceted(name: str) -> bool:
    return name in FACETED or name.startswith("vocab_")


def facet_entry(name: str, value: str) -> str:
    """``field<US>value``: one array element per facet value (US = ASCII unit separator)."""
    return f"{name}{FACET_SEPARATOR}{value}"


def field_spec(name: str) -> FieldSpec:
    """Return the schema rule that Solr would apply to ``name``."""
    fixed = _FIXED.get(name)
    if fixed is not None:
        return fixed
    # Solr picks the longest matching dynamic pattern: ``extras_review_date`` is text.
    if name.startswith("res_extras_"):
        return FieldSpec("text", multi=True)
    if name.startswith("extras_"):
        return FieldSpec("text")
    if name.startswith("vocab_"):
        return FieldSpec("string", multi=True)
    if name.endswith("_date"):
        return FieldSpec("date")
    return FieldSpec("string", stored=False)
