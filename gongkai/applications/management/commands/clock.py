"""gongkai clock FILE.json|-: compute an application's due date from its event log (JSON in, JSON out)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "根据事件记录计算依申请公开的答复期限（读取JSON文件，或用 - 读取标准输入）"

    def run_from_argv(self, argv):
        from gongkai.applications import clock_cli

        calendar = None
        try:
            from gongkai.core.calendar import get_work_calendar

            calendar = get_work_calendar()
        except Exception:  # noqa: BLE001 - without a database the package calendar is used
            calendar = None
        sys.exit(clock_cli.run(argv[2:], calendar=calendar) if calendar is not None else clock_cli.run(argv[2:]))
