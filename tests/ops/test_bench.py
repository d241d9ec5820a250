"""``gongkai bench NAME``: one command, one shared parser, and the benchmarks that run at small scale here."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import execute_from_command_line

from gongkai.ops.bench import BENCHMARKS, common, report, search
from gongkai.records.models import Genre


def fake(result: dict, *, passed: bool = True) -> common.Benchmark:
    def measure(args, *, say):
        say("进度")
        return {**result, "records": args.records, "repeat": args.repeat}

    return common.Benchmark(name="fake", description="测试", measure=measure,
                            sizes=(common.Size("--records", 10, "条数"),), repeat=2,
                            passed=lambda r: passed, target="目标：测试")


def test_every_benchmark_has_one_module_and_the_shared_options():
    assert {"applications", "clock", "cluster", "pages", "report", "search"} <= set(BENCHMARKS)
    for name, bench in BENCHMARKS.items():
        assert bench.name == name
        assert bench.measure.__module__ == f"gongkai.ops.bench.{name.replace('-', '_')}"
        parser = common.parser_for(bench)
        assert parser.prog == f"gongkai bench {name}"
        assert parser.parse_args(["--json"]).json is True


def test_the_shared_parser_reads_sizes_and_repeats_and_refuses_non_positive_ones():
    bench = fake({"x": 1})
    args = common.parse(bench, ["--records", "5", "--repeat", "3"])
    assert (args.records, args.repeat, args.json) == (5, 3, False)
    assert common.parse(bench, ["--records", "0"]) == "错误：--records 应为正数"
    assert common.parse(bench, ["--repeat", "-1"]) == "错误：--repeat 应为正数"


def test_json_prints_one_object_and_no_progress():
    out, err = io.StringIO(), io.StringIO()
    assert common.run(fake({"x": 1}), ["--json", "--records", "7"], stdout=out, stderr=err) == 0
    assert json.loads(out.getvalue()) == {"x": 1, "records": 7, "repeat": 2}
    assert err.getvalue() == ""


def test_text_report_has_progress_figures_and_target_and_a_missed_target_exits_1():
    out, err = io.StringIO(), io.StringIO()
    assert common.run(fake({"x": 1}, passed=False), [], stdout=out, stderr=err) == 1
    assert out.getvalue().splitlines() == ["      x: 1", "records: 10", " repeat: 2", "目标：测试"]
    assert err.getvalue() == "进度\n"


def test_bad_option_exits_2(capsys):
    assert common.run(fake({}), ["--no-such-option"]) == 2
    assert "--no-such-option" in capsys.readouterr().err


def test_the_command_dispatches_to_the_benchmark(capsys):
    execute_from_command_line(["gongkai", "bench", "clock", "--json", "--calls", "500", "--repeat", "1"])
    assert json.loads(capsys.readouterr().out)["calls"] == 500


def test_the_command_refuses_an_unknown_benchmark_and_bad_sizes(capsys):
    with pytest.raises(SystemExit, match="可用的基准测试"):
        execute_from_command_line(["gongkai", "bench", "nosuch"])
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["gongkai", "bench", "clock", "--calls", "0"])
    assert exc.value.code == 2
    assert "--calls 应为正数" in capsys.readouterr().err


def test_the_report_benchmark_meets_its_target_at_small_scale(db):
    assert Genre.objects.filter(code="annual_report").exists()
    result = report.measure_here(600, 300, say=lambda m: None, repeat=1)
    assert result["identity_errors"] == 0 and result["tables_s"] < 2.0
    assert result["r1_total"] + result["r2_total"] == result["r3_7_total"] + result["r4_total"]


def test_the_search_corpus_is_built_from_the_seed_documents():
    sentences = search.seed_sentences()
    assert len(sentences) > 100 and all(8 <= len(s) <= 300 for s in sentences)
    corpus = search.build_corpus(40)
    assert len(corpus) == 40 and corpus == search.build_corpus(40)  # deterministic
    kinds = {kind for kind, _ in search.queries(corpus)}
    assert kinds == {"1 word", "2 words", "3 words", "4 words", "phrase", "doc no"}
