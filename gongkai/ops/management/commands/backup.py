"""gongkai backup [DIR]: database, media and a manifest with counts and checksums (gongkai/ops/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "备份数据库和上传文件，并写出带行数和校验值的清单"

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="备份目录（默认 var/backups/时间）")
        parser.add_argument("--no-media", action="store_true", help="不备份上传文件")

    def handle(self, *args, directory=None, no_media=False, **options):
        from gongkai.ops.backup import BackupError, backup_create

        target = Path(directory) if directory else (
            Path(settings.VAR_DIR) / "backups" / timezone.localtime().strftime("%Y%m%d-%H%M%S"))
        try:
            manifest = backup_create(target, media=not no_media)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(f"已备份到 {target}：{len(manifest['tables'])} 张表，共 {rows} 行；"
                          f"文件 {', '.join(manifest['files'])}")
