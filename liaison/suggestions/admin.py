"""Deputies' suggestions in Django admin (system administrators, within their jurisdiction; the
policies are in `accounts.admin_site.ADMIN_POLICIES`).

Congress sessions are set up here (the receiving window; the counter that numbers suggestions is
not editable). Suggestions, their sources, units and events are read-only: they change only
through the services, which check the workflow and write the event log (events are append-only).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from liaison.audit.admin import AuditedModelAdmin
from liaison.suggestions.models import (
    CongressSession,
    Suggestion,
    SuggestionEvent,
    SuggestionSource,
    SuggestionUnit,
)


@admin.register(CongressSession)
class CongressSessionAdmin(AuditedModelAdmin):
    list_display = ("__str__", "level", "term", "session", "opens_on", "closes_on", "last_number")
    list_filter = ("level",)
    readonly_fields = ("last_number",)
    raw_id_fields = ("congress",)


class ReadOnlyAdmin(AuditedModelAdmin):
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "session", "author", "status", "due_state", "lead_unit")
    list_filter = ("status", "due_state", "is_priority")
    search_fields = ("title",)
    list_select_related = ("session__congress", "author", "lead_unit")


@admin.register(SuggestionSource)
class SuggestionSourceAdmin(ReadOnlyAdmin):
    list_display = ("suggestion", "kind")
    list_filter = ("kind",)
    list_select_related = ("suggestion",)


@admin.register(SuggestionUnit)
class SuggestionUnitAdmin(ReadOnlyAdmin):
    list_display = ("suggestion", "unit", "is_lead", "is_current", "assigned_at")
    list_select_related = ("suggestion", "unit")


@admin.register(SuggestionEvent)
class SuggestionEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "suggestion", "kind", "actor", "actor_role")
    list_filter = ("kind",)
    date_hierarchy = "at"
    list_select_related = ("suggestion", "actor")
