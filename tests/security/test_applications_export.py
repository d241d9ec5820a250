"""Finding 3: the applications CSV export — formula cells, filters, masking, audit."""

import csv
import io

import pytest
from django.urls import reverse

from gongkai.applications.services import csv_cell
from gongkai.core.models import AuditEvent, AuditEventType, Role

from .. import factories
from ..factories import VALID_ID, member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=HYPERLINK(\"x\")"])
def test_formula_cells_are_neutralised(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "2025-09-22", "", None, "13812345678"])
def test_other_cells_are_kept(value):
    assert csv_cell(value) == ("" if value is None else value)


def _rows(response):
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def handler(organ):
    return member(organ, Role.HANDLER, "export_handler")


def test_an_export_is_filtered_masked_formula_safe_and_audited(client, organ, handler):
    evil = factories.ApplicationFactory(organ=organ, name="=HYPERLINK(\"http://evil.example\",\"点我\")",
                                        title="=cmd|' /C calc'!A0", received=True)
    closed = factories.ApplicationFactory(organ=organ, title="已经办结的申请", received=True)
    closed.closed_on = closed.arrived_on
    closed.save()
    client.force_login(handler)
    response = client.post(reverse("applications:export"), {"state": "closed"})
    rows = _rows(response)
    assert [r[0] for r in rows[1:]] == [closed.tracking_code]  # the queue's filter is honoured
    response = client.post(reverse("applications:export"), {"state": "all"})
    assert response["Cache-Control"] == "no-store"
    rows = {r[0]: r for r in _rows(response)[1:]}
    assert rows[evil.tracking_code][6].startswith("'=")
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows.values() for cell in row)
    assert VALID_ID not in str(rows) and "13812345678" not in str(rows)
    events = AuditEvent.objects.filter(event_type=AuditEventType.APPLICANT_DATA_EXPORTED, actor=handler).order_by("id")
    assert [e.changes["rows"] for e in events] == [1, 2]
    assert events[0].changes["filters"] == {"state": "closed"}
    assert events[1].changes["unmasked_rows"] == 0


def test_full_personal_data_needs_a_reason_and_is_audited(client, organ, handler):
    app = factories.ApplicationFactory(organ=organ, received=True)
    client.force_login(handler)
    refused = client.post(reverse("applications:export"), {"full": "1", "state": "all"})
    assert refused.status_code == 302
    assert not AuditEvent.objects.filter(event_type=AuditEventType.APPLICANT_DATA_EXPORTED).exists()
    response = client.post(reverse("applications:export"), {"full": "1", "reason": "复议答辩", "state": "all"})
    rows = _rows(response)
    assert rows[1][4] == VALID_ID and rows[1][0] == app.tracking_code
    event = AuditEvent.objects.get(event_type=AuditEventType.APPLICANT_DATA_EXPORTED)
    assert event.changes["unmasked_rows"] == 1 and "复议答辩" in event.note


def test_export_is_refused_on_get(client, handler):
    client.force_login(handler)
    response = client.get(reverse("applications:export"))  # back to the page the action belongs to (#23)
    assert response.status_code == 302 and reverse("applications:export").startswith(response["Location"])
    assert not AuditEvent.objects.filter(event_type=AuditEventType.APPLICANT_DATA_EXPORTED).exists()
