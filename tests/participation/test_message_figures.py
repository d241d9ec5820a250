"""Message figures per organ in the compliance monitor, and the year's sentence the annual report cites."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.participation.models import Message, MessageKind, Rating
from gongkai.participation.selectors import messages as sel
from gongkai.participation.services import messages as svc
from gongkai.reports import monitor
from tests import factories

pytestmark = pytest.mark.django_db


def send(organ, subject="公积金提取需要什么材料"):
    return svc.message_submit(organ=organ, kind=MessageKind.CONSULT, subject=subject, body="想问租房提取公积金的材料。",
                              name="张三", phone="13812345678")


def answer(message, author, reviewer):
    svc.message_reply_draft(actor=author, message=message, body="请携带身份证办理。")
    svc.message_reply_submit(actor=author, message=message)
    svc.message_reply_review(actor=reviewer, message=message, approve=True)
    message.refresh_from_db()
    return message


@pytest.fixture
def staff(organ):
    return factories.member(organ, Role.EDITOR, "fig_author"), factories.member(organ, Role.REVIEWER, "fig_reviewer")


def test_monitor_shows_per_organ_message_figures_of_the_subtree(client, organ, other_organ, staff):
    child = factories.OrganFactory(name="测试局下属中心", parent=organ)
    child_author = factories.member(child, Role.EDITOR, "fig_child_author")
    child_reviewer = factories.member(child, Role.REVIEWER, "fig_child_reviewer")
    author, reviewer = staff
    svc.message_rate(message=answer(send(organ), author, reviewer), rating=Rating.SATISFIED)
    svc.message_rate(message=answer(send(organ), author, reviewer), rating=Rating.DISSATISFIED, reason="没有回答")
    send(organ)  # open
    answer(send(child), child_author, child_reviewer)
    send(other_organ)  # not below organ: not in its monitor
    rows, total = monitor.message_figures(organ, today=timezone.localdate())
    assert [(r.organ, r.received, r.replied, r.on_time, r.rated, r.satisfied, r.dissatisfied) for r in rows] == [
        (organ, 3, 2, 2, 2, 1, 1), (child, 1, 1, 1, 0, 0, 0)]
    assert (total.received, total.replied, total.on_time, total.rated) == (4, 3, 3, 2)
    assert total.satisfaction_rate == 0.5 and total.avg_workdays == 0
    office = factories.member(organ, Role.OFFICE_HEAD, "fig_office")
    client.force_login(office)
    page = client.get(reverse("reports:monitor", kwargs={"code": organ.code})).content.decode()
    table = page[page.index('id="message-figures"'):]
    assert child.name in table and other_organ.name not in table and "50%" in table


def test_the_annual_report_cites_the_message_figures_of_its_year(client, organ, staff):
    author, reviewer = staff
    last_year = timezone.localdate().year - 1
    done = answer(send(organ), author, reviewer)
    svc.message_rate(message=done, rating=Rating.BASICALLY)
    send(organ)
    this_year = send(organ)
    Message.objects.exclude(pk=this_year.pk).update(submitted_at=timezone.make_aware(
        dt.datetime(last_year, 6, 1, 10, 0)))
    figures = sel.message_year_figures(organs=[organ], year=last_year)
    sentence = ("全年通过平台收到网民留言2件，已答复1件，其中按期答复1件（按期答复率100.0%），平均用时0.0个工作日；"
                "留言人评价1件，满意0件、基本满意1件、不满意0件，满意率100.0%。")
    assert figures.sentence() == sentence
    assert sel.message_year_figures(organs=[organ], year=last_year - 1).sentence() == "全年通过平台收到网民留言0件，已答复0件。"
    office = factories.member(organ, Role.OFFICE, "fig_report_office")
    client.force_login(office)
    page = client.get(reverse("reports:edit", kwargs={"slug": f"{organ.code}-{last_year}"})).content.decode()
    assert sentence in page and 'data-insert="messages-text"' in page


def test_the_weekly_digest_carries_the_message_figures_per_organ(organ, other_organ, staff, settings):
    from django.core import mail

    from gongkai.reports.tasks import send_weekly_digests

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    child = factories.OrganFactory(name="测试局下属中心", short_name="下属中心", parent=organ)
    author, reviewer = staff
    svc.message_rate(message=answer(send(organ), author, reviewer), rating=Rating.SATISFIED)
    send(organ)  # open
    send(child)
    send(other_organ)  # not below organ: not in its digest
    factories.member(organ, Role.OFFICE, "fig_digest_office")
    factories.member(other_organ, Role.OFFICE, "fig_digest_other")
    assert send_weekly_digests() == 2
    body = next(m.body for m in mail.outbox if m.body.startswith(f"{organ.name}政务公开合规监测周报"))
    assert "· 本年网民留言" in body
    assert "收到 3 件，已答复 1 件（按期 1 件，按期答复率 100%），平均用时 0.0 个工作日，满意率 100%（评价 1 件）" in body
    assert (f"    - {organ.display_name}：收到 2 件，已答复 1 件（按期 1 件，按期答复率 100%），平均用时 0.0 个工作日，"
            "满意率 100%（评价 1 件）") in body
    assert f"    - {child.display_name}：收到 1 件，已答复 0 件（按期 0 件，按期答复率 —），满意率 —（评价 0 件）" in body
    assert other_organ.display_name not in body
    other = next(m.body for m in mail.outbox if m.body != body)
    assert "收到 1 件，已答复 0 件" in other and child.display_name not in other
