"""What the installation itself keeps: one row per periodic job and period (docs/adr/0007-job-queue.md)."""

from __future__ import annotations

from django.db import models


class JobRunStatus(models.TextChoices):
    QUEUED = "queued", "已排队"
    RUNNING = "running", "运行中"
    RETRYING = "retrying", "等待重试"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class JobRun(models.Model):
    """A periodic job's run for one period.

    The unique (job, period) pair is what makes every period's job enqueued exactly once,
    however many schedulers run: the second insert fails and that scheduler moves on.
    """

    job = models.CharField("任务", max_length=64)
    period = models.CharField("周期", max_length=32, help_text="如 2026-12-04（每日）、2026-W49（每周）或周期开始时刻")
    status = models.CharField("状态", max_length=16, choices=JobRunStatus.choices, default=JobRunStatus.QUEUED,
                              editable=False)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0, editable=False)
    enqueued_at = models.DateTimeField("排队时间", auto_now_add=True)
    started_at = models.DateTimeField("最近开始时间", null=True, blank=True, editable=False)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True, editable=False)
    summary = models.CharField("结果", max_length=300, blank=True, editable=False)
    last_error = models.TextField("最近错误", blank=True, editable=False)

    class Meta:
        verbose_name = "定时任务运行"
        verbose_name_plural = "定时任务运行"
        ordering = ["-enqueued_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="ops_jobrun_once_per_period")]
        indexes = [models.Index(fields=["status", "enqueued_at"], name="ops_jobrun_status_idx")]

    def __str__(self) -> str:
        return f"{self.job} {self.period}（{self.get_status_display()}）"


class IdempotencyKey(models.Model):
    """A form submission already answered: a client that retries it (a lost answer, a server that
    died after committing) gets the same answer again instead of a second application or message.

    The row is written in the same transaction as whatever the submission wrote."""

    key = models.CharField("幂等键", max_length=80, unique=True)
    path = models.CharField("地址", max_length=300)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    status = models.PositiveSmallIntegerField("响应状态", default=0)
    location = models.CharField("跳转地址", max_length=500, blank=True)
    content_type = models.CharField("内容类型", max_length=100, blank=True)
    body = models.BinaryField("响应内容", blank=True, default=b"")

    class Meta:
        verbose_name = "已处理的提交"
        verbose_name_plural = "已处理的提交"

    def __str__(self) -> str:
        return f"{self.key} {self.path}"


class JobMail(models.Model):
    """A mail a periodic job sent: one row per (job, period, recipient, object), written in the same
    transaction as the decision to send, so a job run twice (a retry, a worker killed after sending,
    two workers) mails nobody twice (gongkai/ops/mail.py)."""

    job = models.CharField("任务", max_length=64)
    period = models.CharField("周期", max_length=32)
    recipient = models.CharField("收件人", max_length=254)
    object_key = models.CharField("对象", max_length=100, help_text="如 user:12（经办人）、organ:3（机关）")
    subject = models.CharField("主题", max_length=200, blank=True)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    class Meta:
        verbose_name = "定时任务邮件"
        verbose_name_plural = "定时任务邮件"
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period", "recipient", "object_key"],
                                               name="ops_jobmail_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.period} → {self.recipient}"


class WorkerBeat(models.Model):
    """A job worker's sign of life, written every few seconds by a thread of the worker even while a
    long job runs: a task is put back in the queue only when its worker has stopped beating
    (``GONGKAI_JOB_TIMEOUT`` seconds), never while a live worker is still running it."""

    worker_id = models.CharField("任务进程", max_length=64, unique=True)
    seen_at = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "任务进程心跳"
        verbose_name_plural = "任务进程心跳"

    def __str__(self) -> str:
        return f"{self.worker_id} {self.seen_at:%H:%M:%S}"


class TaskFailureStatus(models.TextChoices):
    RETRYING = "retrying", "等待重试"
    FAILED = "failed", "失败"
    RECOVERED = "recovered", "重试后成功"


class TaskFailure(models.Model):
    """A queued task other than a periodic job (a letter to render, a report's files…) that failed:
    one row per task and arguments, with its attempts and last error. The task is idempotent and is
    enqueued again with backoff up to ``GONGKAI_JOB_RETRIES`` attempts (gongkai/ops/task_retries.py);
    then it stays 失败 for the platform admins."""

    task = models.CharField("任务", max_length=200)
    args_key = models.CharField("参数摘要", max_length=64, editable=False)
    arguments = models.CharField("参数", max_length=500, blank=True, editable=False)
    status = models.CharField("状态", max_length=16, choices=TaskFailureStatus.choices,
                              default=TaskFailureStatus.RETRYING, editable=False)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0, editable=False)
    first_failed_at = models.DateTimeField("首次失败时间", auto_now_add=True)
    last_failed_at = models.DateTimeField("最近失败时间", null=True, blank=True, editable=False)
    next_attempt_at = models.DateTimeField("下次重试时间", null=True, blank=True, editable=False)
    recovered_at = models.DateTimeField("成功时间", null=True, blank=True, editable=False)
    last_error = models.TextField("最近错误", blank=True, editable=False)

    class Meta:
        verbose_name = "后台任务失败"
        verbose_name_plural = "后台任务失败"
        ordering = ["-last_failed_at"]
        constraints = [models.UniqueConstraint(fields=["task", "args_key"], name="ops_taskfailure_once")]
        indexes = [models.Index(fields=["status", "last_failed_at"], name="ops_taskfailure_status_idx")]

    def __str__(self) -> str:
        return f"{self.task}({self.arguments})（{self.get_status_display()}）"
