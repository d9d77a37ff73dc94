"""A list of concept ids reads the same in the form, the database, the index and RDF."""
from __future__ import annotations

import pytest

from ckanext.hamm.vocabularies.ids import ids, parse_ids


@pytest.mark.parametrize("value, expected", [
    (None, []),
    ("", []),
    ([], []),
    (["umwelt", "", None, " mobilitaet "], ["umwelt", "mobilitaet"]),   # form post with empty boxes
    ('["umwelt", "bildung"]', ["umwelt", "bildung"]),                  # stored JSON text
    ("{umwelt,bildung}", ["umwelt", "bildung"]),                       # PostgreSQL array text
    ("umwelt, bildung", ["umwelt", "bildung"]),                        # typed into the API
    ("umwelt", ["umwelt"]),
])
def test_every_form_of_the_same_list_gives_the_same_ids(value, expected):
    assert parse_ids(value) == expected
    assert ids(value) == expected


@pytest.mark.parametrize("value", ['["umwelt"', '[1, ', 42, {"a": 1}])
def test_unreadable_values_are_reported_to_the_validator(value):
    assert parse_ids(value) is None


def test_display_keeps_unreadable_text_as_one_value_and_drops_other_types():
    assert ids('["umwelt"') == ['["umwelt"']
    assert ids(42) == []
