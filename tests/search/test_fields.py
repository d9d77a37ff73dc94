"""fields.py mirrors the schema.xml shipped with the installed CKAN (no drift on upgrades)."""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import ckan
import pytest

from ckanext.hamm.search.fields import field_spec

SCHEMA = os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")
_KINDS = {"string": "string", "text": "text", "text_general": "text", "text_ngram": "text",
          "date": "date", "pdate": "date", "int": "int", "pint": "int"}


def _fields():
    root = ET.parse(SCHEMA).getroot()
    return root.find("fields")


@pytest.mark.parametrize("element", list(_fields().iter("field")), ids=lambda e: e.get("name"))
def test_fixed_fields_match_schema_xml(element):
    spec = field_spec(element.get("name"))
    assert spec.kind == _KINDS[element.get("type")]
    assert spec.multi == (element.get("multiValued") == "true")
    assert spec.stored == (element.get("stored") == "true")


@pytest.mark.parametrize("name, kind, multi", [
    ("review_date", "date", False),
    ("extras_review_date", "text", False),  # longest pattern wins: extras_* over *_date
    ("res_extras_checked_date", "text", True),
    ("vocab_handlungsfeld", "string", True),
    ("vocab_start_date", "string", True),
    ("spatial_uri", "string", False),
])
def test_dynamic_fields_follow_the_longest_pattern(name, kind, multi):
    spec = field_spec(name)
    assert (spec.kind, spec.multi) == (kind, multi)
