"""System administration of settings and calendar overrides.

Saves and deletes go through the services, so that the registry validates every value and every
change leaves an audit row, exactly as on the staff pages. National calendar overrides (a new
year's State Council notice before the package knows it) are entered here.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from liaison.accounts.decorators import request_user
from liaison.common.text import SafeTextFormMixin
from liaison.jurisdiction import services
from liaison.jurisdiction.models import CalendarOverride, JurisdictionSetting
from liaison.jurisdiction.registry import SETTINGS


class JurisdictionSettingForm(SafeTextFormMixin, forms.ModelForm[JurisdictionSetting]):
    key = forms.ChoiceField(label=_("设置项"))
    value = forms.CharField(
        label=_("取值"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_('JSON：整数写 15，小数写 "0.5"，是/否写 true/false，文字加引号。'),
    )

    class Meta:
        model = JurisdictionSetting
        fields = ["region", "key", "value"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        key_field: Any = self.fields["key"]
        # Settings of features not installed yet change nothing (decision 0010): not offered.
        key_field.choices = [(k, f"{d.label}（{k}）") for k, d in SETTINGS.items() if d.available]
        if self.instance.pk:
            self.initial["value"] = json.dumps(self.instance.value, ensure_ascii=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        definition = SETTINGS.get(cleaned.get("key", ""))
        raw = cleaned.get("value")
        if definition is None or raw is None:
            return cleaned
        try:
            parsed = json.loads(raw)
        except json.JSONDecodeError:
            # A bare word such as five is accepted for text and decimal settings.
            parsed = raw.strip()
        try:
            cleaned["parsed_value"] = definition.clean(parsed)
        except ValidationError as error:
            self.add_error("value", error)
        return cleaned


@admin.register(JurisdictionSetting)
class JurisdictionSettingAdmin(admin.ModelAdmin[JurisdictionSetting]):
    form = JurisdictionSettingForm
    list_display = ["region", "key", "value", "updated_at", "updated_by"]
    list_filter = ["key"]
    search_fields = ["region__code", "region__name", "key"]
    autocomplete_fields = ["region"]
    list_select_related = ["region", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            old = JurisdictionSetting.objects.select_related("region").get(pk=obj.pk)
            if (old.region_id, old.key) != (obj.region_id, obj.key):
                services.setting_clear(region=old.region, key=old.key, actor=request_user(request))
        saved = services.setting_set(
            region=obj.region,
            key=obj.key,
            value=form.cleaned_data["parsed_value"],
            actor=request_user(request),
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.setting_clear(region=obj.region, key=obj.key, actor=request_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset.select_related("region"):
            self.delete_model(request, obj)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    list_display = ["date", "is_working_day", "name", "region", "created_by"]
    list_filter = ["is_working_day", ("region", admin.EmptyFieldListFilter)]
    search_fields = ["name", "region__code", "region__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["region"]
    list_select_related = ["region", "created_by"]
    fields = ["region", "date", "is_working_day", "name"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            old = CalendarOverride.objects.select_related("region").get(pk=obj.pk)
            if (old.region_id, old.date) != (obj.region_id, obj.date):
                services.calendar_override_remove(
                    region=old.region, day=old.date, actor=request_user(request)
                )
        saved = services.calendar_override_set(
            region=obj.region,
            day=obj.date,
            is_working_day=obj.is_working_day,
            name=obj.name,
            actor=request_user(request),
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.calendar_override_remove(
            region=obj.region, day=obj.date, actor=request_user(request)
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset.select_related("region"):
            self.delete_model(request, obj)
