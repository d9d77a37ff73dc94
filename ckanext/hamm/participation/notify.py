"""E-mail to the person who asked for data, when they left an address.

Bilingual (German first), because the staff member who changes the status may
use another language than the requester. A failing mail server is logged and
never undoes the change that triggered the mail.
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ckanext.hamm import config

log = logging.getLogger(__name__)

STATUS_TEXT = {
    "neu": ("eingegangen", "received"),
    "in_pruefung": ("in Prüfung", "under review"),
    "geplant": ("geplant", "planned"),
    "veroeffentlicht": ("veröffentlicht", "published"),
    "abgelehnt": ("abgelehnt", "declined"),
}


def _link(request_id: str) -> str:
    return tk.config["ckan.site_url"].rstrip("/") + f"/datenwunsch/{request_id}"


def body(request: dict[str, Any], reason: str = "") -> str:
    de, en = STATUS_TEXT.get(request["status"], (request["status"], request["status"]))
    lines = [
        f"Ihr Datenwunsch „{request['title']}“ ist jetzt: {de}.",
        f"Your data request \"{request['title']}\" is now: {en}.",
    ]
    if reason:
        lines += ["", f"Begründung / Reason: {reason}"]
    if request.get("dataset_url"):
        lines += ["", f"Datensatz / Dataset: {request['dataset_url']}"]
    lines += ["", f"{_link(request['id'])}", "",
              "Sie erhalten diese Nachricht, weil Sie bei Ihrem Datenwunsch eine E-Mail-Adresse angegeben haben.",
              "You receive this message because you left an e-mail address with your data request."]
    return "\n".join(lines)


def requester(request: dict[str, Any], email: str | None, reason: str = "") -> bool:
    """Send the status mail when enabled and an address exists; True when sent."""
    if not email or not config.datarequest_notify() or not config.mail_configured():
        return False
    subject = f"Datenwunsch / Data request: {request['title'][:80]}"
    try:
        mailer.mail_recipient("", email, subject, body(request, reason))
    except mailer.MailerException as error:
        log.warning("data request %s: notification not sent (%s)", request["id"], type(error).__name__)
        return False
    return True
