"""A progress report's evidence files are content-checked like public uploads (docs/adr/0012)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.files import CONTENT_MISMATCH
from gongkai.workplans import services
from gongkai.workplans.models import ProgressAttachment, ProgressReport

from .conftest import seed_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def task(baoding, office):
    plan = services.workplan_import(actor=office, organ=baoding["bd_gov"], data=seed_bytes("000"), filename="保定.txt")
    services.workplan_activate(actor=office, plan=plan)
    return plan.tasks.get(title__startswith="做好财政信息公开")


def test_a_renamed_evidence_file_is_refused_and_nothing_is_reported(task, baoding, czj_editor):
    with pytest.raises(services.WorkPlanError) as info:
        services.progress_report(actor=czj_editor, task=task, organ=baoding["bd_czj"], text="已公开预算。",
                                 files=[SimpleUploadedFile("预算.pdf", PDF), SimpleUploadedFile("截图.png", PDF)])
    assert CONTENT_MISMATCH in str(info.value) and "截图.png" in str(info.value)
    assert not ProgressReport.objects.exists() and not ProgressAttachment.objects.exists()
    report = services.progress_report(actor=czj_editor, task=task, organ=baoding["bd_czj"], text="已公开预算。",
                                      files=[SimpleUploadedFile("预算.pdf", PDF)])
    assert report.attachments.get().file.read() == PDF


def test_the_task_page_shows_the_error(client, task, baoding, czj_editor):
    client.force_login(czj_editor)
    response = client.post(reverse("workplans:task", args=[task.pk]), {
        "organ": baoding["bd_czj"].pk, "reported_on": "2021-06-01", "text": "已公开预算。",
        "files": [SimpleUploadedFile("预算.docx", "不是Word".encode())]})
    assert response.status_code == 200 and CONTENT_MISMATCH in response.content.decode()
    assert not ProgressReport.objects.exists()
