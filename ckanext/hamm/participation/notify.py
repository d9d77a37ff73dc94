"""E-mail to the person who asked for data or reported a problem, when they left an address.

Bilingual (German first), because the staff member who changes the status may
use another language than the requester. A failing mail server is logged and
never undoes the change that triggered the mail.

The confirmation right after a request goes to an address nobody has verified, so
it carries only the portal's own words and the request's link (never the sender's
title or text), and one address gets at most :data:`CONFIRMATIONS_PER_DAY` of them.
"""
from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from ckan.lib import mailer

from ckanext.hamm import config

log = logging.getLogger(__name__)
CONFIRMATIONS_PER_DAY = 3

STATUS_TEXT = {
    "neu": ("eingegangen", "received"),
    "in_pruefung": ("in Prüfung", "under review"),
    "geplant": ("geplant", "planned"),
    "veroeffentlicht": ("veröffentlicht", "published"),
    "abgelehnt": ("abgelehnt", "declined"),
}


def _link(request_id: str) -> str:
    return config.site_url() + f"/datenwunsch/{request_id}"


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


def confirmation_body(request: dict[str, Any]) -> str:
    """Fixed text and the link: whoever typed the address may not be its owner."""
    return "\n".join([
        "Ihr Datenwunsch ist beim Open-Data-Portal der Stadt Hamm eingegangen.",
        "Your data request has been received by the open data portal of the City of Hamm.",
        "", _link(request["id"]), "",
        "Sie erhalten diese Nachricht, weil bei einem Datenwunsch diese E-Mail-Adresse angegeben wurde. "
        "Wenn Sie das nicht waren, können Sie sie ignorieren.",
        "You receive this message because this e-mail address was given with a data request. "
        "If that was not you, you can ignore it.",
    ])


def _within_daily_limit(email: str) -> bool:
    """Counts one confirmation to this address (keyed by its hash); without Redis: allowed, logged."""
    from ckan.lib.redis import connect_to_redis
    from redis.exceptions import RedisError

    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    key = f"hamm:mail:datarequest:{digest}:{int(time.time()) // 86400}"
    try:
        pipe = connect_to_redis().pipeline()
        pipe.incr(key)
        pipe.expire(key, 86400 + 60)
        count = int(pipe.execute()[0])
    except RedisError:
        log.warning("Redis unavailable: data request confirmation sent without its per-address limit")
        return True
    return count <= CONFIRMATIONS_PER_DAY


def confirmation(request: dict[str, Any], email: str | None) -> bool:
    """The mail right after a request was made; True when sent."""
    if not email or not config.datarequest_notify() or not config.mail_configured():
        return False
    if not _within_daily_limit(email):
        log.info("data request %s: confirmation not sent, address over its daily limit", request["id"])
        return False
    try:
        mailer.mail_recipient("", email, "Datenwunsch eingegangen / Data request received",
                              confirmation_body(request))
    except mailer.MailerException as error:
        log.warning("data request %s: confirmation not sent (%s)", request["id"], type(error).__name__)
        return False
    return True


REPORT_STATUS_TEXT = {
    "neu": ("eingegangen", "received"),
    "in_bearbeitung": ("in Bearbeitung", "in progress"),
    "erledigt": ("erledigt", "resolved"),
}


def reply_body(report: dict[str, Any], dataset_title: str, reply: str) -> str:
    de, en = REPORT_STATUS_TEXT.get(report["status"], (report["status"], report["status"]))
    return "\n".join([
        f"Antwort auf Ihre Meldung zum Datensatz „{dataset_title}“ (Stand: {de}):",
        f"Reply to your report about the dataset \"{dataset_title}\" (status: {en}):",
        "", reply, "",
        "Sie erhalten diese Nachricht, weil Sie bei Ihrer Meldung eine E-Mail-Adresse angegeben haben.",
        "You receive this message because you left an e-mail address with your report.",
    ])


def reporter(report: dict[str, Any], dataset_title: str, reply: str) -> bool:
    """Mail staff's reply to whoever reported a problem; True when sent.

    Sent from the portal's own address (``smtp.mail_from``): the reporter does not learn
    the staff member's address, and staff need not copy the reporter's into a mail program."""
    if not report.get("email") or not config.mail_configured():
        return False
    subject = f"Ihre Meldung zu „{dataset_title[:80]}“ / Your report about \"{dataset_title[:80]}\""
    try:
        mailer.mail_recipient("", report["email"], subject, reply_body(report, dataset_title, reply))
    except mailer.MailerException as error:
        log.warning("report %s: reply not sent (%s)", report["id"], type(error).__name__)
        return False
    return True
