"""An id typed into the address bar or a forged form field is ignored, never a 500 (audit finding)."""

import pytest
from django.urls import reverse

from gongkai.core.params import pk_param

pytestmark = pytest.mark.django_db

BAD = ["abc", "'\"<>", "\x00", "2026-02-30", "99999999999999999999999", "-1", "１２"]


def test_pk_param_accepts_only_plain_positive_ids():
    assert pk_param("12") == 12 and pk_param(" 7 ") == 7
    assert [pk_param(v) for v in BAD] == [None] * len(BAD)
    assert pk_param(None) is None and pk_param("0") is None


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("name", ["participation_staff:consultations", "participation_staff:consultation_create",
                                  "participation_staff:meeting_create", "participation_staff:concerns"])
def test_staff_pages_ignore_a_bad_organ_on_get(client, editor, organ, name, value):
    client.force_login(editor)
    response = client.get(reverse(name), {"organ": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", BAD)
def test_staff_forms_ignore_a_bad_organ_on_post(client, editor, organ, value):
    client.force_login(editor)
    for name in ["participation_staff:consultation_create", "participation_staff:meeting_create",
                 "participation_staff:concerns"]:
        response = client.post(reverse(name), {"organ": value})
        assert response.status_code in (200, 400), name  # the form re-shown with its errors
        assert "organ" in response.context and response.context["organ"] == organ
