"""Finding 9: a ``next`` parameter only ever leads back to this site."""

import pytest
from django.test import RequestFactory

from gongkai.core.models import OrganKind, Role
from gongkai.core.redirects import safe_next

from .. import factories
from ..factories import member


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "https:evil.example",
                                    "\\\\evil.example", "javascript:alert(1)"])
def test_foreign_next_values_fall_back(target):
    request = RequestFactory().post("/")
    assert safe_next(request, target, "/workspace/") == "/workspace/"


def test_local_next_values_are_kept():
    assert safe_next(RequestFactory().post("/"), "/workspace/plans/1/", "/") == "/workspace/plans/1/"


@pytest.mark.django_db
def test_progress_publication_review_does_not_redirect_off_site(client):
    organ = factories.OrganFactory(kind=OrganKind.GOVERNMENT)
    office = member(organ, Role.OFFICE, "plan_office")
    report = factories.ProgressReportFactory(task=factories.TaskFactory(plan=factories.WorkPlanFactory(organ=organ)))
    client.force_login(office)
    response = client.post(f"/workspace/plans/reports/{report.pk}/publication/",
                           {"approve": "0", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert response["Location"] == report.task.get_absolute_url()
