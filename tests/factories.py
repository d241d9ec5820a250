"""One factory per model (factory_boy), and ``member()`` for a staff account with a role.

Factories write straight to the database: they set up states for a test and
bypass the services (no audit rows, no clock replay). A test of a service calls
the service.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from gongkai.applications.models import (
    AppealResult,
    Application,
    ApplicationEvent,
    Determination,
    ExtensionRequest,
    FeeNotice,
    Litigation,
    Outcome,
    Reconsideration,
    ReplyType,
)
from gongkai.core.models import Membership, Organ, OrganKind, Role
from gongkai.records.models import Attribute, Catalog, CatalogEntry, Genre, Record, Status, Topic
from gongkai.reports.models import AnnualReport
from gongkai.workplans.models import (
    PlanStatus,
    ProgressReport,
    Task,
    TaskStatus,
    TaskUnit,
    UnitRole,
    WorkPlan,
)

VALID_ID = "11010519491231002X"  # a resident ID whose check character is right
VALID_USCC = "91330100716105852F"  # a real unified social credit code


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


def member(organ, role, username=None, **fields):
    """A staff user holding ``role`` in ``organ``; ``fields`` go to the user (``first_name`` etc.).

    A named user gets ``<username>@example.org`` unless ``email`` is given."""
    if username is not None:
        fields.setdefault("username", username)
        fields.setdefault("email", f"{username}@example.org")
    user = UserFactory(**fields)
    MembershipFactory(user=user, organ=organ, role=role)
    return user


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


# --- applications (依申请公开) ---------------------------------------------------


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application as it stands in the database; ``received=True`` also logs its receipt event.

    The clock cache (``due_date``, ``clock_state``) is left as given: a test that needs the
    computed clock submits through ``application_submit`` or replays with ``application_recompute``."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    organ = factory.SubFactory(OrganFactory)
    tracking_code = factory.Sequence(lambda n: f"T{n:011d}")
    serial = factory.Sequence(lambda n: f"2025-{n + 1:05d}")
    applicant_kind = "natural_person"
    name = "张三"
    id_type = "resident_id"
    id_number = VALID_ID
    phone = "13812345678"
    email = "zhangsan@example.com"
    address = "河北省保定市竞秀区东风路1号"
    postcode = "071000"
    title = factory.Sequence(lambda n: f"2024年城市道路建设项目资金使用情况（{n}）")
    description = "申请公开2024年本市城市道路建设项目的资金拨付和使用情况。"
    channel = "in_person"
    arrived_on = dt.date(2025, 9, 22)

    class Params:
        organisation = factory.Trait(
            applicant_kind="business", name="保定市某某科技有限公司", id_type="credit_code", id_number=VALID_USCC,
            contact_person="李四", legal_representative="王五",
        )

    @factory.post_generation
    def received(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            ApplicationEventFactory(application=obj, kind="received", date=obj.arrived_on, channel=obj.channel)


class ApplicationEventFactory(factory.django.DjangoModelFactory):
    """One clock event; ``seq`` follows the application's last event."""

    class Meta:
        model = ApplicationEvent

    application = factory.SubFactory(ApplicationFactory)
    seq = factory.LazyAttribute(lambda o: o.application.events.count() + 1)
    kind = "received"
    date = factory.LazyAttribute(lambda o: o.application.arrived_on)


class DeterminationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Determination

    application = factory.SubFactory(ApplicationFactory)
    outcome = Outcome.DISCLOSED
    reply_type = ReplyType.DISCLOSE
    decided_on = dt.date(2025, 10, 10)
    legal_basis = "《中华人民共和国政府信息公开条例》第三十六条第二项"
    provided = "随本告知书提供纸质文件一份。"
    decided_by = factory.SubFactory(UserFactory)


class FeeNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeNotice

    application = factory.SubFactory(ApplicationFactory)
    standard = "per_page"
    prior_in_month = 0
    units = 1
    pages = 120
    amount = Decimal("100.00")
    breakdown = factory.LazyFunction(lambda: [{"label": "101页至120页", "amount": "100.00"}])
    issued_on = dt.date(2025, 9, 26)
    pay_by = dt.date(2025, 10, 24)


class ExtensionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExtensionRequest

    application = factory.SubFactory(ApplicationFactory)
    workdays = 20
    reason = "申请公开的信息涉及多个机关，需要协调。"
    requested_by = factory.SubFactory(UserFactory)


class ReconsiderationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reconsideration

    application = factory.SubFactory(ApplicationFactory)
    filed_on = dt.date(2025, 11, 3)
    body = "保定市人民政府"
    result = AppealResult.PENDING


class LitigationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Litigation

    application = factory.SubFactory(ApplicationFactory)
    filed_on = dt.date(2025, 12, 1)
    court = "保定市竞秀区人民法院"
    result = AppealResult.PENDING


# --- work plans (工作要点) ---------------------------------------------------------


class WorkPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlan

    organ = factory.SubFactory(OrganFactory, kind=OrganKind.GOVERNMENT)
    title = factory.Sequence(lambda n: f"2025年政务公开工作要点（{n}）")
    year = 2025
    default_due = dt.date(2025, 12, 31)
    status = PlanStatus.DRAFT

    class Params:
        active = factory.Trait(status=PlanStatus.ACTIVE)


class TaskFactory(factory.django.DjangoModelFactory):
    """A top-level item of the plan (pass ``parent``, ``path`` and ``depth`` for a deeper one)."""

    class Meta:
        model = Task

    plan = factory.SubFactory(WorkPlanFactory)
    path = factory.Sequence(lambda n: f"{n + 1:04d}")
    number = factory.Sequence(lambda n: f"{n + 1}.")
    kind = "item"
    title = factory.Sequence(lambda n: f"推进重点领域信息公开（{n}）")
    text = "做好财政预决算、重大建设项目等重点领域信息公开。"
    status = TaskStatus.NOT_STARTED

    class Params:
        done = factory.Trait(status=TaskStatus.DONE, completed_on=dt.date(2025, 6, 30))


class TaskUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskUnit
        skip_postgeneration_save = True

    task = factory.SubFactory(TaskFactory)
    role = UnitRole.LEAD
    name = "市政府办"

    @factory.post_generation
    def organs(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.organs.set(extracted)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    task = factory.SubFactory(TaskFactory)
    organ = factory.LazyAttribute(lambda o: o.task.plan.organ)
    author = factory.SubFactory(UserFactory)
    reported_on = dt.date(2025, 6, 15)
    text = "已在政府信息公开专栏集中发布预决算信息。"


# --- reports (年度报告) -------------------------------------------------------------


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    organ = factory.SubFactory(OrganFactory)
    year = 2024
    overview = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。"
    problems = "公开内容的规范性有待提高。"
