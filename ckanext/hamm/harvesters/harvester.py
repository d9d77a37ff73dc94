"""The ckanext-harvest stages of ``hamm_rvr``: short, each failure recorded once, jobs always end."""
from __future__ import annotations

import logging
from typing import Any, Optional, Union

import ckan.plugins.toolkit as tk

from ckanext.hamm.net.errors import HammHarvestError
from ckanext.hamm.patches.singleton import OwnInstance
from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestJob, HarvestObject

from . import gather as gathering
from . import importer, source_config
from .constants import DCAT_TYPE, RVR_TYPE, UNEXPECTED_IMPORT

log = logging.getLogger(__name__)


class HammRvrHarvester(OwnInstance, HarvesterBase):
    """Harvests the Open Data Portal Metropole Ruhr (CKAN API or DCAT) into the Hamm schema."""

    force_full = False  # set by `ckan hamm rvr sync --full`

    def info(self) -> dict[str, str]:
        return {
            "name": RVR_TYPE,
            "title": "Open Data Portal Metropole Ruhr (RVR)",
            "description": "Übernimmt die Hamm-Datensätze von opendata.ruhr sicher und inkrementell.",
            "form_config_interface": "Text",
        }

    def validate_config(self, config: Optional[str]) -> str:
        return source_config.validate(config)

    def get_original_url(self, harvest_object_id: str) -> Optional[str]:
        obj = HarvestObject.get(harvest_object_id)
        return gathering.remote_page_url(obj.content, obj.source.url) if obj else None

    def gather_stage(self, harvest_job: HarvestJob) -> list[str]:
        return gathering.gather_and_record(harvest_job, force_full=self.force_full).object_ids

    def fetch_stage(self, harvest_object: HarvestObject) -> Union[bool, str]:
        return True  # the gather stage already holds each record's content

    def import_stage(self, harvest_object: HarvestObject) -> Union[bool, str]:
        try:
            return importer.import_object(harvest_object, self._get_user_name())
        except HammHarvestError as error:
            message = str(error)
        except tk.ValidationError as error:
            message = validation_message(error.error_dict)
        except Exception:
            log.exception("hamm_rvr import failed for object %s", harvest_object.id)
            message = UNEXPECTED_IMPORT
        from ckan import model

        model.Session.rollback()
        self._save_object_error(message, harvest_object, "Import")
        return False


def validation_message(errors: dict[str, Any]) -> str:
    fields = ", ".join(sorted(str(k) for k in errors)[:8])
    return (f"Der Datensatz erfüllt das Hamm-Schema nicht (Felder: {fields}) und wurde nicht übernommen. / "
            f"The dataset does not meet the Hamm schema (fields: {fields}) and was not imported.")


class HammDcatHarvester(HammRvrHarvester):
    """Any DCAT-AP.de catalogue (Open.NRW, GovData, a neighbour's portal) through the same core.

    Same safety, ownership, staff fields, withdrawal guard and loop guard as ``hamm_rvr``; the
    source reads the DCAT catalogue (Hydra paging, ``modified_since``) and its ``filter_*``
    settings keep only what concerns Hamm.
    """

    def info(self) -> dict[str, str]:
        return {
            "name": DCAT_TYPE,
            "title": "DCAT-AP.de-Katalog (Open.NRW, GovData, Nachbarkommunen)",
            "description": "Übernimmt aus einem DCAT-AP.de-Katalog nur, was Hamm betrifft (Filter), "
                           "sicher und inkrementell.",
            "form_config_interface": "Text",
        }

    def validate_config(self, config: Optional[str]) -> str:
        return source_config.validate_dcat(config)
