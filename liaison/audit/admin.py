"""Django admin changes leave audit rows too: the admin is a face like any other.

`AuditedModelAdmin` is the base every project admin uses. The regions app sits below audit, so
its admin page (which must leave audit rows) is registered here rather than in regions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms.models import model_to_dict
from django.http import HttpRequest

from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record, diff
from liaison.regions.models import Region


class AuditedModelAdmin(admin.ModelAdmin[Model]):
    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        model: Any = type(obj)
        before = model_to_dict(model._default_manager.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        after = model_to_dict(obj)
        old, new = diff(before, after) if change else ({}, after)
        audit_record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            obj=obj,
            before=old or None,
            after=new,
            note="系统管理后台",
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit_record(
            actor=request.user,
            action=AuditAction.DELETE,
            obj=obj,
            before=model_to_dict(obj),
            note="系统管理后台",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
