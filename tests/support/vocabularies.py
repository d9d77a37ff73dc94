"""A copy of the city's vocabularies with one extra concept, as the city would add it."""
from __future__ import annotations

import shutil
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest

from ckanext.hamm.vocabularies import store as vocabulary

NEW_CONCEPT = """
  - id: kultur-und-tourismus
    label: {de: Kultur und Tourismus, en: Culture and tourism}
    description:
      de: Kulturangebote, Veranstaltungen und Tourismus in Hamm.
      en: Cultural offers, events and tourism in Hamm.
"""


@pytest.fixture
def extended_vocabularies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Vocabulary folder with the Handlungsfeld ``kultur-und-tourismus`` added (no code change)."""
    folder = tmp_path / "vocabularies"
    shutil.copytree(vocabulary.SCHEMAS / "vocabularies", folder)
    with (folder / "handlungsfeld.yaml").open("a", encoding="utf-8") as handle:
        handle.write(NEW_CONCEPT)
    monkeypatch.setitem(tk.config, "ckanext.hamm.vocabulary.directory", str(folder))
    return folder
