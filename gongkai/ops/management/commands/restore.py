"""gongkai restore DIR: check the manifest, restore into an empty database, compare the counts."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "从 gongkai backup 的目录恢复到空数据库，并核对清单中的行数"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录")
        parser.add_argument("--sqlite-path", help="恢复为此 SQLite 文件（默认：当前配置的数据库文件）")
        parser.add_argument("--media-root", help="上传文件恢复到此目录（默认：MEDIA_ROOT）")

    def handle(self, *args, directory, sqlite_path=None, media_root=None, **options):
        from gongkai.ops.backup import BackupError, backup_restore

        try:
            differences = backup_restore(Path(directory), sqlite_path=Path(sqlite_path) if sqlite_path else None,
                                         media_root=Path(media_root) if media_root else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if differences:
            lines = "；".join(f"{t} 应为 {a} 行，实为 {b} 行" for t, (a, b) in sorted(differences.items()))
            raise CommandError(f"恢复后行数与清单不符：{lines}")
        self.stdout.write("已恢复，各表行数与备份清单一致。")
