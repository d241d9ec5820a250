"""gongkai backup / restore: a restore into an empty database matches the manifest."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gongkai.core.models import Organ
from gongkai.ops import backup as backup_module
from gongkai.ops.backup import MANIFEST
from gongkai.records.models import Attachment, Record
from tests.factories import OrganFactory, RecordFactory


def write_during_the_backup(monkeypatch, owner, name: str) -> list:
    """Make ``owner.name`` (the backup's way to its copy) first commit a new organ, as a visitor's
    write while the backup runs would; once only."""
    written, original = [], getattr(owner, name)

    def writing_first(*args, **kwargs):
        if not written:
            written.append(OrganFactory())
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, writing_first)
    return written


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path; PostgreSQL's is the test below")
def test_backup_then_restore_into_an_empty_database(tmp_path, settings, monkeypatch):
    organ = OrganFactory()
    records = RecordFactory.create_batch(3, organ=organ, published=True)
    att = Attachment(record=records[0], name="全文.txt", size=6, content_type="text/plain")
    att.file.save("full.txt", ContentFile("全文".encode()), save=False)
    att.save()
    backup = tmp_path / "backup"
    written = write_during_the_backup(monkeypatch, backup_module.sqlite3, "connect")
    call_command("backup", str(backup), stdout=open(tmp_path / "out.txt", "w"))
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["vendor"] == "sqlite"
    assert manifest["tables"][Record._meta.db_table] == 3
    assert manifest["tables"][Attachment._meta.db_table] == 1
    assert set(manifest["files"]) == {"db.sqlite3", "media.tar.gz"}
    assert "已备份到" in (tmp_path / "out.txt").read_text()
    assert written and manifest["tables"][Organ._meta.db_table] == 2  # the copy's own count

    restored_db, restored_media = tmp_path / "restored.sqlite3", tmp_path / "media-restored"
    out = tmp_path / "restore.txt"
    call_command("restore", str(backup), sqlite_path=str(restored_db), media_root=str(restored_media),
                 stdout=open(out, "w"))
    assert "一致" in out.read_text()
    assert (restored_media / att.file.name).read_bytes() == "全文".encode()

    with pytest.raises(CommandError, match="不是空的"):  # never over an existing database
        call_command("restore", str(backup), sqlite_path=str(restored_db), media_root=str(restored_media))
    (backup / "db.sqlite3").write_bytes(b"tampered")
    with pytest.raises(CommandError, match="校验失败"):
        call_command("restore", str(backup), sqlite_path=str(tmp_path / "other.sqlite3"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL only (pg_dump / pg_restore)")
def test_postgres_backup_restores_into_a_new_database(tmp_path, monkeypatch):
    import psycopg
    from django.db import connections

    from gongkai.ops.backup import BackupError, backup_create, backup_restore

    RecordFactory.create_batch(2, organ=OrganFactory(), published=True)
    written = write_during_the_backup(monkeypatch, backup_module.subprocess, "run")  # just before pg_dump
    manifest = backup_create(tmp_path / "backup", media=False)
    assert set(manifest["files"]) == {"db.dump"}
    assert written and manifest["tables"][Organ._meta.db_table] == 1  # the dump's snapshot: without it
    source = connections["default"].settings_dict
    name = f"{source['NAME']}_restored"
    params = {k.lower(): source[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if source.get(k)}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        assert backup_restore(tmp_path / "backup", database={**source, "NAME": name}) == {}
        with pytest.raises(BackupError, match="不是空的"):
            backup_restore(tmp_path / "backup", database={**source, "NAME": name})
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
