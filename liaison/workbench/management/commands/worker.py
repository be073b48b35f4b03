"""`manage.py worker`: the background worker of the platform plus a tiny scheduler.

What it runs:

- the django_tasks_db worker loop (the `Worker` of its `db_worker` command, reused in-process):
  exports, imports, and every task enqueued with `.enqueue()`;
- a mover thread that turns public API submissions waiting in the intake journal into cases
  every `INTAKE_MOVE_SECONDS` (default 1), in batches (decision 0006);
- a sweeper thread that gives newly taken-in cases their category hint every
  `CATEGORY_HINT_SWEEP_SECONDS` (default 5), in batches (decision 0005);
- a sweeper thread that recounts the KPI rollup's days of the cases that moved every
  `KPI_ROLLUP_SWEEP_SECONDS` (default 30; decision 0045);
- a sweeper thread that builds the similar-case index files of the counties the web processes
  ask for, and rebuilds them every 5 minutes while they are viewed, looking every
  `SIMILAR_INDEX_SWEEP_SECONDS` (default 5; one county per call; decision 0050);
- a scheduler thread that enqueues `escalate_due_cases_task` (the deadline job: yellow/red marks,
  supervisions, notifications) once at start and then every `ESCALATION_INTERVAL_MINUTES`
  minutes (setting or environment variable, default 30; `--escalation-minutes` overrides, 0
  turns the scheduler off); the same thread enqueues the daily jobs (retention purge, audit
  chain check), the monthly reports, and on every tick the expiry of the export jobs' files
  (`EXPORT_RETENTION_HOURS`, default 72).

Stopping: SIGTERM or SIGINT (Ctrl+C) stops the scheduler and lets the worker finish the task it
is running, then exits 0; a second signal aborts the running task (the worker's own behaviour).

Deployment: one `manage.py worker` next to gunicorn (`make run` starts both). The escalation job
is idempotent, so two workers scheduling it at the same time do no harm, only double work (so
are the similar-index files: each write replaces the file whole). The worker must see the web
processes' `SIMILAR_INDEX_DIR`. `manage.py worker --once` moves the journal, fills pending
category hints, builds the asked similar-case indexes, enqueues the escalation, runs every queued
task and exits (for cron or a quick check). When TASKS uses a non-database backend (tests: the
immediate backend) there is no queue to poll: the scheduler runs the job directly and the
command waits for a signal.
"""

from __future__ import annotations

import datetime
import logging
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.crypto import get_random_string

from liaison.audit.tasks import verify_audit_task
from liaison.cases import similar_store
from liaison.cases.services import category_hints, journal_move, kpi_rollup
from liaison.cases.tasks import escalate_due_cases_task, purge_personal_data_task
from liaison.jobs.services import expire_export_jobs_task
from liaison.points.tasks import points_sweep_task
from liaison.receptions.tasks import reminders_send_task, schedules_extend_task
from liaison.reports.services import schedule_monthly_reports_task
from liaison.suggestions.tasks import escalate_due_suggestions_task

logger = logging.getLogger("liaison.worker")


def escalation_interval_minutes() -> float:
    value = getattr(settings, "ESCALATION_INTERVAL_MINUTES", None)
    if value is None:
        value = os.environ.get("ESCALATION_INTERVAL_MINUTES", "30")
    return float(value)


def enqueue_escalation() -> None:

    try:
        escalate_due_cases_task.enqueue()
    except Exception:  # a failed run is retried at the next tick
        logger.exception("could not enqueue the escalation job")
    # Deadlines of deputies' suggestions (assign, answer, re-handle, co-handling views, promises)
    # and answers never rated within the rating window (closed as 未评价).
    try:
        escalate_due_suggestions_task.enqueue()
    except Exception:  # retried at the next tick
        logger.exception("could not enqueue the suggestion escalation job")


_last_purge: list[datetime.date] = []


def enqueue_retention_purge() -> None:
    """Once a day: erase personal data whose retention period is over."""
    from django.utils import timezone

    today = timezone.localdate()
    if _last_purge and _last_purge[-1] == today:
        return
    try:
        purge_personal_data_task.enqueue()
        _last_purge.append(today)
    except Exception:  # retried at the next tick
        logger.exception("could not enqueue the retention purge")


_last_audit_verify: list[datetime.date] = []


def enqueue_audit_verify() -> None:
    """Once a day: walk the audit hash chain and record its head (liaison/audit/verify.py)."""
    from django.utils import timezone

    today = timezone.localdate()
    if _last_audit_verify and _last_audit_verify[-1] == today:
        return
    try:
        verify_audit_task.enqueue()
        _last_audit_verify.append(today)
    except Exception:  # retried at the next tick
        logger.exception("could not enqueue the audit chain check")


def enqueue_export_expiry() -> None:
    """Every tick: delete the export jobs' files past EXPORT_RETENTION_HOURS (cheap when none)."""

    try:
        expire_export_jobs_task.enqueue()
    except Exception:  # retried at the next tick
        logger.exception("could not enqueue the export expiry")


def enqueue_monthly_reports() -> None:
    """On the 1st of each month, ask for last month's county reports (idempotent per month)."""
    from django.utils import timezone

    if timezone.localdate().day != 1:
        return

    try:
        schedule_monthly_reports_task.enqueue()
    except Exception:  # retried at the next tick of the day
        logger.exception("could not enqueue the monthly reports")


_last_schedule_extend: list[datetime.date] = []


def enqueue_reception_jobs() -> None:
    """Every tick: reminders to deputies on duty (idempotent per duty and kind). Once a day:
    materialise reception schedules up to their rolling horizon (liaison/receptions/tasks.py)."""
    from django.utils import timezone

    try:
        reminders_send_task.enqueue()
    except Exception:  # retried at the next tick
        logger.exception("could not enqueue the reception reminders")
    today = timezone.localdate()
    if _last_schedule_extend and _last_schedule_extend[-1] == today:
        return
    try:
        schedules_extend_task.enqueue()
        _last_schedule_extend.append(today)
    except Exception:  # retried at the next tick
        logger.exception("could not enqueue the reception schedules' extension")


def enqueue_points_sweep() -> None:
    """Every tick: sync the points of deputies whose reception cases moved lately (cases lie
    below points and cannot call it; liaison/points/services/ledger.py, decision 0030)."""
    try:
        points_sweep_task.enqueue()
    except Exception:  # retried at the next tick
        logger.exception("could not enqueue the points sweep")


def run_scheduler(stop: threading.Event, minutes: float) -> None:
    """Enqueue the escalation now and then every `minutes` until `stop` is set."""
    try:
        while not stop.is_set():
            enqueue_escalation()
            enqueue_monthly_reports()
            enqueue_retention_purge()
            enqueue_export_expiry()
            enqueue_audit_verify()
            enqueue_reception_jobs()
            enqueue_points_sweep()
            # This thread's own connection: do not keep it open while sleeping.
            connections.close_all()
            if stop.wait(timeout=minutes * 60):
                break
    finally:
        connections.close_all()


def kpi_rollup_sweep_seconds() -> float:
    return float(getattr(settings, "KPI_ROLLUP_SWEEP_SECONDS", 30))


def similar_index_sweep_seconds() -> float:
    return float(getattr(settings, "SIMILAR_INDEX_SWEEP_SECONDS", 5))


def hint_sweep_seconds() -> float:
    return float(getattr(settings, "CATEGORY_HINT_SWEEP_SECONDS", 5))


# Pause between two full batches of a sweeper.
BREATH_SECONDS = 0.02


def intake_move_seconds() -> float:
    return float(getattr(settings, "INTAKE_MOVE_SECONDS", 1))


def run_sweeper(
    stop: threading.Event, seconds: float, work: Callable[[], int], batch: int, label: str
) -> None:
    """Call `work` (which handles up to `batch` rows) every `seconds` until `stop`."""
    try:
        while not stop.is_set():
            try:
                done = work()
            except Exception:  # e.g. the database restarting; tried again at the next tick
                logger.exception("%s failed", label)
                done = 0
            if done < batch:
                connections.close_all()
                if stop.wait(timeout=seconds):
                    break
            # A full batch means more are waiting: go on after a breath, in which requests
            # waiting for SQLite's write lock get it (a tight loop would starve them).
            elif stop.wait(timeout=BREATH_SECONDS):
                break
    finally:
        connections.close_all()


def _kpi_rollup_tick() -> int:
    kpi_rollup.kpi_rollup_sweep()
    return 0  # never a full batch: the sweeper waits its interval


def _sweepers(stop: threading.Event) -> list[threading.Thread]:

    jobs = [
        (
            "intake-mover",
            intake_move_seconds(),
            journal_move.intake_journal_tick,
            journal_move.BATCH,
        ),
        (
            "hint-sweeper",
            hint_sweep_seconds(),
            category_hints.case_category_hints_fill,
            category_hints.BATCH,
        ),
        # Recounts only the days of cases that moved; never a "full batch", so it waits its
        # interval after every run (decision 0045).
        (
            "kpi-rollup-sweeper",
            kpi_rollup_sweep_seconds(),
            _kpi_rollup_tick,
            1,
        ),
        # One county's index per call (seconds of CPU each): a "full batch" when it built
        # one, so the next asked county follows after a breath (decision 0050).
        (
            "similar-index-sweeper",
            similar_index_sweep_seconds(),
            similar_store.similar_indexes_sweep,
            1,
        ),
    ]
    return [
        threading.Thread(
            target=run_sweeper,
            args=(stop, seconds, work, batch, name),
            name=name,
            daemon=True,
        )
        for name, seconds, work, batch in jobs
    ]


def _is_database_backend(alias: str) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends[alias], DatabaseBackend)


class Command(BaseCommand):
    help = "运行后台任务（导出、导入）并定时执行逾期督办检查。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="default", help="queues, comma separated")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls of the queue"
        )
        parser.add_argument(
            "--escalation-minutes",
            type=float,
            default=None,
            help="minutes between escalation runs (default ESCALATION_INTERVAL_MINUTES or 30)",
        )
        parser.add_argument(
            "--once", action="store_true", help="enqueue the escalation, run all tasks, exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = options["escalation_minutes"]
        if minutes is None:
            minutes = escalation_interval_minutes()
        alias = DEFAULT_TASK_BACKEND_ALIAS
        database = _is_database_backend(alias)
        if options["once"]:
            from liaison.cases.services.category_hints import case_category_hints_fill_all
            from liaison.cases.services.journal_move import intake_entries_move_all

            intake_entries_move_all()
            case_category_hints_fill_all()
            kpi_rollup.kpi_rollup_sweep()
            while similar_store.similar_indexes_sweep():
                pass
            enqueue_escalation()
            enqueue_export_expiry()
            if database:
                self._worker(options, batch=True).run()
            return
        stop = threading.Event()
        worker = self._worker(options, batch=False) if database else None

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()
            if worker is not None:
                worker.shutdown(signum, frame)  # exits once the current task is done

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        scheduler: threading.Thread | None = None
        if minutes > 0:
            scheduler = threading.Thread(
                target=run_scheduler, args=(stop, minutes), name="escalation-scheduler", daemon=True
            )
            scheduler.start()
        sweepers = _sweepers(stop)
        for sweeper in sweepers:
            sweeper.start()
        self.stdout.write(
            f"worker started (escalation every {minutes:g} min; SIGTERM or Ctrl+C to stop)"
        )
        try:
            if worker is not None:
                worker.run()
            else:
                stop.wait()
        except SystemExit as exit_:
            if exit_.code not in (0, None):
                raise
        finally:
            stop.set()
            if scheduler is not None:
                scheduler.join(timeout=10)
            for sweeper in sweepers:
                sweeper.join(timeout=10)
            self.stdout.write("worker stopped")

    def _worker(self, options: dict[str, Any], *, batch: bool) -> Any:
        from django_tasks_db.management.commands.db_worker import Worker

        return Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
