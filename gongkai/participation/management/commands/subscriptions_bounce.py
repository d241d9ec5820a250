"""Feed bounces and complaints from the mail server: ``gongkai subscriptions_bounce ADDRESS… [--complaint]``.

Addresses may also come one per line on standard input (``-``), e.g. from a bounce mailbox script."""

import sys

from django.core.management.base import BaseCommand

from gongkai.participation.models import DisabledReason
from gongkai.participation.services.subscriptions import subscriber_disable


class Command(BaseCommand):
    help = "停用退信或投诉的订阅邮箱"

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="+", help="邮箱地址；“-”表示从标准输入逐行读取")
        parser.add_argument("--complaint", action="store_true", help="投诉（标为垃圾邮件），而不是退信")
        parser.add_argument("--dry-run", action="store_true", help="只显示，不修改")

    def handle(self, *args, addresses, complaint, dry_run, **options):
        if addresses == ["-"]:
            addresses = [line.strip() for line in sys.stdin if line.strip()]
        reason = DisabledReason.COMPLAINT if complaint else DisabledReason.BOUNCE
        done = 0
        for address in addresses:
            if dry_run:
                self.stdout.write(f"将停用：{address}（{reason.label}）")
                continue
            if subscriber_disable(email=address, reason=reason) is not None:
                done += 1
            else:
                self.stderr.write(f"没有这个订阅邮箱：{address}")
        self.stdout.write(f"已停用 {done} 个邮箱（{reason.label}）")
