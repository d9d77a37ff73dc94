"""The RVR publisher never selects inventory entries that are not open (issue 19)."""
from __future__ import annotations

from ckan.tests import factories, helpers

from ckanext.hamm.publish import publisher

from .conftest import publish_marks

pytestmark = publish_marks()


def test_only_open_public_entries_are_eligible() -> None:
    org = factories.Organization()
    common = {"owner_org": org["id"], "handlungsfeld": ["soziales"], "license_id": "dl-by-de/2.0"}
    open_entry = helpers.call_action("package_create", name="wahllokale", **common)
    internal = helpers.call_action("package_create", name="melderegister", zugang="intern",
                                   rechtsgrundlage="§ 34 BMG", **common)
    eligible = publisher.eligible()
    assert open_entry["id"] in eligible and internal["id"] not in eligible
