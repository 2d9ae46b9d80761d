"""`make backup` and `make restore`: the database and the uploaded files in one dated folder, and back.

    python -m scripts.backup [backup]        # writes $BACKUP_DIR/logistics-YYYYMMDD-HHMMSSZ/ and prints its path
    python -m scripts.backup restore FOLDER  # into $DATABASE_URL and $MEDIA_ROOT, then checks them
    python -m scripts.backup prune           # deletes backups older than $BACKUP_KEEP_DAYS days

The database and the media folder are the app's own (logistics/settings.py: DATABASE_URL, MEDIA_ROOT, and
ENV_FILE or .env), so the script backs up exactly what the app serves. A backup folder holds:

- `database.dump`: `pg_dump --format=custom` of a PostgreSQL database, or `database.sqlite3`: a copy made
  with SQLite's online backup API (safe while the app writes);
- `media.tar.gz`: every file under MEDIA_ROOT;
- `manifest.json`: when, the app's version and commit, the row count of every table, every file's path, size
  and sha256, and the sha256 of the two files above, so a restore can be checked.

On PostgreSQL the row counts and the dump read the same snapshot (pg_export_snapshot, pg_dump --snapshot),
so they agree even while teachers keep reporting repairs. The folder is written under a `.partial` name and
renamed when complete: a folder with the final name is a whole backup.

Restore refuses a database that already has tables, or a media folder that already has files, unless FORCE=1.
It checks the backup's files against the manifest first, restores (pg_restore --clean --if-exists --no-owner
--no-privileges --single-transaction --exit-on-error), then compares the row count of every table and every
file (size and sha256) with the manifest; it prints what differs and exits 1 when anything does.
Environment: BACKUP_DIR (backups/), BACKUP_KEEP_DAYS (unset: keep all; after a backup, older ones are
deleted), FORCE (1: restore over existing data).
"""
import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "logistics-"
NAME_RE = re.compile(r"^logistics-(\d{8}-\d{6})Z$")
MANIFEST = "manifest.json"
MEDIA_FILE = "media.tar.gz"
PG_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"


class Refused(Exception):
    """A restore that would overwrite data, or a backup that cannot be made as asked."""


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "logistics.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _describe(path):
    return {"file": path.name, "size": path.stat().st_size, "sha256": sha256_file(path)}


def _app_version():
    from importlib import metadata

    try:
        version = metadata.version("school-logistics")
    except metadata.PackageNotFoundError:
        version = None
    commit = None
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10)
        commit = (out.stdout.strip() or None) if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        pass
    return {"version": version, "commit": commit}


def _db():
    from django.conf import settings

    return settings.DATABASES["default"]


def _vendor():
    engine = _db()["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise Refused(f"backups know PostgreSQL and SQLite, not {engine}")


def _pg_env(dbname=None):
    """libpq's environment for pg_dump / pg_restore / psql from the app's DATABASES (no password on a command line)."""
    db = _db()
    env = dict(os.environ)
    for key, value in (("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")), ("PGUSER", db.get("USER")),
                       ("PGPASSWORD", db.get("PASSWORD")), ("PGDATABASE", dbname or db.get("NAME"))):
        if value:
            env[key] = str(value)
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _client_major(tool):
    try:
        out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        raise Refused(f"{tool} is not installed: apt-get install postgresql-client (make backup installs it)") from None
    return int(re.search(r"\)\s*(\d+)", out).group(1)), out.strip()


def _check_client(tool, cursor):
    """pg_dump cannot dump a server newer than itself (pg_restore likewise reads only what its pg_dump wrote)."""
    major, text = _client_major(tool)
    cursor.execute("SHOW server_version")
    server = cursor.fetchone()[0]
    server_major = int(re.match(r"(\d+)", server).group(1))
    if major < server_major:
        raise Refused(f"{text} is older than the server (PostgreSQL {server}): "
                      f"install postgresql-client-{server_major}")
    return text, server


def _no_timeouts(cursor):
    """The web processes' statement and idle-in-transaction timeouts (logistics/settings.py) would cut a long count
    or end the snapshot's transaction while pg_dump works: none for this transaction."""
    cursor.execute("SET LOCAL statement_timeout = 0")
    cursor.execute("SET LOCAL idle_in_transaction_session_timeout = 0")


def _tables(cursor, connection):
    """{table: rows} for every table of the database (Django's and any other), counted exactly."""
    names = connection.introspection.table_names(cursor)
    counts = {}
    for name in sorted(names):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
        counts[name] = cursor.fetchone()[0]
    return counts


# --- backup ------------------------------------------------------------------------------------------------

def backup(backup_dir=None, *, now=None):
    """Write one backup folder and return its path."""
    _django()
    from django.conf import settings

    now = now or datetime.datetime.now(datetime.UTC)
    backup_dir = Path(backup_dir or os.environ.get("BACKUP_DIR") or ROOT / "backups")
    backup_dir.mkdir(parents=True, exist_ok=True)
    final = backup_dir / f"{PREFIX}{now:%Y%m%d-%H%M%S}Z"
    if final.exists():
        raise Refused(f"{final} exists already")
    work = Path(tempfile.mkdtemp(prefix=final.name + ".", suffix=".partial", dir=backup_dir))
    try:
        vendor = _vendor()
        manifest = {"format": 1, "created": now.isoformat(timespec="seconds"), "app": _app_version()}
        database, tables = (_backup_postgresql if vendor == "postgresql" else _backup_sqlite)(work)
        manifest["database"] = database
        manifest["tables"] = tables
        manifest["media"] = _backup_media(Path(settings.MEDIA_ROOT), work / MEDIA_FILE)
        (work / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _backup_postgresql(work):
    from django.db import connection, transaction

    target = work / PG_FILE
    with transaction.atomic(), connection.cursor() as cursor:
        # the counts and the dump see the same moment: the snapshot lives while this transaction is open
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        _no_timeouts(cursor)
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        client, server = _check_client("pg_dump", cursor)
        tables = _tables(cursor, connection)
        proc = subprocess.run(["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot}",
                               f"--file={target}"], env=_pg_env(), capture_output=True, text=True)
        if proc.returncode != 0:
            raise Refused(f"pg_dump failed: {proc.stderr.strip()}")
    info = {"vendor": "postgresql", "name": _db()["NAME"], "server_version": server, "dumped_with": client}
    return {**info, **_describe(target)}, tables


def _backup_sqlite(work):
    source = Path(_db()["NAME"])
    if not source.is_file():
        raise Refused(f"no SQLite database at {source}")
    target = work / SQLITE_FILE
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # the online backup API: a consistent copy while others write
    finally:
        src.close()
    try:
        tables = _sqlite_tables(dst)
    finally:
        dst.close()
    info = {"vendor": "sqlite", "name": str(source), "server_version": sqlite3.sqlite_version,
            "dumped_with": "sqlite3 backup API"}
    return {**info, **_describe(target)}, tables


def _sqlite_tables(conn):
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def _media_files(media_root):
    """Every regular file under media_root, as (relative posix path, Path), sorted."""
    if not media_root.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(media_root).as_posix(), path))
    return found


class _HashingReader:
    def __init__(self, f):
        self.f, self.hash = f, hashlib.sha256()

    def read(self, n=-1):
        data = self.f.read(n)
        self.hash.update(data)
        return data


def _backup_media(media_root, target):
    files = []
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        for rel, path in _media_files(media_root):
            info = tar.gettarinfo(str(path), arcname=rel)
            with open(path, "rb") as f:
                reader = _HashingReader(f)  # the hash is of the bytes that went into the archive
                tar.addfile(info, reader)
            files.append({"path": rel, "size": info.size, "sha256": reader.hash.hexdigest()})
    return {"root": str(media_root), **_describe(target), "files": files}


# --- restore -----------------------------------------------------------------------------------------------

def restore(folder, *, force=None):
    """Restore a backup folder into the app's database and MEDIA_ROOT; returns the list of differences."""
    folder = Path(folder)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise Refused(f"{folder} is not a backup (no {MANIFEST})")
    manifest = json.loads(manifest_path.read_text())
    force = os.environ.get("FORCE", "") in ("1", "true", "yes") if force is None else force
    _django()
    from django.conf import settings

    problems = []
    for part in (manifest["database"], manifest["media"]):
        path = folder / part["file"]
        if not path.is_file():
            raise Refused(f"{path} is missing")
        if sha256_file(path) != part["sha256"]:
            raise Refused(f"{path} is damaged: its sha256 is not the manifest's")
    vendor = _vendor()
    if vendor != manifest["database"]["vendor"]:
        raise Refused(f"the backup holds a {manifest['database']['vendor']} database; DATABASE_URL is {vendor}")
    media_root = Path(settings.MEDIA_ROOT)
    if not force and _media_files(media_root):
        raise Refused(f"MEDIA_ROOT {media_root} already holds files: restore into an empty folder, or FORCE=1")
    if vendor == "postgresql":
        _restore_postgresql(folder / PG_FILE, force)
    else:
        _restore_sqlite(folder / SQLITE_FILE, force)
    _restore_media(folder / MEDIA_FILE, media_root)
    problems += compare_tables(manifest["tables"], restored_tables())
    problems += compare_files(manifest["media"]["files"], media_root)
    return manifest, problems


def _maintenance_connect():
    import psycopg

    db = _db()
    return psycopg.connect(dbname="postgres", host=db.get("HOST") or None, port=db.get("PORT") or None,
                           user=db.get("USER") or None, password=db.get("PASSWORD") or None, autocommit=True)


def _restore_postgresql(dump, force):
    from django.db import connection

    name = _db()["NAME"]
    with _maintenance_connect() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            from psycopg import sql

            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created the database {name}")
    with connection.cursor() as cursor:
        cursor.execute("""SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                          WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                          AND n.nspname NOT LIKE 'pg_toast%%'""")
        if cursor.fetchone()[0] and not force:
            raise Refused(f"the database {name} already has tables: restore into an empty one, or FORCE=1")
        _check_client("pg_restore", cursor)
    connection.close()
    # --no-owner/--no-privileges: the roles of the machine the backup came from need not exist here
    proc = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                           "--single-transaction", "--exit-on-error", "--no-password", f"--dbname={name}", str(dump)],
                          env=_pg_env(name), capture_output=True, text=True)
    if proc.returncode != 0:
        raise Refused(f"pg_restore failed: {proc.stderr.strip()}")


def _restore_sqlite(copy, force):
    from django.db import connection

    target = Path(_db()["NAME"])
    connection.close()
    if target.exists():
        conn = sqlite3.connect(target)
        try:
            has_tables = bool(_sqlite_tables(conn))
        finally:
            conn.close()
        if has_tables and not force:
            raise Refused(f"the database {target} already has tables: restore into an empty one, or FORCE=1")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _restore_media(archive, media_root):
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(media_root, filter="data")  # no absolute paths, no ../, no devices


def restored_tables():
    from django.db import connection, transaction

    connection.close()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _no_timeouts(cursor)
        return _tables(cursor, connection)


def compare_tables(expected, found):
    problems = []
    for name, rows in sorted(expected.items()):
        if name not in found:
            problems.append(f"table {name}: missing (the backup has {rows} rows)")
        elif found[name] != rows:
            problems.append(f"table {name}: {found[name]} rows, the backup has {rows}")
    return problems


def compare_files(expected, media_root):
    problems = []
    for entry in expected:
        path = media_root / entry["path"]
        if not path.is_file():
            problems.append(f"file {entry['path']}: missing")
        elif path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            problems.append(f"file {entry['path']}: differs from the backup (size or sha256)")
    return problems


# --- prune -------------------------------------------------------------------------------------------------

def prune(backup_dir=None, keep_days=None, *, now=None, keep=()):
    """Delete whole backups (named logistics-…Z, with a manifest) older than keep_days days, and .partial leftovers
    older than a day. Returns the deleted paths."""
    backup_dir = Path(backup_dir or os.environ.get("BACKUP_DIR") or ROOT / "backups")
    if keep_days is None:
        keep_days = os.environ.get("BACKUP_KEEP_DAYS", "")
    if keep_days in ("", None) or not backup_dir.is_dir():
        return []
    keep_days = int(keep_days)
    if keep_days < 1:
        raise Refused("BACKUP_KEEP_DAYS must be at least 1")
    now = now or datetime.datetime.now(datetime.UTC)
    deleted = []
    for path in sorted(backup_dir.iterdir()):
        if not path.is_dir() or path in keep:
            continue
        match = NAME_RE.match(path.name)
        if match and (path / MANIFEST).is_file():
            made = datetime.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=datetime.UTC)
            if now - made > datetime.timedelta(days=keep_days):
                shutil.rmtree(path)
                deleted.append(path)
        elif path.name.startswith(PREFIX) and path.name.endswith(".partial"):
            age = now.timestamp() - path.stat().st_mtime
            if age > 86400:
                shutil.rmtree(path, ignore_errors=True)
                deleted.append(path)
    return deleted


# --- command line ------------------------------------------------------------------------------------------

def _summary(manifest):
    rows = sum(manifest["tables"].values())
    files = manifest["media"]["files"]
    return (f"{len(manifest['tables'])} tables, {rows:,} rows; {len(files)} files, "
            f"{sum(f['size'] for f in files):,} bytes")


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv.pop(0) if argv else "backup"
    os.umask(0o077)  # a backup holds pupils' and staff's names: readable by its owner only
    try:
        if command == "backup":
            folder = backup()
            manifest = json.loads((folder / MANIFEST).read_text())
            print(f"Backed up {manifest['database']['vendor']} {manifest['database']['name']}: {_summary(manifest)}")
            if not manifest["tables"]:
                print("WARNING: the database has no tables: is DATABASE_URL the app's?", file=sys.stderr)
            for old in prune(folder.parent, keep=(folder,)):
                print(f"Deleted the old backup {old}")
            print(folder)
            return 0
        if command == "restore":
            if len(argv) != 1 or not argv[0]:
                print("usage: python -m scripts.backup restore FOLDER   (make restore BACKUP=FOLDER)", file=sys.stderr)
                return 2
            manifest, problems = restore(argv[0])
            from django.conf import settings

            print(f"Restored {argv[0]} (made {manifest['created']}, commit {manifest['app']['commit'] or '?'}) into "
                  f"{_db()['NAME']} and {settings.MEDIA_ROOT}: {_summary(manifest)}")
            if problems:
                print(f"MISMATCH: {len(problems)} differences from the manifest:", file=sys.stderr)
                for line in problems:
                    print(f"  {line}", file=sys.stderr)
                return 1
            print("Checked: every table has the backup's row count, every file its size and sha256.")
            return 0
        if command == "prune":
            for old in prune():
                print(f"Deleted the old backup {old}")
            return 0
    except Refused as e:
        print(f"{command}: {e}", file=sys.stderr)
        return 2
    print(f"unknown command {command!r}: backup, restore FOLDER or prune", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
