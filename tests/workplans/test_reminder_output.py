"""The daily reminder job says what it did in one line; without a mail server, mails go to files."""

import datetime as dt
import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import override_settings

from gongkai.ops.management.commands.serve import mail_line
from gongkai.workplans import services

from .conftest import seed_bytes

pytestmark = pytest.mark.django_db

AFTER_THE_YEAR = dt.date(2022, 3, 1)


@pytest.fixture
def running(baoding, office, czj_editor, sfj_editor):
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("000"), filename="保定.txt")
    return services.workplan_activate(actor=office, plan=plan)


def _remind(*args, verbosity=1):
    out = io.StringIO()
    call_command("workplan", "remind", "--today", AFTER_THE_YEAR.isoformat(), *args, stdout=out, verbosity=verbosity)
    return [line for line in out.getvalue().splitlines() if line.strip()]


def test_remind_prints_one_line_with_counts(running):
    lines = _remind("--dry-run")
    tracked = running.tasks.filter(is_tracked=True).count()
    assert len(lines) == 1
    assert lines[0].startswith(f"将生成{tracked}条工作要点任务提醒（已逾期{tracked}条）") and "个邮箱" in lines[0]
    assert len(_remind("--dry-run", verbosity=2)) == tracked + 1   # each reminder only when asked


def test_nothing_running_says_so_in_one_line(baoding, office):
    services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("000"), filename="保定.txt")
    assert _remind() == ["已生成0条工作要点任务提醒（只提醒执行中的工作要点）"]


def test_reminder_mails_go_to_files_not_the_terminal(running, tmp_path, capsys, django_capture_on_commit_callbacks):
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                           EMAIL_FILE_PATH=str(tmp_path / "mail")):
        with django_capture_on_commit_callbacks(execute=True):
            created = services.reminders_run(today=AFTER_THE_YEAR)
    assert created
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "mail").iterdir())
    assert written.count("Subject: =?utf-8?") == sum(1 for r in created if r.recipients)
    assert capsys.readouterr().out == ""


def test_serve_says_where_mails_go(tmp_path):
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
                           EMAIL_FILE_PATH=str(tmp_path)):
        assert mail_line() == f"邮件不外发，写入文件：{tmp_path}（设置 GONGKAI_EMAIL_URL 后经邮件服务器发送）"
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="mail.example.org",
                           EMAIL_PORT=587):
        assert mail_line() == "邮件经 mail.example.org:587 发送"


@pytest.mark.parametrize(("url", "backend"), [
    (None, "django.core.mail.backends.filebased.EmailBackend"),
    ("consolemail://", "django.core.mail.backends.console.EmailBackend"),
    ("smtp://mail.example.org:25", "django.core.mail.backends.smtp.EmailBackend"),
])
def test_settings_choose_the_file_backend_when_no_mail_server_is_set(url, backend, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "GONGKAI_EMAIL_URL"}
    env.update(DJANGO_SETTINGS_MODULE="gongkai.settings", GONGKAI_VAR_DIR=str(tmp_path))
    if url:
        env["GONGKAI_EMAIL_URL"] = url
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND); print(getattr(settings, 'EMAIL_FILE_PATH', ''))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,  # noqa: S603
                         timeout=60).stdout.splitlines()
    assert out[0] == backend
    if url is None:
        assert out[1] == str(tmp_path / "mail")
