"""After any sequence of publish / schedule / withdraw / edit / validity / attachment / organ changes,
the index holds exactly Record.objects.public() (hypothesis stateful test, through the records services)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from gongkai.core.models import Role
from gongkai.records import services
from gongkai.records.models import Attribute, Record, ReviewDecision, Status, Validity
from gongkai.search.models import SearchDoc
from gongkai.search.query import search
from tests import factories

pytestmark = pytest.mark.django_db


def committed(fn, *args, **kwargs):
    """Run a service and then its on-commit callbacks (the record_changed signal), as a request would.

    A refusal (e.g. publishing for a deactivated organ) is part of the game: nothing changes.
    """
    with TestCase.captureOnCommitCallbacks(execute=True):
        try:
            return fn(*args, **kwargs)
        except services.RecordActionError:
            return None


class IndexMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.organ = factories.OrganFactory()
        self.editor = factories.UserFactory()
        self.reviewer = factories.UserFactory()
        factories.MembershipFactory(user=self.editor, organ=self.organ, role=Role.EDITOR)
        factories.MembershipFactory(user=self.reviewer, organ=self.organ, role=Role.REVIEWER)
        factories.MembershipFactory(user=self.reviewer, organ=self.organ, role=Role.OFFICE)
        self.genre = factories.GenreFactory()
        self.records: list[int] = []
        self.n = 0

    def _record(self, i):
        return Record.objects.get(pk=self.records[i % len(self.records)])

    @rule(attribute=st.sampled_from([Attribute.PROACTIVE, Attribute.PROACTIVE, Attribute.ON_REQUEST]))
    def draft(self, attribute):
        self.n += 1
        data = {"title": f"状态机测试记录第{self.n}号", "genre": self.genre, "body": f"<p>独有词语甲乙{self.n}丙丁</p>",
                "attribute": attribute}
        if attribute != Attribute.PROACTIVE:
            data["attribute_reason"] = "涉及第三方"
            data["withholding_ground"] = "third_party"
        rec = committed(services.record_create, actor=self.editor, organ=self.organ, data=data)
        if rec is not None:
            self.records.append(rec.pk)

    @precondition(lambda self: self.records)
    @rule(i=st.integers(0, 50), how=st.sampled_from(["now", "schedule", "later"]))
    def submit_and_approve(self, i, how):
        rec = self._record(i)
        if rec.status not in (Status.DRAFT, Status.RETURNED):
            return
        committed(services.record_submit, actor=self.editor, record=rec)
        rec.refresh_from_db()
        if rec.status != Status.SUBMITTED:
            return
        at = timezone.now() + dt.timedelta(seconds=1) if how == "schedule" else None
        committed(services.record_review, actor=self.reviewer, record=rec, decision=ReviewDecision.APPROVED,
                  confidentiality_opinion="经审查，不涉及国家秘密。", attribute_confirmed=rec.attribute, publish=how,
                  publish_at=at)

    @rule()
    def scheduled_time_comes(self):
        later = timezone.now() + dt.timedelta(minutes=5)
        committed(services.record_publish_due, now=later)

    @precondition(lambda self: self.records)
    @rule(i=st.integers(0, 50))
    def withdraw(self, i):
        rec = self._record(i)
        if rec.status in (Status.PUBLISHED, Status.SCHEDULED):
            committed(services.record_withdraw, actor=self.reviewer, record=rec, reason="政策调整")

    @precondition(lambda self: self.records)
    @rule(i=st.integers(0, 50), validity=st.sampled_from(list(Validity)))
    def set_validity(self, i, validity):
        committed(services.record_set_validity, actor=self.reviewer, record=self._record(i), validity=validity)

    @precondition(lambda self: self.records)
    @rule(i=st.integers(0, 50))
    def edit(self, i):
        rec = self._record(i)
        if rec.status in (Status.DRAFT, Status.RETURNED):
            committed(services.record_update, actor=self.editor, record=rec, data={"title": rec.title + "（修改）"})

    @precondition(lambda self: self.records)
    @rule(i=st.integers(0, 50), withheld=st.booleans())
    def attachment(self, i, withheld):
        rec = self._record(i)
        if rec.status in (Status.DRAFT, Status.RETURNED):
            committed(services.attachment_add, actor=self.editor, record=rec,
                      file=SimpleUploadedFile("说明.txt", f"附件独有内容{rec.pk}".encode()),
                      withheld=withheld, withheld_reason="含个人信息" if withheld else "")
        elif rec.attachments.exists():
            att = rec.attachments.first()
            committed(services.attachment_set_withheld, actor=self.reviewer, attachment=att, withheld=not att.withheld,
                      reason="含个人信息")

    @rule(active=st.booleans())
    def organ_active(self, active):
        self.organ.is_active = active
        committed(self.organ.save)

    @invariant()
    def index_is_the_public_door(self):
        mine = Record.objects.filter(pk__in=self.records)
        public = set(mine.public().values_list("pk", flat=True))
        indexed = set(SearchDoc.objects.filter(record_id__in=self.records).values_list("record_id", flat=True))
        assert indexed == public
        found = {h.record.pk for h in search("状态机测试记录", per_page=200, with_snippets=False).hits}
        assert found & set(self.records) == public
        for pk in self.records[-2:]:
            rec = Record.objects.get(pk=pk)
            att_text = {h.record.pk for h in search(f"附件独有内容{pk}", per_page=50, with_snippets=False).hits}
            visible_attachment = rec.attachments.filter(withheld=False).exists() and pk in public
            assert (pk in att_text) == visible_attachment


def test_index_holds_exactly_the_public_records():
    run_state_machine_as_test(IndexMachine, settings=settings(
        max_examples=10, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]))
