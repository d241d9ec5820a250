"""Every factory builds a row the model itself accepts, so tests start from valid states."""

import pytest

from gongkai.applications import identity
from gongkai.core.models import Membership, Role
from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = [
    factories.OrganFactory, factories.UserFactory, factories.MembershipFactory, factories.RecordFactory,
    factories.CatalogEntryFactory, factories.ApplicationFactory, factories.ApplicationEventFactory,
    factories.DeterminationFactory, factories.FeeNoticeFactory, factories.ExtensionRequestFactory,
    factories.ReconsiderationFactory, factories.LitigationFactory, factories.WorkPlanFactory, factories.TaskFactory,
    factories.TaskUnitFactory, factories.ProgressReportFactory, factories.AnnualReportFactory,
]


@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_each_factory_builds_a_valid_row(factory_class):
    obj = factory_class()
    obj.full_clean()
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()


def test_applicants_carry_valid_identity_numbers():
    person = factories.ApplicationFactory()
    company = factories.ApplicationFactory(organisation=True)
    assert identity.check_resident_id(person.id_number) == person.id_number
    assert identity.check_credit_code(company.id_number) == company.id_number
    assert company.is_organisation and not person.is_organisation


def test_received_application_logs_its_receipt_and_events_number_themselves():
    app = factories.ApplicationFactory(received=True)
    factories.ApplicationEventFactory(application=app, kind="extended", workdays=20)
    assert [(e.seq, e.kind) for e in app.events.all()] == [(1, "received"), (2, "extended")]
    assert factories.ApplicationFactory().events.count() == 0


def test_member_grants_the_role_and_names_the_account():
    organ = factories.OrganFactory()
    named = factories.member(organ, Role.REVIEWER, "reviewer-x", first_name="孙审核")
    anonymous = factories.member(organ, Role.EDITOR)
    assert (named.username, named.email, named.first_name) == ("reviewer-x", "reviewer-x@example.org", "孙审核")
    assert Membership.objects.filter(user=named, organ=organ, role=Role.REVIEWER).exists()
    assert Membership.objects.filter(user=anonymous, organ=organ, role=Role.EDITOR).exists()
    assert named.check_password("secret-pass-123")


def test_task_units_link_their_organs():
    organ = factories.OrganFactory()
    unit = factories.TaskUnitFactory(organs=[organ])
    assert list(unit.organs.all()) == [organ]
