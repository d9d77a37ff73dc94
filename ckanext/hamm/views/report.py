"""The "Fehler melden" form of a dataset, and the organisation's triage of the reports.

The form works without JavaScript (post, redirect, thank-you page); with
JavaScript the same endpoint answers JSON so the dataset page stays in place.
The CSRF token is checked here (CKAN skips its own check for anonymous users);
a honeypot field keeps simple bots out.
"""
from __future__ import annotations

from typing import Any, Union

import ckan.plugins.toolkit as tk
from flask import Blueprint, jsonify
from werkzeug.wrappers import Response

from ckanext.hamm.participation.report_categories import category_options
from ckanext.hamm.views.csrf import require_csrf_token

__all__ = ["hamm_report"]

hamm_report = Blueprint("hamm_report", __name__)

HONEYPOT = "website"
FIELDS = ("category", "message", "email")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _wants_json() -> bool:
    return tk.request.headers.get("X-Requested-With") == "fetch"


def _package_or_404(package_id: str) -> dict[str, Any]:
    try:
        return tk.get_action("package_show")(_context(), {"id": package_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))


def _render_form(package: dict[str, Any], data: dict[str, Any], errors: dict[str, Any],
                 sent: bool = False, status: int = 200) -> Union[str, tuple[str, int]]:
    page = tk.render("hamm/report_form.html", {
        "pkg": package, "data": data, "errors": errors, "sent": sent,
        "categories": category_options(),
    })
    return (page, status) if status != 200 else page


def report_form(id: str) -> Union[str, tuple[str, int]]:
    package = _package_or_404(id)
    return _render_form(package, {}, {}, sent=tk.request.args.get("sent") == "1")


def _field_errors(error: tk.ValidationError) -> dict[str, list[str]]:
    raw = error.error_dict if isinstance(error.error_dict, dict) else {}
    return {key: [str(message) for message in value] if isinstance(value, list) else [str(value)]
            for key, value in raw.items()}


def report_submit(id: str) -> Union[str, Response, tuple[Any, int]]:
    require_csrf_token()
    package = _package_or_404(id)
    form = tk.request.form
    data = {field: form.get(field, "") for field in FIELDS}
    thanks = tk._("Thank you! Your report has been sent to the responsible office.")
    if form.get(HONEYPOT):
        # Pretend success: a bot learns nothing, nothing is stored.
        if _wants_json():
            return jsonify({"success": True, "message": thanks})
        return tk.redirect_to("hamm_report.form", id=package["name"], sent="1")
    try:
        tk.get_action("hamm_report_create")(_context(), dict(
            {key: value for key, value in data.items() if value}, package_id=package["id"],
            language=tk.h.lang()))
    except tk.ValidationError as error:
        errors = _field_errors(error)
        if _wants_json():
            return jsonify({"success": False, "errors": errors}), 400
        return _render_form(package, data, errors, status=400)
    if _wants_json():
        return jsonify({"success": True, "message": thanks})
    return tk.redirect_to("hamm_report.form", id=package["name"], sent="1")


def status_labels() -> dict[str, str]:
    return {"neu": tk._("New"), "in_bearbeitung": tk._("In progress"), "erledigt": tk._("Done")}


LIST_FILTERS = ("offen", "erledigt", "alle")
TRIAGE_FIELDS = ("status", "note", "reply")


def _organization_or_abort(context: dict[str, Any], id: str) -> dict[str, Any]:
    try:
        organization = tk.get_action("organization_show")(context, {"id": id, "include_datasets": False})
        tk.check_access("hamm_report_list", context, {"id": organization["id"]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Organisation not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only editors of the organisation can read its reports."))
    return organization


def report_list(id: str) -> str:
    """Staff view: the reports about an organisation's datasets, open ones first."""
    context = _context()
    organization = _organization_or_abort(context, id)
    status = tk.request.args.get("status", "offen")
    status = status if status in LIST_FILTERS else "offen"
    result = tk.get_action("hamm_report_list")(context, {
        "id": organization["id"], "limit": 100, "status": "" if status == "alle" else status})
    counts = tk.get_action("hamm_report_counts")(context, {"id": organization["id"]})
    return tk.render("hamm/report_list.html", {
        "organization": organization, "reports": result["results"], "count": result["count"],
        "category_labels": dict(category_options()), "status_labels": status_labels(),
        "status": status, "counts": counts,
    })


def report_read(id: str, report_id: str) -> Union[str, Response, tuple[str, int]]:
    """Staff view of one report: what was reported, its history, and the triage form."""
    context = _context()
    organization = _organization_or_abort(context, id)
    try:
        report = tk.get_action("hamm_report_show")(context, {"id": report_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Report not found"))
    if report["owner_org"] != organization["id"]:
        return tk.abort(404, tk._("Report not found"))
    data: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        require_csrf_token()
        data = {key: tk.request.form.get(key, "") for key in TRIAGE_FIELDS if key in tk.request.form}
        try:
            result = tk.get_action("hamm_report_update")(context, dict(data, id=report["id"]))
        except tk.ValidationError as error:
            errors = _field_errors(error)
        else:
            tk.h.flash_success(tk._("The report has been saved."))
            if data.get("reply", "").strip():
                if result["reply_sent"]:
                    tk.h.flash_success(tk._("The reply has been sent to the reporter."))
                else:
                    tk.h.flash_error(tk._("The reply has been saved but not sent: the portal cannot send "
                                          "e-mail at the moment. Please ask the portal's operators."))
            return tk.redirect_to("hamm_report.read", id=organization["name"], report_id=report["id"])
    page = tk.render("hamm/report_read.html", {
        "organization": organization, "report": report, "data": data, "errors": errors,
        "status_labels": status_labels(), "category_labels": dict(category_options()),
        "error_summary": _triage_summary(errors),
    })
    return (page, 400) if errors else page


def _triage_summary(errors: dict[str, list[str]]) -> dict[str, str]:
    """Field labels, not ids, in the summary above the form ("Status: …", not "status: …")."""
    labels = {"status": tk._("Status"), "note": tk._("Internal note"), "reply": tk._("Reply")}
    return {labels.get(key, key): " ".join(messages) for key, messages in errors.items()}


hamm_report.add_url_rule("/dataset/<id>/fehler-melden", "form", report_form, methods=["GET"])
hamm_report.add_url_rule("/dataset/<id>/fehler-melden", "submit", report_submit, methods=["POST"])
hamm_report.add_url_rule("/organization/<id>/meldungen", "list", report_list)
hamm_report.add_url_rule("/organization/<id>/meldungen/<report_id>", "read", report_read, methods=["GET", "POST"])
