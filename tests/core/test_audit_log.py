"""Every service for organs, roles, the calendar and reference data writes the exact audit rows;
so does every admin screen, which goes through those services (after Zulip's
zerver/tests/test_audit_log.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.test import RequestFactory

from gongkai.applications.tasks import applications_recompute_all
from gongkai.core import services
from gongkai.core.admin import OrganAdmin, ServiceAdmin
from gongkai.core.calendar import get_work_calendar
from gongkai.core.models import (
    AuditEvent,
    AuditEventType,
    CalendarOverride,
    CalendarYear,
    Membership,
    Organ,
    Role,
)
from gongkai.portal.models import ColumnKind, ColumnPage
from gongkai.records import reference
from gongkai.records.models import Catalog, CatalogEntry, Gazette, GazetteIssue, Genre, Topic
from gongkai.search.models import SearchTerm
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(db):
    return factories.UserFactory(username="platform_admin", is_staff=True, is_superuser=True)


def rows(**filters) -> list[tuple]:
    """The audit rows, oldest first, as (event type, actor, organ, object type, object id, changes, note)."""
    return [
        (e.event_type, e.actor, e.organ, e.object_type, e.object_id, e.changes, e.note)
        for e in AuditEvent.objects.filter(**filters).order_by("id")
    ]


# --- organs ---------------------------------------------------------------------------------


def test_organ_create(actor):
    parent = factories.OrganFactory(name="保定市人民政府")
    organ = services.organ_create(
        actor=actor,
        data={"name": "保定市教育局", "code": "11130600MB1234567X", "kind": "department", "parent": parent,
              "aliases": ["市教育局"]},
    )
    assert organ.path == f"{parent.path}{organ.pk}/"
    assert rows() == [
        (AuditEventType.ORGAN_CHANGED, actor, organ, "core.organ", str(organ.pk),
         {"name": [None, "保定市教育局"], "code": [None, "11130600MB1234567X"], "kind": [None, "department"],
          "parent": [None, "保定市人民政府"], "order": [None, 100], "is_active": [None, True],
          "aliases": [None, ["市教育局"]]},
         "新建机关"),
    ]


def test_organ_update(actor, organ):
    parent = factories.OrganFactory(name="保定市人民政府")
    services.organ_update(actor=actor, organ=organ, data={"short_name": "测试局", "parent": parent, "order": 100})
    organ.refresh_from_db()
    assert organ.short_name == "测试局" and organ.path == f"{parent.path}{organ.pk}/"
    # the factory's short name was 测试N局; "order" did not change and is not logged
    [(event_type, who, where, object_type, object_id, changes, note)] = rows()
    assert (event_type, who, where, object_type, object_id, note) == (
        AuditEventType.ORGAN_CHANGED, actor, organ, "core.organ", str(organ.pk), "修改机关信息")
    assert set(changes) == {"short_name", "parent"}
    assert changes["short_name"][1] == "测试局" and changes["parent"] == [None, "保定市人民政府"]


def test_organ_update_reads_the_old_values_from_the_database(actor, organ):
    """The admin hands over an instance its form has already changed."""
    organ.name = "保定市测试局（改）"
    services.organ_update(actor=actor, organ=organ, data={})
    assert rows()[0][5] == {"name": ["保定市测试局", "保定市测试局（改）"]}


def test_organ_update_without_a_change_writes_no_row(actor, organ):
    services.organ_update(actor=actor, organ=organ, data={"name": organ.name})
    assert rows() == []


def test_organ_cannot_move_below_itself(actor, organ):
    child = services.organ_create(actor=actor, data={"name": "下级单位", "code": "11130600MB7654321X",
                                                     "parent": organ})
    with pytest.raises(ValidationError) as refused:
        services.organ_update(actor=actor, organ=Organ.objects.get(pk=organ.pk), data={"parent": child})
    assert refused.value.message_dict == {"parent": ["上级机关不能是本机关或本机关的下级机关。"]}
    assert Organ.objects.get(pk=organ.pk).parent is None
    assert len(rows()) == 1  # the child's creation only


def test_organ_create_refuses_a_bad_code_in_chinese(actor):
    with pytest.raises(ValidationError) as refused:
        services.organ_create(actor=actor, data={"name": "某局", "code": "abc"})
    assert "机关代码应为9至18位" in str(refused.value)
    assert not Organ.objects.filter(name="某局").exists() and rows() == []


def test_organ_disable(actor, organ):
    services.organ_disable(actor=actor, organ=organ)
    assert Organ.objects.get(pk=organ.pk).is_active is False
    assert rows() == [
        (AuditEventType.ORGAN_CHANGED, actor, organ, "core.organ", str(organ.pk),
         {"is_active": [True, False]}, "停用机关"),
    ]
    services.organ_disable(actor=actor, organ=organ)  # already disabled: nothing happens
    assert len(rows()) == 1


# --- roles ----------------------------------------------------------------------------------


def test_membership_grant(actor, organ):
    user = factories.UserFactory(username="alice")
    membership = services.membership_grant(actor=actor, user=user, organ=organ, role=Role.REVIEWER)
    assert rows() == [
        (AuditEventType.MEMBERSHIP_CHANGED, actor, organ, "core.membership", str(membership.pk),
         {"user": [None, "alice"], "organ": [None, "保定市测试局"], "role": [None, "reviewer"]}, "授予角色"),
    ]


def test_membership_grant_twice_is_refused(actor, organ):
    user = factories.UserFactory(username="alice")
    services.membership_grant(actor=actor, user=user, organ=organ, role=Role.REVIEWER)
    with pytest.raises(ValidationError):
        services.membership_grant(actor=actor, user=user, organ=organ, role=Role.REVIEWER)
    assert Membership.objects.count() == 1 and len(rows()) == 1


def test_membership_revoke(actor, organ):
    membership = factories.MembershipFactory(user=factories.UserFactory(username="bob"), organ=organ,
                                             role=Role.HANDLER)
    pk = membership.pk
    services.membership_revoke(actor=actor, membership=membership)
    assert not Membership.objects.filter(pk=pk).exists()
    assert rows() == [
        (AuditEventType.MEMBERSHIP_CHANGED, actor, organ, "core.membership", str(pk),
         {"user": ["bob", None], "organ": ["保定市测试局", None], "role": ["handler", None]}, "撤销角色"),
    ]


# --- the calendar ---------------------------------------------------------------------------


def test_calendar_override_save_creates_updates_and_moves_due_dates(actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        override = services.calendar_override_save(
            actor=actor, data={"date": dt.date(2027, 1, 4), "is_workday": False, "note": "地方性假日"})
    assert applications_recompute_all.enqueue in callbacks  # every due date is recomputed on commit
    assert not get_work_calendar().is_workday(dt.date(2027, 1, 4))
    services.calendar_override_save(actor=actor, override=override, data={"note": "市政府通知"})
    assert rows() == [
        (AuditEventType.CALENDAR_CHANGED, actor, None, "core.calendaroverride", str(override.pk),
         {"date": [None, "2027-01-04"], "is_workday": [None, False], "note": [None, "地方性假日"]}, "新建"),
        (AuditEventType.CALENDAR_CHANGED, actor, None, "core.calendaroverride", str(override.pk),
         {"note": ["地方性假日", "市政府通知"]}, "修改"),
    ]


def test_calendar_override_delete(actor, django_capture_on_commit_callbacks):
    override = CalendarOverride.objects.create(date=dt.date(2027, 1, 4), is_workday=True, note="调休上班")
    pk = override.pk
    with django_capture_on_commit_callbacks() as callbacks:
        services.calendar_override_delete(actor=actor, override=override)
    assert applications_recompute_all.enqueue in callbacks
    assert not CalendarOverride.objects.exists()
    assert rows() == [
        (AuditEventType.CALENDAR_CHANGED, actor, None, "core.calendaroverride", str(pk),
         {"date": ["2027-01-04", None], "is_workday": [True, None], "note": ["调休上班", None]}, "删除"),
    ]


def test_calendar_override_on_a_taken_date_is_refused(actor):
    CalendarOverride.objects.create(date=dt.date(2027, 1, 4), is_workday=True, note="调休上班")
    with pytest.raises(ValidationError) as refused:
        services.calendar_override_save(actor=actor, data={"date": dt.date(2027, 1, 4), "is_workday": False,
                                                           "note": "x"})
    assert "date" in refused.value.message_dict and rows() == []


def test_calendar_year_save_and_delete(actor):
    year = services.calendar_year_save(actor=actor, data={"year": 2027, "note": "国办发明电〔2026〕1号"})
    assert get_work_calendar().is_covered(2027)
    pk = year.pk
    services.calendar_year_delete(actor=actor, year=year)
    assert not CalendarYear.objects.exists()
    assert rows() == [
        (AuditEventType.CALENDAR_CHANGED, actor, None, "core.calendaryear", str(pk),
         {"year": [None, 2027], "note": [None, "国办发明电〔2026〕1号"]}, "新建"),
        (AuditEventType.CALENDAR_CHANGED, actor, None, "core.calendaryear", str(pk),
         {"year": [2027, None], "note": ["国办发明电〔2026〕1号", None]}, "删除"),
    ]


# --- reference data of the records ----------------------------------------------------------


def test_genre_save_and_delete(actor):
    genre = reference.genre_save(actor=actor, data={"code": "xtest", "name": "测试体裁", "order": 50})
    reference.genre_save(actor=actor, genre=genre, data={"name": "测试体裁甲", "is_policy": True})
    pk = genre.pk
    reference.genre_delete(actor=actor, genre=genre)
    assert rows(object_type="records.genre") == [
        (AuditEventType.GENRE_CHANGED, actor, None, "records.genre", str(pk),
         {"code": [None, "xtest"], "name": [None, "测试体裁"], "is_policy": [None, False],
          "is_interpretation": [None, False], "order": [None, 50]}, "新建"),
        (AuditEventType.GENRE_CHANGED, actor, None, "records.genre", str(pk),
         {"name": ["测试体裁", "测试体裁甲"], "is_policy": [False, True]}, "修改"),
        (AuditEventType.GENRE_CHANGED, actor, None, "records.genre", str(pk),
         {"code": ["xtest", None], "name": ["测试体裁甲", None], "is_policy": [True, None],
          "is_interpretation": [False, None], "order": [50, None]}, "删除"),
    ]


def test_genre_in_use_is_not_deleted_and_not_logged(actor, organ, genre):
    factories.RecordFactory(organ=organ, genre=genre)
    before = AuditEvent.objects.count()
    with pytest.raises(ProtectedError):
        reference.genre_delete(actor=actor, genre=genre)
    assert Genre.objects.filter(pk=genre.pk).exists() and AuditEvent.objects.count() == before


def test_topic_save_and_delete(actor):
    parent = reference.topic_save(actor=actor, data={"code": "xparent", "name": "测试上级分类"})
    child = reference.topic_save(actor=actor, data={"code": "xchild", "name": "测试下级分类", "parent": parent})
    pk = child.pk
    reference.topic_delete(actor=actor, topic=child)
    assert not Topic.objects.filter(pk=pk).exists()
    assert rows(object_id=str(pk), object_type="records.topic") == [
        (AuditEventType.TOPIC_CHANGED, actor, None, "records.topic", str(pk),
         {"code": [None, "xchild"], "name": [None, "测试下级分类"], "parent": [None, "测试上级分类"], "order": [None, 100]},
         "新建"),
        (AuditEventType.TOPIC_CHANGED, actor, None, "records.topic", str(pk),
         {"code": ["xchild", None], "name": ["测试下级分类", None], "parent": ["测试上级分类", None], "order": [100, None]},
         "删除"),
    ]


def test_catalog_and_entries(actor, organ):
    catalog = reference.catalog_save(actor=actor, data={"name": "测试局公开目录", "organ": organ})
    entry = reference.catalog_entry_save(actor=actor, data={"catalog": catalog, "name": "机构职能", "order": 1})
    reference.catalog_entry_save(actor=actor, entry=entry, data={"description": "职责、内设机构"})
    entry_pk = entry.pk
    reference.catalog_entry_delete(actor=actor, entry=entry)
    assert rows() == [
        (AuditEventType.CATALOG_CHANGED, actor, organ, "records.catalog", str(catalog.pk),
         {"name": [None, "测试局公开目录"], "organ": [None, "保定市测试局"], "is_standard": [None, False]}, "新建"),
        (AuditEventType.CATALOG_CHANGED, actor, organ, "records.catalogentry", str(entry_pk),
         {"catalog": [None, "测试局公开目录"], "name": [None, "机构职能"], "order": [None, 1]}, "新建"),
        (AuditEventType.CATALOG_CHANGED, actor, organ, "records.catalogentry", str(entry_pk),
         {"description": ["", "职责、内设机构"]}, "修改"),
        (AuditEventType.CATALOG_CHANGED, actor, organ, "records.catalogentry", str(entry_pk),
         {"catalog": ["测试局公开目录", None], "name": ["机构职能", None], "description": ["职责、内设机构", None],
          "order": [1, None]}, "删除栏目"),
    ]
    catalog_pk = catalog.pk
    reference.catalog_delete(actor=actor, catalog=catalog)
    assert not Catalog.objects.filter(pk=catalog_pk).exists()
    assert rows()[-1][5:] == ({"name": ["测试局公开目录", None], "organ": ["保定市测试局", None],
                               "is_standard": [False, None]}, "删除目录（含0个栏目）")


def test_gazette_and_issue_with_its_pdf(actor, organ):
    gazette = reference.gazette_save(actor=actor, data={"organ": organ, "name": "测试局公报"})
    issue = reference.gazette_issue_save(actor=actor, data={
        "gazette": gazette, "year": 2026, "number": 1, "issued_on": dt.date(2026, 1, 15),
        "pdf": SimpleUploadedFile("2026-1.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
    })
    assert issue.pdf.name == "gazette/2026-1.pdf"
    reference.gazette_issue_save(actor=actor, issue=issue, data={"is_published": True, "pdf": False})
    assert GazetteIssue.objects.get(pk=issue.pk).pdf.name == ""
    assert rows() == [
        (AuditEventType.GAZETTE_CHANGED, actor, organ, "records.gazette", str(gazette.pk),
         {"organ": [None, "保定市测试局"], "name": [None, "测试局公报"]}, "新建"),
        (AuditEventType.GAZETTE_CHANGED, actor, organ, "records.gazetteissue", str(issue.pk),
         {"gazette": [None, "测试局公报"], "year": [None, 2026], "number": [None, 1],
          "issued_on": [None, "2026-01-15"], "pdf": [None, "gazette/2026-1.pdf"], "is_published": [None, False]},
         "新建"),
        (AuditEventType.GAZETTE_CHANGED, actor, organ, "records.gazetteissue", str(issue.pk),
         {"pdf": ["gazette/2026-1.pdf", ""], "is_published": [False, True]}, "修改"),
    ]
    gazette_pk = gazette.pk
    reference.gazette_delete(actor=actor, gazette=gazette)
    assert not Gazette.objects.exists() and not GazetteIssue.objects.exists()
    assert rows()[-1][4:] == (str(gazette_pk), {"organ": ["保定市测试局", None], "name": ["测试局公报", None]},
                              "删除公报（含1期）")


def test_a_service_refuses_fields_it_does_not_own(actor):
    with pytest.raises(ValueError, match="path"):
        services.organ_create(actor=actor, data={"name": "某局", "code": "11130600MB0000009X", "path": "/1/"})
    assert rows() == []


# --- the admin goes through the services ----------------------------------------------------


def test_every_admin_of_core_records_portal_and_search_goes_through_a_service():
    """No plain ModelAdmin is left, and every field an admin form offers is one its service writes."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_superuser=True, is_staff=True)
    checked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"core", "records", "portal", "search"} or model is AuditEvent:
            continue
        assert isinstance(model_admin, ServiceAdmin | OrganAdmin), model
        offered = set(model_admin.get_form(request)().fields)
        owned = set(services.ORGAN_FIELDS if isinstance(model_admin, OrganAdmin) else model_admin.service_fields)
        assert offered <= owned, (model, offered - owned)
        checked.append(model)
    assert {Organ, Membership, CalendarOverride, CalendarYear, Genre, Topic, Catalog, Gazette, GazetteIssue,
            ColumnPage, SearchTerm} <= set(checked)


ORGAN_FORM = {
    "short_name": "", "kind": "department", "parent": "", "order": "100", "is_active": "on", "aliases": "[]",
    "address": "", "postcode": "", "office_hours": "", "phone": "", "fax": "", "email": "", "website": "",
}


def _inline(rows_: list[dict], initial: int = 0) -> dict:
    data = {"memberships-TOTAL_FORMS": str(len(rows_)), "memberships-INITIAL_FORMS": str(initial),
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows_):
        data.update({f"memberships-{i}-{k}": v for k, v in row.items()})
    return data


def test_admin_organ_add_with_a_role(admin_client, admin_user):
    user = factories.UserFactory(username="carol")
    response = admin_client.post("/admin/core/organ/add/", {
        **ORGAN_FORM, "name": "保定市财政局", "code": "11130600MB2222222X",
        **_inline([{"user": str(user.pk), "role": "editor"}]),
    })
    assert response.status_code == 302, response.context["errors"] if response.context else response
    organ = Organ.objects.get(code="11130600MB2222222X")
    membership = Membership.objects.get(organ=organ, user=user, role=Role.EDITOR)
    assert [(r[0], r[1], r[2], r[3], r[4], r[6]) for r in rows()] == [
        (AuditEventType.ORGAN_CHANGED, admin_user, organ, "core.organ", str(organ.pk), "新建机关"),
        (AuditEventType.MEMBERSHIP_CHANGED, admin_user, organ, "core.membership", str(membership.pk), "授予角色"),
    ]
    assert rows()[1][5] == {"user": [None, "carol"], "organ": [None, "保定市财政局"], "role": [None, "editor"]}


def test_admin_organ_change_and_its_roles(admin_client, admin_user, organ):
    keep = factories.MembershipFactory(user=factories.UserFactory(username="dora"), organ=organ, role=Role.EDITOR)
    drop = factories.MembershipFactory(user=factories.UserFactory(username="emil"), organ=organ, role=Role.HANDLER)
    new_user = factories.UserFactory(username="fred")
    response = admin_client.post(f"/admin/core/organ/{organ.pk}/change/", {
        **ORGAN_FORM, "name": "保定市测试局", "code": organ.code, "short_name": "测试局", "phone": "0312-1234567",
        **_inline([
            {"id": str(keep.pk), "organ": str(organ.pk), "user": str(keep.user_id), "role": "reviewer"},
            {"id": str(drop.pk), "organ": str(organ.pk), "user": str(drop.user_id), "role": "handler",
             "DELETE": "on"},
            {"user": str(new_user.pk), "role": "office"},
        ], initial=2),
    })
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert set(Membership.objects.filter(organ=organ).values_list("user__username", "role")) == {
        ("dora", "reviewer"), ("fred", "office")}
    got = [(r[0], r[1], r[2], r[5], r[6]) for r in rows()]
    org = AuditEventType.ORGAN_CHANGED
    mem = AuditEventType.MEMBERSHIP_CHANGED
    name = "保定市测试局"
    assert got[0][0] == org and set(got[0][3]) == {"short_name", "phone"}
    assert got[0][3]["phone"] == ["", "0312-1234567"]
    assert got[1:] == [
        (mem, admin_user, organ, {"user": ["emil", None], "organ": [name, None], "role": ["handler", None]},
         "撤销角色"),
        (mem, admin_user, organ, {"user": ["dora", None], "organ": [name, None], "role": ["editor", None]},
         "撤销角色"),
        (mem, admin_user, organ, {"user": [None, "dora"], "organ": [None, name], "role": [None, "reviewer"]},
         "授予角色"),
        (mem, admin_user, organ, {"user": [None, "fred"], "organ": [None, name], "role": [None, "office"]},
         "授予角色"),
    ]


def test_admin_organ_below_its_own_child_is_a_form_error(admin_client, organ):
    child = factories.OrganFactory(parent=organ)
    response = admin_client.post(f"/admin/core/organ/{organ.pk}/change/", {
        **ORGAN_FORM, "name": organ.name, "code": organ.code, "parent": str(child.pk), **_inline([]),
    })
    assert response.status_code == 200
    assert "上级机关不能是本机关或本机关的下级机关。" in response.content.decode()
    assert Organ.objects.get(pk=organ.pk).parent is None and rows() == []


def test_admin_organ_is_disabled_not_deleted(admin_client, admin_user, organ):
    assert admin_client.get(f"/admin/core/organ/{organ.pk}/delete/").status_code == 403
    response = admin_client.post("/admin/core/organ/", {"action": "disable", "_selected_action": [str(organ.pk)]})
    assert response.status_code == 302
    assert Organ.objects.get(pk=organ.pk).is_active is False
    assert rows() == [(AuditEventType.ORGAN_CHANGED, admin_user, organ, "core.organ", str(organ.pk),
                       {"is_active": [True, False]}, "停用机关")]


def test_admin_membership_screen(admin_client, admin_user, organ):
    user = factories.UserFactory(username="gina")
    response = admin_client.post("/admin/core/membership/add/", {"user": user.pk, "organ": organ.pk,
                                                                  "role": "handler"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    response = admin_client.post(f"/admin/core/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Membership.objects.filter(user=user).exists()
    assert [(r[0], r[1], r[2], r[4], r[6]) for r in rows()] == [
        (AuditEventType.MEMBERSHIP_CHANGED, admin_user, organ, str(membership.pk), "授予角色"),
        (AuditEventType.MEMBERSHIP_CHANGED, admin_user, organ, str(membership.pk), "撤销角色"),
    ]


def test_admin_calendar_override(admin_client, admin_user):
    response = admin_client.post("/admin/core/calendaroverride/add/",
                                 {"date": "2027-01-04", "is_workday": "", "note": "地方性假日"})
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert not get_work_calendar().is_workday(dt.date(2027, 1, 4))
    response = admin_client.post(f"/admin/core/calendaroverride/{override.pk}/change/",
                                 {"date": "2027-01-04", "is_workday": "on", "note": "调休上班"})
    assert response.status_code == 302
    response = admin_client.post("/admin/core/calendaroverride/", {
        "action": "delete_selected", "_selected_action": [str(override.pk)], "post": "yes"})
    assert response.status_code == 302 and not CalendarOverride.objects.exists()
    pk = str(override.pk)
    assert rows() == [
        (AuditEventType.CALENDAR_CHANGED, admin_user, None, "core.calendaroverride", pk,
         {"date": [None, "2027-01-04"], "is_workday": [None, False], "note": [None, "地方性假日"]}, "新建"),
        (AuditEventType.CALENDAR_CHANGED, admin_user, None, "core.calendaroverride", pk,
         {"is_workday": [False, True], "note": ["地方性假日", "调休上班"]}, "修改"),
        (AuditEventType.CALENDAR_CHANGED, admin_user, None, "core.calendaroverride", pk,
         {"date": ["2027-01-04", None], "is_workday": [True, None], "note": ["调休上班", None]}, "删除"),
    ]


def test_admin_genre_order_in_the_list(admin_client, admin_user, genre):
    old_order = genre.order
    response = admin_client.post("/admin/records/genre/", {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(genre.pk), "form-0-order": "7", "_save": "保存",
    })
    assert response.status_code == 302
    assert Genre.objects.get(pk=genre.pk).order == 7
    assert rows() == [(AuditEventType.GENRE_CHANGED, admin_user, None, "records.genre", str(genre.pk),
                       {"order": [old_order, 7]}, "修改")]


def test_admin_catalog_with_an_entry(admin_client, admin_user, organ):
    response = admin_client.post("/admin/records/catalog/add/", {
        "name": "测试局公开目录", "organ": str(organ.pk),
        "entries-TOTAL_FORMS": "1", "entries-INITIAL_FORMS": "0", "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000", "entries-0-name": "机构职能", "entries-0-order": "1",
    })
    assert response.status_code == 302, response.context["errors"] if response.context else response
    catalog = Catalog.objects.get(organ=organ)
    entry = CatalogEntry.objects.get(catalog=catalog)
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in rows()] == [
        (AuditEventType.CATALOG_CHANGED, admin_user, organ, "records.catalog", str(catalog.pk)),
        (AuditEventType.CATALOG_CHANGED, admin_user, organ, "records.catalogentry", str(entry.pk)),
    ]
    assert rows()[1][5] == {"catalog": [None, "测试局公开目录"], "name": [None, "机构职能"], "order": [None, 1]}


def test_admin_column_page_and_search_term(admin_client, admin_user, organ):
    response = admin_client.post("/admin/portal/columnpage/add/", {
        "organ": str(organ.pk), "kind": "guide", "body": "<p>指南</p><script>alert(1)</script>"})
    assert response.status_code == 302
    page = ColumnPage.objects.get(organ=organ, kind=ColumnKind.GUIDE)
    assert page.body == "<p>指南</p>"
    response = admin_client.post("/admin/search/searchterm/add/", {"word": "放管服", "note": "", "is_active": "on"})
    assert response.status_code == 302
    term = SearchTerm.objects.get(word="放管服")
    assert rows() == [
        (AuditEventType.COLUMN_PAGE_CHANGED, admin_user, organ, "portal.columnpage", str(page.pk),
         {"organ": [None, "保定市测试局"], "kind": [None, "guide"], "body": [None, "<p>指南</p>"]}, "新建"),
        (AuditEventType.SEARCH_TERM_CHANGED, admin_user, None, "search.searchterm", str(term.pk),
         {"word": [None, "放管服"], "is_active": [None, True]}, "新建"),
    ]


# --- accounts -------------------------------------------------------------------------------


def test_user_save_logs_a_platform_admin_grant_and_a_password_reset(actor):
    user = factories.UserFactory(username="dora", first_name="朵拉")
    user.is_superuser = True
    user.set_password("another-secret")
    services.user_save(actor=actor, user=user)
    assert rows(object_type="auth.user") == [
        (AuditEventType.MEMBERSHIP_CHANGED, actor, None, "auth.user", str(user.pk),
         {"is_superuser": [False, True], "password": ["", "（已重设）"]}, "修改账号"),
    ]


def test_user_delete_revokes_each_role_first(actor, organ):
    user = factories.UserFactory(username="erin")
    membership = services.membership_grant(actor=actor, user=user, organ=organ, role=Role.EDITOR)
    user_pk, membership_pk = user.pk, membership.pk
    first = AuditEvent.objects.count()
    services.user_delete(actor=actor, user=user)
    new = rows()[first:]
    assert [(r[0], r[3], r[4], r[6]) for r in new] == [
        (AuditEventType.MEMBERSHIP_CHANGED, "core.membership", str(membership_pk), "撤销角色"),
        (AuditEventType.MEMBERSHIP_CHANGED, "auth.user", str(user_pk), "删除账号"),
    ]
    assert not get_user_model().objects.filter(pk=user_pk).exists()


def test_admin_user_change_is_audited(admin_client, admin_user):
    user = factories.UserFactory(username="fred", first_name="弗雷德", last_name="")
    response = admin_client.post(f"/admin/auth/user/{user.pk}/change/", {
        "username": "fred", "first_name": "弗雷德", "last_name": "", "email": "", "is_active": "on",
        "is_staff": "on", "is_superuser": "on", "date_joined_0": "2026-01-05", "date_joined_1": "09:00:00",
        "initial-date_joined_0": "2026-01-05", "initial-date_joined_1": "09:00:00",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert rows(object_type="auth.user", object_id=str(user.pk)) == [
        (AuditEventType.MEMBERSHIP_CHANGED, admin_user, None, "auth.user", str(user.pk),
         {"is_staff": [False, True], "is_superuser": [False, True]}, "修改账号"),
    ]


def test_admin_cannot_delete_an_account_that_acted(admin_client, admin_user, organ):
    user = factories.UserFactory(username="gina")
    services.membership_grant(actor=user, user=factories.UserFactory(username="hank"), organ=organ, role=Role.EDITOR)
    response = admin_client.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=user.pk).exists()
