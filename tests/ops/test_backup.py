"""The restore drill of the README ("Backups"), in the suite: back up the demo, restore it elsewhere, compare.

On PostgreSQL: a demo (tests/ops/conftest.py: demo_database, made through the services in its own process) in a
scratch database, with its photos and a few more uploaded files in a temporary MEDIA_ROOT; the real command
(`python -m scripts.backup`) backs it up; `python -m scripts.backup restore` restores it into a second scratch
database and media folder. The test then counts the rows of every table in both databases and hashes every file
in both folders itself — it does not take the script's word — so a table or file left out fails it.
Both scratch databases are dropped at the end, also when the test fails.

On SQLite (any run): a small database through the same commands, with the refusals and the mismatch report.
"""
import datetime
import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from scripts import backup as backup_module

from .conftest import drop, pg, run, scratch, url

DST = "sec_e_dst"


def write_uploads(media_root):
    """A few files where the app keeps uploads: photos in dated folders, a name in Chinese, an empty file."""
    files = {
        "repairs/2026/11/灯管-1.jpg": os.urandom(40_000),
        "repairs/2026/11/socket.png": os.urandom(3_000),
        "canteen/certificates/周红.webp": os.urandom(12_345),
        "jobs/register.xlsx": b"PK" + os.urandom(2_000),
        "empty.txt": b"",
    }
    for rel, data in files.items():
        path = media_root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def hashes(media_root):
    return {p.relative_to(media_root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(media_root.rglob("*")) if p.is_file()}


# --- PostgreSQL --------------------------------------------------------------------------------------------

def pg_table_counts(dbname):
    """{table: rows} of every table in every schema but PostgreSQL's own, counted here and not by the script."""
    with pg(dbname) as conn:
        tables = conn.execute("""
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2""").fetchall()
        return {f"{schema}.{name}": conn.execute(f'SELECT COUNT(*) FROM "{schema}"."{name}"').fetchone()[0]
                for schema, name in tables}


def pg_sequences(dbname):
    with pg(dbname) as conn:
        return dict(conn.execute("SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences"))


@pytest.mark.django_db  # so pytest-django makes the migrated test database that demo_database copies
def test_the_demo_backed_up_and_restored_into_scratch_postgresql_has_every_row_and_file(demo_database, tmp_path):
    source, src_media, seed_seconds = demo_database
    print(f"the demo took {seed_seconds:.1f} s")
    dst_media, backups = tmp_path / "media_dst", tmp_path / "backups"
    uploads = write_uploads(src_media)
    src_env = {"DATABASE_URL": url(source), "MEDIA_ROOT": str(src_media), "DEBUG": "true"}
    with scratch(DST):
        drop(DST)
        made = run(["-m", "scripts.backup", "backup"], {**src_env, "BACKUP_DIR": str(backups)})
        assert made.returncode == 0, made.stderr
        folder = Path(made.stdout.strip().splitlines()[-1])
        assert folder.parent == backups and backup_module.NAME_RE.match(folder.name)
        assert sorted(p.name for p in folder.iterdir()) == ["database.dump", "manifest.json", "media.tar.gz"]
        assert not [p for p in backups.iterdir() if p.name.endswith(".partial")]
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["database"]["vendor"] == "postgresql"
        assert manifest["app"]["version"] and manifest["created"]
        # the demo's own photos and documents, and the files written here
        assert {f["path"] for f in manifest["media"]["files"]} == set(hashes(src_media)) >= set(uploads)
        assert (folder / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

        restored = run(["-m", "scripts.backup", "restore", str(folder)],
                       {"DATABASE_URL": url(DST), "MEDIA_ROOT": str(dst_media), "DEBUG": "true"})
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "Checked" in restored.stdout

        counted, copy = pg_table_counts(source), pg_table_counts(DST)
        assert counted == copy
        assert len(counted) > 100 and counted["public.assets_asset"] > 0 and counted["public.auth_user"] >= 13
        assert counted["public.assets_repairrequest"] > 0 and counted["public.canteen_morningcheck"] > 0
        assert counted["public.django_migrations"] > 0 and counted["public.assets_historicalasset"] > 0
        # the script's manifest counted the same rows as this test did
        assert {f"public.{k}": v for k, v in manifest["tables"].items()} == counted
        # sequences come back too: the next repair gets a new id, not one the restored data holds
        assert pg_sequences(source) == pg_sequences(DST)
        assert hashes(dst_media) == hashes(src_media) and len(hashes(dst_media)) >= len(uploads)

        # a second restore over the now full database is refused, and changes nothing
        again = run(["-m", "scripts.backup", "restore", str(folder)],
                    {"DATABASE_URL": url(DST), "MEDIA_ROOT": str(tmp_path / "media_empty"), "DEBUG": "true"})
        assert again.returncode == 2 and "already has tables" in again.stderr
        assert pg_table_counts(DST) == counted


# --- SQLite ------------------------------------------------------------------------------------------------

def _sqlite_school(path):
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE assets_asset (id INTEGER PRIMARY KEY, tag TEXT, name TEXT);
        CREATE TABLE assets_repairrequest (id INTEGER PRIMARY KEY, asset_id INTEGER REFERENCES assets_asset(id),
                                           title TEXT);
        CREATE TABLE empty_table (id INTEGER PRIMARY KEY);
    """)
    conn.executemany("INSERT INTO assets_asset (tag, name) VALUES (?, ?)",
                     [(f"A{i:05d}", f"课桌 {i}") for i in range(250)])
    conn.executemany("INSERT INTO assets_repairrequest (asset_id, title) VALUES (?, ?)",
                     [(i % 250 + 1, "灯管闪烁") for i in range(40)])
    conn.commit()
    conn.close()


def test_sqlite_round_trip_refusals_and_a_reported_mismatch(tmp_path):
    src_db, dst_db = tmp_path / "school.sqlite3", tmp_path / "restored.sqlite3"
    src_media, dst_media, backups = tmp_path / "media_src", tmp_path / "media_dst", tmp_path / "backups"
    _sqlite_school(src_db)
    uploads = write_uploads(src_media)

    made = run(["-m", "scripts.backup"], {"DATABASE_URL": f"sqlite:///{src_db}", "MEDIA_ROOT": str(src_media),
                                          "BACKUP_DIR": str(backups), "DEBUG": "true"})
    assert made.returncode == 0, made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tables"] == {"assets_asset": 250, "assets_repairrequest": 40, "empty_table": 0}
    assert oct((folder / "database.sqlite3").stat().st_mode & 0o777) == "0o600"

    dst_env = {"DATABASE_URL": f"sqlite:///{dst_db}", "MEDIA_ROOT": str(dst_media), "DEBUG": "true"}
    restored = run(["-m", "scripts.backup", "restore", str(folder)], dst_env)
    assert restored.returncode == 0, restored.stderr
    conn = sqlite3.connect(dst_db)
    assert conn.execute("SELECT COUNT(*), MAX(name) FROM assets_asset").fetchone() == (250, "课桌 99")
    assert conn.execute("SELECT COUNT(*) FROM assets_repairrequest").fetchone() == (40,)
    conn.close()
    assert hashes(dst_media) == hashes(src_media) and len(uploads) == len(hashes(dst_media))

    # over existing data: refused (the media folder is looked at first, then the database)
    refused = run(["-m", "scripts.backup", "restore", str(folder)], dst_env)
    assert refused.returncode == 2 and "already holds files" in refused.stderr
    refused = run(["-m", "scripts.backup", "restore", str(folder)], {**dst_env, "MEDIA_ROOT": str(tmp_path / "m2")})
    assert refused.returncode == 2 and "already has tables" in refused.stderr

    # a manifest that names a table and a file the backup lacks, and another row count: exit 1, each named
    bad = tmp_path / "bad" / folder.name
    shutil.copytree(folder, bad)
    tampered = json.loads((bad / "manifest.json").read_text())
    tampered["tables"]["assets_location"] = 7
    tampered["tables"]["assets_asset"] = 251
    tampered["media"]["files"].append({"path": "repairs/2026/11/gone.jpg", "size": 1, "sha256": "0" * 64})
    (bad / "manifest.json").write_text(json.dumps(tampered))
    mismatch = run(["-m", "scripts.backup", "restore", str(bad)], {**dst_env, "FORCE": "1"})
    assert mismatch.returncode == 1, mismatch.stdout + mismatch.stderr
    assert "table assets_location: missing" in mismatch.stderr
    assert "table assets_asset: 250 rows, the backup has 251" in mismatch.stderr
    assert "file repairs/2026/11/gone.jpg: missing" in mismatch.stderr

    # a damaged archive is found before anything is restored
    with open(bad / "media.tar.gz", "r+b") as f:
        f.seek(100)
        f.write(b"\0\0\0\0")
    damaged = run(["-m", "scripts.backup", "restore", str(bad)], {**dst_env, "FORCE": "1"})
    assert damaged.returncode == 2 and "damaged" in damaged.stderr


def test_prune_deletes_only_whole_backups_older_than_the_days_kept(tmp_path):
    now = datetime.datetime(2026, 11, 29, 3, 0, tzinfo=datetime.UTC)
    for day in (1, 10, 20, 28):
        folder = tmp_path / f"logistics-202611{day:02d}-030000Z"
        folder.mkdir()
        (folder / "manifest.json").write_text("{}")
    (tmp_path / "logistics-20261101-030000Z-not-ours").mkdir()
    (tmp_path / "logistics-20261102-030000Z").mkdir()  # no manifest: not a whole backup, left alone
    deleted = backup_module.prune(tmp_path, 14, now=now)
    assert sorted(p.name for p in deleted) == ["logistics-20261101-030000Z", "logistics-20261110-030000Z"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "logistics-20261101-030000Z-not-ours", "logistics-20261102-030000Z", "logistics-20261120-030000Z",
        "logistics-20261128-030000Z"]
    assert backup_module.prune(tmp_path, "", now=now) == []
