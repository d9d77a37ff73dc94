"""The RVR harvester (``hamm_rvr``): safe HTTP client, pure mapping, thin ckanext-harvest stages."""
