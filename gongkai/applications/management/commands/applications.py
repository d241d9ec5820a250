"""gongkai applications recompute | daily | remind | export-applicant ID | erase-applicant [--dry-run]."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from gongkai.applications import services
from gongkai.applications.models import Application


class Command(BaseCommand):
    help = "依申请公开：重算答复期限、到期提醒、导出或删除申请人个人信息"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("recompute", help="重算全部申请的答复期限缓存（工作日历变更后自动执行）")
        sub.add_parser("daily", help="每日任务：重算期限并提醒经办人（经任务队列执行）")
        sub.add_parser("remind", help="立即向经办人发送即将到期、已逾期提醒")
        exp = sub.add_parser("export-applicant", help="导出某申请人的全部个人信息（JSON，记入审计日志）")
        exp.add_argument("id_number", help="证件号码")
        era = sub.add_parser("erase-applicant", help="删除保存期满的申请人个人信息（记入审计日志）")
        era.add_argument("--id-number", help="只处理该证件号码的申请")
        era.add_argument("--dry-run", action="store_true", help="只列出将被删除的申请，不作修改")

    def handle(self, *args, action, **opts):
        if action == "recompute":
            counts = services.applications_recompute()
            self.stdout.write(f"已重算 {counts['total']} 件申请的答复期限，其中 {counts['changed']} 件有变化。")
            if counts["invalid"]:
                self.stdout.write(f"另有 {counts['invalid']} 件的事件记录按当前工作日历无法计算，答复期限未更新，请逐件查看。")
        elif action == "daily":
            from gongkai.applications.tasks import applications_daily

            result = applications_daily.enqueue()
            self.stdout.write(f"已加入任务队列：{result.id}（{result.status}）")
        elif action == "remind":
            self.stdout.write(f"已发送 {services.remind_handlers()} 条提醒。")
        elif action == "export-applicant":
            data = services.applicant_export(actor=None, id_number=opts["id_number"])
            if not data["applications"]:
                raise CommandError("没有该证件号码的申请。")
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        elif action == "erase-applicant":
            qs = Application.objects.filter(erased_at__isnull=True, closed_on__isnull=False)
            if opts.get("id_number"):
                qs = qs.filter(id_number=opts["id_number"].strip().upper())
            due = [a for a in qs if services.erase_failure_reason(a) is None]
            for app in due:
                if opts["dry_run"]:
                    self.stdout.write(f"将删除：{app.tracking_code}（{app.organ}，办结于 {app.closed_on}）")
                else:
                    services.applicant_erase(actor=None, application=app)
                    self.stdout.write(f"已删除：{app.tracking_code}")
            self.stdout.write(f"{'将' if opts['dry_run'] else '已'}处理 {len(due)} 件。")
