"""The relevance floor's option: `0` in the ini switches it off, as docs/options.md says."""
from __future__ import annotations

import pytest

from ckanext.hamm import config


@pytest.mark.ckan_config("ckanext.hamm.search.min_score_ratio", 0)
def test_a_floor_of_zero_switches_it_off():
    assert config.search_min_score_ratio() == 0.0


@pytest.mark.ckan_config("ckanext.hamm.search.min_score_ratio", "0.35")
def test_a_share_is_taken_as_it_is():
    assert config.search_min_score_ratio() == 0.35
