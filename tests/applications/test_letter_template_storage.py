"""An organ's own letter template is read through the storage, so letters render with it on object
storage (S3: no local path) as on the local disk."""

import io
import os

import pytest
from django.core.files.storage import InMemoryStorage, Storage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils._os import safe_join
from docx import Document

from gongkai.applications import services
from gongkai.applications.models import LetterTemplate
from tests import factories

from .conftest import applicant_data


class PathlessStorage(InMemoryStorage):
    """Like object storage (django-storages' S3Storage), it has no local path to give."""

    path = Storage.path  # raises NotImplementedError

    def _relative_path(self, name):  # what InMemoryStorage itself used path() for
        return os.path.relpath(safe_join(self.location, name), self.location)


@pytest.fixture
def pathless(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "tests.applications.test_letter_template_storage.PathlessStorage"}}
    with pytest.raises(NotImplementedError):
        default_storage.path("x.docx")


def docx(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def custom_receipt(organ):
    admin = factories.UserFactory(username="platform_admin", is_staff=True, is_superuser=True)
    data = docx("{{ organ_name }}自定义受理回执", "查询码：{{ tracking_code }}")
    return services.letter_template_save(actor=admin, organ=organ, kind="receipt", upload=SimpleUploadedFile(
        "回执.docx", data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"))


def text_of(letter) -> str:
    services.letter_ensure_rendered(letter)
    with letter.docx.open("rb") as fh:
        return "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)


def test_a_letter_renders_with_the_organs_template_on_a_storage_without_paths(pathless, organ, today):
    template = custom_receipt(organ)
    with pytest.raises(NotImplementedError):
        template.file.path  # noqa: B018 - what the renderer used to read
    app = services.application_submit(organ=organ, data=applicant_data(), ip="10.0.0.1")
    text = text_of(app.letters.get(kind="receipt"))
    assert f"{organ.name}自定义受理回执" in text and f"查询码：{app.tracking_code}" in text


def test_a_template_file_missing_from_the_storage_is_a_clear_error(pathless, organ, today):
    template = custom_receipt(organ)
    default_storage.delete(template.file.name)
    app = services.application_submit(organ=organ, data=applicant_data(), ip="10.0.0.1")
    letter = app.letters.get(kind="receipt")
    with pytest.raises(services.ApplicationActionError, match="本机关的申请回执模板文件无法读取，请重新上传"):
        services.letter_ensure_rendered(letter)
    letter.refresh_from_db()
    assert not letter.docx and LetterTemplate.objects.filter(pk=template.pk).exists()
