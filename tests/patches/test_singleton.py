"""A plugin class that inherits from another plugin class is its own singleton.

CKAN's ``SingletonPlugin.__new__`` looks its instance up with ``hasattr``, so a subclass
created after its parent got the parent's instance: in the suite, ``hamm_dcat`` answered as
``hamm_rvr`` ("Unknown harvester type: hamm_dcat. Registered types: ['hamm_rvr', 'hamm_rvr']")
once a test had made a ``HammRvrHarvester`` first.
"""
from __future__ import annotations

from ckan.plugins import SingletonPlugin

from ckanext.hamm.patches.singleton import OwnInstance


def test_a_subclass_made_after_its_parent_gets_an_instance_of_its_own() -> None:
    class Parent(SingletonPlugin):
        pass

    class Child(OwnInstance, Parent):
        pass

    parent = Parent()
    child = Child()
    assert type(child) is Child
    assert child is Child() and parent is Parent()


def test_the_dcat_harvester_made_after_the_rvr_harvester_is_the_dcat_harvester() -> None:
    from ckanext.hamm.harvesters.harvester import HammRvrHarvester
    from ckanext.hamm.plugin import HammCswPlugin, HammDcatPlugin, HammRvrPlugin

    HammRvrHarvester()
    assert HammDcatPlugin().info()["name"] == "hamm_dcat"
    assert HammRvrPlugin().info()["name"] == "hamm_rvr"
    assert HammCswPlugin() is not HammRvrHarvester()
