"""``{% history_table events %}``: the one audit-history table of every history page."""

from django import template

from gongkai.core.history import HistoryRow, history_rows, person_name

register = template.Library()


@register.inclusion_tag("core/_history.html")
def history_table(events, subjects=False):
    """``events``: AuditEvents, or rows already built with ``gongkai.core.history.history_row``."""
    events = list(events)
    rows = events if all(isinstance(e, HistoryRow) for e in events) else history_rows(events, subjects=subjects)
    return {"rows": rows, "subjects": subjects or any(r.subject for r in rows)}


@register.filter
def person(user) -> str:
    """``{{ record.created_by|person }}``: the full name, else the username; no user reads 系统."""
    return person_name(user)
