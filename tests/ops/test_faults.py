"""The cluster bench's pause point in a job's mailing (gongkai/ops/faults.py): off unless set and armed."""

import json
import time

import pytest
from django.core import checks, mail

from gongkai.ops import faults
from gongkai.ops.mail import current_run, send_once
from gongkai.ops.models import JobMail

pytestmark = pytest.mark.django_db


def mail_run(job: str, period: str, to: list[str]) -> float:
    token = current_run.set((job, period))
    t0 = time.monotonic()
    try:
        for address in to:
            send_once("提醒", "正文", [address], f"user:{address}")
    finally:
        current_run.reset(token)
    return time.monotonic() - t0


ADDRESSES = [f"h{i}@example.invalid" for i in range(4)]


def test_without_the_setting_nothing_pauses(settings, tmp_path):
    settings.GONGKAI_FAULT_PAUSE_DIR = ""
    (tmp_path / faults.ARMED).write_text(json.dumps({"job": "applications_daily", "after_mails": 1}))
    mail_run("applications_daily", "2026-01-05", ADDRESSES)
    assert len(mail.outbox) == 4 and not (tmp_path / faults.PAUSED).exists()
    assert faults.check_no_fault_pause() == []


def test_unarmed_nothing_pauses(settings, tmp_path):
    settings.GONGKAI_FAULT_PAUSE_DIR = str(tmp_path)
    settings.GONGKAI_FAULT_PAUSE_SECONDS = 30
    assert mail_run("applications_daily", "2026-01-05", ADDRESSES) < 5
    assert len(mail.outbox) == 4 and not (tmp_path / faults.PAUSED).exists()


def test_armed_one_run_pauses_once_after_its_committed_mails(settings, tmp_path):
    settings.GONGKAI_FAULT_PAUSE_DIR = str(tmp_path)
    settings.GONGKAI_FAULT_PAUSE_SECONDS = 0.3  # nobody kills it here: it goes on after the wait
    (tmp_path / faults.ARMED).write_text(json.dumps({"job": "applications_daily", "after_mails": 2}))
    mail_run("workplan_remind", "2026-01-05", ADDRESSES)  # another job: never paused
    assert not (tmp_path / faults.PAUSED).exists()

    took = mail_run("applications_daily", "2026-01-05", ADDRESSES)
    paused = json.loads((tmp_path / faults.PAUSED).read_text())
    assert paused["job"] == "applications_daily" and paused["period"] == "2026-01-05"
    assert paused["recipients"] == sorted(ADDRESSES[:2])  # the mails committed before the pause
    assert took >= 0.3
    assert JobMail.objects.filter(job="applications_daily", period="2026-01-05").count() == 4
    assert [m.to for m in mail.outbox[4:]] == [[a] for a in ADDRESSES]

    # Only one run ever pauses: the next period (or a retry) runs through.
    assert mail_run("applications_daily", "2026-01-06", ADDRESSES) < 0.3
    assert len(mail.outbox) == 12
    assert [w.id for w in faults.check_no_fault_pause()] == ["ops.W001"]


def test_a_run_already_past_the_point_when_armed_goes_on(settings, tmp_path):
    """The bench arms while an earlier day's run may still be mailing: that run, past its
    ``after_mails``-th mail, must not pause with more mails committed; the next run pauses at the point."""
    settings.GONGKAI_FAULT_PAUSE_DIR = str(tmp_path)
    settings.GONGKAI_FAULT_PAUSE_SECONDS = 0.3
    mail_run("applications_daily", "2026-01-05", ADDRESSES[:3])  # an earlier day, three mails in
    (tmp_path / faults.ARMED).write_text(json.dumps({"job": "applications_daily", "after_mails": 2}))
    assert mail_run("applications_daily", "2026-01-05", ADDRESSES[3:]) < 0.3  # its fourth mail: goes on
    assert not (tmp_path / faults.PAUSED).exists()

    mail_run("applications_daily", "2026-01-06", ADDRESSES)  # the day asked for pauses after exactly two
    assert json.loads((tmp_path / faults.PAUSED).read_text())["recipients"] == sorted(ADDRESSES[:2])


def test_a_released_pause_goes_on(settings, tmp_path):
    settings.GONGKAI_FAULT_PAUSE_DIR = str(tmp_path)
    settings.GONGKAI_FAULT_PAUSE_SECONDS = 30
    (tmp_path / faults.ARMED).write_text(json.dumps({"job": "applications_daily", "after_mails": 1}))
    (tmp_path / faults.RELEASE).write_text("go")
    assert mail_run("applications_daily", "2026-01-05", ADDRESSES[:2]) < 5
    assert (tmp_path / faults.PAUSED).exists() and len(mail.outbox) == 2


def test_the_deploy_check_is_registered(settings, tmp_path):
    settings.GONGKAI_FAULT_PAUSE_DIR = str(tmp_path)
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "ops.W001" in [m.id for m in found]
