"""gongkai report annual --organ CODE --year YYYY --format json|docx|pdf|xlsx|csv [-o FILE] [--aggregate]

Also: ``gongkai report template`` rebuilds the Word template from code;
``gongkai report digest`` enqueues the weekly compliance e-mail to every 公开办.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.core.models import Organ


class Command(BaseCommand):
    help = "年度报告：导出（annual）、重建Word模板（template）、发送合规监测周报（digest）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        annual = sub.add_parser("annual", help="导出一个机关一个年度的年度报告")
        annual.add_argument("--organ", required=True, help="机关代码（Organ.code）")
        annual.add_argument("--year", required=True, type=int, help="报告年度，例如 2024")
        annual.add_argument("--format", default="json", help="json、docx、pdf、xlsx 或 csv")
        annual.add_argument("-o", "--output", help="输出文件；省略时 json/csv 打印到标准输出，其他格式写入当前目录")
        annual.add_argument("--aggregate", action="store_true", help="汇总下属机关数据（不论报告中的设置）")
        annual.add_argument("--live", action="store_true", help="用最新数据，而不是提交发布时冻结的数据")
        annual.add_argument("--charts", action="store_true", help="Word、PDF 附统计图表（默认不附）")
        sub.add_parser("template", help="按代码重建 Word 模板 gongkai/reports/word/annual_report.docx")
        digest = sub.add_parser("digest", help="向各公开办发送合规监测周报（后台任务）")
        digest.add_argument("--now", action="store_true", help="立即在本进程中发送，不排队")

    def handle(self, *args, action, **opts):
        if action == "template":
            from gongkai.reports import word

            self.stdout.write(f"已生成 {word.write_template()}")
            return
        if action == "digest":
            from gongkai.reports import tasks

            if opts["now"]:
                sent = tasks.send_weekly_digests()
                self.stdout.write(f"已发送 {sent} 封合规监测周报。")
            else:
                tasks.weekly_digest.enqueue()
                self.stdout.write("已排队：合规监测周报。")
            return
        self._annual(**opts)

    def _annual(self, *, organ, year, format, output, aggregate, live, charts=False, **_):
        from gongkai.reports import exports, selectors

        fmt = format.lower()
        if fmt not in exports.FORMATS:
            raise CommandError(f"不支持的格式“{format}”，可用：{'、'.join(exports.FORMATS)}。")
        if not 2019 <= year <= 2100:
            raise CommandError("报告年度应在2019年至2100年之间。")
        found = Organ.objects.filter(code=organ).first()
        if found is None:
            raise CommandError(f"没有代码为“{organ}”的机关。")
        data = selectors.report_data(found, year, frozen=not live and not aggregate,
                                     include_subordinates=True if aggregate else None)
        try:
            blob = exports.export(data, fmt, charts=charts)
        except exports.ExportError as exc:
            raise CommandError(str(exc)) from exc
        if output == "-" or (output is None and fmt in ("json", "csv")):
            sys.stdout.buffer.write(blob)
            sys.stdout.buffer.flush()
            return
        path = Path(output or exports.filename(data, fmt))
        path.write_bytes(blob)
        errors = len(data.errors)
        self.stdout.write(f"已写入 {path}（{len(blob)} 字节）" + (f"；注意：有 {errors} 处勾稽错误" if errors else ""))
