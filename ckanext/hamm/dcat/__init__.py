"""DCAT endpoints around the ``hamm_dcat_ap_de`` profile: full dump and its CLI."""
