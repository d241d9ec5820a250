"""One factory per model (factory_boy)."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from gongkai.core.models import Membership, Organ, OrganKind, Role
from gongkai.records.models import Attribute, Catalog, CatalogEntry, Genre, Record, Status, Topic


class OrganFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organ

    name = factory.Sequence(lambda n: f"测试市第{n}局")
    short_name = factory.Sequence(lambda n: f"测试{n}局")
    code = factory.Sequence(lambda n: f"11130600MB{n:07d}X")
    kind = OrganKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"工作人员{n}")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organ = factory.SubFactory(OrganFactory)
    role = Role.EDITOR


class GenreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("code",)

    code = "other"
    name = "其他文件"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    code = "zonghe"
    name = "综合政务"


class RecordFactory(factory.django.DjangoModelFactory):
    """A record written straight to the database (bypasses services: for setting up states)."""

    class Meta:
        model = Record

    organ = factory.SubFactory(OrganFactory)
    index_no = factory.Sequence(lambda n: f"11130600MB0000000X/2025-{n + 1:05d}")
    title = factory.Sequence(lambda n: f"关于测试事项的通知（{n}）")
    genre = factory.SubFactory(GenreFactory)
    topic = factory.SubFactory(TopicFactory)
    written_on = dt.date(2025, 3, 1)
    body = "<p>正文内容。</p>"
    attribute = Attribute.PROACTIVE
    status = Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: dt.datetime(2025, 3, 2, 2, 0, tzinfo=dt.UTC)),
        )


class CatalogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalog

    name = "政府信息公开目录"
    organ = factory.SubFactory(OrganFactory)


class CatalogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogEntry

    catalog = factory.SubFactory(CatalogFactory)
    name = factory.Sequence(lambda n: f"栏目{n}")
