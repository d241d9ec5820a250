"""The demo's 政务公开地图 and 适用对象 tags: places of the demo organs, idempotent, tags on matching policies."""

import datetime as dt

import pytest
from django.utils import timezone

from gongkai.ops.demo import participation_places
from gongkai.participation.models import Place
from gongkai.records.models import Status
from tests.factories import OrganFactory, RecordFactory

pytestmark = pytest.mark.django_db


def test_places_and_tags(genre):
    organs = {"bd_spj": OrganFactory(name="保定市行政审批局"), "ga_office": OrganFactory(name="广安市人民政府办公室")}
    policy = RecordFactory(organ=organs["bd_spj"], genre=genre, title="关于优化营商环境的若干措施",
                           status=Status.PUBLISHED, published_at=timezone.now() - dt.timedelta(days=1))
    summary = participation_places.load(organs=organs)
    assert Place.objects.count() == 5 and "5 处服务场所" in summary
    assert Place.objects.filter(kind="disclosure_zone").count() == 2
    assert set(policy.audiences.values_list("code", flat=True)) == {"small_enterprise", "micro_enterprise",
                                                                   "self_employed"}
    participation_places.load(organs=organs)
    assert Place.objects.count() == 5
