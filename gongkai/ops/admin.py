"""Platform admins see every periodic job run, failed ones with their error, and every other queued
task that failed, with its attempts and error (django_tasks_db's own admin lists the queued task rows
with their tracebacks)."""

from __future__ import annotations

from django.contrib import admin

from .models import JobMail, JobRun, TaskFailure


class _PlatformRecordAdmin(admin.ModelAdmin):
    """What the jobs wrote: shown to platform admins (superusers) only, never added or changed by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(JobRun)
class JobRunAdmin(_PlatformRecordAdmin):
    list_display = ("job", "period", "status", "attempts", "enqueued_at", "finished_at", "summary")
    list_filter = ("status", "job")
    search_fields = ("job", "period", "last_error")
    readonly_fields = ("job", "period", "status", "attempts", "enqueued_at", "started_at", "finished_at",
                       "summary", "last_error")


@admin.register(JobMail)
class JobMailAdmin(_PlatformRecordAdmin):
    """The mails the periodic jobs sent, one row per job, period, recipient and object."""

    list_display = ("job", "period", "recipient", "object_key", "subject", "sent_at")
    list_filter = ("job",)
    search_fields = ("recipient", "subject", "period")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TaskFailure)
class TaskFailureAdmin(_PlatformRecordAdmin):
    """Queued tasks other than the periodic jobs that failed: retried with backoff, then 失败
    (gongkai/ops/task_retries.py)."""

    list_display = ("task", "arguments", "status", "attempts", "last_failed_at", "next_attempt_at", "recovered_at")
    list_filter = ("status", "task")
    search_fields = ("task", "arguments", "last_error")
    readonly_fields = ("task", "arguments", "status", "attempts", "first_failed_at", "last_failed_at",
                       "next_attempt_at", "recovered_at", "last_error")
