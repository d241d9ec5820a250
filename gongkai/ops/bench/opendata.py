"""``gongkai bench opendata [--json] [--records N]`` — what the nightly open-data job costs.

Creates a temporary database of the engine in use (Django's test-database machinery: a
temporary SQLite file, or ``test_<name>`` on PostgreSQL; never the demo database), loads it
with ``--records`` records (default 20,000, the records of :func:`gongkai.ops.bench.pages.load`:
20 organs, every genre and validity, some records not public; one in five with joint issuers,
one in three with audiences) and times :func:`~gongkai.portal.api.opendata.generate_all` into a
temporary folder three times: a full generation (no files yet), an unchanged re-run, and a
re-run after one record was edited. Prints wall and CPU seconds of each (the CPU of this
process: on PostgreSQL the database server's own CPU is not counted), the files written, and
checks that the whole-installation file holds exactly the public records.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from typing import Any

from .common import Benchmark, Say, Size

__all__ = ["BENCHMARK", "measure", "measure_here"]


def _links() -> None:
    """Joint issuers and audiences on some records, as a real catalog has them."""
    from django.db import transaction

    from gongkai.core.models import Organ
    from gongkai.records.models import Audience, Record

    organs = list(Organ.objects.filter(code__contains="BENCH").order_by("pk").values_list("pk", flat=True))
    audiences = list(Audience.objects.order_by("pk").values_list("pk", flat=True))
    issuers = Record.issuers.through
    audience_links = Record.audiences.through
    ids = list(Record.objects.order_by("pk").values_list("pk", "organ_id"))
    with transaction.atomic():
        issuers.objects.bulk_create(
            [issuers(record_id=pk, organ_id=o) for i, (pk, organ) in enumerate(ids) if i % 5 == 0
             for o in {organ, organs[i % len(organs)], organs[(i * 7) % len(organs)]}], batch_size=5000)
        if audiences:
            audience_links.objects.bulk_create(
                [audience_links(record_id=pk, audience_id=a) for i, (pk, _) in enumerate(ids) if i % 3 == 0
                 for a in {audiences[i % len(audiences)], audiences[(i * 11) % len(audiences)]}], batch_size=5000)


def _timed(fn) -> tuple[float, float, Any]:
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w0, time.process_time() - c0, out


def measure_here(n_records: int, *, say: Say) -> dict[str, Any]:
    """Load the current (empty, migrated) database and time the job (the test suite calls this small)."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from gongkai.portal.api import opendata
    from gongkai.records.models import Record

    from .pages import load

    say(f"生成 {n_records} 条政府信息")
    facts = load(n_records)
    _links()
    folder = tempfile.mkdtemp(prefix="gongkai-bench-opendata-")
    old = getattr(settings, "GONGKAI_OPEN_DATA_DIR", "")
    settings.GONGKAI_OPEN_DATA_DIR = folder
    try:
        say("第一次生成全部开放数据文件")
        full_wall, full_cpu, written = _timed(opendata.generate_all)
        say("内容未变，再次生成")
        same_wall, same_cpu, again = _timed(opendata.generate_all)
        say("修改一条信息后再次生成")
        one = Record.objects.public().order_by("-published_at", "-id").first()
        Record.objects.filter(pk=one.pk).update(title=one.title + "（修改）", updated_at=timezone.now())
        one_wall, one_cpu, _ = _timed(opendata.generate_all)
        whole = opendata.find(opendata.file_name(opendata.ALL, "jsonl"))
        with open(opendata.data_dir() / whole.name, encoding="utf-8") as fh:
            served = sum(1 for _ in fh)
        return {
            "database": connection.vendor,
            "records": n_records,
            "public": facts["public"],
            "files": len(written),
            "bytes": sum(f.size for f in written),
            "full_wall_s": round(full_wall, 2),
            "full_cpu_s": round(full_cpu, 2),
            "unchanged_wall_s": round(same_wall, 2),
            "unchanged_cpu_s": round(same_cpu, 2),
            "one_changed_wall_s": round(one_wall, 2),
            "one_changed_cpu_s": round(one_cpu, 2),
            "rows_all": served,
            "rows_match_public": served == facts["public"] == Record.objects.public().count(),
            "files_again": len(again),
        }
    finally:
        settings.GONGKAI_OPEN_DATA_DIR = old
        shutil.rmtree(folder, ignore_errors=True)


def measure(n_records: int, *, say: Say) -> dict[str, Any]:
    """In a temporary database of the engine in use (never the demo database)."""
    from django.db import connection

    tmp = tempfile.mkdtemp(prefix="gongkai-bench-opendata-db-")
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(tmp, "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        return measure_here(n_records, say=say)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(args: argparse.Namespace, *, say: Say) -> dict[str, Any]:
    return measure(args.records, say=say)


BENCHMARK = Benchmark(
    name="opendata",
    description="开放数据夜间任务：生成全部文件（CSV、JSON Lines、XLSX）的耗时，首次生成与内容未变时再次生成",
    measure=_measure,
    sizes=(Size("--records", 20_000, "生成的政府信息条数"),),
    passed=lambda result: result["rows_match_public"],
    target="检查：全部目录文件的行数等于公开信息条数",
)
