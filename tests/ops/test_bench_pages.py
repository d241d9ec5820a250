"""The pages benchmark: its data loader and its reading of wrk's report (the full run is `gongkai bench pages`)."""

import pytest

from gongkai.ops.bench import common, pages
from gongkai.records.models import Record, Validity

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/records/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.61ms    3.01ms  40.00ms   80.00%
    Req/Sec     1.25k   100.00     1.40k    70.00%
  Latency Distribution
     50%  820.00us
     75%    7.00ms
     90%    9.00ms
     99%   32.83ms
  12450 requests in 5.00s, 200.00MB read
Requests/sec:   2490.12
Transfer/sec:     40.00MB
"""


@pytest.mark.django_db
def test_load_fills_every_state_and_links(settings, tmp_path):
    settings.GONGKAI_PAGE_CACHE_FILE = str(tmp_path / "generation")
    from tests.portal.world import reference_data

    reference_data()
    facts = pages.load(600)
    assert facts["records"] == 600 and facts["organs"] == 20
    assert 500 < facts["public"] < 600
    public = Record.objects.public()
    detail = public.get(pk=facts["detail"])
    assert detail.validity == Validity.VALID
    assert public.filter(interprets=detail).exists() and public.filter(superseded_by=detail).exists()
    assert Record.objects.exclude(status="published").exists()
    assert public.filter(validity=Validity.REVISED, superseded_by__isnull=False).exists()


def test_wrk_report_is_read(monkeypatch):
    class Done:
        stdout = WRK_OUTPUT

    monkeypatch.setattr(pages.subprocess, "run", lambda *a, **k: Done())
    figures = pages._wrk(8000, "/records/", duration=5, connections=16)
    assert figures["rps"] == 2490.1 and figures["p50_ms"] == 0.82 and figures["p99_ms"] == 32.83


def test_bad_arguments_are_refused(capsys):
    assert common.run(pages.BENCHMARK, ["--records", "0"]) == 2
    assert "--records 应为正数" in capsys.readouterr().err
    assert common.run(pages.BENCHMARK, ["--duration", "0"]) == 2
    assert "--duration 应为正数" in capsys.readouterr().err


def test_good_arguments_pass_the_checks_and_auto_picks_a_generator(monkeypatch):
    monkeypatch.setattr(pages.shutil, "which", lambda name: None)
    args = common.parse(pages.BENCHMARK, ["--records", "5", "--duration", "0.5"])
    assert (args.records, args.duration, args.generator) == (5, 0.5, "python")
    assert common.parse(pages.BENCHMARK, ["--generator", "wrk"]).startswith("错误：未安装 wrk")


def test_pages_and_engine_are_chosen_and_checked(monkeypatch, capsys):
    monkeypatch.setattr(pages.shutil, "which", lambda name: None)
    args = common.parse(pages.BENCHMARK, ["--pages", "search, search_api", "--engine", "postgresql"])
    assert (args.pages, args.engine) == (["search", "search_api"], "postgresql")
    assert common.parse(pages.BENCHMARK, []).pages == list(pages.DEFAULT_PAGES)
    assert common.run(pages.BENCHMARK, ["--pages", "search,nowhere"]) == 2
    assert "没有这些页面：nowhere" in capsys.readouterr().err


def test_the_search_pages_ask_for_a_phrase_every_loaded_record_holds():
    from urllib.parse import unquote

    for name in pages.SEARCH_PAGES:
        assert unquote(pages.PAGES[name]).endswith("?q=政府信息公开")
        assert pages.PAGES[name].isascii()  # a request line as http.client and wrk send it


def test_postgresql_needs_a_postgresql_server(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.sqlite3")
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        pages._postgres_database(str(tmp_path))
