"""Actions for "Fehler melden": a citizen reports a problem with a dataset to its organisation,
whose staff work through it (neu → in Bearbeitung → erledigt) and may answer the reporter.

The reporter's address is returned only to that staff; a reply is mailed by the portal
(CKAN's mailer), so neither side sees the other's address."""
from __future__ import annotations

import logging
from typing import Any, Optional

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.hamm import config as hamm_config
from ckanext.hamm.logic.auth.report import organization_id
from ckanext.hamm.model import report as report_model
from ckanext.hamm.participation import abuse, notify

__all__ = ["hamm_report_create", "hamm_report_list", "hamm_report_show", "hamm_report_update",
           "hamm_report_counts"]

log = logging.getLogger(__name__)

MESSAGE_MIN, MESSAGE_MAX, EMAIL_MAX = 10, 4000, 254
NOTE_MAX = 4000
OPEN = "offen"  # list filter: every status still to be worked on
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
            "status": report.status, "created": report.created.isoformat()}


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
    status = data_dict.get("status") or ""
    if status not in ("", OPEN, *report_model.STATUSES):
        raise tk.ValidationError({"status": [tk._("Unknown status")]})
    statuses = report_model.OPEN_STATUSES if status == OPEN else ((status,) if status else ())
    total, rows = report_model.for_organization(org_id, limit, offset, statuses)
    titles = _titles([row.package_id for row in rows])
    results = [dict(row.as_dict(), package_title=titles.get(row.package_id)) for row in rows]
    return {"count": total, "results": results}


def _titles(package_ids: list[str]) -> dict[str, str]:
    if not package_ids:
        return {}
    return dict(model.Session.query(model.Package.id, model.Package.title)
                .filter(model.Package.id.in_(package_ids)).all())


def _report_or_404(data_dict: DataDict) -> report_model.HammReport:
    report = report_model.get(data_dict.get("id"))
    if report is None:
        raise tk.ObjectNotFound(tk._("Report not found"))
    return report


def _show(report: report_model.HammReport) -> dict[str, Any]:
    package = model.Package.get(report.package_id)
    history = [dict(entry.as_dict(), user_name=name) for entry, name in report_model.history(report.id)]
    return dict(report.as_dict(), package_title=package.title if package else None,
                package_name=package.name if package else None, can_reply=bool(report.email), history=history)


def hamm_report_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One report with its history, for the staff of its organisation (``id``: report id)."""
    tk.check_access("hamm_report_show", context, data_dict)
    return _show(_report_or_404(data_dict))


def _optional_text(data_dict: DataDict, key: str, errors: dict[str, list[str]]) -> Optional[str]:
    value = data_dict.get(key)
    if value is not None and not isinstance(value, str):
        errors[key] = [tk._("Must be text")]
        return None
    value = (value or "").strip()
    if len(value) > NOTE_MAX:
        errors[key] = [tk._("Must be at most {n} characters long").format(n=NOTE_MAX)]
    return value or None


def hamm_report_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Triage one report: a new ``status``, an internal ``note`` and/or a ``reply`` to the reporter.

    Each call that changes something writes one history row. The reply is mailed to the
    reporter's address (there must be one); ``reply_sent`` in the result says whether the
    mail went out (no mail server configured, or it refused: the reply is kept, unsent)."""
    tk.check_access("hamm_report_update", context, data_dict)
    report = _report_or_404(data_dict)
    errors: dict[str, list[str]] = {}
    status = data_dict.get("status", report.status)
    if status not in report_model.STATUSES:
        errors["status"] = [tk._("Please choose one of: new, in progress, done.")]
    note = _optional_text(data_dict, "note", errors)
    reply = _optional_text(data_dict, "reply", errors)
    if reply and not report.email:
        errors["reply"] = [tk._("The reporter left no e-mail address, so there is no one to reply to.")]
    if not errors and status == report.status and not note and not reply:
        errors["status"] = [tk._("Nothing to save: choose another status or write a note or a reply.")]
    if errors:
        raise tk.ValidationError(errors)
    old_status, report.status = report.status, status
    sent = False
    if reply:
        package = model.Package.get(report.package_id)
        sent = notify.reporter(report.as_dict(), package.title if package else "", reply)
    user = model.User.get(context.get("user") or "")
    report_model.record(report, user.id if user else None, old_status, note, reply, sent)
    return dict(_show(report), reply_sent=sent)


def hamm_report_counts(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reports per status for one organisation (``id``), or for each organisation the caller
    works for (dashboard); ``open`` counts what is still to be done."""
    tk.check_access("hamm_report_counts", context, data_dict)
    if data_dict.get("id"):
        org_id = organization_id(data_dict["id"])
        if org_id is None:
            raise tk.ObjectNotFound(tk._("Organisation not found"))
        organizations = [model.Group.get(org_id).as_dict()]
    else:
        organizations = tk.get_action("organization_list_for_user")(
            {"user": context.get("user"), "ignore_auth": True},
            {"permission": "update_dataset", "include_dataset_count": False})
    by_org = report_model.counts([org["id"] for org in organizations])
    rows = [{"id": org["id"], "name": org["name"], "title": org.get("title") or org["name"],
             "by_status": by_org[org["id"]],
             "open": sum(by_org[org["id"]][status] for status in report_model.OPEN_STATUSES)}
            for org in organizations]
    totals = {status: sum(row["by_status"][status] for row in rows) for status in report_model.STATUSES}
    return {"organizations": rows, "by_status": totals,
            "open": sum(totals[status] for status in report_model.OPEN_STATUSES)}


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
