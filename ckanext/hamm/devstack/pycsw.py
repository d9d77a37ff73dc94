"""A real CSW server (pycsw) with the invented Hamm geoportal's records, for tests and the demo.

pycsw 2.6 needs SQLAlchemy 1.4, CKAN 2.12 needs 2.x, so pycsw lives in a virtualenv of
its own (``.venv/pycsw``, made by ``make pycsw-tools``). Its repository is an SQLite file
in the state folder, loaded once with ``pycsw-admin.py`` from ``demo/csw_records.py``. The
server listens on 127.0.0.1 only. No ``gzip_compresslevel``: pycsw 2.6.2 then sends the
uncompressed length with a gzip body, and clients cut the answer off.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

from ckanext.hamm.demo import csw_records

CONFIG = """[server]
home={home}
url=http://127.0.0.1:{port}/csw
mimetype=application/xml; charset=UTF-8
encoding=UTF-8
language=de-DE
maxrecords=10
loglevel=WARNING
logfile={home}/pycsw.log
pretty_print=false
domainquerytype=list
domaincounts=false
profiles=apiso

[manager]
transactions=false
allowed_ips=127.0.0.1

[metadata:main]
identification_title=Geoportal Hamm (Demo)
identification_abstract=Erfundene Metadaten für Tests und Demo
identification_keywords=Hamm,Geodaten
identification_keywords_type=theme
identification_fees=None
identification_accessconstraints=None
provider_name=Stadt Hamm
provider_url=https://www.hamm.de
contact_name=Geodaten
contact_position=
contact_address=
contact_city=Hamm
contact_stateorprovince=Nordrhein-Westfalen
contact_postalcode=
contact_country=Deutschland
contact_phone=
contact_fax=
contact_email=geodaten@stadt.hamm.de
contact_url=
contact_hours=
contact_instructions=
contact_role=pointOfContact

[repository]
database=sqlite:///{home}/records.db
table=records

[metadata:inspire]
enabled=false
"""

SERVE = ("import os, sys; os.environ['PYCSW_CONFIG'] = sys.argv[2]; "
         "from wsgiref.simple_server import make_server; from pycsw.wsgi import application; "
         "make_server('127.0.0.1', int(sys.argv[1]), application).serve_forever()")


def pycsw_python() -> Optional[Path]:
    """The interpreter of pycsw's own virtualenv beside this one, if installed."""
    # not resolved: a virtualenv's python is a link to the base interpreter
    candidate = Path(sys.executable).absolute().parent.parent / "pycsw" / "bin" / "python"
    return candidate if candidate.exists() else None


def prepare(home: Path, port: int) -> Path:
    """Write the configuration and load the records (once); return the config file."""
    python = pycsw_python()
    if python is None:
        raise FileNotFoundError("pycsw is not installed: run `make pycsw-tools`")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "pycsw.cfg"
    config.write_text(CONFIG.format(home=home.resolve(), port=port), encoding="utf-8")
    if not (home / "records.db").exists():
        records = home / "records"
        csw_records.write(records)
        admin = str(python.parent / "pycsw-admin.py")
        for args in (["-c", "setup_db"], ["-c", "load_records", "-p", str(records)]):
            subprocess.run([str(python), admin, *args, "-f", str(config)], check=True, cwd=home,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return config


def command(config: Path, port: int) -> list[str]:
    """The server of ``config`` (from ``prepare``) on 127.0.0.1:``port``."""
    python = pycsw_python()
    if python is None:
        raise FileNotFoundError("pycsw is not installed: run `make pycsw-tools`")
    return [str(python), "-c", SERVE, str(port), str(config)]


def demo_geoportal(state: Any, port: int) -> dict[str, str]:
    """``make demo``: load and start pycsw, harvest it once (``ckan hamm demo geoportal``), then
    return its command for the process set ("Neu ernten" later). Without pycsw: nothing."""
    import shlex
    import time
    import urllib.request

    from .processes import ckan, port_free

    if pycsw_python() is None or not port_free(port):
        return {}
    try:
        config = prepare(Path(state.root) / "pycsw", port)
    except (OSError, subprocess.CalledProcessError) as error:  # the demo runs on without geodata
        print(f"demo geoportal not started: {error}", file=sys.stderr)
        return {}
    url = f"http://127.0.0.1:{port}/csw"
    server = subprocess.Popen(command(config, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}?service=CSW&request=GetCapabilities", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        ckan(state, "hamm", "demo", "geoportal", "--url", url, check=False)
    finally:
        server.terminate()
        server.wait(10)
    return {"geoportal": shlex.join(command(config, port))}
