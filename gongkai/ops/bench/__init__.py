"""The benchmarks that measure the speed targets of the issues: ``gongkai bench NAME [--json] …``.

One module a benchmark, each defining a :class:`~gongkai.ops.bench.common.Benchmark`;
one shared argument parser and report (:mod:`gongkai.ops.bench.common`).
Each runs on a temporary database (never the demo database).
"""

from __future__ import annotations

from . import (
    api,
    applications,
    apply,
    clock,
    cluster,
    opendata,
    pages,
    report,
    search,
    search_items,
)
from .common import Benchmark

BENCHMARKS: dict[str, Benchmark] = {
    b.name: b for b in (api.BENCHMARK, applications.BENCHMARK, apply.BENCHMARK, clock.BENCHMARK, cluster.BENCHMARK,
                        opendata.BENCHMARK, pages.BENCHMARK, report.BENCHMARK, search.BENCHMARK, search_items.BENCHMARK)
}

__all__ = ["BENCHMARKS", "Benchmark"]
