"""Shared set-up of the profile tests: plugins, config and a dataset with every field."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers
from rdflib import Graph

from ckanext.dcat.processors import RDFParser, RDFSerializer
from ckanext.hamm.vocabularies import store as vocabulary

PLUGINS = "hamm_search hamm scheming_datasets dcat"
SCHEMA = "ckanext.hamm.schemas:dataset.yaml"
OUR_PROFILES = ["euro_dcat_ap_3", "hamm_dcat_ap_de"]
HAMM_KEY = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000"


def config_marks(schema: str = SCHEMA) -> list[Any]:
    """Marks every profile test module uses (plugins, schema, our profile stack)."""
    return [
        pytest.mark.ckan_config("ckan.plugins", PLUGINS),
        pytest.mark.ckan_config("scheming.dataset_schemas", schema),
        pytest.mark.ckan_config("scheming.presets",
                                "ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml"),
        pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", " ".join(OUR_PROFILES)),
        pytest.mark.ckan_config("ckanext.dcat.base_uri", "https://opendata.hamm.de"),
        pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    ]


def first_concept(vocab_id: str) -> str:
    try:
        return vocabulary.get_vocabulary(vocab_id).concepts[0].id
    except (KeyError, IndexError):
        pytest.skip(f"the city has no '{vocab_id}' vocabulary yet")


def full_dataset_dict(owner_org: str, name: str = "baumkataster", **overrides: Any) -> dict[str, Any]:
    """A dataset using every field of the data-model contract."""
    data: dict[str, Any] = {
        "name": name,
        "title": "Baumkataster der Stadt Hamm",
        "notes": "Alle städtischen Bäume mit Art, Pflanzjahr und Standort.",
        "owner_org": owner_org,
        "tag_string": "Bäume,Stadtgrün",
        "license_id": "dl-by-de/2.0",
        "handlungsfeld": [first_concept("handlungsfeld")],
        "zielgruppe": [first_concept("zielgruppe")],
        "theme": ["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
        "contact": [{"name": "Grünflächenamt", "email": "gruenflaechen@stadt.hamm.de",
                     "url": "https://www.hamm.de/gruen"}],
        "publisher": [{"name": "Stadt Hamm", "email": "opendata@stadt.hamm.de",
                       "url": "https://www.hamm.de",
                       "type": "http://purl.org/adms/publishertype/LocalAuthority"}],
        "temporal_coverage": [{"start": "2020-01-01", "end": "2024-12-31"}],
        "spatial_coverage": [{"uri": HAMM_KEY, "text": "Hamm"}],
        "frequency": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
        "issued": "2021-03-01",
        "modified": "2025-01-15",
        "identifier": "hamm-baumkataster",
        "url": "https://www.hamm.de/baumkataster",
        "documentation": ["https://www.hamm.de/baumkataster/doku"],
        "resources": [{
            "url": "https://www.hamm.de/opendata/baumkataster.csv",
            "name": "Baumkataster (CSV)",
            "description": "Ein Baum je Zeile.",
            "format": "CSV",
            "mimetype": "text/csv",
            "license": "http://dcat-ap.de/def/licenses/cc-by/4.0",
            "availability": "http://publications.europa.eu/resource/authority/planned-availability/STABLE",
            "size": 123456,
            "issued": "2021-03-01",
            "modified": "2025-01-15",
        }],
    }
    if vocabulary.vocabularies().get("persona"):
        data["persona"] = [first_concept("persona")]
    data.update(overrides)
    return data


def create_full_dataset(**overrides: Any) -> dict[str, Any]:
    org = factories.Organization(title="Tiefbau- und Grünflächenamt")
    return helpers.call_action("package_create", **full_dataset_dict(org["id"], **overrides))


def serialise(dataset: dict[str, Any], profiles: list[str] | None = None, fmt: str = "ttl") -> str:
    return RDFSerializer(profiles=profiles or OUR_PROFILES).serialize_dataset(dataset, _format=fmt)


def parse(data: str, profiles: list[str] | None = None, fmt: str = "ttl") -> list[dict[str, Any]]:
    parser = RDFParser(profiles=profiles or OUR_PROFILES)
    parser.parse(data, _format=fmt)
    return list(parser.datasets())


def graph(data: str, fmt: str = "turtle") -> Graph:
    return Graph().parse(data=data, format=fmt)


@pytest.fixture
def full_dataset() -> dict[str, Any]:
    return create_full_dataset()
