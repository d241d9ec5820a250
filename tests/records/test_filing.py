"""Filing rules of the catalog: the pure matcher, filing on publication, the demo's bulk filing, the picker."""

import pytest
from django.db import transaction
from django.utils import timezone

from gongkai.core.models import AuditEvent, AuditEventType, Role
from gongkai.records import reference, services
from gongkai.records.filing import Rule, matching_entries, split_keywords
from gongkai.records.models import Catalog, CatalogEntry, Genre, Record
from gongkai.workspace.forms import RecordForm

from ..factories import OrganFactory, RecordFactory, member
from ..portal.world import build_site


def test_a_rule_needs_every_kind_of_condition_it_states():
    rule = Rule(entry_id=1, genres=frozenset({"finance"}), keywords=("预算",))
    assert rule.matches(genre="finance", topic="", title="2025年部门预算公开")
    assert not rule.matches(genre="finance", topic="", title="2024年部门决算")
    assert not rule.matches(genre="notice", topic="", title="预算通知")
    assert not Rule(entry_id=2).matches(genre="finance", topic="", title="预算")  # no rule: by hand only
    assert Rule(entry_id=3, keywords=("三公",)).matches(genre="other", topic="", title="经费", keywords="三公经费")
    assert matching_entries([rule, Rule(entry_id=4, genres=frozenset({"finance"}))],
                            genre="finance", topic="", title="决算") == [4]
    assert split_keywords("预算, 决算，三公、债务") == ("预算", "决算", "三公", "债务")


@pytest.mark.django_db
def test_standard_entries_carry_rules_and_copies_keep_them():
    site = build_site()
    entries = site.entries
    assert set(entries["policy_normative"].rule_genres.values_list("code", flat=True)) == {"normative"}
    assert "三公" in entries["three_public"].rule_keywords


@pytest.mark.django_db
def test_a_published_record_without_entries_is_filed_by_the_rules(django_capture_on_commit_callbacks):
    # Not a transactional test: a flush by an earlier one would drop the genres and rules that
    # migrations create; the on-commit filing runs through the captured callbacks instead.
    site = build_site()
    editor = member(site.gov, Role.EDITOR, "filing-editor")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        record = services.record_create(actor=editor, organ=site.gov, data={
            "title": "保定市2025年“三公”经费预算公开说明", "genre": Genre.objects.get(code="finance"),
            "topic": site.new_policy.topic, "written_on": site.new_policy.written_on, "body": "<p>说明。</p>",
            "attribute": "proactive"})
        services.record_publish_imported(actor=editor, record=record, at=now, now=now, note="导入", opinion="不涉密")
    codes = set(Record.objects.get(pk=record.pk).catalog_entries.values_list("code", flat=True))
    assert {"three_public", "budget"} <= codes
    assert AuditEvent.objects.filter(event_type=AuditEventType.CATALOG_CHANGED, object_id=str(record.pk)).exists()
    chosen = services.record_create(actor=editor, organ=site.gov, data={
        "title": "另一份预算说明", "genre": Genre.objects.get(code="finance"), "topic": site.new_policy.topic,
        "written_on": site.new_policy.written_on, "body": "<p>说明。</p>", "attribute": "proactive"},
        catalog_entries=[site.entries["policy_other"]])
    with transaction.atomic():
        services.record_publish_imported(actor=editor, record=chosen, at=now, now=now, note="导入", opinion="不涉密")
    assert list(chosen.catalog_entries.values_list("code", flat=True)) == ["policy_other"]  # the editor's choice


@pytest.mark.django_db
def test_bulk_filing_fills_entries_and_leaves_manual_choices():
    site = build_site()
    Record.catalog_entries.through.objects.filter(record__organ=site.gov).exclude(record=site.new_policy).delete()
    site.new_policy.catalog_entries.add(site.entries["policy_other"])  # an editor's extra choice
    added = reference.records_file_bulk(actor=None, records=Record.objects.public().filter(organ=site.gov))
    assert added >= 4
    assert set(site.new_policy.catalog_entries.values_list("code", flat=True)) == {"policy_normative", "policy_other"}
    assert site.repealed.catalog_entries.filter(code="policy_rules").exists()
    assert site.annual.catalog_entries.filter(code="annual_reports").exists()
    assert reference.records_file_bulk(actor=None, records=Record.objects.public().filter(organ=site.gov)) == 0


@pytest.mark.django_db
def test_picker_shows_the_records_organ_tree_only():
    site = build_site()
    other = OrganFactory(name="别的机关", code="11130600000000009Z")
    services.catalog_copy(source=Catalog.objects.get(is_standard=True), organ=other)
    record = RecordFactory(organ=site.gov, genre=site.new_policy.genre)
    form = RecordForm(instance=record, organs=site.gov.__class__.objects.filter(pk__in=[site.gov.pk, other.pk]))
    entries = list(form.fields["catalog_entries"].queryset)
    assert entries and all(e.catalog.organ_id == site.gov.pk for e in entries)
    label = form.fields["catalog_entries"].label_from_instance(CatalogEntry.objects.get(pk=site.entries["three_public"].pk))
    assert label == "财政信息 › “三公”经费"
