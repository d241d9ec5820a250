"""gongkai worker: run queued jobs (django-tasks' database queue) until stopped.

django_tasks_db's own worker, plus what a cluster needs: a thread beats every few seconds
(``ops.WorkerBeat``), also while a long job runs; tasks left 运行中 by a worker that died (SIGKILL,
a lost machine) go back in the queue once it has been silent for ``GONGKAI_JOB_TIMEOUT`` seconds,
or at once when a worker starts again under the same ``--worker-id`` (jobs are idempotent); and
the worker can also run the scheduler (``--with-scheduler``).
Run as many as you like, on any machine that reaches the database.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections
from django.db.utils import OperationalError
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger("gongkai.ops.worker")
SWEEP_SECONDS = 5  # requeueing the tasks of dead workers
SCHEDULE_SECONDS = 1  # the scheduler: shorter than the shortest period


class GongkaiWorker(Worker):
    def __init__(self, *, with_scheduler: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.with_scheduler = with_scheduler
        self._last_sweep = self._last_schedule = 0.0
        self._beating = threading.Event()

    def beat_every(self) -> float:
        from django.conf import settings

        return max(min(int(getattr(settings, "GONGKAI_JOB_TIMEOUT", 60)) / 4, 5.0), 0.2)

    def _beat_loop(self) -> None:
        from django.db import connection

        from gongkai.ops import jobs

        try:
            while not self._beating.wait(self.beat_every()):
                try:
                    jobs.beat(self.worker_id)
                except OperationalError as exc:  # the database is restarting: beat again later
                    logger.warning("heartbeat skipped: %s", exc)
                    connection.close()
        finally:
            connection.close()

    def start_beating(self) -> None:
        """Beat now (a restarted worker takes back its dead predecessor's tasks), then in a thread."""
        from gongkai.ops import jobs

        try:
            jobs.beat(self.worker_id)
            requeued = jobs.requeue_stale(own_worker=self.worker_id)
            if requeued:
                logger.warning("took back %d tasks this worker id left running when it stopped", requeued)
        except OperationalError as exc:
            logger.warning("first heartbeat skipped: %s", exc)
        threading.Thread(target=self._beat_loop, name="gongkai-worker-beat", daemon=True).start()

    def sweep(self) -> None:
        from gongkai.ops import jobs

        now = time.monotonic()
        try:
            if now - self._last_sweep >= SWEEP_SECONDS:
                self._last_sweep = now
                requeued = jobs.requeue_stale()
                if requeued:
                    logger.warning("requeued %d tasks of workers that stopped mid-job", requeued)
            if self.with_scheduler and now - self._last_schedule >= SCHEDULE_SECONDS:
                self._last_schedule = now
                jobs.schedule()
        except OperationalError as exc:  # the database is restarting: try again on the next sweep
            logger.warning("sweep skipped: %s", exc)

    def run(self) -> None:  # django_tasks_db's loop with the heartbeat and the sweep added
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        self.start_beating()
        try:
            self._loop()
        finally:
            self._beating.set()

    def _loop(self) -> None:
        while self.running:
            self.sweep()
            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                tasks = tasks.filter(queue_name__in=self.queue_names)
            task_result = None
            try:
                with exclusive_transaction(tasks.db):
                    task_result = tasks.get_locked()
                    if task_result is not None:
                        task_result.claim(self.worker_id)
            except OperationalError as exc:
                logger.warning("queue not reachable: %s", exc)
                task_result = None
                close_old_connections()
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and task_result is None:
                return None
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return None
            close_old_connections()
            if self.running and not task_result:
                time.sleep(self.interval)


class Command(DbWorkerCommand):
    help = "运行后台任务队列（可同时运行多个）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False, queue_name="*")
        parser.add_argument("--with-scheduler", action="store_true",
                            help="同时运行定时任务调度（每个周期只排队一次，可在多台服务器上同时开启）")

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload,
               max_tasks, worker_id, with_scheduler=False, **options):
        self.configure_logging(verbosity)
        worker = GongkaiWorker(queue_names=queue_name.split(","), interval=interval, batch=batch,
                               backend_name=backend_name, startup_delay=startup_delay, max_tasks=max_tasks,
                               worker_id=worker_id, with_scheduler=with_scheduler)
        worker.configure_signals()
        worker.run()
