"""The only module that spells ``ckanext.hamm.*`` config keys (declared in config_declaration.yaml)."""
from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk


def search_rebuild_processes() -> int | None:
    """Processes for a whole-catalogue ``search-index rebuild``; None: by catalogue size.

    Declared by ``hamm_search`` itself (``search/config_declaration.yaml``); read with a
    fallback for code that runs before plugins load.
    """
    value = tk.config.get("ckanext.hamm.search.rebuild_processes")
    return int(value) if value not in (None, "") else None


def search_synonyms_file() -> str:
    """The city's search synonyms (YAML); empty: the file shipped in ``ckanext.hamm.schemas``.

    Declared by ``hamm_search`` like ``search_rebuild_processes``.
    """
    return tk.config.get("ckanext.hamm.search.synonyms_file") or ""


def search_min_score_ratio() -> float:
    """The search box's relevance floor (share of the best hit's score); 0: off.

    Declared by ``hamm_search`` like ``search_rebuild_processes``.
    """
    value = tk.config.get("ckanext.hamm.search.min_score_ratio")
    try:
        ratio = float(0.2 if value in (None, "") else value)  # 0 is a value: the floor off
    except (TypeError, ValueError):
        return 0.2
    return min(max(ratio, 0.0), 1.0)


def demo_sysadmin_name() -> str:
    return tk.config["ckanext.hamm.demo.sysadmin_name"]


def demo_editor_name() -> str:
    return tk.config["ckanext.hamm.demo.editor_name"]


def vocabulary_directory() -> str:
    """Read with a fallback: the search's concept synonyms need it without the hamm plugin too."""
    return tk.config.get("ckanext.hamm.vocabulary.directory", "")


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


def dcat_include_harvested() -> bool:
    """Harvested copies in /catalog.* and the dump (see config_declaration.yaml)."""
    return tk.asbool(tk.config.get("ckanext.hamm.dcat.include_harvested", True))


def dcat_contributor_id() -> str:
    return tk.config["ckanext.hamm.dcat.contributor_id"]


def dcat_municipality_key() -> str:
    return tk.config["ckanext.hamm.dcat.municipality_key"]


def dcat_municipality_name() -> str:
    return tk.config["ckanext.hamm.dcat.municipality_name"]


def dcat_publisher_name() -> str:
    return tk.config["ckanext.hamm.dcat.publisher_name"]


def dcat_publisher_uri() -> str:
    return tk.config["ckanext.hamm.dcat.publisher_uri"]


def dcat_publisher_url() -> str:
    return tk.config["ckanext.hamm.dcat.publisher_url"]


def ui_logo() -> str:
    return tk.config["ckanext.hamm.ui.logo"]


def pages_directory() -> str:
    return tk.config["ckanext.hamm.pages.directory"]


def ui_timezone() -> str:
    return tk.config["ckanext.hamm.ui.timezone"]


def ui_accessibility_email() -> str:
    return tk.config["ckanext.hamm.ui.accessibility_email"]


def report_notify() -> bool:
    return tk.config["ckanext.hamm.report.notify"]


def mail_configured() -> bool:
    """CKAN's mailer can send only with a sender address (``smtp.mail_from`` has no default)."""
    return bool(tk.config.get("smtp.mail_from"))


def harvest_allowed_hosts() -> list[str]:
    return [h.lower() for h in tk.config["ckanext.hamm.harvest.allowed_hosts"]]


def harvest_allow_http() -> bool:
    return tk.config["ckanext.hamm.harvest.allow_http"]


def harvest_allow_loopback() -> bool:
    return tk.config["ckanext.hamm.harvest.allow_loopback"]


def harvest_connect_timeout() -> int:
    return tk.config["ckanext.hamm.harvest.connect_timeout"]


def harvest_read_timeout() -> int:
    return tk.config["ckanext.hamm.harvest.read_timeout"]


def harvest_job_deadline() -> int:
    return tk.config["ckanext.hamm.harvest.job_deadline"]


def harvest_max_response_mb() -> int:
    return tk.config["ckanext.hamm.harvest.max_response_mb"]


def harvest_retries() -> int:
    return tk.config["ckanext.hamm.harvest.retries"]


def harvest_mapping_file() -> str:
    return tk.config["ckanext.hamm.harvest.mapping"]


def harvest_own_uri_prefixes() -> list[str]:
    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    own = list(tk.config["ckanext.hamm.harvest.own_uri_prefixes"])
    base = tk.config.get("ckanext.dcat.base_uri")
    return [p for p in own + ([f"{site}/dataset/"] if site else []) + ([base.rstrip("/") + "/"] if base else []) if p]


def harvest_import_workers() -> int:
    return max(1, tk.config["ckanext.hamm.harvest.import_workers"])


def rvr_publish_url() -> str:
    return tk.config["ckanext.hamm.rvr_publish.url"]


def rvr_publish_organization() -> str:
    return tk.config["ckanext.hamm.rvr_publish.organization"]


def rvr_publish_token_file() -> str:
    return tk.config["ckanext.hamm.rvr_publish.token_file"]


def rvr_publish_mapping_file() -> str:
    return tk.config["ckanext.hamm.rvr_publish.mapping"]


def rvr_publish_shrink_threshold() -> float:
    return float(tk.config["ckanext.hamm.rvr_publish.shrink_threshold"])


def site_url() -> str:
    return (tk.config.get("ckan.site_url") or "").rstrip("/")


def schedule_rvr_sync_seconds() -> int:
    return tk.config["ckanext.hamm.schedule.rvr_sync_seconds"]


def schedule_harvester_run_seconds() -> int:
    return tk.config["ckanext.hamm.schedule.harvester_run_seconds"]


def schedule_directory_sync_seconds() -> int:
    """0 as well when no directory is configured."""
    if not ldap_uri():
        return 0
    return tk.config["ckanext.hamm.schedule.directory_sync_seconds"]


def schedule_link_check_seconds() -> int:
    return tk.config["ckanext.hamm.schedule.link_check_seconds"]


def links_interval_hours() -> int:
    return max(1, tk.config["ckanext.hamm.links.interval_hours"])


def links_keep() -> int:
    return max(2, tk.config["ckanext.hamm.links.keep"])


def links_broken_after_days() -> int:
    return max(1, tk.config["ckanext.hamm.links.broken_after_days"])


def links_per_host() -> int:
    return max(1, tk.config["ckanext.hamm.links.per_host"])


def links_overall() -> int:
    return max(1, tk.config["ckanext.hamm.links.overall"])


def links_timeout() -> int:
    return max(1, tk.config["ckanext.hamm.links.timeout"])


def links_allow_loopback() -> bool:
    return tk.config["ckanext.hamm.links.allow_loopback"]


def freshness_grace_days() -> int:
    return max(0, tk.config["ckanext.hamm.freshness.grace_days"])


def limits_notes_chars() -> int:
    return tk.config["ckanext.hamm.limits.notes_chars"]


def limits_resource_description_chars() -> int:
    return tk.config["ckanext.hamm.limits.resource_description_chars"]


def inventory_max_rows() -> int:
    return tk.config["ckanext.hamm.inventory.max_rows"]


def inventory_max_bytes() -> int:
    return tk.config["ckanext.hamm.inventory.max_bytes"]


def limits_list_snippet_chars() -> int:
    return tk.config["ckanext.hamm.limits.list_snippet_chars"]


def cache_pages() -> bool:
    return tk.config["ckanext.hamm.cache.pages"]


def config_file() -> str:
    """The ini file this process was started with (CKAN records it as ``__file__``)."""
    return tk.config.get("__file__") or ""

def gravatar_allowed() -> bool:
    return tk.asbool(tk.config.get("ckanext.hamm.ui.gravatar"))


def switch_off_gravatar(config: Any) -> None:
    """Unless allowed, no avatar from gravatar.com: it would learn who opens the staff pages."""
    if not gravatar_allowed():
        config["ckan.gravatar_default"] = "disabled"


def harden_login_cookies(config: Any) -> None:
    """The session and "Angemeldet bleiben" cookies: SameSite=Lax always, Secure on an https site.

    flask-login's default for ``remember_token`` is SameSite=None without Secure: sent along
    with every cross-site request and over plain http. An explicit Strict stays.
    """
    https = str(config.get("ckan.site_url") or "").lower().startswith("https://")
    for prefix in ("REMEMBER_COOKIE", "SESSION_COOKIE"):
        if str(config.get(f"{prefix}_SAMESITE") or "None") not in ("Lax", "Strict"):
            config[f"{prefix}_SAMESITE"] = "Lax"
        if https:
            config[f"{prefix}_SECURE"] = True
        config[f"{prefix}_HTTPONLY"] = True


def preview_linked_hosts() -> frozenset[str]:
    hosts = tk.config.get("ckanext.hamm.previews.linked_hosts") or []
    return frozenset(host.lower() for host in (hosts.split() if isinstance(hosts, str) else hosts))


def preview_linked_allow_local() -> bool:
    return tk.asbool(tk.config.get("ckanext.hamm.previews.linked_allow_local"))


def preview_map_hosts() -> frozenset[str]:
    return frozenset(host.lower() for host in tk.config.get("ckanext.hamm.previews.map_hosts") or [])


def preview_map_allow_local() -> bool:
    return tk.asbool(tk.config.get("ckanext.hamm.previews.map_allow_local"))


def content_security_policy() -> str:
    return " ".join((tk.config.get("ckanext.hamm.security.content_security_policy") or "").split())


def trusted_proxies() -> list[str]:
    return tk.aslist(tk.config["ckanext.hamm.security.trusted_proxies"])


def login_failures_per_account() -> int:
    return tk.config["ckanext.hamm.security.login_failures_per_account"]


def login_failures_per_address() -> int:
    return tk.config["ckanext.hamm.security.login_failures_per_address"]


def login_window() -> int:
    return tk.config["ckanext.hamm.security.login_window"]


def ldap_uri() -> str:
    return (tk.config.get("ckanext.hamm.ldap.uri") or "").strip()


def ldap_base_dn() -> str:
    return tk.config["ckanext.hamm.ldap.base_dn"]


def ldap_bind_dn() -> str:
    return tk.config["ckanext.hamm.ldap.bind_dn"]


def ldap_bind_password() -> str:
    """A secret: hand it to the LDAP client only, never to a log line.

    CKAN reads only its own variables from the environment, so the service account's password
    may come from ``HAMM_LDAP_BIND_PASSWORD`` (``/etc/ckan/hamm.env``) instead of the ini file.
    """
    return tk.config["ckanext.hamm.ldap.bind_password"] or os.environ.get("HAMM_LDAP_BIND_PASSWORD", "")


def ldap_login_attribute() -> str:
    return tk.config["ckanext.hamm.ldap.login_attribute"]


def ldap_user_filter() -> str:
    return tk.config["ckanext.hamm.ldap.user_filter"]


def ldap_group_filter() -> str:
    return tk.config["ckanext.hamm.ldap.group_filter"]


def ldap_nested_groups() -> str:
    return tk.config["ckanext.hamm.ldap.nested_groups"]


def ldap_email_attribute() -> str:
    return tk.config["ckanext.hamm.ldap.email_attribute"]


def ldap_name_attribute() -> str:
    return tk.config["ckanext.hamm.ldap.name_attribute"]


def ldap_ca_file() -> str:
    return tk.config["ckanext.hamm.ldap.ca_file"]


def ldap_allow_plain() -> bool:
    return tk.asbool(tk.config["ckanext.hamm.ldap.allow_plain"])


def ldap_timeout() -> int:
    return tk.config["ckanext.hamm.ldap.timeout"]


def ldap_roles_file() -> str:
    return tk.config["ckanext.hamm.ldap.roles_file"]
