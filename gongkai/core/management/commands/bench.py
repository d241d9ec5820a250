"""gongkai bench NAME [--json]: the benchmarks that measure the speed targets of the issues."""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand, CommandError

# name → module with run(argv: list[str]) -> int
BENCHMARKS = {
    "applications": "gongkai.applications.bench",
    "clock": "gongkai.workdays.bench",
    "pages": "gongkai.portal.bench",
    "report": "gongkai.reports.bench",
    "search": "gongkai.search.bench",
}


class Command(BaseCommand):
    help = "运行基准测试：" + "、".join(BENCHMARKS)

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(BENCHMARKS), help="基准测试名称")
        parser.add_argument("args", nargs="*", help="传给基准测试的参数，例如 --json")

    def run_from_argv(self, argv):
        # Pass unknown options (--json, --records N …) through to the benchmark itself.
        if len(argv) < 3 or argv[2] not in BENCHMARKS:
            names = "、".join(sorted(BENCHMARKS))
            raise SystemExit(f"用法：gongkai bench NAME [--json]；可用的基准测试：{names}")
        self.handle(name=argv[2], args=argv[3:])

    def handle(self, *args, name, **options):
        module = importlib.import_module(BENCHMARKS[name])
        code = module.run(list(options.get("args") or []))
        if code:
            raise CommandError(f"基准测试 {name} 失败（退出码 {code}）。")
