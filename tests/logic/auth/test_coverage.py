"""Every action ckanext-hamm registers has an auth function of the same name (security checklist 5).

Without one CKAN only logs "No auth function" and runs the action open to everyone.
"""
from __future__ import annotations

import inspect

import ckan.authz as authz
import ckan.plugins as p
import ckan.plugins.toolkit as tk
import pytest

from ckanext.hamm.plugin import HammPlugin

pytestmark = [pytest.mark.ckan_config("ckan.plugins", "hamm_search hamm scheming_datasets dcat"),
              pytest.mark.usefixtures("with_plugins")]


def _hamm_actions() -> dict:
    return p.get_plugin("hamm").get_actions()


def test_hamm_registers_actions():
    assert {"hamm_datarequest_create", "hamm_datarequest_vote", "hamm_quality_show",
            "hamm_kennzahlen_show"} <= set(_hamm_actions())


def _chained(action) -> bool:
    """A chained action wraps a core or ckanext action, which keeps its own auth function."""
    return bool(getattr(action, "chained_action", False))


def test_every_action_has_an_auth_function_of_the_same_name():
    own = p.get_plugin("hamm").get_auth_functions()
    missing = sorted(name for name, action in _hamm_actions().items()
                     if name not in own and not (_chained(action) and authz.is_authorized and
                                                 name in authz._AuthFunctions.keys()))  # noqa: SIM118 (not a mapping)
    assert missing == [], f"actions without an auth function: {missing}"


@pytest.mark.parametrize("name", sorted(HammPlugin().get_actions()))
def test_every_action_calls_check_access_with_its_own_name(name):
    action = _hamm_actions()[name]
    if _chained(action):
        pytest.skip("chained action: the wrapped action checks access")
    source = inspect.getsource(inspect.unwrap(action))
    assert f'check_access("{name}"' in source, f"{name} does not call check_access first"
    assert tk.get_action(name) is not None
