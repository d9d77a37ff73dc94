"""The deployment kit in deploy/ runs exactly the process set that `make demo` runs."""
from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from ckanext.hamm import devstack
from ckanext.hamm.server import procfile

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
VENV_BIN = "/opt/ckan-hamm/venv/bin/"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name)
    return parser


@pytest.mark.parametrize("name", list(procfile()))
def test_each_unit_runs_the_command_of_the_procfile(name):
    service = unit(f"ckan-hamm-{name}.service")
    assert service["Service"]["ExecStart"] == VENV_BIN + procfile()[name]
    assert service["Service"]["EnvironmentFile"] == "/etc/ckan/hamm.env"
    assert service["Service"]["Restart"] == "always"


def test_the_target_starts_every_process_and_nothing_else():
    wanted = unit("ckan-hamm.target")["Unit"]["Wants"].split()
    assert sorted(wanted) == sorted(f"ckan-hamm-{name}.service" for name in procfile())
    assert sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")) == sorted(wanted)


def test_production_ini_has_the_portal_plugins_and_no_debugger():
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(DEPLOY / "ckan.ini.example")
    assert ini["DEFAULT"]["debug"] == "false"
    assert ini["app:main"]["ckan.plugins"] == devstack.DEFAULT_PLUGINS


def test_production_ini_sets_what_the_previews_need():
    """Every preview setting of the dev stack's ini is in the production example too."""
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(DEPLOY / "ckan.ini.example")
    demo = configparser.ConfigParser(interpolation=None)
    demo.read_string(devstack.TEMPLATE.read_text())
    prefixes = ("ckan.datastore.", "ckanext.xloader.", "ckanext.spatial.", "ckan.views.")
    wanted = {key for key in demo["app:main"] if key.startswith(prefixes)}
    assert wanted <= set(ini["app:main"]), wanted - set(ini["app:main"])
    assert ini["app:main"]["ckan.views.default_views"] == demo["app:main"]["ckan.views.default_views"]
    env = (DEPLOY / "hamm.env.example").read_text()
    assert "CKAN_DATASTORE_WRITE_URL=" in env and "CKAN_DATASTORE_READ_URL=postgresql://datastore_ro" in env


def _nginx() -> str | None:
    for candidate in (shutil.which("nginx"), "/usr/sbin/nginx", str(REPO / ".venv" / "nginx" / "usr/sbin/nginx")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.mark.skipif(_nginx() is None or shutil.which("openssl") is None,
                    reason="nginx (Debian package; make install-dev unpacks it into .venv/nginx) or openssl missing")
def test_nginx_site_passes_nginx_t(tmp_path):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=opendata.hamm.de", "-keyout", str(tmp_path / "privkey.pem"),
                    "-out", str(tmp_path / "fullchain.pem")], check=True, capture_output=True)
    site = (DEPLOY / "nginx" / "opendata-hamm.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/opendata.hamm.de/", f"{tmp_path}/")
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        "http {\n  access_log off;\n"
        + "".join(f"  {kind}_temp_path {tmp_path}/{kind};\n"
                  for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"  include {tmp_path}/site.conf;\n}}\n")
    result = subprocess.run([_nginx(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
