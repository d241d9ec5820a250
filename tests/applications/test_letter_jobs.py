"""The public receipt is rendered by a background job after the commit, or on first request."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from gongkai.applications import services, tasks
from gongkai.applications.models import Letter

from .conftest import applicant_data


def test_a_public_submission_stores_the_receipt_and_queues_its_rendering(organ, today,
                                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        app = services.application_submit(organ=organ, data=applicant_data())
    letter = app.letters.get(kind="receipt")
    assert not letter.docx and letter.number and letter.context["explanation"]  # stored, not rendered
    for callback in callbacks:
        callback()  # the immediate task backend of the tests renders it now
    letter.refresh_from_db()
    assert letter.docx and letter.docx.size > 1000
    assert tasks.letter_render.call(letter.pk) is False  # a second run does nothing


def test_a_staff_registration_renders_at_once(organ, handler, today):
    app = services.application_register(actor=handler, organ=organ, data=applicant_data(), channel="in_person",
                                        arrived_on=today.day)
    assert app.letters.get(kind="receipt").docx


def test_the_applicant_gets_the_receipt_even_before_the_job_ran(client, organ, today):
    app = services.application_submit(organ=organ, data=applicant_data())
    letter = Letter.objects.get(application=app)
    assert not letter.docx
    client.post(reverse("applications:track"), {"code": app.tracking_code, "check": "5678"})
    receipt = client.get(reverse("applications:receipt", args=[app.tracking_code])).content.decode()
    assert "回执正在生成" in receipt
    r = client.get(reverse("applications:track_letter", args=[app.tracking_code, letter.pk, "docx"]))
    assert r.status_code == 200
    letter.refresh_from_db()
    assert letter.docx


@pytest.mark.parametrize("broken", [True])
def test_a_failing_queue_does_not_fail_the_submission(organ, today, monkeypatch, broken,
                                                      django_capture_on_commit_callbacks):
    def boom(*a, **k):
        raise RuntimeError("queue down")

    monkeypatch.setattr(tasks, "letter_render", SimpleNamespace(enqueue=boom))
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_submit(organ=organ, data=applicant_data())
    assert app.pk and not app.letters.get().docx
