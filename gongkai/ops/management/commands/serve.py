"""gongkai serve: the platform on http://127.0.0.1:8000 with the production server.

One command is the whole embedded installation (``make run``):

* gunicorn (2 workers by default);
* a job worker (``gongkai worker``) running the queued jobs;
* the scheduler (gongkai/ops/jobs.py), which enqueues the periodic work once per period:
  scheduled records going live and consultations closing every ``--interval`` seconds; once a
  day (Asia/Shanghai) the applications' due dates and reminders and the work-plan reminders; on
  Mondays the compliance monitor's weekly digest.

A larger installation runs web servers with ``--no-jobs`` and ``gongkai worker`` /
``gongkai scheduler`` as their own services (deploy/, docs/deploy.md).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def refuse_root() -> None:
    """An installation (one with its own ``GONGKAI_SECRET_KEY``) never runs as root: a flaw in any
    part of it would otherwise be the whole machine's. The local demo — the public demo key,
    served on 127.0.0.1 by ``make run`` — may, whatever ``GONGKAI_DEBUG`` says."""
    installation = settings.SECRET_KEY != getattr(settings, "DEMO_SECRET_KEY", None)
    if installation and hasattr(os, "geteuid") and os.geteuid() == 0:
        raise CommandError("正式部署（已设置 GONGKAI_SECRET_KEY）不能以 root 身份运行平台，请用专用的非特权用户启动"
                           "（见 docs/security.md“部署检查清单”）。")


def mail_line() -> str:
    """One line saying where the platform's e-mails go (the demo writes them to files, not the terminal)."""
    backend = settings.EMAIL_BACKEND
    if backend.endswith("filebased.EmailBackend"):
        return f"邮件不外发，写入文件：{settings.EMAIL_FILE_PATH}（设置 GONGKAI_EMAIL_URL 后经邮件服务器发送）"
    if backend.endswith("console.EmailBackend"):
        return "邮件输出到本终端（GONGKAI_EMAIL_URL=consolemail://）"
    if backend.endswith("locmem.EmailBackend") or backend.endswith("dummy.EmailBackend"):
        return "邮件不发送（测试用邮件设置）"
    return f"邮件经 {settings.EMAIL_HOST}:{settings.EMAIL_PORT} 发送"


#: The longest path a Unix socket may have (``sun_path`` is 108 bytes on Linux, 104 on macOS).
SOCKET_PATH_MAX = 100


def gunicorn_command(bind: str, workers: int, app: str = "gongkai.wsgi") -> list[str]:
    """The gunicorn command line of this installation. Its control socket (gunicorn 25+) is
    ``VAR_DIR/gunicorn.ctl``, not gunicorn's default in the user's home: two installations on one
    machine (a demo beside a test copy) must not take each other's socket, which gunicorn replaces at
    start and removes at stop. A ``VAR_DIR`` too deep for a socket path gets no control socket."""
    cmd = [sys.executable, "-m", "gunicorn", app, "--bind", bind, "--workers", str(workers), "--timeout", "60",
           # The console shows the address and the accounts, then only warnings and errors; a line per
           # request only when asked for (GONGKAI_ACCESS_LOG=1).
           "--log-level", "warning",
           # A request line up to gunicorn's maximum (8 KB, as nginx's) reaches the platform, whose pages
           # answer a too long search or filter in Chinese; gunicorn's own 414 page is English.
           "--limit-request-line", "8190"]
    if os.environ.get("GONGKAI_ACCESS_LOG", "") not in ("", "0"):
        cmd += ["--access-logfile", "-"]
    control = os.path.abspath(os.path.join(str(settings.VAR_DIR), "gunicorn.ctl"))
    if len(os.fsencode(control)) <= SOCKET_PATH_MAX:
        return [*cmd, "--control-socket", control]
    return [*cmd, "--no-control-socket"]


def gunicorn_env() -> dict[str, str]:
    """gunicorn's environment: ``/metrics`` adds up every worker process through a metrics directory
    (``VAR_DIR/metrics``, emptied at each start) unless ``PROMETHEUS_MULTIPROC_DIR`` names one;
    otherwise each answer would hold only the figures of the worker that happened to answer."""
    env = {**os.environ}
    if not env.get("PROMETHEUS_MULTIPROC_DIR"):
        import shutil

        directory = os.path.join(str(settings.VAR_DIR), "metrics")
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)
        env["PROMETHEUS_MULTIPROC_DIR"] = directory
    return env


class Command(BaseCommand):
    help = "启动平台（gunicorn）、后台任务和定时任务调度"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("GONGKAI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("GONGKAI_WORKERS", "2")))
        parser.add_argument("--interval", type=int, default=30, help="定时发布检查间隔（秒）")
        parser.add_argument("--no-jobs", action="store_true",
                            help="只运行网站，不运行后台任务和调度（另行运行 gongkai worker / scheduler 时使用）")

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

    def _schedule(self) -> None:
        from gongkai.ops import jobs

        try:
            jobs.schedule()
        except Exception as exc:  # noqa: BLE001 - the scheduler must not stop the server
            self.stderr.write(f"定时任务调度失败：{exc}")

    def handle(self, *args, bind, workers, interval, no_jobs=False, **options):
        from django.utils import timezone

        refuse_root()
        settings.GONGKAI_PUBLISH_INTERVAL = interval
        call_command("collectstatic", interactive=False, verbosity=0)
        self._repair_search_index()
        cmd = gunicorn_command(bind, workers)
        self.stdout.write(f"政府信息公开平台已启动：http://{bind}/  （工作台：http://{bind}/workspace/ ；按 Ctrl+C 停止）")
        self.stdout.write(mail_line())
        children = [subprocess.Popen(cmd, env=gunicorn_env())]  # noqa: S603 - fixed argument list
        server = children[0]
        if not no_jobs:
            env = {**os.environ, "GONGKAI_PUBLISH_INTERVAL": str(interval)}
            children.append(subprocess.Popen(  # noqa: S603 - fixed argument list
                [sys.executable, "-m", "gongkai.cli", "worker", "-v0", "--interval", "2"], env=env))
        last_day = None

        def stop(signum, frame):  # systemd, `timeout` or kill: stop the children as Ctrl+C does
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            while server.poll() is None:
                today = timezone.localdate()
                if today != last_day:
                    self._optimize_sqlite(first=last_day is None)
                    last_day = today
                if not no_jobs:
                    self._schedule()
                for _ in range(5):
                    if server.poll() is not None:
                        break
                    time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
        return None
