"""Every staff URL — the workspace, the applications desk, work plans, reports and the
participation desk — refuses outsiders, and every state change needs POST and a CSRF token.

URL patterns are read from the resolver, so a URL added tomorrow is in the matrix tomorrow.
Objects of every kind are made in one organ (titles carry MARK) and none anywhere else, so for
a staff member of another organ any pk the matrix tries is someone else's: only 403, 404 or 405
is a refusal, and no page may show MARK.
"""

import datetime as dt
import itertools

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from gongkai.core.models import AuditEvent, Role
from gongkai.participation.models import Answer, Concern, ConsultationStatus, Meeting, Message
from gongkai.records import services as record_services

from .. import factories
from ..factories import UserFactory, member
from ..participation.conftest import make_consultation

MARK = "机密标记"
PUBLIC_UNDER_WORKSPACE = {"workspace:login", "workspace:logout", "workspace:otp_verify", "workspace:otp_setup"}
REFUSED = {403, 404, 405}


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _patterns(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name, p


def staff_patterns():
    found = [(route, name, p) for route, name, p in _patterns() if route.startswith("workspace/")]
    return [(route, name, p) for route, name, p in found if name not in PUBLIC_UNDER_WORKSPACE]


def _converters(pattern: URLPattern):
    return dict(pattern.pattern.converters)


@pytest.fixture
def world(organ, other_organ, editor, reviewer):
    """Objects of every kind in ``organ``; nothing in ``other_organ``."""
    handler = member(organ, Role.HANDLER, "matrix_handler")
    genre = factories.GenreFactory(code="matrix", name="其他文件")
    record = record_services.record_create(actor=editor, organ=organ, data={
        "title": f"{MARK}草稿", "genre": genre, "written_on": dt.date(2025, 3, 1), "body": f"<p>{MARK}</p>"})
    attachment = record_services.attachment_add(actor=editor, record=record,
                                                file=ContentFile(MARK.encode(), name="附件.txt"))
    published = factories.RecordFactory(organ=organ, published=True, title="已发布的文件")  # public: no MARK
    record_services.record_set_validity(actor=editor, record=published, validity="repealed", note=MARK)
    app = factories.ApplicationFactory(organ=organ, title=f"{MARK}申请", name=f"{MARK}申请人", received=True)
    extension = factories.ExtensionRequestFactory(application=app, requested_by=handler)
    reconsideration = factories.ReconsiderationFactory(application=app)
    consultation = make_consultation(organ, title=f"{MARK}征求意见", status=ConsultationStatus.DRAFT)
    meeting = Meeting.objects.create(organ=organ, title=f"{MARK}会议", starts_at=timezone.now(), place=MARK)
    answer = Answer.objects.create(organ=organ, question=f"{MARK}问题", answer=MARK, created_by=editor)
    concern = Concern.objects.create(organ=organ, title=f"{MARK}关切", received_on=dt.date(2025, 3, 1),
                                     deadline=dt.date(2025, 3, 10))
    message = Message.objects.create(organ=organ, subject=f"{MARK}留言", body=MARK, receipt_code="MATRIX0001",
                                     received_on=dt.date(2025, 3, 3), name=f"{MARK}留言人")
    plan = factories.WorkPlanFactory(organ=organ, title=f"{MARK}工作要点")
    task = factories.TaskFactory(plan=plan, title=f"{MARK}任务")
    progress = factories.ProgressReportFactory(task=task, text=MARK)
    report = factories.AnnualReportFactory(organ=organ, overview=MARK)
    objects = [record, attachment, published, published.validity_changes.get(), app, extension, reconsideration,
               consultation, meeting, answer, concern, message, plan, task, progress, report]
    return {
        "pks": sorted({o.pk for o in objects}),
        "str": {"slug": f"{organ.code}-{report.year}", "code": organ.code, "kind": "reconsideration",
                "fmt": "docx", "action": "assign"},
    }


def _urls(pattern, world, *, every_pk: bool):
    converters = _converters(pattern)
    ints = [k for k, c in converters.items() if c.__class__.__name__ == "IntConverter"]
    strs = {k: world["str"].get(k, "x") for k in converters if k not in ints}
    choices = world["pks"] if every_pk else world["pks"][:1]
    for values in itertools.product(choices, repeat=len(ints)) if ints else [()]:
        kwargs = {**strs, **dict(zip(ints, values, strict=True))}
        yield pattern.pattern.regex.pattern, kwargs


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def _reverse(name, kwargs):
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


def _all(world, *, every_pk=False):
    for route, name, pattern in staff_patterns():
        for _regex, kwargs in _urls(pattern, world, every_pk=every_pk):
            yield route, _reverse(name, kwargs)


def test_the_matrix_sees_every_desk():
    routes = [route for route, _, _ in staff_patterns()]
    for prefix in ("workspace/records/", "workspace/applications/", "workspace/participation/", "workspace/plans/",
                   "workspace/reports/"):
        assert any(r.startswith(prefix) for r in routes), prefix
    assert len(routes) > 80


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login_or_refused(client, world):
    for route, url in _all(world):
        for method in (client.get, client.post):
            response = method(url)
            ok = response.status_code in REFUSED or (
                response.status_code == 302 and "/workspace/login/" in response["Location"])
            assert ok, f"{method.__name__.upper()} {url} ({route}) → {response.status_code}"


@pytest.mark.django_db
def test_signed_in_users_without_a_role_are_refused(client, world):
    client.force_login(UserFactory(username="citizen"))
    for route, url in _all(world):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in REFUSED, f"{method.__name__.upper()} {url} ({route}) → {response.status_code}"


@pytest.mark.django_db
def test_staff_of_another_organ_see_and_change_nothing(client, world, other_organ):
    outsider = member(other_organ, Role.EDITOR, "outsider")
    for role in (Role.REVIEWER, Role.HANDLER, Role.OFFICE, Role.OFFICE_HEAD):
        factories.MembershipFactory(user=outsider, organ=other_organ, role=role)
    client.force_login(outsider)
    audit_rows = AuditEvent.objects.count()
    tried = 0
    for route, name, pattern in staff_patterns():
        has_args = bool(_converters(pattern))
        for _regex, kwargs in _urls(pattern, world, every_pk=True):
            url = _reverse(name, kwargs)
            get = client.get(url)
            for _ in range(3):  # a GET on a POST-only action returns to its page (#23), which must refuse too
                if get.status_code != 302 or not url.startswith(get["Location"]):
                    break
                get = client.get(get["Location"])
            tried += 1
            if has_args:
                assert get.status_code in REFUSED, f"GET {url} ({route}) → {get.status_code}"
            assert MARK not in _body(get), f"GET {url} ({route}) shows another organ's data"
            if has_args:
                post = client.post(url)
                tried += 1
                assert post.status_code in REFUSED, f"POST {url} ({route}) → {post.status_code}"
    assert AuditEvent.objects.count() == audit_rows
    assert tried > 250


@pytest.mark.django_db
def test_get_never_changes_anything_and_post_needs_a_csrf_token(world):
    admin = UserFactory(username="platform_admin", is_staff=True, is_superuser=True)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    audit_rows = AuditEvent.objects.count()
    for route, url in _all(world):
        response = browser.get(url)
        assert response.status_code != 500, f"GET {url} ({route}) → 500"
        assert AuditEvent.objects.count() == audit_rows, f"GET {url} ({route}) changed something"
        post = browser.post(url)
        assert post.status_code == 403, f"POST {url} ({route}) without a CSRF token → {post.status_code}"
    assert AuditEvent.objects.count() == audit_rows
