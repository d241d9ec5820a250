"""The audit log is append-only in the database itself, not only in the application."""

import pytest
from django.db import DatabaseError, connection, transaction

from gongkai.core.audit import audit_log
from gongkai.core.models import AuditEventType


def _out_of_maintenance():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditmaintenance")


@pytest.mark.django_db
def test_update_and_delete_of_audit_rows_are_refused_by_the_database(organ, editor):
    event = audit_log(actor=editor, event_type=AuditEventType.ORGAN_CHANGED, obj=organ, organ=organ, note="原文")
    _out_of_maintenance()  # rolled back with the test
    for sql in ("UPDATE core_auditevent SET note = '改' WHERE id = %s", "DELETE FROM core_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="审计日志只能追加"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM core_auditevent WHERE id = %s", [event.pk])
        assert cursor.fetchone()[0] == "原文"


@pytest.mark.django_db
def test_the_database_still_takes_new_rows(organ, editor):
    _out_of_maintenance()
    audit_log(actor=editor, event_type=AuditEventType.ORGAN_CHANGED, obj=organ, organ=organ)
    audit_log(actor=editor, event_type=AuditEventType.ORGAN_CHANGED, obj=organ, organ=organ)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_auditevent")
        assert cursor.fetchone()[0] == 2
