"""A real OpenLDAP ``slapd`` for the directory tests, shaped like the city's Active Directory.

Debian's package (``make install-dev`` unpacks it into ``.venv/slapd`` without starting a
system service), its own config in the test state folder, the tree loaded with ``slapadd``
before the start, and a test CA whose server certificate StartTLS presents. A second
instance without TLS stands for a misconfigured server. Both start in well under a second.
"""
from __future__ import annotations

import base64
import datetime
import hashlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[2]
BASE = "dc=stadt,dc=hamm,dc=de"
ADMIN_DN = f"cn=admin,{BASE}"
# The test-only secrets; the log/database grep looks for exactly these.
ADMIN_PASSWORD = "Dienstkonto-Geheim-7731"
SERVICE_DN = f"cn=svc-opendata,ou=service,{BASE}"
SERVICE_PASSWORD = "Bind-Geheimnis-4409"

# AD's attribute names with AD's OIDs, so the tree answers like a domain controller does.
SCHEMA = """
attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'
  EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName'
  EQUALITY caseIgnoreMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.2.840.113556.1.5.9 NAME 'user' SUP inetOrgPerson STRUCTURAL
  MAY ( sAMAccountName $ userAccountControl $ userPrincipalName ) )
objectclass ( 1.2.840.113556.1.5.8 NAME 'group' SUP top STRUCTURAL
  MUST cn MAY ( member $ description $ mail ) )
"""

CONF = """
include {schema}/core.schema
include {schema}/cosine.schema
include {schema}/inetorgperson.schema
include {state}/ad.schema
pidfile {state}/slapd.pid
modulepath {modules}
moduleload back_mdb
{tls}
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{admin}"
rootpw {rootpw}
directory {state}/data
access to attrs=userPassword by self read by anonymous auth by * none
access to * by dn.exact="{service}" read by self read by users read by * none
"""


def ssha(password: str) -> str:
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def binaries() -> Optional[tuple[Path, Path, Path]]:
    """slapd, its libraries and its modules: the unpacked package first, else the system's."""
    for root in (REPO / ".venv" / "slapd", Path("/")):
        slapd = root / "usr/sbin/slapd"
        if slapd.exists():
            return slapd, root / "usr/lib/x86_64-linux-gnu", root / "usr/lib/ldap"
    return None


def schema_dir() -> Path:
    for root in (REPO / ".venv" / "slapd", Path("/")):
        if (root / "etc/ldap/schema/core.schema").exists():
            return root / "etc/ldap/schema"
    raise FileNotFoundError("OpenLDAP schema files")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Certificates:
    ca: Path
    cert: Path
    key: Path


def make_certificates(folder: Path) -> Certificates:
    """A throw-away CA and a server certificate for 127.0.0.1/localhost."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hamm Test-CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    paths = Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    paths.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    return paths


@dataclass
class Slapd:
    uri: str
    process: subprocess.Popen
    state: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(state: Path, ldif: str, certificates: Optional[Certificates]) -> Slapd:
    """slapd on a free loopback port with the tree ``ldif``; StartTLS when given certificates."""
    found = binaries()
    if found is None:
        raise FileNotFoundError("slapd (make install-dev unpacks it into .venv/slapd)")
    slapd, libs, modules = found
    shutil.rmtree(state, ignore_errors=True)
    (state / "data").mkdir(parents=True)
    (state / "ad.schema").write_text(SCHEMA)
    tls = ""
    if certificates is not None:
        tls = (f"TLSCACertificateFile {certificates.ca}\nTLSCertificateFile {certificates.cert}\n"
               f"TLSCertificateKeyFile {certificates.key}\n")
    conf = state / "slapd.conf"
    conf.write_text(CONF.format(schema=schema_dir(), state=state, modules=modules, tls=tls, base=BASE,
                                admin=ADMIN_DN, rootpw=ssha(ADMIN_PASSWORD), service=SERVICE_DN))
    (state / "tree.ldif").write_text(ldif)
    env = dict(os.environ, LD_LIBRARY_PATH=str(libs))
    subprocess.run([str(slapd), "-T", "add", "-f", str(conf), "-l", str(state / "tree.ldif"), "-q"],
                   env=env, check=True, capture_output=True)
    port = free_port()
    uri = f"ldap://127.0.0.1:{port}"
    with open(state / "slapd.log", "wb") as errors:  # the child keeps its own copy of the handle
        process = subprocess.Popen([str(slapd), "-d", "0", "-f", str(conf), "-h", uri + "/"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=errors)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("slapd ended: " + (state / "slapd.log").read_text(errors="replace")[-2000:])
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return Slapd(uri, process, state)
        except OSError:
            time.sleep(0.02)
    process.kill()
    raise RuntimeError("slapd did not listen within 10 s")
