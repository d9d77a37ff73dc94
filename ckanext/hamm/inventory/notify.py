"""Mail to the department's admins when an editor hands an entry over for the review.

Bilingual (German first), like the portal's other notifications. A failing or missing
mail server is logged and never undoes the step: the entry also waits on the admins'
dashboard.
"""
from __future__ import annotations

import logging
from typing import Optional

from ckan import model
from ckan.lib import mailer

from ckanext.hamm import config

log = logging.getLogger(__name__)


def admins(org_id: Optional[str]) -> list[model.User]:
    """Active admins of the organisation that have an e-mail address."""
    if not org_id:
        return []
    return (model.Session.query(model.User)
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(model.Member.table_name == "user", model.Member.group_id == org_id,
                    model.Member.capacity == "admin", model.Member.state == "active",
                    model.User.state == "active", model.User.email.isnot(None), model.User.email != "")
            .order_by(model.User.name).all())


def body(package: model.Package, editor: model.User, note: str = "") -> str:
    title = package.title or package.name
    lines = [
        f"{editor.display_name} hat den Eintrag „{title}“ der Dateninventur zur Prüfung übergeben. "
        "Bitte treffen Sie die Datenschutzentscheidung.",
        f"{editor.display_name} handed the inventory entry \"{title}\" over for review. "
        "Please make the data-protection decision.",
    ]
    if note:
        lines += ["", f"Hinweis / Note: {note}"]
    lines += ["", config.site_url() + f"/dataset/{package.name}", "",
              "Sie erhalten diese Nachricht als Admin der Abteilung im Datenportal.",
              "You receive this message as an admin of the department on the data portal."]
    return "\n".join(lines)


def handed_over(package: model.Package, editor: model.User, note: str = "") -> int:
    """Mail each admin of the entry's department; the number of mails sent."""
    if not config.mail_configured():
        return 0
    subject = f"Zur Prüfung übergeben / Handed over for review: {(package.title or package.name)[:80]}"
    sent = 0
    for admin in admins(package.owner_org):
        try:
            mailer.mail_recipient(admin.display_name, admin.email, subject, body(package, editor, note))
        except (mailer.MailerException, OSError) as error:
            log.warning("inventory %s: hand-over mail to %s not sent (%s)", package.id, admin.name,
                        type(error).__name__)
            continue
        sent += 1
    return sent
