"""gongkai reindex: rebuild the search index from Record.objects.public() (and the participation items from
their own public doors), with a progress bar."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from tqdm import tqdm

from gongkai.search.index import index_check, index_rebuild
from gongkai.search.items import items_check, items_rebuild


class Command(BaseCommand):
    help = "重建全文检索索引（只收录主动公开且已发布的信息）。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查索引与公开信息是否一致，不重建")

    def handle(self, *args, check=False, **options):
        if check:
            result = index_check()
            result["items"] = items_check()
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            if result["missing"] or result["extra"] or any(v["missing"] or v["extra"] for v in result["items"].values()):
                self.stderr.write("索引与公开信息不一致，请运行 gongkai reindex。")
                raise SystemExit(1)
            return
        bar = tqdm(total=0, unit="条", desc="重建索引", disable=options.get("verbosity", 1) == 0)

        def total(n):
            bar.total = n
            bar.refresh()

        done = index_rebuild(progress=bar.update, total_hint=total)
        bar.close()
        items = items_rebuild()
        self.stdout.write(self.style.SUCCESS(f"已索引 {done} 条公开信息，{items} 条公众参与内容（意见征集、会议活动、留言答复、政策问答）。"))
