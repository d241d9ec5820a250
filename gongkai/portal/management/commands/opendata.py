"""``gongkai opendata``: write the open-data files now (the nightly job does the same)."""

from django.core.management.base import BaseCommand

from gongkai.portal.api.opendata import open_data_nightly


class Command(BaseCommand):
    help = "生成开放数据文件（政府信息目录的 CSV、JSON Lines、XLSX）"

    def handle(self, *args, **options):
        self.stdout.write(open_data_nightly())
