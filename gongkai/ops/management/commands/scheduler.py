"""gongkai scheduler: enqueue the periodic jobs, each period exactly once (see gongkai/ops/jobs.py).

Safe to run on every app server at once: the (job, period) row lets one scheduler win.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.db.utils import OperationalError


class Command(BaseCommand):
    help = "定时任务调度：把到期的定时任务放入任务队列（每个周期一次）"

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=5.0, help="检查间隔（秒）")
        parser.add_argument("--once", action="store_true", help="只检查一次")

    def handle(self, *args, tick, once=False, **options):
        from gongkai.ops import jobs

        while True:
            try:
                for run in jobs.schedule():
                    self.stdout.write(f"已排队：{run.job} {run.period}")
            except OperationalError as exc:
                self.stderr.write(f"数据库暂不可用，稍后重试：{exc}")
            close_old_connections()
            if once:
                return
            time.sleep(tick)
