"""One real slapd per test session (plus one without TLS), and the portal pointed at it.

The tree is shaped like the city's Active Directory: ``sAMAccountName`` logins, ``group``
entries with ``member`` (nested), a disabled account (``userAccountControl`` 514) and a
service account with read rights. Tests that change the tree use accounts of their own.
"""
from __future__ import annotations

import os
from pathlib import Path

import ldap3
import pytest

from tests.directory import slapd

PASSWORDS = {"emuster": "Erika-Passwort-1", "mnested": "Max-Passwort-2", "kadmin": "Klaus-Passwort-3",
             "gesperrt": "Gesperrt-Passwort-4", "wechsler": "Wechsel-Passwort-5", "leaver": "Leaver-Passwort-6",
             "jkunze": "Jana-Passwort-7", "ausgetreten": "Aus-Passwort-8", "geloescht": "Weg-Passwort-9",
             "sitzung": "Sitzung-Passwort-10"}
USERS = f"ou=users,{slapd.BASE}"
GROUPS = f"ou=groups,{slapd.BASE}"


def user_dn(login: str) -> str:
    return f"cn={login},{USERS}"


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


PEOPLE = [  # login, display name, mail, userAccountControl
    ("emuster", "Erika Muster", "erika.muster@stadt.hamm.de", 512),
    ("mnested", "Max Nested", "max.nested@stadt.hamm.de", 512),
    ("kadmin", "Klaus Admin", "klaus.admin@stadt.hamm.de", 512),
    ("gesperrt", "Gesa Gesperrt", "gesa.gesperrt@stadt.hamm.de", 514),
    ("wechsler", "Wilma Wechsler", "wilma.wechsler@stadt.hamm.de", 512),
    ("leaver", "Lea Leaver", "lea.leaver@stadt.hamm.de", 512),
    ("jkunze", "Jana Kunze", "jana.kunze@stadt.hamm.de", 512),
    ("ausgetreten", "Anton Ausgetreten", "anton.ausgetreten@stadt.hamm.de", 512),
    ("geloescht", "Gerd Geloescht", "gerd.geloescht@stadt.hamm.de", 512),
    ("sitzung", "Sina Sitzung", "sina.sitzung@stadt.hamm.de", 512),
]
MEMBERS = {  # group → members (users or groups)
    "GG-Umwelt-Redaktion": [user_dn("emuster"), group_dn("GG-Team-Klima"), user_dn("gesperrt"),
                            user_dn("wechsler"), user_dn("leaver"),
                            user_dn("ausgetreten"), user_dn("geloescht"), user_dn("sitzung")],
    "GG-Team-Klima": [user_dn("mnested")],
    "GG-Umwelt-Leitung": [user_dn("jkunze")],
    "GG-Verkehr-Lesen": [user_dn("emuster"), user_dn("wechsler")],
    "GG-OpenData-Admins": [user_dn("kadmin")],
    "GG-Kantine": [user_dn("emuster")],  # in no rule
}
ROLES_YAML = f"""
groups:
  - group: {group_dn("GG-Umwelt-Redaktion").upper()}
    organisation: umweltamt
    role: editor
  - group: {group_dn("GG-Umwelt-Leitung")}
    organisation: umweltamt
    role: admin
  - group: {group_dn("GG-Verkehr-Lesen")}
    organisation: verkehr
    role: member
  - group: {group_dn("GG-OpenData-Admins")}
    sysadmin: true
"""


def tree() -> str:
    blocks = [f"dn: {slapd.BASE}\nobjectClass: dcObject\nobjectClass: organization\ndc: stadt\no: Stadt Hamm\n"]
    for ou in ("users", "groups", "service"):
        blocks.append(f"dn: ou={ou},{slapd.BASE}\nobjectClass: organizationalUnit\nou: {ou}\n")
    blocks.append(f"dn: {slapd.SERVICE_DN}\nobjectClass: person\ncn: svc-opendata\nsn: Dienstkonto\n"
                  f"userPassword: {slapd.ssha(slapd.SERVICE_PASSWORD)}\n")
    for login, name, mail, control in PEOPLE:
        blocks.append(f"dn: {user_dn(login)}\nobjectClass: user\ncn: {login}\nsn: {name.split()[-1]}\n"
                      f"displayName: {name}\nmail: {mail}\nsAMAccountName: {login}\n"
                      f"userAccountControl: {control}\nuserPassword: {slapd.ssha(PASSWORDS[login])}\n")
    for group in ("GG-Team-Klima", *[g for g in MEMBERS if g != "GG-Team-Klima"]):
        members = "".join(f"member: {member}\n" for member in MEMBERS[group])
        blocks.append(f"dn: {group_dn(group)}\nobjectClass: group\ncn: {group}\n{members}")
    return "\n".join(blocks)


class Directory:
    def __init__(self, tls: slapd.Slapd, plain: slapd.Slapd, certificates: slapd.Certificates,
                 other_ca: Path, roles_file: Path) -> None:
        self.tls, self.plain, self.certificates = tls, plain, certificates
        self.other_ca, self.roles_file = other_ca, roles_file

    def admin(self) -> ldap3.Connection:
        """A writable connection as the directory's administrator (what HR's tools would do)."""
        import ssl

        server = ldap3.Server(self.tls.uri, tls=ldap3.Tls(validate=ssl.CERT_REQUIRED,
                                                          ca_certs_file=str(self.certificates.ca)))
        connection = ldap3.Connection(server, user=slapd.ADMIN_DN, password=slapd.ADMIN_PASSWORD)
        connection.open()
        connection.start_tls()
        assert connection.bind()
        return connection

    def leave_group(self, login: str, group: str) -> None:
        with self.admin() as connection:
            assert connection.modify(group_dn(group), {"member": [(ldap3.MODIFY_DELETE, [user_dn(login)])]})

    def disable(self, login: str) -> None:
        with self.admin() as connection:
            assert connection.modify(user_dn(login), {"userAccountControl": [(ldap3.MODIFY_REPLACE, ["514"])]})

    def delete(self, login: str) -> None:
        with self.admin() as connection:
            assert connection.delete(user_dn(login))


@pytest.fixture(scope="session")
def directory():
    if slapd.binaries() is None:
        pytest.skip("slapd not installed: make install-dev unpacks Debian's package into .venv/slapd")
    state = Path(os.environ.get("HAMM_STATE_DIR") or slapd.REPO / ".state") / "slapd" / (
        os.environ.get("PYTEST_XDIST_WORKER") or "main")
    certificates = slapd.make_certificates(state / "certs")
    other = slapd.make_certificates(state / "other-certs")
    roles_file = state / "directory_roles.yaml"
    roles_file.write_text(ROLES_YAML)
    tls = slapd.start(state / "tls", tree(), certificates)
    plain = slapd.start(state / "plain", tree(), None)
    try:
        yield Directory(tls, plain, certificates, other.ca, roles_file)
    finally:
        tls.stop()
        plain.stop()


@pytest.fixture
def ldap_config(directory, ckan_config, monkeypatch):
    """The portal's options for the TLS directory (a test changes single ones with monkeypatch)."""
    options = {"ckanext.hamm.ldap.uri": directory.tls.uri, "ckanext.hamm.ldap.base_dn": slapd.BASE,
               "ckanext.hamm.ldap.bind_dn": slapd.SERVICE_DN,
               "ckanext.hamm.ldap.bind_password": slapd.SERVICE_PASSWORD,
               "ckanext.hamm.ldap.ca_file": str(directory.certificates.ca),
               "ckanext.hamm.ldap.roles_file": str(directory.roles_file)}
    for key, value in options.items():
        monkeypatch.setitem(ckan_config, key, value)
    return ckan_config
