"""gongkai consultations close [--date YYYY-MM-DD] [--dry-run]: close consultations whose period has ended."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "意见征集：结束征求意见期限已届满的意见征集（close）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        close = sub.add_parser("close", help="结束截止日期已过的意见征集（调度器的定时任务 consultations_close 已自动运行；此命令供手动运行）")
        close.add_argument("--date", help="按这一天计算（默认今天），格式 YYYY-MM-DD")
        close.add_argument("--dry-run", action="store_true", help="只列出，不结束")

    def handle(self, *args, action, date=None, dry_run=False, **opts):
        from gongkai.participation.models import Consultation, ConsultationStatus
        from gongkai.participation.tasks import close_due_consultations

        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        if dry_run:
            due = Consultation.objects.filter(status=ConsultationStatus.PUBLISHED, ends_on__lt=today)
            for c in due:
                self.stdout.write(f"将结束：{c.title}（截止 {c.ends_on:%Y-%m-%d}）")
            self.stdout.write(f"共 {due.count()} 项意见征集期满（未结束，--dry-run）")
            return
        self.stdout.write(f"已结束 {close_due_consultations(today=today)} 项期满的意见征集")
