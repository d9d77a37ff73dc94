"""A stock CKAN as the stand-in for opendata.ruhr: same venv, core schema, its own database and port.

No Hamm schema, templates or actions: only ``hamm_search``, because this machine has no
Solr and stock CKAN cannot create a dataset without a search index (the index is the only
thing it replaces; validation, auth and the API are core's). It runs on 127.0.0.1 with the
dcat-ap.de licence register, organisations ``hamm`` and ``stadt-bochum``, the EU-theme
groups except ``intr``, and API tokens. Used by tests/publish and bench/publish.py.
"""
from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any, Optional

import requests

from bench.search import LOGGING_SECTIONS
from ckanext.hamm import devstack
from ckanext.hamm.devstack import throwaway

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
INI = """[app:main]
use = egg:ckan
SECRET_KEY = {secret}
WTF_CSRF_SECRET_KEY = {secret}
api_token.jwt.encode.secret = string:{secret}
api_token.jwt.decode.secret = string:{secret}
sqlalchemy.url = {database}
ckan.redis.url = {redis}
solr_url = http://127.0.0.1:1/solr/unused
ckan.site_url = {url}
ckan.site_id = rvr-standin
ckan.site_title = Open Data Portal Metropole Ruhr (stand-in)
ckan.storage_path = {folder}/storage
ckan.views.default_views =
ckan.plugins = hamm_search
licenses_group_url = file://{licences}
ckan.auth.create_unowned_dataset = false

""" + LOGGING_SECTIONS


class StandIn:
    """``with StandIn(folder) as rvr:`` — ``rvr.url``, ``rvr.tokens[user]``, ``rvr.api(...)``."""

    def __init__(self, folder: Path, database: Optional[str] = None) -> None:
        self.folder = folder
        self.database = database or os.environ.get("HAMM_TEST_DB", "ckan_test") + "_rvr"
        self.port = throwaway.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tokens: dict[str, str] = {}
        self.database_url = ""
        self.server: Optional[throwaway.Server] = None
        self.log_path = folder / "standin.log"

    def __enter__(self) -> "StandIn":
        self.folder.mkdir(parents=True, exist_ok=True)
        state = devstack.default_state(REPO)
        self.database_url = database = throwaway.fresh_database(devstack.postgres_url(state), self.database)
        redis = devstack.redis_url(state).rsplit("/", 1)[0] + "/" + os.environ.get("HAMM_TEST_REDIS_DB_RVR", "3")
        ini = self.folder / "standin.ini"
        ini.write_text(INI.format(secret=secrets.token_urlsafe(24), database=database, redis=redis, url=self.url,
                                  folder=self.folder, licences=REPO / "ckanext" / "hamm" / "schemas" / "licenses.json"))
        env = throwaway.clean_env()
        throwaway.ckan(ini, "db", "init", env=env)  # core tables plus the hamm_search index table
        self.server = throwaway.Server(ini, self.port, env, self.log_path).start()
        try:
            seeded = throwaway.run([sys.executable, str(HERE / "standin_seed.py"), str(ini)], env)
            self.tokens = json.loads(seeded.stdout.strip().splitlines()[-1])
            self.server.wait_until_up()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    # -- looking at (and cleaning) the stand-in as RVR's own staff would ---------------
    def api(self, action: str, user: str = "rvr-admin", **data: Any) -> Any:
        response = requests.post(f"{self.url}/api/3/action/{action}", json=data,
                                 headers={"Authorization": self.tokens[user]}, timeout=30)
        body = response.json()
        if not body.get("success"):
            raise AssertionError(f"{action} failed at the stand-in: {body.get('error')}")
        return body["result"]

    def datasets(self, org: str = "hamm", include_deleted: bool = False) -> list[dict[str, Any]]:
        result = self.api("package_search", fq=f"organization:{org}", rows=1000, include_private=True,
                          include_deleted=include_deleted, sort="name asc")
        return result["results"]

    def states(self) -> dict[str, str]:
        """name → state of every dataset in RVR's database (deleted ones are not in its search)."""
        return dict(row.split("=", 1) for row in self.sql("SELECT name || '=' || state FROM package "
                                                          "WHERE type = 'dataset'"))

    def purge_all(self) -> None:
        """Each test starts with an empty catalogue (datasets only; users, orgs and groups stay)."""
        for dataset_id in self.sql("SELECT id FROM package WHERE type = 'dataset'"):
            self.api("dataset_purge", id=dataset_id)

    def sql(self, query: str) -> list[Any]:
        """First column of a query on the stand-in's own database (what RVR's database holds)."""
        import psycopg2

        connection = psycopg2.connect(self.database_url)
        try:
            with connection.cursor() as cursor:
                cursor.execute(query)
                return [row[0] for row in cursor.fetchall()]
        finally:
            connection.close()

