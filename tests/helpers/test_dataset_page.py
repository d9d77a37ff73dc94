"""Readable metadata rows on the dataset page: no empty blocks, names instead of URIs."""
from __future__ import annotations

import pytest

from ckanext.hamm.helpers import dataset_page
from tests.support.portal import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS), pytest.mark.usefixtures("with_plugins")]


def test_blank_repeating_blocks_count_as_empty() -> None:
    assert dataset_page.hamm_is_empty([{"start": "", "end": None}])
    assert dataset_page.hamm_is_empty("  ") and dataset_page.hamm_is_empty(None)
    assert not dataset_page.hamm_is_empty([{"text": "Hamm"}])


def test_publisher_and_place_by_name_never_by_uri() -> None:
    publisher = [{"name": "Stadt Hamm", "url": "https://www.hamm.de/",
                  "type": "http://purl.org/adms/publishertype/LocalAuthority"}]
    assert dataset_page.hamm_summarise_subfields("publisher", publisher) == [
        {"text": "Stadt Hamm", "url": "https://www.hamm.de/"}]
    only_uri = [{"uri": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05915000"}]
    assert dataset_page.hamm_summarise_subfields("spatial_coverage", only_uri) == []
    unsafe = [{"name": "X", "url": "javascript:alert(1)"}]
    assert dataset_page.hamm_summarise_subfields("publisher", unsafe) == [{"text": "X", "url": ""}]
