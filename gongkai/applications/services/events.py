"""The clock of one application and appending an event to its log (validated, locked, audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gongkai.core.audit import audit_log
from gongkai.core.calendar import get_work_calendar
from gongkai.core.models import AuditEventType
from gongkai.workdays import WorkCalendar

from .. import services
from ..clock import ClockError, ClockResult, ClockState, EventKind, compute_clock
from ..models import Application, ApplicationEvent
from .base import CLOCK_SETTINGS, ApplicationActionError


def application_clock(
    application: Application,
    *,
    on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    events: Iterable[ApplicationEvent] | None = None,
) -> ClockResult:
    """The full clock with its explanation, as of ``on`` (today)."""
    rows = list(events) if events is not None else list(application.events.all())
    return compute_clock(
        [e.to_clock_event() for e in rows],
        calendar=calendar or get_work_calendar(),
        settings=CLOCK_SETTINGS,
        today=on or services.today(),
    )


def cache_fields(result: ClockResult) -> dict[str, Any]:
    due = result.due_date or result.projected_due_date
    closed = result.stopped_on if result.state in (ClockState.STOPPED, ClockState.ABANDONED) else None
    return {"clock_state": result.state.value, "due_date": due, "clock_computed_on": result.as_of,
            "closed_on": closed}



def lock_application(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


@dataclass
class Appended:
    application: Application
    event: ApplicationEvent
    clock: ClockResult


def append_event(
    application: Application, *, actor, kind: EventKind, on: dt.date, note: str = "",
    details: dict[str, Any] | None = None, new: bool = False, also_save: tuple[str, ...] = (),
    **fields: Any,
) -> Appended:
    """Validate the event against the whole log with the pure clock, then save it (locked).

    ``new``: the application was inserted in this very transaction (intake), so its row is
    already locked by the insert and it has no events yet: it is neither re-read nor locked
    again (two queries saved per submission). ``also_save``: further fields of ``application``
    to write in the same UPDATE as the clock cache (intake's serial).
    """
    if new:
        app, events = application, []
    else:
        app = lock_application(application)
        events = list(app.events.all())
    current = services.today()
    if on > current:
        raise ApplicationActionError(f"日期 {on.isoformat()} 晚于今天，不能预先记录。")
    event = ApplicationEvent(application=app, seq=len(events) + 1, kind=kind.value, date=on, note=note,
                             details=details or {}, created_by=actor if getattr(actor, "is_authenticated", False) else None,
                             **{k: ("" if v is None and k in ("channel", "party", "ref") else v) for k, v in fields.items()})
    try:
        clock = application_clock(app, on=current, events=[*events, event])
    except ClockError as exc:
        raise ApplicationActionError(str(exc)) from None
    event.save()
    before = {"clock_state": app.clock_state, "due_date": app.due_date}
    for key, value in cache_fields(clock).items():
        setattr(app, key, value)
    app.save(update_fields=["clock_state", "due_date", "clock_computed_on", "closed_on", *also_save])
    audit_log(actor=actor, event_type=AuditEventType.APPLICATION_EVENT, obj=app, organ=app.organ,
              changes={k: [v, getattr(app, k)] for k, v in before.items() if v != getattr(app, k)},
              note=f"{event.get_kind_display()}（{on.isoformat()}）{('：' + note) if note else ''}")
    return Appended(app, event, clock)
