"""gongkai workplan parse FILE [--format json|outline]; gongkai workplan remind [--dry-run] [--today DATE]."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.workplans.parsing import SourceError, parse_file, parse_text
from gongkai.workplans.parsing.outline import render_outline


def _tree(item: dict) -> dict:
    """The documented JSON shape of an item, children last."""
    keys = ("number", "kind", "guidance", "title", "text", "lead_units", "responsible_units", "cooperating_units", "separately",
            "unit_clauses", "deadlines", "line")
    out = {k: item[k] for k in keys}
    out["children"] = [_tree(c) for c in item["children"]]
    return out


class Command(BaseCommand):
    help = "工作要点：解析文件（parse）、发送每日提醒（remind）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("parse", help="解析工作要点文件并输出条目树")
        p.add_argument("file", help=".txt/.html/.docx/.xlsx 文件；“-”表示从标准输入读文字")
        p.add_argument("--format", choices=["json", "outline"], default="json")
        r = sub.add_parser("remind", help="生成今天的任务提醒并发送邮件（每天运行一次；输出一行统计，-v2 逐条列出）")
        r.add_argument("--dry-run", action="store_true", help="只显示将生成的提醒，不写入、不发送")
        r.add_argument("--today", help="按哪一天计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        if options["action"] == "parse":
            return self._parse(options)
        return self._remind(options)

    def _parse(self, options):
        name = options["file"]
        try:
            if name == "-":
                plan = parse_text(sys.stdin.read())
            else:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"找不到文件：{name}")
                plan = parse_file(path.read_bytes(), path.name)
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "outline":
            self.stdout.write(render_outline(plan), ending="")
            return
        data = plan.to_dict()
        data["items"] = [_tree(i) for i in data["items"]]
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _remind(self, options):
        from gongkai.workplans.services import reminders_run, reminders_summary

        try:
            today = dt.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as exc:
            raise CommandError("日期格式应为YYYY-MM-DD。") from exc
        created = reminders_run(today=today, dry_run=options["dry_run"])
        if options["verbosity"] >= 2:  # one line a reminder only when asked (-v2); the summary always
            for reminder in created:
                self.stdout.write(f"{reminder.message}  →  {reminder.recipients or '（无邮箱）'}")
        self.stdout.write(reminders_summary(created, dry_run=options["dry_run"]))
