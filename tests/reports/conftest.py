"""A government with two departments, their 公开办 and staff, and helpers writing rows directly."""

import datetime as dt
import itertools

import pytest

from gongkai.core.models import OrganKind, Role
from gongkai.records.models import Genre, Status, Validity
from tests import factories
from tests.factories import member

_seq = itertools.count(1)


@pytest.fixture
def government(db):
    return factories.OrganFactory(name="保定市人民政府", short_name="市政府", code="11130600000000001X",
                                  kind=OrganKind.GOVERNMENT)


@pytest.fixture
def organ(government):
    return factories.OrganFactory(name="保定市测试局", short_name="测试局", code="11130600MA9999991X", parent=government)


@pytest.fixture
def sibling(government):
    return factories.OrganFactory(name="保定市另一局", short_name="另一局", code="11130600MA9999993X", parent=government)


@pytest.fixture
def office(organ):
    """公开办 of the department, who also drafts records (so the report goes straight to review)."""
    user = member(organ, Role.OFFICE, "office", first_name="赵公开")
    factories.MembershipFactory(user=user, organ=organ, role=Role.EDITOR)
    return user


@pytest.fixture
def gov_office(government):
    return member(government, Role.OFFICE_HEAD, "govoffice", first_name="钱主任")


@pytest.fixture
def reviewer(organ):
    return member(organ, Role.REVIEWER, "reviewer", first_name="孙审核")


@pytest.fixture
def outsider(sibling):
    return member(sibling, Role.OFFICE, "outsider")


def make_app(organ, kind="natural_person", received=dt.date(2024, 3, 1), decided=None, outcome=None,
             confirmed=None):
    n = next(_seq)
    app = factories.ApplicationFactory(
        organ=organ, tracking_code=f"T{n:09d}", applicant_kind=kind, name=f"申请人{n}",
        id_number=f"1101051949123100{n % 100:02d}", title=f"申请事项{n}", description="申请公开某项信息。",
        channel="online", arrived_on=received, confirmed_on=confirmed, closed_on=decided,
    )
    if decided is not None:
        factories.DeterminationFactory(application=app, outcome=outcome, reply_type="disclose", decided_on=decided,
                                       legal_basis="《中华人民共和国政府信息公开条例》", decided_by=None)
    return app


def make_appeal(app, *, litigation=False, after=False, filed=dt.date(2024, 5, 1), decided=None, result="pending"):
    if litigation:
        return factories.LitigationFactory(application=app, after_reconsideration=after, filed_on=filed,
                                           court="保定市中级人民法院", result=result, decided_on=decided)
    return factories.ReconsiderationFactory(application=app, filed_on=filed, body="保定市人民政府", result=result,
                                            decided_on=decided)


def make_doc(organ, code="normative", written=dt.date(2024, 4, 1), validity=Validity.VALID, valid_until=None, **kw):
    genre = Genre.objects.get(code=code)
    n = next(_seq)
    return factories.RecordFactory(
        organ=organ, genre=genre, written_on=written, status=Status.PUBLISHED, validity=validity,
        valid_until=valid_until, index_no=f"{organ.code}/{written.year}-{n:05d}",
        published_at=dt.datetime.combine(written + dt.timedelta(days=2), dt.time(2, 0), tzinfo=dt.UTC), **kw)
