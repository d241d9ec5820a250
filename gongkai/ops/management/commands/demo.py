"""``gongkai demo``: load the demo data (run ``gongkai migrate`` first). Running it again adds only what is missing."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from gongkai.ops.demo.applicants import DEFAULT_APPLICATIONS
from gongkai.ops.demo.apps_loader import DemoStepError
from gongkai.ops.demo.generate import DEFAULT_SEED
from gongkai.ops.demo.loader import (
    DEFAULT_RECORDS,
    DEMO_PASSWORD,
    DemoError,
    format_table,
    load_demo,
)
from gongkai.records.models import Status


class Command(BaseCommand):
    help = "载入演示数据：五份种子文件的机关、原文和演示账号，以及各种状态的政府信息（可重复执行，不会重复创建）"

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=DEFAULT_RECORDS,
                            help=f"生成的政府信息条数（约数，默认{DEFAULT_RECORDS}；不含五份种子文件）")
        parser.add_argument("--applications", type=int, default=DEFAULT_APPLICATIONS,
                            help=f"生成的依申请公开申请件数（默认{DEFAULT_APPLICATIONS}）")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机数种子（固定种子得到相同的数据）")
        parser.add_argument("--dry-run", action="store_true", help="只统计将要创建的内容，不写入数据库")

    def handle(self, *args, records=DEFAULT_RECORDS, seed=DEFAULT_SEED, dry_run=False,
               applications=DEFAULT_APPLICATIONS, **options):
        if records < 0:
            raise CommandError("--records 不能为负数。")
        if applications < 0:
            raise CommandError("--applications 不能为负数。")
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("数据库尚未迁移到最新版本，请先运行 gongkai migrate。")
        try:
            summary = load_demo(records=records, seed=seed, dry_run=dry_run, applications=applications)
        except (DemoError, DemoStepError) as exc:
            raise CommandError(str(exc)) from exc

        verb = "将新建" if dry_run else "新建"
        self.stdout.write(
            f"{'（演练，未写入）' if dry_run else ''}演示数据：{summary.organs}个机关，{summary.accounts}个账号；"
            f"政府信息{verb}{summary.created}条，已存在{summary.existing}条（用时{summary.seconds:.1f}秒）。"
        )
        filed = "，".join(f"{label}{n}" for label, n in summary.filed_by_attribute)
        states = "，".join(
            f"{label}{n}" + (f"（{filed}）" if label == Status.FILED.label and filed else "")
            for label, n in summary.by_status
        )
        self.stdout.write(f"各状态：{states}。")
        apps = summary.applications
        if apps:
            groups = "，".join(f"{g}{n}" for g, n in apps["by_group"])
            self.stdout.write(
                f"依申请公开：{verb}{summary.applications_created}件，已存在{summary.applications_existing}件；"
                f"共{apps['total']}件，办理中{apps['open']}件（已逾期{apps['overdue']}件），延期申请{apps['extensions']}件，"
                f"行政复议和诉讼{apps['appeals']}件；办理结果：{groups}。")
        self.stdout.write(f"工作要点：{summary.plans}份（{verb}{summary.plans_created}份），进展报送{summary.progress_reports}条；"
                          f"保定市人民政府办公室2025年年度报告草稿：{summary.report}（以上用时{summary.other_seconds:.1f}秒）。")
        if summary.messages:
            self.stdout.write(f"留言与口径库：{summary.messages}。")
        if summary.consultations:
            self.stdout.write(f"公众参与：{summary.consultations}。")
        if summary.places:
            self.stdout.write(f"政务公开地图与精准推送：{summary.places}。")
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(format_table(summary.main_accounts, ("用户名", "角色", "机关")))
        self.stdout.write("其他机关各有一名信息员和一名审核人，用户名形如 bd_czj_editor、bd_czj_reviewer，密码相同。")
