"""Finding 7: the person who requests an extension cannot approve it."""

import pytest

from gongkai.applications import services
from gongkai.applications.models import ExtensionRequest
from gongkai.core.models import Membership, Role

from .. import factories
from ..factories import member

pytestmark = pytest.mark.django_db


def test_the_requester_cannot_decide_their_own_extension(organ):
    head = member(organ, Role.OFFICE_HEAD, "head_handler")
    Membership.objects.create(user=head, organ=organ, role=Role.HANDLER)
    other_head = member(organ, Role.OFFICE_HEAD, "other_head")
    app = factories.ApplicationFactory(organ=organ, received=True, handler=head, arrived_on=services.today())
    req = services.application_request_extension(actor=head, application=app, workdays=10, reason="需要调取档案")
    with pytest.raises(services.ApplicationActionError, match="不能审批自己"):
        services.application_decide_extension(actor=head, request=req, approve=True)
    assert ExtensionRequest.objects.get(pk=req.pk).status == ExtensionRequest.Status.PENDING
    services.application_decide_extension(actor=other_head, request=req, approve=True)
    assert ExtensionRequest.objects.get(pk=req.pk).status == ExtensionRequest.Status.APPROVED
