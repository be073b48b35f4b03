"""Django admin for the third-party task queue; the audited base for the project's own models is
`liaison.audit.admin.AuditedModelAdmin`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

# --- the task queue's results (django_tasks_db) ---------------------------------------------------
# Its model and field names are translated in locale/ (they go through gettext); what follows
# covers the strings it hard-codes in English: the app's name and three admin columns.


def _register_task_results(site: admin.AdminSite) -> None:
    from django.apps import apps
    from django.utils.translation import gettext_lazy as _
    from django_tasks_db import admin as tasks_admin
    from django_tasks_db.models import DBTaskResult

    class TaskResultAdmin(tasks_admin.DBTaskResultAdmin):
        list_display = (
            "id",
            "task_label",
            "status",
            "enqueued_at",
            "started_at",
            "finished_at",
            "priority",
            "queue_name",
        )

        @admin.display(description=_("任务"))
        def task_label(self, obj: DBTaskResult[Any, Any]) -> str:
            # The stored path, not `task_name`: that imports the function and validates it
            # against the current backend, which fails for a task renamed since it ran.
            return str(obj.task_path)

        @admin.display(description=_("错误堆栈"))
        def formatted_traceback(self, obj: DBTaskResult[Any, Any]) -> str:
            return super().formatted_traceback(obj)

        @admin.display(description=_("最早执行时间"))
        def display_run_after(self, obj: DBTaskResult[Any, Any]) -> Any:
            return super().display_run_after(obj)

    # The app's name is a plain English string in its AppConfig, not a translatable one.
    apps.get_app_config("django_tasks_database").verbose_name = _("后台任务")
    if site.is_registered(DBTaskResult):
        site.unregister(DBTaskResult)
    site.register(DBTaskResult, TaskResultAdmin)


_register_task_results(admin.site)
