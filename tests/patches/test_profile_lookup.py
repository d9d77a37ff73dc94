"""ckanext-dcat finds our profiles without rescanning installed packages on every page."""
from __future__ import annotations

import importlib.metadata

import pytest

from ckanext.hamm.patches import profile_lookup
from tests.profiles.conftest import config_marks

pytestmark = config_marks()
GROUP = "ckan.rdf.profiles"


def test_the_remembered_lookup_answers_like_importlib() -> None:
    for name in ("euro_dcat_ap_3", "hamm_dcat_ap_de", "no_such_profile"):
        assert list(profile_lookup.entry_points(group=GROUP, name=name)) == \
            list(importlib.metadata.entry_points(group=GROUP, name=name))


def test_serializers_built_for_every_page_scan_the_packages_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from ckanext.dcat.processors import RDFSerializer

    profile_lookup._lookup.cache_clear()
    scans = []
    real = importlib.metadata.entry_points
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kw: scans.append(kw) or real(**kw))
    for _ in range(3):
        serializer = RDFSerializer(profiles=["euro_dcat_ap_3", "hamm_dcat_ap_de"])
        assert [p.name for p in serializer._profiles] == ["euro_dcat_ap_3", "hamm_dcat_ap_de"]
    assert len(scans) == 2
