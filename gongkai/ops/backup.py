"""Backups of an installation and their restore (``gongkai backup`` / ``gongkai restore``).

A backup is a directory:

* ``db.sqlite3`` (SQLite, through its online backup API: consistent while the site runs) or
  ``db.dump`` (PostgreSQL, ``pg_dump`` in custom format);
* ``media.tar.gz``, the uploaded files (attachments, letters) of the file-system storage;
* ``manifest.json``: when, which database, the row count of every table and the SHA-256 of
  every file, counted in the copy itself (SQLite) or in the snapshot ``pg_dump`` dumps
  (PostgreSQL), so writes during the backup never make them disagree. ``restore`` checks the
  checksums before touching anything, restores into an empty database, and compares the
  restored counts with the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tables() -> list[str]:
    names = {m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
    return sorted(names)


def _count(execute, fetchone, tables: list[str], quote) -> dict[str, int]:
    counts = {}
    for table in tables:
        execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - model table names
        counts[table] = fetchone()[0]
    return counts


def _sqlite_copy(connection, target_path: Path) -> dict[str, int]:
    """Copy through SQLite's online backup API; the counts are read from the copy itself, so a
    visitor's write during the backup cannot make the manifest disagree with the file."""
    connection.ensure_connection()
    target = sqlite3.connect(target_path)
    try:
        connection.connection.backup(target)
        existing = {row[0] for row in target.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        cursor = target.cursor()
        return _count(cursor.execute, cursor.fetchone, [t for t in _tables() if t in existing],
                      lambda name: '"' + name.replace('"', '""') + '"')
    finally:
        target.close()


def _pg_dump(db: dict, target_path: Path) -> dict[str, int]:
    """``pg_dump`` of the snapshot in which the tables were counted (``--snapshot``): rows written
    while the backup runs are in neither, so the manifest matches the dump exactly."""
    with _pg_connect(db) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        existing = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        cursor = conn.cursor()
        counts = _count(cursor.execute, cursor.fetchone, [t for t in _tables() if t in existing],
                        lambda name: '"' + name.replace('"', '""') + '"')
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}",  # noqa: S603, S607
                        f"--file={target_path}", db["NAME"]], env=_pg_env(db), check=True, capture_output=True)
        conn.execute("COMMIT")
    return counts


def _pg_env(db: dict) -> dict[str, str]:
    env = {**os.environ}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def backup_create(destination: Path, *, using: str = "default", media: bool = True) -> dict:
    """Write a backup into ``destination`` (created; must not exist). Returns the manifest."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"备份目录已存在：{destination}")
    destination.mkdir(parents=True)
    connection = connections[using]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        counts = _sqlite_copy(connection, destination / "db.sqlite3")
    elif connection.vendor == "postgresql":
        counts = _pg_dump(db, destination / "db.dump")
    else:
        raise BackupError(f"不支持的数据库：{connection.vendor}")
    if media:
        root = Path(settings.MEDIA_ROOT)
        with tarfile.open(destination / "media.tar.gz", "w:gz") as tar:
            if root.exists():
                tar.add(root, arcname="media")
    manifest = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "vendor": connection.vendor,
        "tables": counts,
        "files": {p.name: sha256(p) for p in sorted(destination.iterdir())},
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def manifest_verify(source: Path) -> dict:
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"找不到或无法读取备份清单 {source / MANIFEST}：{exc}") from exc
    for name, digest in manifest["files"].items():
        path = source / name
        if not path.exists():
            raise BackupError(f"备份缺少文件：{name}")
        if sha256(path) != digest:
            raise BackupError(f"备份文件校验失败（已损坏或被修改）：{name}")
    return manifest


def _pg_connect(db: dict):
    import psycopg

    params = {k.lower(): db[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if db.get(k)}
    return psycopg.connect(dbname=db["NAME"], autocommit=True, **params)


def backup_restore(source: Path, *, using: str = "default", database: dict | None = None,
                   sqlite_path: Path | None = None, media_root: Path | None = None) -> dict[str, tuple[int, int]]:
    """Restore a backup into an empty database (and media directory). Returns the tables whose
    restored count differs from the manifest ({table: (expected, found)}; empty when all agree)."""
    source = Path(source)
    manifest = manifest_verify(source)
    db = database or connections[using].settings_dict
    if manifest["vendor"] == "sqlite":
        target = Path(sqlite_path or db["NAME"])
        if target.exists() and target.stat().st_size > 0:
            raise BackupError(f"目标数据库不是空的：{target}（请先移走，再恢复）")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / "db.sqlite3", target)
        with sqlite3.connect(target) as conn:
            found = {}
            for table in manifest["tables"]:
                found[table] = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        conn.close()
    elif manifest["vendor"] == "postgresql":
        if not db["ENGINE"].endswith("postgresql"):
            raise BackupError("这是 PostgreSQL 的备份，当前配置的数据库不是 PostgreSQL。")
        with _pg_connect(db) as conn:
            tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        if tables:
            raise BackupError(f"目标数据库 {db['NAME']} 不是空的（已有数据表），请恢复到新建的空数据库。")
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",  # noqa: S603, S607 - fixed program
                        f"--dbname={db['NAME']}", str(source / "db.dump")], env=_pg_env(db), check=True, capture_output=True)
        with _pg_connect(db) as conn:
            found = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608 - manifest tables
                     for t in manifest["tables"]}
    else:
        raise BackupError(f"不支持的数据库：{manifest['vendor']}")
    if (source / "media.tar.gz").exists():
        root = Path(media_root or settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / "media.tar.gz") as tar:
            members = [m for m in tar.getmembers() if m.name == "media" or m.name.startswith("media/")]
            for member in members:
                member.name = member.name.removeprefix("media").lstrip("/") or "."
            tar.extractall(root, members=members, filter="data")
    return {t: (n, found.get(t, -1)) for t, n in manifest["tables"].items() if found.get(t, -1) != n}
