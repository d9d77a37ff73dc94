"""The state folder of the embedded stack: where data, PID files, secrets and
the generated ``ckan.ini`` live (``HAMM_STATE_DIR``, default ``./.state``)."""
from __future__ import annotations

import dataclasses
import json
import os
import secrets
import string
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_PLUGINS = ("hamm_search hamm scheming_datasets dcat harvest ckan_harvester hamm_rvr hamm_dcat"
                   " spatial_metadata spatial_query hamm_csw"
                   " datastore xloader datatables_view geojson_view hamm_wms_view"
                   " hamm_geojson_view hamm_chart_view hamm_json_view")
SOLR_PLACEHOLDER = "http://127.0.0.1:1/solr/unused"
TEMPLATE = Path(__file__).with_name("ckan.ini.tmpl")
# Demo only: the fake RVR of the demo's process set is plain http on 127.0.0.1, so the
# harvest job of "Neu ernten" may fetch it; the scheduler finishes jobs within seconds.
DEMO_SETTINGS = """
# Demo only (make demo / make dev): the fake RVR on loopback, plain http.
ckanext.hamm.harvest.allowed_hosts = opendata.ruhr 127.0.0.1
ckanext.hamm.harvest.allow_http = true
ckanext.hamm.harvest.allow_loopback = true
ckanext.hamm.schedule.harvester_run_seconds = 10
# The fake RVR also serves the city's and RVR's files (previews without internet).
ckanext.hamm.previews.linked_hosts = www.hamm.de opendata.ruhr 127.0.0.1
ckanext.hamm.previews.linked_allow_local = true
"""


class DevStackError(RuntimeError):
    """A problem the person at the keyboard can fix; the message says how."""


@dataclasses.dataclass(frozen=True)
class State:
    """Where the embedded services keep their data and PID files."""

    root: Path

    @property
    def pgdata(self) -> Path:
        return self.root / "pg"

    @property
    def redis_dir(self) -> Path:
        return self.root / "redis"

    @property
    def redis_pidfile(self) -> Path:
        return self.redis_dir / "redis.pid"

    @property
    def redis_portfile(self) -> Path:
        return self.redis_dir / "port"

    @property
    def ckan_pidfile(self) -> Path:
        return self.root / "ckan.pid"

    @property
    def secrets_file(self) -> Path:
        return self.root / "secrets.json"

    @property
    def ini(self) -> Path:
        return self.root / "ckan.ini"

    @property
    def storage(self) -> Path:
        return self.root / "storage"


def default_state(cwd: Path | None = None) -> State:
    return State(Path(os.environ.get("HAMM_STATE_DIR") or (cwd or Path.cwd()) / ".state").absolute())


def log(message: str) -> None:
    print(f"[hamm devstack] {message}", file=sys.stderr, flush=True)


# -- configuration ---------------------------------------------------------------------
def load_secrets(state: State) -> dict[str, str]:
    """Secrets are generated once and kept, so sessions and tokens survive restarts."""
    if state.secrets_file.exists():
        return json.loads(state.secrets_file.read_text())
    state.root.mkdir(parents=True, exist_ok=True)
    values = {"secret_key": secrets.token_urlsafe(32), "jwt_secret": secrets.token_urlsafe(32)}
    _write_secrets(state, values)
    return values


def _write_secrets(state: State, values: dict[str, str]) -> None:
    state.secrets_file.write_text(json.dumps(values, indent=2))
    state.secrets_file.chmod(0o600)


DATASTORE_READER = "datastore_ro"
DATASTORE_VARIABLES = ("CKAN_DATASTORE_WRITE_URL", "CKAN_DATASTORE_READ_URL")


def datastore_urls(database_url: str) -> tuple[str, str]:
    """Write and read URL of the DataStore that belongs to ``database_url``.

    CKAN's DataStore wants its own database (``<database>_datastore``) and a second
    role that may only read it, so a ``datastore_search_sql`` can never change data.
    """
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/") + "_datastore"
    host = parts.netloc.rpartition("@")[2]
    write = urlunsplit(parts._replace(path=f"/{name}"))
    read = urlunsplit(parts._replace(netloc=f"{DATASTORE_READER}@{host}", path=f"/{name}"))
    return write, read


def save_secret(state: State, key: str, value: str) -> None:
    _write_secrets(state, dict(load_secrets(state), **{key: value}))


def write_config(state: State, sqlalchemy_url: str, redis: str, site_url: str,
                 plugins: str = DEFAULT_PLUGINS, datastore: tuple[str, str] | None = None,
                 demo: bool = False) -> Path:
    """``datastore``: write and read URL; by default the embedded stack's (``<database>_datastore``).

    ``demo``: the demo's developer settings (DEMO_SETTINGS); never in a production ini.
    """
    write, read = datastore or datastore_urls(sqlalchemy_url)
    values = dict(
        {"xloader_api_token": "NOT_SET"},
        **load_secrets(state),
        datastore_write_url=write,
        datastore_read_url=read,
        sqlalchemy_url=sqlalchemy_url,
        redis_url=redis,
        solr_url=os.environ.get("CKAN_SOLR_URL") or SOLR_PLACEHOLDER,
        site_url=site_url,
        storage_path=str(state.storage),
        plugins=os.environ.get("HAMM_PLUGINS") or plugins,
    )
    state.storage.mkdir(parents=True, exist_ok=True)
    text = string.Template(TEMPLATE.read_text()).substitute(values)
    if demo:  # at the end of [app:main]; the template itself stays a valid ini
        text = text.replace("\n[loggers]", DEMO_SETTINGS + "\n[loggers]", 1)
    state.ini.write_text(text)
    return state.ini
