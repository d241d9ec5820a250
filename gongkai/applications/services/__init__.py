"""Writes to applications: every action is one transaction that appends its clock
event (validated by the pure clock), refreshes the due-date cache, writes the
audit row and produces the letter the law wants; e-mail goes out on commit.

Actions refuse with :class:`ApplicationActionError` (a Chinese sentence for the
person at the screen) before anything is written.

One module per part of the work; callers use this package's names
(``services.application_determine(...)``):

========================  ==================================================
``base``                  the refusal, ``today()``, dates in Chinese, who may handle
``events``                the clock of one application; appending an event to its log
``recompute``             the due-date cache of every application (fast path)
``letters``               letters: number, context, template, e-mail
``intake``                submitted online, registered by staff, assigned
``handling``              补正, 征求意见, 延期
``fee_notices``           信息处理费
``determination``         答复 and transfer
``appeals``               行政复议, 行政诉讼
``conversion``            依申请转主动
``privacy``               the applicant's personal data: export, erasure
``reminders``             e-mail to handlers about due-soon and overdue applications
``submissions``           the public form's challenge, hourly limit and submission log
``tracking``              the applicant's look-up by tracking code (constant time, throttled)
``letter_templates``      an organ's own letter templates (the admin)
``exports``               the queue as CSV: filtered, masked, audited, formula-safe
========================  ==================================================

Services read today's date as ``services.today()`` — this package's name — so
that a test or a benchmark freezes every service by replacing that one name.
"""

from __future__ import annotations

from .appeals import (
    appeal_reopen,
    appeal_set_result,
    litigation_add,
    litigation_flags,
    reconsideration_add,
    reopen_failure_reason,
)
from .applicant import (
    application_thread_accept,
    application_thread_post,
    application_withdraw,
    kept_files_purge,
    thread_refusal,
)
from .base import (
    CLOCK_SETTINGS,
    ERASED,
    ApplicationActionError,
    audit_history,
    can_handle,
    date_cn,
    decimal_str,
    new_tracking_code,
    today,
)
from .conversion import application_convert_to_record
from .determination import (
    ALREADY_PUBLIC_TEXT,
    NOT_OURS_TEXT,
    OUTCOME_TEXT,
    application_determine,
    application_transfer,
)
from .events import application_clock
from .exports import applications_export, csv_cell
from .fee_notices import (
    application_fee_expired,
    application_fee_notice,
    application_fee_paid,
    prior_in_month,
)
from .handling import (
    action_failure_reasons,
    application_consult,
    application_consultation_answered,
    application_correction_expired,
    application_decide_extension,
    application_record_correction,
    application_request_correction,
    application_request_extension,
    event_failure_reason,
    extension_failure_reason,
    open_consultations,
)
from .intake import (
    APPLICANT_FIELDS,
    application_assign,
    application_register,
    application_submit,
    validate_identity,
)
from .letter_templates import letter_template_check, letter_template_delete, letter_template_save
from .letters import (
    letter_ensure_rendered,
    letter_pdf,
    letter_settings,
    next_letter_number,
    reconsideration_body,
    remedy_kind,
)
from .privacy import (
    PERSONAL_FIELDS,
    applicant_erase,
    applicant_export,
    erase_failure_reason,
    retention_days,
)
from .recompute import applications_recompute, due_dates_fast
from .reminders import due_soon_workdays, remind_handlers
from .submissions import ApplyGate, apply_gate, submission_log_add
from .tracking import TrackingRefused, application_track

__all__ = [
    "application_thread_accept",
    "application_thread_post",
    "application_withdraw",
    "thread_refusal",
    "ALREADY_PUBLIC_TEXT",
    "APPLICANT_FIELDS",
    "CLOCK_SETTINGS",
    "ERASED",
    "NOT_OURS_TEXT",
    "OUTCOME_TEXT",
    "PERSONAL_FIELDS",
    "ApplicationActionError",
    "ApplyGate",
    "TrackingRefused",
    "appeal_reopen",
    "appeal_set_result",
    "applicant_erase",
    "applicant_export",
    "apply_gate",
    "application_assign",
    "application_clock",
    "application_consult",
    "application_consultation_answered",
    "application_convert_to_record",
    "application_correction_expired",
    "application_decide_extension",
    "application_determine",
    "application_fee_expired",
    "application_fee_notice",
    "application_fee_paid",
    "application_record_correction",
    "application_register",
    "application_request_correction",
    "application_request_extension",
    "application_submit",
    "application_track",
    "application_transfer",
    "applications_export",
    "applications_recompute",
    "audit_history",
    "can_handle",
    "csv_cell",
    "date_cn",
    "decimal_str",
    "due_dates_fast",
    "due_soon_workdays",
    "erase_failure_reason",
    "action_failure_reasons",
    "event_failure_reason",
    "extension_failure_reason",
    "kept_files_purge",
    "letter_ensure_rendered",
    "letter_pdf",
    "letter_settings",
    "next_letter_number",
    "letter_template_check",
    "letter_template_delete",
    "letter_template_save",
    "litigation_add",
    "litigation_flags",
    "new_tracking_code",
    "open_consultations",
    "prior_in_month",
    "reconsideration_add",
    "reconsideration_body",
    "reopen_failure_reason",
    "remedy_kind",
    "remind_handlers",
    "retention_days",
    "submission_log_add",
    "today",
    "validate_identity",
]
