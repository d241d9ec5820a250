"""``gongkai serve``: its scheduler enqueues the periodic jobs (the server itself is gunicorn)."""

import io

from gongkai.ops import jobs
from gongkai.ops.management.commands import serve
from gongkai.ops.models import JobRun


def test_the_serve_scheduler_enqueues_each_job_once(db, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    command = serve.Command(stdout=io.StringIO(), stderr=io.StringIO())
    command._schedule()
    command._schedule()
    assert sorted(JobRun.objects.values_list("job", flat=True)) == sorted(jobs.registry())


def test_a_failing_scheduler_does_not_stop_the_server(db, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("数据库正在重启")

    monkeypatch.setattr(jobs, "schedule", broken)
    command = serve.Command(stdout=io.StringIO(), stderr=io.StringIO())
    command._schedule()
    assert "定时任务调度失败：数据库正在重启" in command.stderr.getvalue()


def test_gunicorn_workers_share_a_fresh_metrics_directory(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_4242.db").write_bytes(b"a dead worker's figures")
    env = serve.gunicorn_env()
    assert env["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "metrics")
    assert list((tmp_path / "metrics").iterdir()) == []  # emptied at each start
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "chosen"))
    assert serve.gunicorn_env()["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "chosen")  # deploy/ sets its own
