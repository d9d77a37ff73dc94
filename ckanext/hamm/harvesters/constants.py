"""Names the harvester's modules share: harvest-object extras and the job-report words
for failures nobody foresaw. One home, so the stages and ``sync`` never import each other
for a constant."""
from __future__ import annotations

RVR_TYPE = "hamm_rvr"            # the RVR harvester's source type (harvest_source.type)
DCAT_TYPE = "hamm_dcat"          # the DCAT-AP.de catalogue harvester's source type
STATUS = "hamm_status"          # object extra: "delete" marks a withdrawal
FINGERPRINT = "hamm_fingerprint"
WRITTEN = "hamm_written"        # staff-owned field values the harvester last wrote
CONFIRMED = "hamm_confirmed"    # staff-owned fields whose suggested value staff confirmed: who and when
FULL_RUN_GUID = "hamm:full-run"  # marker object: when the last complete comparison ran

UNEXPECTED_GATHER = ("Unerwarteter Fehler beim Lesen des Katalogs; Details stehen im Server-Log. "
                     "Es wurde nichts gelöscht. / Unexpected error while reading the catalogue; "
                     "details are in the server log. Nothing was deleted.")
UNEXPECTED_IMPORT = ("Unerwarteter Fehler beim Übernehmen des Datensatzes; Details stehen im Server-Log. / "
                     "Unexpected error while importing the dataset; details are in the server log.")
