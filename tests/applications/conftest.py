import datetime as dt

import pytest
from django.core.cache import cache

from gongkai.applications import services
from gongkai.core.models import OrganKind, Role
from tests import factories


@pytest.fixture
def government(db):
    return factories.OrganFactory(name="保定市人民政府", code="11130600000000001X", kind=OrganKind.GOVERNMENT)


@pytest.fixture
def organ(government):
    # The test organ is a department under a government (reconsideration body: that government).
    return factories.OrganFactory(name="保定市测试局", short_name="测试局", code="11130600MA9999991X", parent=government,
                                  phone="0312-1234567", address="保定市裕华路1号")


def member(organ, role, username, **kw):
    user = factories.UserFactory(username=username, email=f"{username}@example.org", **kw)
    factories.MembershipFactory(user=user, organ=organ, role=role)
    return user


@pytest.fixture
def handler(organ):
    return member(organ, Role.HANDLER, "handler", first_name="李经办")


@pytest.fixture
def head(organ):
    return member(organ, Role.OFFICE_HEAD, "head", first_name="王主任")


@pytest.fixture
def outsider(other_organ):
    return member(other_organ, Role.HANDLER, "outsider")


VALID_ID = "11010519491231002X"
VALID_USCC = "91330100716105852F"  # a real code: its check character is F


def applicant_data(**kw):
    data = {
        "applicant_kind": "natural_person", "name": "张三", "id_type": "resident_id", "id_number": VALID_ID,
        "phone": "13812345678", "email": "zhangsan@example.com", "address": "河北省保定市竞秀区东风路1号",
        "postcode": "071000", "title": "2024年城市道路建设项目资金使用情况",
        "description": "申请公开2024年本市城市道路建设项目的资金拨付和使用情况。", "delivery": "paper",
        "receive_via": "post",
    }
    data.update(kw)
    return data


@pytest.fixture
def today(monkeypatch):
    """Freeze services.today() at a known working day (2025-09-22, Monday)."""
    box = {"day": dt.date(2025, 9, 22)}
    monkeypatch.setattr(services, "today", lambda: box["day"])

    class Clock:
        @property
        def day(self):
            return box["day"]

        def set(self, d):
            box["day"] = d

    return Clock()


@pytest.fixture
def application(organ, today):
    return services.application_submit(organ=organ, data=applicant_data(), ip="10.0.0.1")


@pytest.fixture(autouse=True)
def _clear_cache():
    """The tracking throttle counts in the cache; each test starts from none."""
    cache.clear()
    yield
    cache.clear()
