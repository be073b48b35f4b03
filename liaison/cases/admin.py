"""The public API's intake journal in Django admin (system administrators only).

Read-only: entries are written by the API and moved by the worker (decision 0006). What a person
does here is look at entries that wait or are held, and, once the key they were sealed under is
restored, send held entries back to the worker.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.accounts.decorators import request_user
from liaison.cases.models import IntakeEntry
from liaison.cases.models.intake import IntakeEntryQuerySet
from liaison.cases.services.journal_move import intake_entries_release


class StateFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("waiting", _("待转入")), ("held", _("无法读取，暂扣")), ("moved", _("已转入"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[IntakeEntry]
    ) -> QuerySet[IntakeEntry]:
        value = self.value()
        if value == "waiting":
            return cast(IntakeEntryQuerySet, queryset).waiting()
        if value == "held":
            return cast(IntakeEntryQuerySet, queryset).held()
        if value == "moved":
            return queryset.filter(moved_at__isnull=False)
        return queryset


@admin.register(IntakeEntry)
class IntakeEntryAdmin(admin.ModelAdmin[IntakeEntry]):
    list_display = ("tracking_code", "received_at", "state", "case_id", "moved_at")
    list_filter = (StateFilter,)
    search_fields = ("tracking_code",)
    date_hierarchy = "received_at"
    list_per_page = 50
    show_full_result_count = False
    fields = ("tracking_code", "received_at", "case_id", "moved_at", "held_at")
    readonly_fields = fields
    actions = ["release_held"]

    @admin.display(description=_("状态"))
    def state(self, obj: IntakeEntry) -> str:
        if obj.moved_at is not None:
            return str(_("已转入"))
        if obj.held_at is not None:
            return str(_("无法读取，暂扣"))
        return str(_("待转入"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # nothing a constituent submitted is ever lost

    @admin.action(description=_("重新交给后台转入（已恢复原密钥后）"))
    def release_held(self, request: HttpRequest, queryset: QuerySet[IntakeEntry]) -> None:
        released = intake_entries_release(
            entries=cast(IntakeEntryQuerySet, queryset), actor=request_user(request)
        )
        messages.success(
            request,
            ngettext("%(n)d 条记录已重新交给后台", "%(n)d 条记录已重新交给后台", released)
            % {"n": released},
        )
