"""``gongkai bench clock`` runs and reports every figure."""

from __future__ import annotations

import io
import json

from gongkai.ops.bench import clock, common


def test_bench_json():
    out = io.StringIO()
    assert common.run(clock.BENCHMARK, ["--json", "--calls", "2000", "--repeat", "2"], stdout=out) == 0
    data = json.loads(out.getvalue())
    for key in (
        "add_workdays_us",
        "workdays_between_us",
        "is_workday_us",
        "calendar_build_ms",
        "clock_recomputations_per_s",
    ):
        assert data[key] > 0
    assert data["target_add_workdays_us"] == 2.0


def test_bench_text():
    out = io.StringIO()
    assert common.run(clock.BENCHMARK, ["--calls", "1000"], stdout=out) == 0
    assert "add_workdays" in out.getvalue() and "次/秒" in out.getvalue()
