"""Actions for "Fehler melden": a citizen reports a problem with a dataset to its organisation."""
from __future__ import annotations

import logging
from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.hamm.participation import abuse
from ckanext.hamm import config as hamm_config
from ckanext.hamm.logic.auth.report import organization_id
from ckanext.hamm.model import report as report_model

__all__ = ["hamm_report_create", "hamm_report_list"]

log = logging.getLogger(__name__)

MESSAGE_MIN, MESSAGE_MAX, EMAIL_MAX = 10, 4000, 254
LIST_LIMIT_MAX = 100


def _category(value: Any) -> Any:
    if value not in report_model.CATEGORIES:
        raise tk.Invalid(tk._("Please choose what kind of problem it is."))
    return value


def _message_length(value: str) -> str:
    if len(value) < MESSAGE_MIN:
        raise tk.Invalid(tk._("Please describe the problem in at least {n} characters.").format(n=MESSAGE_MIN))
    if len(value) > MESSAGE_MAX:
        raise tk.Invalid(tk._("Please keep the description under {n} characters.").format(n=MESSAGE_MAX))
    return value


def _email_length(value: str) -> str:
    if len(value) > EMAIL_MAX:
        raise tk.Invalid(tk._("Please enter a valid e-mail address."))
    return value


def _schema() -> dict[str, Any]:
    v = tk.get_validator
    return {
        "package_id": [v("not_empty"), v("unicode_safe")],
        "category": [v("not_empty"), v("unicode_safe"), _category],
        "message": [v("not_empty"), v("unicode_safe"), v("strip_value"), _message_length],
        "email": [v("ignore_missing"), v("unicode_safe"), v("strip_value"), v("email_validator"),
                  _email_length],
        "language": [v("ignore_missing"), v("unicode_safe")],
    }


def hamm_report_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Store a problem report about a visible dataset and notify its organisation.

    Same abuse limits as data requests: the honeypot, and per client (account or hashed
    address) at most ``ckanext.hamm.datarequest.rate_limit`` reports per window.

    Returns only what the reporter may see (no staff data)."""
    tk.check_access("hamm_report_create", context, data_dict)
    abuse.check_honeypot(data_dict)
    data, errors = tk.navl_validate(dict(data_dict), _schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    abuse.hit_rate_limit("report", context, hamm_config.datarequest_rate_limit())
    # As the caller: a private dataset the caller cannot see is "not found".
    package = tk.get_action("package_show")(
        {"user": context.get("user", ""), "for_view": False}, {"id": data["package_id"]})
    language = data.get("language") if data.get("language") in ("de", "en") else None
    report = report_model.add(
        package_id=package["id"], owner_org=package.get("owner_org"), category=data["category"],
        message=data["message"], email=data.get("email") or None, language=language,
    )
    if hamm_config.report_notify() and hamm_config.mail_configured():
        _notify(report, package)
    return {"id": report.id, "package_id": report.package_id, "category": report.category,
            "state": report.state, "created": report.created.isoformat()}


def hamm_report_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reports about one organisation's datasets, newest first (``id``: organisation id or name)."""
    tk.check_access("hamm_report_list", context, data_dict)
    org_id = organization_id(data_dict.get("id") or data_dict.get("owner_org"))
    if org_id is None:
        raise tk.ObjectNotFound(tk._("Organisation not found"))
    try:
        limit = max(1, min(int(data_dict.get("limit", 50)), LIST_LIMIT_MAX))
        offset = max(0, int(data_dict.get("offset", 0)))
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [tk._("Must be a whole number")]}) from None
    total, rows = report_model.for_organization(org_id, limit, offset)
    titles = dict(model.Session.query(model.Package.id, model.Package.title)
                  .filter(model.Package.id.in_([row.package_id for row in rows])).all()) if rows else {}
    results = [dict(row.as_dict(), package_title=titles.get(row.package_id)) for row in rows]
    return {"count": total, "results": results}


def recipients(org_id: str | None) -> list[tuple[str, str]]:
    """The organisation's contact address (its ``email`` extra), else its admins' addresses."""
    group = model.Group.get(org_id) if org_id else None
    if group is None:
        return []
    contact = (group.extras or {}).get("email")
    if contact:
        return [(group.title or group.name, contact)]
    found = []
    for user_id in authz.get_group_or_org_admin_ids(group.id):
        user = model.User.get(user_id)
        if user is not None and user.email and user.state == "active":
            found.append((user.display_name, user.email))
    return found


def _notify(report: report_model.HammReport, package: dict[str, Any]) -> None:
    """Mail failures are logged, never shown: the report is stored either way."""
    from ckan.lib import mailer

    url = tk.url_for("dataset.read", id=package["name"], _external=True)
    subject = tk._("Problem reported for dataset: {title}").format(title=package.get("title") or package["name"])
    body = "\n".join([
        tk._("A visitor of the open-data portal reported a problem with a dataset of your organisation."),
        "", f"{tk._('Dataset')}: {package.get('title')}", url,
        f"{tk._('Category')}: {report.category}",
        f"{tk._('Reply address')}: {report.email or '-'}", "", report.message,
    ])
    for name, address in recipients(report.owner_org):
        try:
            mailer.mail_recipient(name, address, subject, body)
        except mailer.MailerException:
            log.warning("could not mail report %s to the organisation's contact", report.id)
