"""``gongkai import DIR``: import a folder of documents with metadata.csv or metadata.json.

A thin wrapper around :mod:`gongkai.records.importer`: check every row first,
then (unless ``--dry-run``) import all rows in one transaction, or nothing.
"""

from __future__ import annotations

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from gongkai.core.models import Organ
from gongkai.records import importer


class Command(BaseCommand):
    help = "导入一个文件夹中的文件（.txt、.html、.docx、.pdf）及其元数据（metadata.csv 或 metadata.json）。格式见 docs/import.md。"

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="要导入的文件夹，其中有 metadata.csv 或 metadata.json")
        parser.add_argument("--user", required=False, metavar="USERNAME",
                            help="导入人的用户名（必填）：须是各发布机构的信息员/编辑，或平台管理员")
        parser.add_argument("--dry-run", action="store_true", help="只检查并列出将要新建、更新或跳过的信息，不写入任何内容")
        parser.add_argument("--publish", action="store_true",
                            help="导入为已发布：自动登记一条保密审查（已于原系统完成），不加此项则导入为草稿")
        parser.add_argument("--organ", metavar="机关", help="默认的发布机构（代码、全称或简称），用于“发布机构”为空的行")
        parser.add_argument("--metadata", metavar="FILE", help="元数据文件（默认为文件夹中的 metadata.csv 或 metadata.json）")
        parser.add_argument("--attach-original", action="store_true",
                            help="同时把正文文件（.docx、.pdf、.txt）作为附件保存")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        organ = self._organ(options["organ"]) if options["organ"] else None
        now = timezone.now()
        plan = importer.import_plan(
            options["directory"], user=user, publish=options["publish"], organ=organ, metadata=options["metadata"],
            attach_original=options["attach_original"], now=now, progress=self._progress("检查"),
        )
        if plan.problems:
            raise CommandError(self._failure(plan.problems))
        for note in plan.notes:
            self.stdout.write(self.style.WARNING(f"提示：{note}"))
        if options["dry_run"]:
            self.stdout.write("试运行（--dry-run）：以下是将要进行的操作，没有写入任何内容。")
            for row in plan.rows:
                self.stdout.write(f"  {row.describe()}")
            self.stdout.write(plan.summary())
            return
        try:
            importer.import_apply(plan, user=user, now=now, progress=self._progress("导入"))
        except importer.ImportFailed as exc:
            raise CommandError(self._failure(exc.problems)) from exc
        if options["verbosity"] >= 2:
            for row in plan.rows:
                index_no = f" 索引号{row.record.index_no}" if row.record else ""
                self.stdout.write(f"  {row.describe()}{index_no}")
        self.stdout.write(self.style.SUCCESS("导入完成。" + plan.summary()))

    def _user(self, username: str | None):
        if not username:
            raise CommandError("请用 --user 指定导入人的用户名（须是发布机构的信息员/编辑，或平台管理员）。")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在。")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能导入。")
        return user

    def _organ(self, value: str) -> Organ:
        try:
            return importer.Lookup().organ(value)
        except ValueError as exc:
            raise CommandError(f"--organ：{exc}") from exc

    def _progress(self, desc: str):
        stream = getattr(self.stderr, "_out", sys.stderr)

        def wrap(items):
            items = list(items)
            return tqdm(items, desc=desc, unit="条", file=stream, disable=None if len(items) else True, leave=False)

        return wrap

    @staticmethod
    def _failure(problems) -> str:
        lines = [f"导入未执行：发现{len(problems)}处问题，没有写入任何内容。请修改后重新导入。"]
        lines += [f"  {p}" for p in problems]
        return "\n".join(lines)
