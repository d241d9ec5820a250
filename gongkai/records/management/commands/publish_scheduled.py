"""Take scheduled records live whose time has come (each validated again)."""

from django.core.management.base import BaseCommand

from gongkai.records.services import record_publish_due


class Command(BaseCommand):
    help = "发布到期的定时发布信息"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发布的信息，不做修改")

    def handle(self, *args, dry_run=False, **options):
        from django.utils import timezone

        from gongkai.records.models import Record, Status

        if dry_run:
            for record in Record.objects.filter(status=Status.SCHEDULED, published_at__lte=timezone.now()):
                self.stdout.write(f"将发布：{record.index_no} {record.title}")
            return
        published, failed = record_publish_due()
        self.stdout.write(f"已发布{published}条，{failed}条未通过校验（见操作历史）。")
