"""The only module that spells ``ckanext.hamm.*`` config keys (declared in config_declaration.yaml)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def demo_sysadmin_name() -> str:
    return tk.config["ckanext.hamm.demo.sysadmin_name"]


def vocabulary_directory() -> str:
    return tk.config["ckanext.hamm.vocabulary.directory"]


def schema_contact_email() -> str:
    return tk.config["ckanext.hamm.schema.contact_email"]


def portal_base_uri() -> str:
    """Base of the portal's URIs: ckanext-dcat's base URI, else the site URL."""
    return tk.config.get("ckanext.dcat.base_uri") or tk.config.get("ckan.site_url") or ""


def default_locale() -> str:
    return tk.config.get("ckan.locale_default") or "de"


def datarequest_rate_limit() -> int:
    return tk.config["ckanext.hamm.datarequest.rate_limit"]


def datarequest_vote_rate_limit() -> int:
    return tk.config["ckanext.hamm.datarequest.vote_rate_limit"]


def datarequest_rate_window() -> int:
    return tk.config["ckanext.hamm.datarequest.rate_window"]


def datarequest_votes_per_address() -> int:
    return tk.config["ckanext.hamm.datarequest.votes_per_address"]


def datarequest_notify() -> bool:
    return tk.config["ckanext.hamm.datarequest.notify"]


def kennzahlen_rvr_source() -> str:
    return tk.config["ckanext.hamm.kennzahlen.rvr_source"]


def dcat_contributor_id() -> str:
    return tk.config["ckanext.hamm.dcat.contributor_id"]


def dcat_municipality_key() -> str:
    return tk.config["ckanext.hamm.dcat.municipality_key"]


def dcat_publisher_name() -> str:
    return tk.config["ckanext.hamm.dcat.publisher_name"]


def dcat_publisher_uri() -> str:
    return tk.config["ckanext.hamm.dcat.publisher_uri"]


def ui_logo() -> str:
    return tk.config["ckanext.hamm.ui.logo"]


def ui_accessibility_email() -> str:
    return tk.config["ckanext.hamm.ui.accessibility_email"]


def report_notify() -> bool:
    return tk.config["ckanext.hamm.report.notify"]


def mail_configured() -> bool:
    """CKAN's mailer can send only with a sender address (``smtp.mail_from`` has no default)."""
    return bool(tk.config.get("smtp.mail_from"))
