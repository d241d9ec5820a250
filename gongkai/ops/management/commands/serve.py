"""gongkai serve: the platform on http://127.0.0.1:8000 with the production server.

Runs gunicorn (2 workers by default) and, beside it, the small scheduler of the
platform's periodic work, so that one command is the whole installation:

* every ``--interval`` seconds: take scheduled records live when their time
  comes (validated again then);
* once a day (at start and after midnight, Asia/Shanghai): recompute every
  application's due date and remind handlers (``applications daily``), send
  the work-plan reminders (``workplan remind``), close consultations whose
  period has ended (``consultations close``);
* on Mondays: the compliance monitor's weekly digest (``report digest``).

A larger installation may run these from cron instead (``--no-jobs``).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动平台（gunicorn）和定时发布任务"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("GONGKAI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("GONGKAI_WORKERS", "2")))
        parser.add_argument("--interval", type=int, default=30, help="定时发布检查间隔（秒）")
        parser.add_argument("--no-jobs", action="store_true", help="不运行每日任务（由 cron 另行运行时使用）")

    def _optimize_sqlite(self, first: bool) -> None:
        """Keep SQLite's planner statistics fresh (without them some pages pick the wrong index)."""
        from django.db import connection

        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if first else "PRAGMA optimize")

    def _repair_search_index(self) -> None:
        """Index what the search index misses (e.g. emptied by a migration that changed its tables)."""
        from gongkai.search.index import index_repair

        removed, added = index_repair()
        if removed or added:
            self.stdout.write(f"检索索引已更新：加入 {added} 条，移除 {removed} 条")

    def _daily(self, today) -> None:
        jobs = [("applications", ["daily"]), ("workplan", ["remind"]), ("consultations", ["close"])]
        if today.weekday() == 0:
            jobs.append(("report", ["digest", "--now"]))
        for name, args in jobs:
            out = io.StringIO()
            try:
                call_command(name, *args, stdout=out, stderr=out)
            except Exception as exc:  # noqa: BLE001 - one failing job must not stop the server
                self.stderr.write(f"每日任务 {name} {' '.join(args)} 失败：{exc}")
            else:  # only the job's last line (its summary): the details are in the workspace
                lines = [line for line in out.getvalue().splitlines() if line.strip()]
                if lines:
                    self.stdout.write(f"每日任务 {name} {' '.join(args)}：{lines[-1]}")

    def handle(self, *args, bind, workers, interval, no_jobs=False, **options):
        from gongkai.records.services import record_publish_due

        call_command("collectstatic", interactive=False, verbosity=0)
        self._repair_search_index()
        cmd = [sys.executable, "-m", "gunicorn", "gongkai.wsgi", "--bind", bind, "--workers", str(workers),
               "--access-logfile", "-", "--timeout", "60"]
        self.stdout.write(f"政府信息公开平台已启动：http://{bind}/  （工作台：http://{bind}/workspace/ ；按 Ctrl+C 停止）")
        server = subprocess.Popen(cmd)  # noqa: S603 - fixed argument list
        from django.utils import timezone

        last_day = None
        try:
            while server.poll() is None:
                today = timezone.localdate()
                if today != last_day:
                    self._optimize_sqlite(first=last_day is None)
                    if not no_jobs:
                        self._daily(today)
                    last_day = today
                published, failed = record_publish_due()
                if published or failed:
                    self.stdout.write(f"定时发布：{published}条已发布，{failed}条未通过校验")
                for _ in range(interval):
                    if server.poll() is not None:
                        break
                    time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
        return None
