"""WSGI application for gunicorn (or any WSGI server): ``ckanext.hamm.server.wsgi:application``.

Reads the ini file named by ``CKAN_INI`` like the ``ckan`` command does. Static
files of CKAN and the plugins are answered by WhiteNoise before CKAN's request
handling (no session, no database), with long caching for CKAN's versioned
webassets. The Werkzeug debugger is never part of this application: ``debug``
must be false, use ``make dev`` for the development server.
"""
from __future__ import annotations

import logging.config
import os

from ckan.cli import CKANConfigLoader
from ckan.common import asbool
from ckan.common import config as ckan_config
from ckan.config.middleware import make_app
from ckan.lib.i18n import build_js_translations

from ckanext.hamm.server.static import serve_static


class DebugModeRefused(RuntimeError):
    pass


def create_application(ini: str):
    """The CKAN app wrapped in WhiteNoise; refuses ``debug = true`` (it would serve tracebacks)."""
    ini = os.path.abspath(ini)
    logging.config.fileConfig(ini, disable_existing_loggers=False)
    config = CKANConfigLoader(ini).get_config()
    if asbool(config.get("debug")):
        raise DebugModeRefused(f"{ini}: debug = true is for the development server only (make dev)")
    app = make_app(config)
    # The texts CKAN's JavaScript reads from /api/i18n/<lang> (e.g. every confirm dialog);
    # only `ckan run` builds them, so without this each dialog of the process set is English.
    # Once, in gunicorn's master (preload_app), before the workers fork.
    build_js_translations()
    flask_app = app._wsgi_app
    if not flask_app.config.get("MAX_CONTENT_LENGTH"):
        # Largest request body: an upload of ckan.max_resource_size plus its form fields.
        flask_app.config["MAX_CONTENT_LENGTH"] = (ckan_config["ckan.max_resource_size"] + 1) * 1024 * 1024
    return serve_static(app, flask_app.static_folder)


application = create_application(os.environ.get("CKAN_INI") or "ckan.ini")
