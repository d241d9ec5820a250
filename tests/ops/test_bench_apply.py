"""The apply benchmark's parts: its database address for the server, its options, and its browser
submitting the real form over HTTP (the full run is `gongkai bench apply`)."""

import pytest

from gongkai.applications.models import Application, Letter
from gongkai.core.models import Organ, SubmissionToken
from gongkai.ops.bench import apply, common


def test_database_url_names_the_test_database_and_keeps_connections():
    assert apply.database_url({"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/bench/bench.sqlite3"}) == (
        "sqlite:////srv/bench/bench.sqlite3")
    url = apply.database_url({"ENGINE": "django.db.backends.postgresql", "NAME": "test_gk", "USER": "pg",
                              "PASSWORD": "p@ss:word", "HOST": "db", "PORT": 5433})
    assert url == "postgres://pg:p%40ss%3Aword@db:5433/test_gk?conn_max_age=300"


def test_the_server_is_told_its_database_and_has_no_per_address_limit(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////elsewhere.sqlite3")
    monkeypatch.setenv("GONGKAI_PAGE_CACHE", "1")
    env = apply.server_env("/var/bench", "sqlite:////var/bench/bench.sqlite3")
    assert env["DATABASE_URL"] == "sqlite:////var/bench/bench.sqlite3" and "GONGKAI_PAGE_CACHE" not in env
    assert env["GONGKAI_TRUSTED_PROXIES"] == "127.0.0.1" and env["GONGKAI_DEBUG"] == "0"
    assert int(env["GONGKAI_APPLY_RATE_LIMIT"]) > 10**6 and int(env["GONGKAI_APPLY_CHALLENGE_AFTER"]) > 10**6


def test_bad_arguments_are_refused(capsys):
    assert common.run(apply.BENCHMARK, ["--rate", "-1"]) == 2
    assert "--rate 不能为负数" in capsys.readouterr().err
    assert common.run(apply.BENCHMARK, ["--workers", "0"]) == 2
    assert "--workers 应为正数" in capsys.readouterr().err
    args = common.parse(apply.BENCHMARK, ["--rate", "0", "--clients", "3"])
    assert (args.rate, args.clients, args.workers, args.submissions) == (0, 3, 4, 1000)


@pytest.mark.django_db(transaction=True)
def test_the_browser_submits_the_form_and_a_double_click_leads_to_the_first_receipt(live_server):
    organ = Organ.objects.create(name="基准测试局", short_name="基准局", code="11130600MB7654321X")
    port = int(live_server.url.rsplit(":", 1)[1])
    browser = apply.Browser(port, f"/apply/organ/{organ.code}/", "10.0.0.1")
    browser.open_form()
    assert browser.csrf and "csrftoken" in browser.cookies
    data = {**apply.FORM, "submission_token": "bench-apply-token-00000001"}
    first = browser.submit(data)
    again = browser.submit(data)
    app = Application.objects.get()
    assert first[0] == again[0] == 302
    assert first[1] == again[1] and first[1].endswith(f"/apply/receipt/{app.tracking_code}/")
    assert SubmissionToken.objects.get(token=data["submission_token"]).ref == app.tracking_code
    assert Letter.objects.filter(application=app, kind="receipt").count() == 1
    # The receipt is the browser's: its session was granted the code.
    browser.path = first[1]
    status, _, page = browser._request("GET")
    assert status == 200 and app.tracking_code in page
