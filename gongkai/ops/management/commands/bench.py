"""gongkai bench NAME [--json] [--repeat R] [sizes…]: the benchmarks of :mod:`gongkai.ops.bench`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gongkai.ops.bench import BENCHMARKS, common


class Command(BaseCommand):
    help = "运行基准测试：" + "、".join(sorted(BENCHMARKS))

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(BENCHMARKS), help="基准测试名称")
        parser.add_argument("args", nargs="*", help="传给基准测试的参数，例如 --json")

    def run_from_argv(self, argv):
        # The benchmark's own parser reads its options (--json, --records N …).
        if len(argv) < 3 or argv[2] not in BENCHMARKS:
            names = "、".join(sorted(BENCHMARKS))
            raise SystemExit(f"用法：gongkai bench NAME [--json]；可用的基准测试：{names}")
        try:
            self.handle(name=argv[2], args=argv[3:])
        except CommandError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(exc.returncode) from exc

    def handle(self, *args, name, **options):
        code = common.run(BENCHMARKS[name], list(options.get("args") or []), stdout=self.stdout, stderr=self.stderr)
        if code:
            raise CommandError(f"基准测试 {name} 未通过（退出码 {code}）。", returncode=code)
